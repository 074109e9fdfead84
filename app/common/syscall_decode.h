// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ss::syscalls {

// Decoding of raw system-call arguments into what a record carries (docs/FORMAT.md §2):
// the capture helper calls these on what its eBPF programs read; the tests pin them down.

std::string name(std::uint32_t x86_64Number);            // "connect", or "syscall_N"
std::string openFlags(std::uint64_t flags);              // "O_WRONLY|O_CREAT|O_CLOEXEC"
std::string mountFlags(std::uint64_t flags);             // "MS_RDONLY|MS_BIND", "0"
std::string umountFlags(std::uint64_t flags);            // "MNT_DETACH"
std::string cloneFlags(std::uint64_t flags);             // "CLONE_NEWNET|CLONE_NEWNS"
std::string ptraceRequest(std::int64_t request);         // "PTRACE_ATTACH"
std::string signalName(int signal);                      // "SIGKILL"
std::string errnoName(int error);                        // "ECONNREFUSED"
// A struct sockaddr as read from user memory: "203.0.113.45:4444", "[::1]:53",
// "/run/x.sock", "@abstract"; "" when too short or of another family.
std::string socketAddress(const std::uint8_t* data, std::size_t length);

} // namespace ss::syscalls
