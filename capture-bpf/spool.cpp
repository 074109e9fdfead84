// SPDX-License-Identifier: GPL-2.0-or-later
#include "spool.h"

#include "error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace ss::helper {

SpoolFile::SpoolFile(const std::string& dir, gid_t group, uid_t client, pid_t clientPid, const std::string& header)
{
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    path_ = dir + "/" + stamp + "-uid" + std::to_string(client) + "-" + std::to_string(clientPid) + ".pcapng";
    const int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        throw EngineError("create spool file", path_, std::strerror(errno));
    if (fchown(fd, 0, group) != 0) { // readable by the group that may capture
        const int err = errno;
        close(fd);
        unlink(path_.c_str());
        throw EngineError("give spool file to the group", path_, std::strerror(err));
    }
    file_ = fdopen(fd, "wb");
    if (!file_) {
        close(fd);
        throw EngineError("open spool file", path_, std::strerror(errno));
    }
    write(header);
}

SpoolFile::~SpoolFile()
{
    if (file_)
        std::fclose(file_);
}

void SpoolFile::write(const std::string& blocks)
{
    if ((!blocks.empty() && std::fwrite(blocks.data(), 1, blocks.size(), file_) != blocks.size()) ||
        std::fflush(file_) != 0)
        throw EngineError("write spool file", path_, std::strerror(errno));
}

} // namespace ss::helper
