// SPDX-License-Identifier: GPL-2.0-or-later
// The helper's privileges after restrictPrivileges(): checked in a forked child (a process
// of one thread, as the helper is when it restricts itself), which reports each check in
// its exit status. Root only: as any other user there is nothing to drop.
#include <catch2/catch.hpp>

#include <bpf/bpf.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <string>
#include <vector>

#include "privileges.h"

namespace {

std::string statusField(const std::string& key)
{
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + ":", 0) == 0)
            return line.substr(line.find_first_not_of(" \t", key.size() + 1));
    return {};
}

// Each failed check sets one bit of the child's exit status.
// podLike: first as a Kubernetes pod of our manifest starts it (BPF, PERFMON, NET_ADMIN,
// SYS_RESOURCE, SYS_PTRACE, CHOWN; no SETPCAP to change the bounding set).
int checksInRestrictedChild(bool companion, bool podLike = false)
{
    const pid_t pid = fork();
    if (pid == 0) {
        int failed = 0;
        if (podLike) {
            // (of those this root holds: a VM's root may lack CAP_SYS_RESOURCE)
            cap_t now = cap_get_proc();
            std::vector<cap_value_t> pod;
            for (cap_value_t c : {CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_SYS_RESOURCE, CAP_SYS_PTRACE, CAP_CHOWN}) {
                cap_flag_value_t held = CAP_CLEAR;
                if (cap_get_flag(now, c, CAP_PERMITTED, &held) == 0 && held == CAP_SET)
                    pod.push_back(c);
            }
            cap_free(now);
            cap_t caps = cap_init();
            cap_set_flag(caps, CAP_PERMITTED, int(pod.size()), pod.data(), CAP_SET);
            cap_set_flag(caps, CAP_EFFECTIVE, int(pod.size()), pod.data(), CAP_SET);
            if (cap_set_proc(caps) != 0)
                _exit(254);
            cap_free(caps);
        }
        try {
            ss::helper::restrictPrivileges({.startsCompanion = companion}, ss::helper::SyscallFilter::Enforce);
        } catch (...) {
            _exit(255);
        }
        const std::string want = podLike ? "000000c000081001" : companion ? "000000c0000810c5" : "000000c000081005";
        if (statusField("CapEff") != want || (!podLike && statusField("CapBnd") != want) ||
            statusField("CapInh") != "0000000000000000")
            failed |= 1;
        if (statusField("NoNewPrivs") != "1" || statusField("Seccomp") != "2")
            failed |= 2;
        // Not on the list: a mount, a new namespace, loading a module.
        if (mount("none", "/mnt", "tmpfs", 0, nullptr) == 0 || errno != EPERM)
            failed |= 4;
        if (unshare(CLONE_NEWNET) == 0 || errno != EPERM)
            failed |= 8;
        if (syscall(SYS_init_module, nullptr, 0, "") == 0 || errno != EPERM)
            failed |= 16;
        // On the list, with the capability kept: a BPF map.
        const int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ss_priv_test", 4, 4, 1, nullptr);
        if (map < 0)
            failed |= 32;
        // Capabilities cannot come back.
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 21 /* CAP_SYS_ADMIN */, 0, 0) == 0)
            failed |= 64;
        _exit(failed);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

} // namespace

TEST_CASE("the helper keeps six capabilities, each named, and the companion's two only with --otlp", "[privileges]")
{
    const auto kept = ss::helper::keptCapabilities({});
    CHECK(kept == std::vector<std::string>{"cap_bpf", "cap_perfmon", "cap_net_admin", "cap_chown", "cap_sys_ptrace",
                                           "cap_dac_read_search"});
    const auto withCompanion = ss::helper::keptCapabilities({.startsCompanion = true});
    CHECK(withCompanion.size() == kept.size() + 2);
    CHECK(std::count(withCompanion.begin(), withCompanion.end(), "cap_setuid") == 1);
    ss::helper::SyscallFilter mode{};
    CHECK(ss::helper::parseSyscallFilter("log", &mode));
    CHECK(mode == ss::helper::SyscallFilter::Log);
    CHECK_FALSE(ss::helper::parseSyscallFilter("Enforce", &mode));
}

TEST_CASE("the seccomp list leaves out what would undo the restriction or reach past the helper", "[privileges]")
{
    const auto& calls = ss::helper::allowedSyscalls();
    for (const char* forbidden : {"ptrace", "mount", "umount2", "unshare", "setns", "pivot_root", "chroot", "init_module",
                                  "finit_module", "delete_module", "kexec_load", "reboot", "keyctl", "add_key",
                                  "process_vm_readv", "process_vm_writev", "open_by_handle_at", "userfaultfd",
                                  "personality", "swapon", "settimeofday", "clock_settime"}) {
        INFO(forbidden);
        CHECK(std::none_of(calls.begin(), calls.end(), [&](const char* c) { return std::string(c) == forbidden; }));
    }
}

TEST_CASE("a restricted process holds only the kept capabilities and cannot mount, unshare or load a module",
          "[privileges][root]")
{
    if (geteuid() != 0) {
        WARN("not root: nothing to drop, not checked");
        return;
    }
    CHECK(checksInRestrictedChild(false) == 0);
    CHECK(checksInRestrictedChild(true) == 0);
}

TEST_CASE("started with fewer capabilities (a pod's), the helper keeps what it holds of its six", "[privileges][root]")
{
    if (geteuid() != 0) {
        WARN("not root: nothing to drop, not checked");
        return;
    }
    CHECK(checksInRestrictedChild(false, true) == 0);
}
