// SPDX-License-Identifier: GPL-2.0-or-later
#include "privileges.h"

#include <dirent.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <type_traits>

#include "error.h"
#include "sanitizers.h"

namespace ss::helper {
namespace {

struct CapFree {
    void operator()(cap_t caps) const { cap_free(caps); }
};
using Caps = std::unique_ptr<std::remove_pointer_t<cap_t>, CapFree>;

struct SeccompRelease {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};
using SeccompFilter = std::unique_ptr<void, SeccompRelease>;

std::string capabilityName(cap_value_t c)
{
    char* name = cap_to_name(c);
    std::string text = name ? name : std::to_string(c);
    cap_free(name);
    return text;
}

// Each kept capability and the step that needs it (measured: docs/RELIABILITY.md lists what
// fails without each).
std::vector<cap_value_t> keptValues(const PrivilegeNeeds& needs)
{
    std::vector<cap_value_t> kept{
        CAP_BPF,         // maps and programs for each capture (bpf())
        CAP_PERFMON,     // the syscall tracepoints (perf_event_open), kernel reads in programs
        CAP_NET_ADMIN,   // clsact qdiscs and TC filters on the interfaces asked for (netlink)
        CAP_CHOWN,       // spooled captures and trigger files handed to the socket's group
        CAP_SYS_PTRACE,  // /proc/PID/exe and /proc/PID/fd of other users' processes (attribution)
        CAP_DAC_READ_SEARCH, // the CRI socket: /run/containerd is mode 0600 (root without it: EACCES)
    };
    if (needs.startsCompanion) {
        kept.push_back(CAP_SETUID); // the span companion runs as nobody
        kept.push_back(CAP_SETGID);
    }
    return kept;
}

bool inSet(cap_t caps, cap_value_t c, cap_flag_t set)
{
    cap_flag_value_t value = CAP_CLEAR;
    return cap_get_flag(caps, c, set, &value) == 0 && value == CAP_SET;
}

// Keeps what is wanted and still held: a container may have been started with fewer (a
// Kubernetes pod's securityContext adds only some), and a capability not held cannot be set.
void dropCapabilities(const std::vector<cap_value_t>& wanted)
{
    Caps now(cap_get_proc());
    if (!now)
        throw EngineError("read capabilities", "helper", std::strerror(errno));
    std::vector<cap_value_t> kept;
    for (cap_value_t c : wanted)
        if (inSet(now.get(), c, CAP_PERMITTED))
            kept.push_back(c);
    auto isKept = [&](cap_value_t c) { return std::find(kept.begin(), kept.end(), c) != kept.end(); };
    // The bounding set first: dropping from it needs CAP_SETPCAP, itself dropped below. A
    // process without CAP_SETPCAP (a pod's) keeps the bounding set its runtime gave it; with
    // no_new_privs set, an exec cannot raise the permitted set past what is kept here.
    if (inSet(now.get(), CAP_SETPCAP, CAP_EFFECTIVE)) {
        for (cap_value_t c = 0; CAP_IS_SUPPORTED(c); ++c)
            if (!isKept(c) && cap_drop_bound(c) != 0)
                throw EngineError("drop capability from the bounding set", capabilityName(c), std::strerror(errno));
    }
    if (cap_reset_ambient() != 0 && errno != EINVAL) // EINVAL: a kernel without ambient capabilities
        throw EngineError("clear ambient capabilities", "helper", std::strerror(errno));
    Caps caps(cap_init()); // all clear
    if (!caps)
        throw EngineError("restrict capabilities", "helper", std::strerror(errno));
    if (!kept.empty() &&
        (cap_set_flag(caps.get(), CAP_PERMITTED, int(kept.size()), kept.data(), CAP_SET) != 0 ||
         cap_set_flag(caps.get(), CAP_EFFECTIVE, int(kept.size()), kept.data(), CAP_SET) != 0))
        throw EngineError("restrict capabilities", "helper", std::strerror(errno));
    if (cap_set_proc(caps.get()) != 0)
        throw EngineError("restrict capabilities", "helper", std::strerror(errno));
}

// Capabilities and no_new_privs are per thread: restricting while another thread runs would
// leave that thread with root's powers.
void requireSingleThread()
{
    DIR* tasks = opendir("/proc/self/task");
    if (!tasks)
        throw EngineError("count threads", "/proc/self/task", std::strerror(errno));
    int n = 0;
    while (const dirent* e = readdir(tasks))
        n += e->d_name[0] != '.';
    closedir(tasks);
    if (n != 1)
        throw EngineError("restrict privileges", "helper",
                          std::to_string(n) + " threads already run (privileges must be restricted before any starts)");
}

void installSyscallFilter(SyscallFilter mode)
{
    if (mode == SyscallFilter::Off)
        return;
    SeccompFilter ctx(seccomp_init(mode == SyscallFilter::Log ? SCMP_ACT_LOG : SCMP_ACT_ERRNO(EPERM)));
    if (!ctx)
        throw EngineError("create seccomp filter", "helper", "seccomp_init failed");
    // A refused call is logged by the kernel ("audit: type=1326 … syscall=N"), so a call
    // missing from the list shows up in the kernel log, not only as an EPERM somewhere.
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_LOG, 1);
    for (const char* name : allowedSyscalls()) {
        const int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
            continue; // not a call on this architecture
        if (const int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0); rc != 0)
            throw EngineError("allow system call", name, std::strerror(-rc));
    }
    // LeakSanitizer stops the process's threads with ptrace to scan them at exit.
    if (SS_ADDRESS_SANITIZER && seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(ptrace), 0) != 0)
        throw EngineError("allow system call", "ptrace", "seccomp_rule_add failed");
    if (const int rc = seccomp_load(ctx.get()); rc != 0)
        throw EngineError("load seccomp filter", "helper", std::strerror(-rc));
}

} // namespace

std::vector<std::string> keptCapabilities(const PrivilegeNeeds& needs)
{
    std::vector<std::string> names;
    for (cap_value_t c : keptValues(needs))
        names.push_back(capabilityName(c));
    return names;
}

const std::vector<const char*>& allowedSyscalls()
{
    // Written from what the helper, its filter-compiling child and the span companion (which
    // inherit the filter) do, then checked: every capture, remote, trigger, metrics and OTLP
    // test run with the filter enforcing and logging refusals; the kernel log named only
    // sched_getparam and sched_getscheduler (gRPC's threads), added. Grouped.
    static const std::vector<const char*> calls{
        // memory, threads, signals, time
        "brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "membarrier", "futex", "set_robust_list",
        "get_robust_list", "set_tid_address", "rseq", "clone", "clone3", "sched_yield", "sched_getaffinity", "sched_getparam",
        "sched_getscheduler",
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "restart_syscall", "nanosleep",
        "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday", "exit", "exit_group", "getpid", "gettid",
        "getppid", "tgkill", "kill", "wait4", "waitid", "getrandom", "prctl", "arch_prctl", "getrlimit",
        "setrlimit", "prlimit64", "getrusage", "sysinfo", "uname", "times",
        // identity (read; the companion becomes nobody with CAP_SETUID/CAP_SETGID only if kept)
        "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid", "setgroups", "setuid",
        "setgid", "setresuid", "setresgid", "capget", "capset",
        // files: the spool, /proc, /sys, the programs' objects
        "openat", "open", "close", "close_range", "read", "write", "readv", "writev", "pread64", "pwrite64", "lseek",
        "fstat", "newfstatat", "stat", "lstat", "statx", "statfs", "fstatfs", "getdents64", "getdents", "readlink",
        "readlinkat", "access", "faccessat", "faccessat2", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
        "rename", "renameat", "renameat2", "fchown", "fchownat", "chown", "chmod", "fchmod", "fchmodat", "umask",
        "ftruncate", "fsync", "fdatasync", "fallocate", "fcntl", "flock", "dup", "dup2", "dup3", "pipe", "pipe2",
        "ioctl", "getcwd", "chdir", "memfd_create", "utimensat",
        // the children: the filter compiler and the span companion
        "fork", "vfork", "execve", "execveat",
        // sockets: the IPC socket, TLS, netlink for TC, gRPC, HTTP
        "socket", "socketpair", "bind", "listen", "accept", "accept4", "connect", "getsockname", "getpeername",
        "getsockopt", "setsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown",
        "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
        "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "timerfd_create", "timerfd_settime", "timerfd_gettime",
        // the kernel side
        "bpf", "perf_event_open",
    };
    return calls;
}

void restrictPrivileges(const PrivilegeNeeds& needs, SyscallFilter filter)
{
    if (geteuid() != 0)
        return;
    requireSingleThread();
    // Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK and libbpf raises it when it must:
    // raise it now, while CAP_SYS_RESOURCE is still held (ignored where it is not).
    const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_MEMLOCK, &unlimited);
    dropCapabilities(keptValues(needs));
    if (SS_ADDRESS_SANITIZER) // changed capabilities make the process undumpable: LSan then cannot list its threads
        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw EngineError("set no_new_privs", "helper", std::strerror(errno));
    installSyscallFilter(filter);
}

bool parseSyscallFilter(const std::string& text, SyscallFilter* out)
{
    if (text == "enforce")
        *out = SyscallFilter::Enforce;
    else if (text == "log")
        *out = SyscallFilter::Log;
    else if (text == "off")
        *out = SyscallFilter::Off;
    else
        return false;
    return true;
}

} // namespace ss::helper
