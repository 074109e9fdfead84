// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>

struct ring_buffer;

namespace ss::bpf {

// A BPF ring buffer read from user space (RAII over libbpf's ring_buffer), as the capture
// programs fill it: wake-ups are batched, so every poll also consumes what is pending.
class RingReader {
public:
    using Callback = int (*)(void* context, void* data, std::size_t size);

    // Throws EngineError naming `mapName`.
    RingReader(int mapFd, const std::string& mapName, Callback callback, void* context);
    ~RingReader();
    RingReader(const RingReader&) = delete;
    RingReader& operator=(const RingReader&) = delete;

    // Waits up to `timeoutMs`, then takes everything pending; returns how many events.
    int poll(int timeoutMs);
    // Takes everything pending without waiting.
    int drain();
    // Readable when the kernel wakes this ring's reader (poll() it with others).
    int epollFd() const;
    // How full the ring is now, 0 to 1: what the kernel wrote and user space has not taken.
    double fill() const;

private:
    ring_buffer* ring_;
    // The ring's two position pages, mapped read-only (consumer, producer); null: unknown.
    void* consumerPage_ = nullptr;
    void* producerPage_ = nullptr;
    std::size_t pageSize_ = 0;
    std::uint64_t size_ = 0;
};

// The sum over CPUs of entry `key` of a per-CPU array map (0 when it cannot be read).
std::uint64_t sumPerCpu(int mapFd, std::uint32_t key);

} // namespace ss::bpf
