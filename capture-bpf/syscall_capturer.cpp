// SPDX-License-Identifier: GPL-2.0-or-later
#include "syscall_capturer.h"

#include "error.h"
#include "record_builder.h"
#include "syscall_decode.h"

#include "syscall_capture.skel.h"

#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <sstream>

namespace ss::bpf {

void SyscallCapturer::SkeletonDeleter::operator()(syscall_capture* skel) const
{
    syscall_capture__destroy(skel);
}

std::vector<std::uint32_t> SyscallCapturer::parseList(const std::string& list)
{
    static const std::uint32_t kDefault[] = {59, 42, 43, 288, 49, 50, 257, 165, 166, 308, 272, 101, 56, 57, 58, 62};
    if (list == "none")
        return {};
    if (list == "default" || list.empty())
        return std::vector<std::uint32_t>(std::begin(kDefault), std::end(kDefault));
    std::vector<std::uint32_t> out;
    if (list == "all") {
        for (std::uint32_t nr = 0; nr < SS_SC_MAX_NR; ++nr)
            out.push_back(nr);
        return out;
    }
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        bool found = false;
        for (std::uint32_t nr = 0; nr < SS_SC_MAX_NR && !found; ++nr)
            if (syscalls::name(nr) == name) {
                out.push_back(nr);
                found = true;
            }
        if (!found)
            throw EngineError("parse --syscalls", name, "not a system call this helper decodes");
    }
    return out;
}

SyscallCapturer::SyscallCapturer(const std::vector<std::uint32_t>& numbers, Sink sink, const Prepare& prepare)
    : sink_(std::move(sink))
{
    skeleton_.reset(syscall_capture__open());
    if (!skeleton_)
        throw EngineError("open BPF object", "syscall_capture", std::strerror(errno));
    skeleton_->rodata->ss_sc_self_tgid = static_cast<__u32>(getpid());
    if (const int err = syscall_capture__load(skeleton_.get()))
        throw EngineError("load BPF programs", "syscall_capture", std::strerror(-err));
    const int enabled = bpf_map__fd(skeleton_->maps.ss_sc_enabled);
    for (std::uint32_t nr : numbers) {
        const std::uint8_t on = 1;
        if (bpf_map_update_elem(enabled, &nr, &on, BPF_ANY) != 0)
            throw EngineError("enable syscall", syscalls::name(nr), std::strerror(errno));
    }
    if (prepare)
        prepare(metaFilterMaps());
    if (const int err = syscall_capture__attach(skeleton_.get()))
        throw EngineError("attach tracepoints", "sys_enter/sys_exit", std::strerror(-err));
    ring_ = std::make_unique<RingReader>(bpf_map__fd(skeleton_->maps.ss_sc_events), "ss_sc_events", onEvent, this);
}

SyscallCapturer::~SyscallCapturer()
{
    ring_.reset();
    skeleton_.reset();
}

int SyscallCapturer::onEvent(void* self, void* data, std::size_t size)
{
    if (size < sizeof(ss_syscall_event))
        return 0;
    ss_syscall_event event;
    std::memcpy(&event, data, sizeof event);
    static_cast<SyscallCapturer*>(self)->sink_(event);
    return 0;
}

int SyscallCapturer::poll(int timeoutMs)
{
    return ring_->poll(timeoutMs);
}

int SyscallCapturer::drain()
{
    return ring_->drain();
}

std::uint64_t SyscallCapturer::drops() const
{
    return sumPerCpu(bpf_map__fd(skeleton_->maps.ss_sc_drops), 0);
}

std::vector<std::uint8_t> syscallRecord(const ss_syscall_event& e, const KubernetesView& k8s)
{
    RecordBuilder b(SS_KIND_SYSCALL);
    const std::string name = syscalls::name(e.nr);
    char comm[sizeof e.comm + 1] = {};
    std::memcpy(comm, e.comm, sizeof e.comm);
    b.u32(SS_TAG_PID, e.tgid).u32(SS_TAG_TID, e.tid).str(SS_TAG_COMM, comm).u32(SS_TAG_UID, e.uid);
    b.u64(SS_TAG_CGROUP_ID, e.cgroup_id);
    const std::pair<std::uint16_t, const std::string*> where[] = {
        {SS_TAG_CONTAINER_ID, &k8s.containerId}, {SS_TAG_CONTAINER_NAME, &k8s.containerName},
        {SS_TAG_CONTAINER_IMAGE, &k8s.containerImage}, {SS_TAG_POD, &k8s.pod}, {SS_TAG_NAMESPACE, &k8s.ns},
        {SS_TAG_POD_UID, &k8s.podUid}, {SS_TAG_POD_LABELS, &k8s.labels}, {SS_TAG_NODE, &k8s.node}};
    for (const auto& [tag, value] : where)
        if (!value->empty())
            b.str(tag, *value);
    b.u32(SS_TAG_SC_CPU, e.cpu).u32(SS_TAG_SC_NR, e.nr).str(SS_TAG_SC_NAME, name);
    for (int i = 0; i < 6; ++i)
        b.u64(std::uint16_t(SS_TAG_SC_ARG0 + i), e.args[i]);
    b.u64(SS_TAG_SC_RET, std::uint64_t(e.ret));
    b.u32(SS_TAG_SC_ERRNO, e.ret < 0 && e.ret >= -4095 ? std::uint32_t(-e.ret) : 0);
    b.u64(SS_TAG_SC_LATENCY, e.latency_ns);
    auto str = [&](int slot) {
        return std::string(e.str[slot], std::min<std::size_t>(e.str_len[slot], SS_SC_STR_LEN));
    };
    const auto a = e.args;
    // File descriptors are C ints: the upper half of the register is not part of them.
    auto fd = [](std::uint64_t reg) { return std::uint64_t(std::int64_t(std::int32_t(reg))); };
    if (name == "openat") {
        if (std::int32_t(a[0]) != -100) // AT_FDCWD: no directory fd to show
            b.u64(SS_TAG_SC_FD, fd(a[0]));
        b.str(SS_TAG_SC_PATH, str(0)).str(SS_TAG_SC_FLAGS, syscalls::openFlags(a[2]));
    } else if (name == "open") {
        b.str(SS_TAG_SC_PATH, str(0));
    } else if (name == "execve" || name == "execveat") {
        b.str(SS_TAG_SC_PATH, str(0));
        // After success: the new program's argv (NUL-separated, up to two string slots).
        std::string argv(e.str[1], std::min<std::size_t>(e.str_len[1], 2 * SS_SC_STR_LEN));
        while (!argv.empty() && argv.back() == '\0')
            argv.pop_back();
        std::replace(argv.begin(), argv.end(), '\0', ' ');
        b.str(SS_TAG_CMDLINE, argv);
    } else if (name == "mount") {
        b.str(SS_TAG_SC_PATH, str(0)).str(SS_TAG_SC_PATH2, str(1)).str(SS_TAG_SC_FSTYPE, str(2));
        b.str(SS_TAG_SC_FLAGS, syscalls::mountFlags(a[3]));
    } else if (name == "umount2") {
        b.str(SS_TAG_SC_PATH2, str(1)).str(SS_TAG_SC_FLAGS, syscalls::umountFlags(a[1]));
    } else if (name == "connect" || name == "bind") {
        b.u64(SS_TAG_SC_FD, fd(a[0])).str(SS_TAG_SC_ADDR, syscalls::socketAddress(e.addr, e.addr_len));
    } else if (name == "accept" || name == "accept4" || name == "listen" || name == "close") {
        b.u64(SS_TAG_SC_FD, fd(a[0]));
    } else if (name == "read" || name == "write" || name == "sendto" || name == "recvfrom") {
        b.u64(SS_TAG_SC_FD, fd(a[0])).u64(SS_TAG_SC_SIZE, a[2]);
    } else if (name == "setns") {
        b.u64(SS_TAG_SC_FD, fd(a[0])).str(SS_TAG_SC_FLAGS, syscalls::cloneFlags(a[1]));
    } else if (name == "unshare" || name == "clone") {
        b.str(SS_TAG_SC_FLAGS, syscalls::cloneFlags(a[0]));
    } else if (name == "ptrace") {
        b.str(SS_TAG_SC_FLAGS, syscalls::ptraceRequest(std::int64_t(a[0]))).u32(SS_TAG_SC_TARGET_PID, std::uint32_t(a[1]));
    } else if (name == "kill" || name == "tkill") {
        b.u32(SS_TAG_SC_TARGET_PID, std::uint32_t(a[0])).u32(SS_TAG_SC_SIGNAL, std::uint32_t(a[1]));
    }
    return b.bytes();
}

} // namespace ss::bpf

namespace ss::bpf {

MetaFilterMaps SyscallCapturer::metaFilterMaps() const
{
    return {bpf_map__fd(skeleton_->maps.ss_meta_config), bpf_map__fd(skeleton_->maps.ss_meta_pids),
            bpf_map__fd(skeleton_->maps.ss_meta_comms), bpf_map__fd(skeleton_->maps.ss_meta_cgroups)};
}

} // namespace ss::bpf
