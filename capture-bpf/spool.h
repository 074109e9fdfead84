// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <string>

namespace ss::helper {

// `--spool DIR`: the only place the helper writes files. A capture whose client goes away
// (a closed terminal, a dropped SSH session) before its --duration or --count is reached
// goes on into a file there instead of stopping, so nothing it was asked for is lost:
// DIR/<start time>-uid<UID>-<PID>.pcapng, a new file (never one that exists), mode 0640,
// group the helper's group, starting with the section and interface blocks.
class SpoolFile {
public:
    // Throws EngineError naming the file.
    SpoolFile(const std::string& dir, gid_t group, uid_t client, pid_t clientPid, const std::string& header);
    ~SpoolFile();
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    void write(const std::string& blocks); // throws EngineError
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::FILE* file_ = nullptr;
};

} // namespace ss::helper
