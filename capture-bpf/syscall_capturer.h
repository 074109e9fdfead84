// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ebpf_filter.h"
#include "k8s_metadata.h"
#include "ring_reader.h"
#include "syscall_capture.h"

struct syscall_capture;

namespace ss::bpf {

// The syscall capture programs loaded and attached (tp_btf sys_enter/sys_exit), with the
// calls to record enabled; RAII over the skeleton and the ring buffer.
class SyscallCapturer {
public:
    using Sink = std::function<void(const ss_syscall_event& event)>;

    // Called once the programs are loaded, before they are attached (fills filter maps).
    using Prepare = std::function<void(const MetaFilterMaps& maps)>;

    // `numbers`: x86-64 syscall numbers to record. Throws EngineError.
    SyscallCapturer(const std::vector<std::uint32_t>& numbers, Sink sink, const Prepare& prepare = {});
    ~SyscallCapturer();
    SyscallCapturer(const SyscallCapturer&) = delete;
    SyscallCapturer& operator=(const SyscallCapturer&) = delete;

    int poll(int timeoutMs);
    int drain();
    std::uint64_t drops() const;
    // The `--ebpf-filter` maps (meta_filter.h).
    MetaFilterMaps metaFilterMaps() const;

    // "connect,openat" / "all" / "none" / "default" → numbers; throws EngineError naming an
    // unknown call.
    static std::vector<std::uint32_t> parseList(const std::string& list);

private:
    static int onEvent(void* self, void* data, std::size_t size);
    struct SkeletonDeleter {
        void operator()(syscall_capture* skel) const;
    };
    std::unique_ptr<syscall_capture, SkeletonDeleter> skeleton_;
    std::unique_ptr<RingReader> ring_;
    Sink sink_;
};

// The record (ss_records.h, SS_KIND_SYSCALL) for one event, arguments decoded, with the
// container and pod of its cgroup when known.
std::vector<std::uint8_t> syscallRecord(const ss_syscall_event& event, const KubernetesView& k8s = {});

} // namespace ss::bpf
