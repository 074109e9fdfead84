// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <dirent.h>

#include <cstdlib>
#include <functional>

namespace ss::bpf {

// Calls `use` with the pid of every process /proc lists now (none when /proc cannot be read).
inline void forEachPid(const std::function<void(int pid)>& use)
{
    DIR* proc = opendir("/proc");
    if (!proc)
        return;
    while (const dirent* e = readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (pid > 0 && end && *end == '\0')
            use(int(pid));
    }
    closedir(proc);
}

} // namespace ss::bpf
