// SPDX-License-Identifier: GPL-2.0-or-later
// The rows of the statistics fast path: each requested conversation or endpoint table
// (Ethernet, IPv4, IPv6, TCP, UDP) counted from walked frames in our own flat tables, with
// the rules of epan 4.0's conversation_table.c — a row per address (and port, and stream)
// pair in the order rows first appear, "->" for the direction of the row's first frame,
// bytes added as epan adds a frame length passed as an int, the start moved only by a
// frame earlier than it and the stop by a later one. fast_conversations.cpp copies the
// rows into epan's own tables at the end (one hash insertion per row instead of one
// lookup per frame). No epan here (wsutil's nstime only): it runs beside epan's start.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

#include <wsutil/nstime.h>

#include "flow_ids.h"
#include "frame_headers.h"
#include "key_index.h"
#include "port_use.h"

namespace ss::fast {

enum class TableKind : std::uint8_t { Eth, Ip, Ipv6, Tcp, Udp };

struct TableRequest {
    TableKind table;
    bool endpoints;
};

using AddressBytes = std::array<std::uint8_t, 16>;

struct ConversationRow {
    AddressBytes src{}, dst{};
    std::uint8_t addressBytes = 0; // 6 (Ethernet), 4 or 16
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t stream = 0;
    bool srcFirst = false; // the first frame's orientation (see RowTable)
    std::uint64_t firstFrame = 0;
    std::uint64_t txFrames = 0, rxFrames = 0, txBytes = 0, rxBytes = 0;
    nstime_t start{}, stop{}, startAbs{};
};

struct EndpointRow {
    AddressBytes address{};
    std::uint8_t addressBytes = 0;
    std::uint16_t port = 0;
    std::uint64_t txFrames = 0, rxFrames = 0, txBytes = 0, rxBytes = 0;
};

// A row's key: both endpoints, both ports, the stream and the address size (48 bytes).
using RowIndex = KeyIndex<6>;

struct RowTable {
    TableRequest request;
    std::vector<ConversationRow> conversations;
    std::vector<EndpointRow> endpoints;
    RowIndex index;
    // TCP and UDP conversations: the row of each stream (a stream is one address and port
    // pair, flow_ids.h), so a frame finds its row without a second hash lookup.
    bool byStream = false;
    std::vector<std::uint32_t> rowOfStream;
    // Endpoints: the conversation table they are summed from once the frames are counted
    // (>= 0 a requested one, else hidden table -1 - source).
    int source = 0;
};

class ConversationRows {
public:
    explicit ConversationRows(const std::vector<TableRequest>& requests);

    // Counts one walked frame, numbered from 1 (times as epan gives them: relative to the
    // first frame).
    void add(const FrameHeaders& h, std::uint64_t frame, std::uint32_t frameLength, const nstime_t& rel,
             const nstime_t& abs);

    // The key a frame's flow hashes by when the frames are counted in parts (on several
    // threads, each reading the whole file and counting the frames of its part): the
    // unordered pair of (address, port) endpoints — the quoted flow's for an ICMP error —,
    // so that every frame that numbers a TCP or UDP stream is counted by the same part (the
    // walk refuses fragments); the address pair for other IP; 0 without IP.
    static std::uint64_t partKey(const FrameHeaders& h);
    // The rows of parts counted with the same requests (before finish()), as one count of
    // every frame would have made them: streams renumbered in the order they started, rows in
    // the order of their first frames, a row counted by several parts (an Ethernet or address
    // pair) summed.
    static std::unique_ptr<ConversationRows> merge(std::vector<std::unique_ptr<ConversationRows>> parts);

    const std::vector<RowTable>& tables() const { return tables_; }
    // Sums the endpoint tables from the conversation rows; the port pairs are sorted. Call
    // once, after the last frame.
    void finish();
    // TCP and UDP ports seen (the caller checks what epan would hand them to).
    const PortUse& ports() const { return ports_; }
    // Port pairs of segments and datagrams whose payload looks like what epan's enabled
    // heuristic dissectors read as packets inside (OmniPeek remote, RFtap, E100, Redback LI,
    // rpcap) or as SIP (whose SDP sets up other flows): they matter when epan gives neither
    // port to a dissector. `suspectsOverflow`
    // once there were more than kMaxSuspects.
    struct Suspect {
        bool tcp;
        std::uint16_t srcPort, dstPort;
        std::uint64_t frame;
    };
    static constexpr std::size_t kMaxSuspects = 4096;
    const std::vector<Suspect>& suspects() const { return suspects_; }
    bool suspectsOverflow() const { return suspectsOverflow_; }

private:
    struct Frame {
        std::uint64_t number;
        std::uint32_t length;
        const nstime_t& rel;
        const nstime_t& abs;
    };
    void addConversation(RowTable& t, const std::uint8_t* src, const std::uint8_t* dst, int bytes,
                         std::uint16_t sp, std::uint16_t dp, std::uint32_t stream, const Frame& f);
    void count(RowTable& t, const FrameHeaders& h, std::uint32_t stream, const Frame& f);
    static void sumEndpoints(RowTable& t, const RowTable& conversations);
    static void mergeRows(RowTable& into, std::vector<ConversationRow>&& rows);

    std::vector<RowTable> tables_;
    std::vector<RowTable> hidden_; // conversations counted only to sum endpoints from
    FlowIds ids_;
    std::vector<std::uint64_t> tcpStarts_, udpStarts_; // each stream's first frame
    std::vector<Suspect> suspects_;
    bool suspectsOverflow_ = false;
    bool tcpStreams_ = false, udpStreams_ = false; // numbered only for a conversation table that keys on them
    PortUse ports_;
};

} // namespace ss::fast
