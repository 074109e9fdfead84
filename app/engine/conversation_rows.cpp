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

// An endpoint table is the sum of a conversation table of the same kind: each row adds its
// frames and bytes to both of its endpoints (to one endpoint twice when both are the same,
// as epan adds a frame to its source and then to its destination). Rows are in the order
// of their first frames, and an endpoint first appears in the first frame of the first row
// that holds it — source, then destination — so summing rows in order gives epan's order.
ConversationRows::ConversationRows(const std::vector<TableRequest>& requests)
{
    for (const auto& r : requests) {
        RowTable t;
        t.request = r;
        t.byStream = !r.endpoints && (r.table == TableKind::Tcp || r.table == TableKind::Udp);
        tables_.push_back(std::move(t));
        tcpStreams_ = tcpStreams_ || (r.table == TableKind::Tcp && !r.endpoints);
        udpStreams_ = udpStreams_ || (r.table == TableKind::Udp && !r.endpoints);
    }
    for (RowTable& t : tables_) {
        if (!t.request.endpoints)
            continue;
        const auto same = std::find_if(tables_.begin(), tables_.end(), [&](const RowTable& c) {
            return !c.request.endpoints && c.request.table == t.request.table;
        });
        if (same != tables_.end()) {
            t.source = int(same - tables_.begin());
            continue;
        }
        const auto hidden = std::find_if(hidden_.begin(), hidden_.end(),
                                         [&](const RowTable& c) { return c.request.table == t.request.table; });
        const int at = int(hidden - hidden_.begin());
        if (hidden == hidden_.end()) {
            RowTable c;
            c.request = {t.request.table, false};
            hidden_.push_back(std::move(c)); // by address and port pair: streams do not matter to a sum
        }
        t.source = -1 - at;
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
    if (t.byStream) {
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

void ConversationRows::sumEndpoints(RowTable& t, const RowTable& conversations)
{
    static const std::uint8_t kNone[16] = {};
    auto add = [&t](const AddressBytes& address, int bytes, std::uint16_t port, std::uint64_t txFrames,
                    std::uint64_t txBytes, std::uint64_t rxFrames, std::uint64_t rxBytes) {
        bool added = false;
        const std::uint32_t i = t.index.findOrAdd(makeKey(address.data(), kNone, bytes, port, 0, 0), &added);
        if (added) {
            EndpointRow row;
            row.address = address;
            row.addressBytes = std::uint8_t(bytes);
            row.port = port;
            t.endpoints.push_back(row);
        }
        EndpointRow& row = t.endpoints[i];
        row.txFrames += txFrames;
        row.txBytes += txBytes;
        row.rxFrames += rxFrames;
        row.rxBytes += rxBytes;
    };
    for (const ConversationRow& r : conversations.conversations) {
        add(r.src, r.addressBytes, r.srcPort, r.txFrames, r.txBytes, r.rxFrames, r.rxBytes);
        add(r.dst, r.addressBytes, r.dstPort, r.rxFrames, r.rxBytes, r.txFrames, r.txBytes);
    }
}

void ConversationRows::finish()
{
    ports_.finish();
    for (RowTable& t : tables_)
        if (t.request.endpoints)
            sumEndpoints(t, t.source >= 0 ? tables_[std::size_t(t.source)] : hidden_[std::size_t(-1 - t.source)]);
    hidden_.clear();
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
    for (RowTable& t : tables_)
        if (!t.request.endpoints)
            count(t, h, stream, length, rel, abs);
    for (RowTable& t : hidden_)
        count(t, h, stream, length, rel, abs);
}

void ConversationRows::count(RowTable& t, const FrameHeaders& h, std::uint32_t stream, std::uint32_t length,
                             const nstime_t& rel, const nstime_t& abs)
{
    const std::uint8_t* src = nullptr;
    const std::uint8_t* dst = nullptr;
    int bytes = h.ipVersion == 6 ? 16 : 4;
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
        return;
    const std::uint16_t sp = ports ? h.srcPort : 0, dp = ports ? h.dstPort : 0;
    addConversation(t, src, dst, bytes, sp, dp, t.byStream ? stream : 0, length, rel, abs);
}

} // namespace ss::fast
