// SPDX-License-Identifier: GPL-2.0-or-later
// tcp.stream and udp.stream as epan 4.0 numbers them, for the statistics fast path: the
// conversation tables keep one row per (addresses, ports, stream), so a 4-tuple reused after
// a new SYN is two rows. No epan here.
//
// TCP follows packet-tcp.c (4.0.17): a conversation per 4-tuple; each direction's base
// sequence number set by its first segment (the SYN's sequence number, else seq - 1) and the
// reverse one by the first ACK (ack - 1); a pure SYN whose sequence number differs from its
// direction's base starts a new conversation (port reuse); a SYN/ACK that differs moves the
// base. Directions are told apart as epan does: by comparing the addresses, then the ports.
// Segments quoted in ICMP errors are looked up (and may start a conversation) but set no base.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "key_index.h"

namespace ss::fast {

struct Endpoints {
    const std::uint8_t* src;
    const std::uint8_t* dst;
    int addressBytes; // 4 or 16
    std::uint16_t srcPort, dstPort;
};

class FlowIds {
public:
    std::uint32_t tcp(const Endpoints& e, std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, bool quoted);
    std::uint32_t udp(const Endpoints& e);
    // Streams numbered so far (the next new stream gets this number).
    std::uint32_t tcpCount() const { return nextTcp_; }
    std::uint32_t udpCount() const { return nextUdp_; }

private:
    using Key = std::array<std::uint64_t, 5>; // both addresses, both ports, the address size
    // A value per key, numbered by a KeyIndex.
    template <typename Value>
    struct Map {
        KeyIndex<5> index;
        std::vector<Value> values;
        // The value for `key`; `*fresh` when it was just made (value-initialised).
        Value& at(const Key& key, bool* fresh)
        {
            const std::uint32_t i = index.findOrAdd(key, fresh);
            if (*fresh)
                values.emplace_back();
            return values[i];
        }
    };
    struct Direction {
        bool baseSet = false;
        std::uint32_t base = 0;
    };
    struct TcpConversation {
        std::uint32_t stream = 0;
        Direction flow[2];
    };
    // The key (smaller endpoint first) and whether `e` goes from the larger to the smaller
    // endpoint as epan's get_tcp_conversation_data orders them (flow1 is "fwd" when src >= dst).
    static Key keyOf(const Endpoints& e, bool* srcFirst);
    static int direction(const Endpoints& e);

    Map<TcpConversation> tcp_;
    Map<std::uint32_t> udp_;
    std::uint32_t nextTcp_ = 0;
    std::uint32_t nextUdp_ = 0;
};

} // namespace ss::fast
