// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_rows.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace ss::fast {
namespace {

// Both endpoints (the smaller first), both ports, the stream and the address size.
RowIndex::Key makeKey(const std::uint8_t* a, const std::uint8_t* b, int bytes, std::uint16_t pa, std::uint16_t pb,
                      std::uint32_t stream)
{
    RowIndex::Key k{};
    auto* p = reinterpret_cast<std::uint8_t*>(k.data());
    std::memcpy(p, a, std::size_t(bytes));
    std::memcpy(p + 16, b, std::size_t(bytes));
    std::memcpy(p + 32, &pa, 2);
    std::memcpy(p + 34, &pb, 2);
    std::memcpy(p + 36, &stream, 4);
    p[40] = std::uint8_t(bytes);
    return k;
}

// epan passes a frame's length to its tables as an int and adds that to 64-bit counters.
std::uint64_t asEpanAddsIt(std::uint32_t length)
{
    return std::uint64_t(std::int64_t(std::int32_t(length)));
}

} // namespace

ConversationRows::ConversationRows(const std::vector<TableRequest>& requests)
{
    for (const auto& r : requests) {
        tables_.push_back(RowTable{r, {}, {}, {}, {}});
        tcpStreams_ = tcpStreams_ || (r.table == TableKind::Tcp && !r.endpoints);
        udpStreams_ = udpStreams_ || (r.table == TableKind::Udp && !r.endpoints);
    }
}

void ConversationRows::addConversation(RowTable& t, const std::uint8_t* src, const std::uint8_t* dst, int bytes,
                                       std::uint16_t sp, std::uint16_t dp, std::uint32_t stream,
                                       std::uint32_t length, const nstime_t& rel, const nstime_t& abs)
{
    const int c = std::memcmp(src, dst, std::size_t(bytes));
    const bool srcFirst = c < 0 || (c == 0 && sp <= dp);
    bool added = false;
    std::uint32_t i;
    if (t.request.table == TableKind::Tcp || t.request.table == TableKind::Udp) {
        constexpr std::uint32_t kNoRow = 0xffffffffu;
        if (stream >= t.rowOfStream.size())
            t.rowOfStream.resize(std::max<std::size_t>(stream + 1, t.rowOfStream.size() * 2), kNoRow);
        std::uint32_t& row = t.rowOfStream[stream];
        added = row == kNoRow;
        if (added)
            row = std::uint32_t(t.conversations.size());
        i = row;
    } else {
        const RowIndex::Key key =
            srcFirst ? makeKey(src, dst, bytes, sp, dp, stream) : makeKey(dst, src, bytes, dp, sp, stream);
        i = t.index.findOrAdd(key, &added);
    }
    if (added) {
        ConversationRow row;
        std::memcpy(row.src.data(), src, std::size_t(bytes));
        std::memcpy(row.dst.data(), dst, std::size_t(bytes));
        row.addressBytes = std::uint8_t(bytes);
        row.srcPort = sp;
        row.dstPort = dp;
        row.stream = stream;
        row.srcFirst = srcFirst;
        row.txFrames = 1;
        row.txBytes = asEpanAddsIt(length);
        row.start = row.stop = rel;
        row.startAbs = abs;
        t.conversations.push_back(row);
        return;
    }
    ConversationRow& row = t.conversations[i];
    if (srcFirst == row.srcFirst) {
        ++row.txFrames;
        row.txBytes += asEpanAddsIt(length);
    } else {
        ++row.rxFrames;
        row.rxBytes += asEpanAddsIt(length);
    }
    if (nstime_cmp(&rel, &row.stop) > 0) {
        row.stop = rel;
    } else if (nstime_cmp(&rel, &row.start) < 0) {
        row.start = rel;
        row.startAbs = abs;
    }
}

void ConversationRows::addEndpoint(RowTable& t, const std::uint8_t* address, int bytes, std::uint16_t port,
                                   bool sender, std::uint32_t length)
{
    static const std::uint8_t kNone[16] = {};
    bool added = false;
    const std::uint32_t i = t.index.findOrAdd(makeKey(address, kNone, bytes, port, 0, 0), &added);
    if (added) {
        EndpointRow row;
        std::memcpy(row.address.data(), address, std::size_t(bytes));
        row.addressBytes = std::uint8_t(bytes);
        row.port = port;
        t.endpoints.push_back(row);
    }
    EndpointRow& row = t.endpoints[i];
    if (sender) {
        ++row.txFrames;
        row.txBytes += asEpanAddsIt(length);
    } else {
        ++row.rxFrames;
        row.rxBytes += asEpanAddsIt(length);
    }
}

void ConversationRows::add(const FrameHeaders& h, std::uint32_t length, const nstime_t& rel, const nstime_t& abs)
{
    const int ipBytes = h.ipVersion == 6 ? 16 : 4;
    if (h.quoted.present && h.quoted.transport == 6 && tcpStreams_) {
        const auto& q = h.quoted;
        ids_.tcp({q.src, q.dst, q.ipVersion == 6 ? 16 : 4, q.srcPort, q.dstPort}, q.seq, q.ack, q.flags, true);
    }
    std::uint32_t stream = 0;
    const Endpoints ends{h.ipSrc, h.ipDst, ipBytes, h.srcPort, h.dstPort};
    if (h.transport == 6) {
        if (tcpStreams_)
            stream = ids_.tcp(ends, h.seq, h.ack, h.tcpFlags, false);
        ports_.tcp(h.srcPort, h.dstPort);
    } else if (h.transport == 17) {
        if (udpStreams_)
            stream = ids_.udp(ends);
        ports_.udp(h.srcPort, h.dstPort, h.payloadCaptured);
    }
    if (h.transport && h.payloadCaptured && mayCarryPackets(h)) {
        if (suspects_.size() < kMaxSuspects)
            suspects_.push_back({h.transport == 6, h.srcPort, h.dstPort});
        else
            suspectsOverflow_ = true;
    }
    for (RowTable& t : tables_) {
        const std::uint8_t* src = nullptr;
        const std::uint8_t* dst = nullptr;
        int bytes = ipBytes;
        bool ports = false;
        switch (t.request.table) {
        case TableKind::Eth:
            src = h.ethSrc, dst = h.ethDst, bytes = 6;
            break;
        case TableKind::Ip:
        case TableKind::Ipv6:
            if (h.ipVersion == (t.request.table == TableKind::Ip ? 4 : 6))
                src = h.ipSrc, dst = h.ipDst;
            break;
        case TableKind::Tcp:
        case TableKind::Udp:
            if (h.transport == (t.request.table == TableKind::Tcp ? 6 : 17))
                src = h.ipSrc, dst = h.ipDst, ports = true;
            break;
        }
        if (!src)
            continue;
        const std::uint16_t sp = ports ? h.srcPort : 0, dp = ports ? h.dstPort : 0;
        if (t.request.endpoints) {
            addEndpoint(t, src, bytes, sp, true, length);
            addEndpoint(t, dst, bytes, dp, false, length);
        } else {
            addConversation(t, src, dst, bytes, sp, dp, ports ? stream : 0, length, rel, abs);
        }
    }
}

} // namespace ss::fast
