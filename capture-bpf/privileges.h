// SPDX-License-Identifier: GPL-2.0-or-later
// What the helper keeps of root's powers once it has started (docs/RELIABILITY.md, "Least
// privilege"). Everything that needs more is done before: stale programs removed, the
// sockets bound, the cgroup tree opened. After restrictPrivileges() the process and every
// child it starts hold only the capabilities below, cannot gain any by exec
// (no_new_privs), and make only the system calls on the seccomp list.
#pragma once

#include <string>
#include <vector>

namespace ss::helper {

struct PrivilegeNeeds {
    // --otlp: the span companion is started (and restarted) as nobody: CAP_SETUID, CAP_SETGID.
    bool startsCompanion = false;
};

enum class SyscallFilter {
    Enforce, // a call not on the list fails with EPERM
    Log,     // allowed, and the kernel logs it (audit): how the list is checked on a new kernel
    Off,
};

// The capabilities kept, by name ("cap_bpf"), each needed by a step named in the .cpp.
std::vector<std::string> keptCapabilities(const PrivilegeNeeds& needs);

// The system calls allowed, by name: what the helper and its children were seen to make.
const std::vector<const char*>& allowedSyscalls();

// Drops every other capability from the bounding, inheritable, permitted and effective sets
// (and the ambient set), sets no_new_privs and installs the seccomp filter. Throws
// EngineError naming the step. Does nothing to a process that is not root (tests, --help).
void restrictPrivileges(const PrivilegeNeeds& needs, SyscallFilter filter);

// "enforce", "log", "off"; false for anything else.
bool parseSyscallFilter(const std::string& text, SyscallFilter* out);

} // namespace ss::helper
