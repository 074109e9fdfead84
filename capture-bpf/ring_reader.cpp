// SPDX-License-Identifier: GPL-2.0-or-later
#include "ring_reader.h"

#include "error.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ss::bpf {

RingReader::RingReader(int mapFd, const std::string& mapName, Callback callback, void* context)
    : ring_(ring_buffer__new(mapFd, callback, context, nullptr))
{
    if (!ring_)
        throw EngineError("open ring buffer", mapName, std::strerror(errno));
}

RingReader::~RingReader()
{
    ring_buffer__free(ring_);
}

int RingReader::poll(int timeoutMs)
{
    const int n = ring_buffer__poll(ring_, timeoutMs);
    // Batched wake-ups leave events pending below the threshold: take them on every poll.
    const int rest = ring_buffer__consume(ring_);
    return (n > 0 ? n : 0) + (rest > 0 ? rest : 0);
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
