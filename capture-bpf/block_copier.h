// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pcapng_blocks.h"
#include "tcpdump_filter.h"

namespace ss::bpf {
class EbpfFilter;
}

namespace ss::helper {

// Copies recorded pcapng blocks (the flight recorder's files, then what it writes next)
// into one new section, keeping what a capture with the same request would have captured:
// packets of the asked interfaces in [since, until) that pass the tcpdump filter, records
// of the asked syscalls and every event, each only when --ebpf-filter keeps the process or
// pod its comments or its record name. Interfaces are numbered anew in the output, each
// written before its first packet.
class BlockCopier {
public:
    struct Filter {
        std::uint64_t sinceNs = 0, untilNs = ~std::uint64_t{0};
        std::vector<bpf::ClassicInsn> bpf;       // empty: every packet
        const bpf::EbpfFilter* ebpf = nullptr;   // null: every owner
        std::set<std::string> interfaces;        // packet interfaces by name; empty: all
        std::set<std::uint32_t> syscalls;        // syscall numbers kept; empty: no syscall records
        std::string skipRecord;                  // this record's bytes are written already (the alert)
    };
    using Sink = std::function<void(const std::string& block)>;
    // `nextInterfaceId`: the first id to give (the output may have interfaces before).
    BlockCopier(Filter filter, Sink sink, std::uint32_t nextInterfaceId = 0);

    // One whole block of the recorded stream; each section header starts a new section.
    void feed(const pcapng::BlockView& block);

    std::uint64_t packets() const { return packets_; }
    std::uint64_t records() const { return records_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t lastTimestampNs() const { return lastNs_; } // of the last packet or record seen
    void extendUntil(std::uint64_t untilNs) { filter_.untilNs = untilNs; }
    std::uint64_t untilNs() const { return filter_.untilNs; }

private:
    struct Input {
        std::string idb;  // the interface block, rebuilt for the output
        std::string key;  // name|link type
        std::uint16_t linkType;
        bool wanted;
    };
    bool keep(const Input& in, const pcapng::PacketView& p) const;
    std::uint32_t outputId(const Input& in);

    Filter filter_;
    Sink sink_;
    std::vector<Input> section_;
    std::map<std::string, std::uint32_t> outputIds_;
    std::uint32_t nextId_;
    std::uint64_t packets_ = 0, records_ = 0, bytes_ = 0, lastNs_ = 0;
};

// Runs a compiled tcpdump filter on a frame in user space (libpcap's interpreter).
bool runClassicFilter(const std::vector<bpf::ClassicInsn>& program, const std::uint8_t* data, std::uint32_t caplen,
                      std::uint32_t length);

} // namespace ss::helper
