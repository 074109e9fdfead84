// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace ss {

// The first `maxBytes` of a small file such as /proc/PID/cmdline, with read(2): nullopt when
// it cannot be read. Never throws — libstdc++'s file streams throw from a failed read()
// whatever their exception mask (a process that exits while its /proc file is read: ESRCH).
std::optional<std::string> readSmallFile(const std::string& path, std::size_t maxBytes = 64 * 1024);

} // namespace ss
