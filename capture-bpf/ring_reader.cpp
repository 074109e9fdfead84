// SPDX-License-Identifier: GPL-2.0-or-later
#include "ring_reader.h"

#include "error.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace ss::bpf {

RingReader::RingReader(int mapFd, const std::string& mapName, Callback callback, void* context)
    : ring_(ring_buffer__new(mapFd, callback, context, nullptr))
{
    if (!ring_)
        throw EngineError("open ring buffer", mapName, std::strerror(errno));
    // The kernel's layout of a BPF ring buffer map: a page with the consumer position, a page
    // with the producer position, then the data (libbpf 1.1 has no accessor for them).
    bpf_map_info info{};
    __u32 infoLen = sizeof info;
    pageSize_ = std::size_t(sysconf(_SC_PAGESIZE));
    if (bpf_obj_get_info_by_fd(mapFd, &info, &infoLen) == 0 && info.max_entries) {
        size_ = info.max_entries;
        void* consumer = mmap(nullptr, pageSize_, PROT_READ, MAP_SHARED, mapFd, 0);
        void* producer = mmap(nullptr, pageSize_, PROT_READ, MAP_SHARED, mapFd, off_t(pageSize_));
        consumerPage_ = consumer == MAP_FAILED ? nullptr : consumer;
        producerPage_ = producer == MAP_FAILED ? nullptr : producer;
    }
}

RingReader::~RingReader()
{
    if (consumerPage_)
        munmap(consumerPage_, pageSize_);
    if (producerPage_)
        munmap(producerPage_, pageSize_);
    ring_buffer__free(ring_);
}

double RingReader::fill() const
{
    if (!consumerPage_ || !producerPage_ || !size_)
        return 0;
    const auto consumer = __atomic_load_n(static_cast<const unsigned long*>(consumerPage_), __ATOMIC_ACQUIRE);
    const auto producer = __atomic_load_n(static_cast<const unsigned long*>(producerPage_), __ATOMIC_ACQUIRE);
    const double pending = producer > consumer ? double(producer - consumer) : 0;
    return std::min(1.0, pending / double(size_));
}

int RingReader::poll(int timeoutMs)
{
    const int n = ring_buffer__poll(ring_, timeoutMs);
    // Batched wake-ups leave events pending below the threshold: take them on every poll.
    const int rest = ring_buffer__consume(ring_);
    return (n > 0 ? n : 0) + (rest > 0 ? rest : 0);
}

int RingReader::epollFd() const
{
    return ring_buffer__epoll_fd(ring_);
}

int RingReader::drain()
{
    return ring_buffer__consume(ring_);
}

std::uint64_t sumPerCpu(int mapFd, std::uint32_t key)
{
    const int cpus = libbpf_num_possible_cpus();
    std::vector<std::uint64_t> values(std::size_t(cpus > 0 ? cpus : 1));
    std::uint64_t sum = 0;
    if (bpf_map_lookup_elem(mapFd, &key, values.data()) == 0)
        for (auto v : values)
            sum += v;
    return sum;
}

} // namespace ss::bpf
