// SPDX-License-Identifier: GPL-2.0-or-later
#include "read_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ss {

std::optional<std::string> readSmallFile(const std::string& path, std::size_t maxBytes)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string out;
    char chunk[4096];
    while (out.size() < maxBytes) {
        const ssize_t n = read(fd, chunk, std::min(sizeof chunk, maxBytes - out.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return out.empty() ? std::nullopt : std::optional(out);
        }
        if (n == 0)
            break;
        out.append(chunk, std::size_t(n));
    }
    close(fd);
    return out;
}

} // namespace ss
