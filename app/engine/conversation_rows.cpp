// SPDX-License-Identifier: GPL-2.0-or-later
#include "conversation_rows.h"

#include <cstring>

namespace ss::fast {
namespace {

std::uint64_t hashKey(const RowIndex::Key& k)
{
    std::uint64_t h = 0x243f6a8885a308d3ull;
    for (const std::uint64_t w : k) {
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    return h;
}

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

std::uint32_t be32(const std::uint8_t* p) { return std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// Redback LI's test (packet-redbackli.c): AVPs of known types up to the end-of-header one,
// with a sequence number, a LIID and a session id among them. Bytes past the captured ones
// count as not matching (epan would stop there too, on an exception).
bool redbackLi(const std::uint8_t* p, std::uint32_t n)
{
    if (n < 20)
        return false;
    unsigned found = 0;
    std::uint32_t at = 0;
    for (std::int64_t left = n; left > 2;) {
        if (at + 2 > n)
            return false;
        const unsigned type = p[at], len = p[at + 1];
        if (type >= 1 && type <= 3) {
            if (len != 4)
                return false;
            found |= 1u << type;
        } else if (type == 0) {
            if (len > 1 || at == 0)
                return false;
            break;
        } else if (type != 4 && type != 20 && type != 40) {
            return false;
        }
        at += 2 + len;
        left -= 2 + len;
    }
    return (found & 0x0e) == 0x0e;
}

// The tests of epan 4.0's enabled heuristic dissectors that find packets inside a TCP or
// UDP payload (packet-peekremote.c, packet-rftap.c, packet-e100.c, packet-redbackli.c,
// packet-rpcap.c), each as strict as epan's or looser: a payload that passes may be theirs.
bool mayCarryPackets(const FrameHeaders& h)
{
    const std::uint8_t* p = h.payload;
    const std::uint32_t n = h.payloadCaptured;
    if (n >= 4 && p[0] == 0x00 && p[1] == 0xff && p[2] == 0xab && p[3] == 0xcd)
        return true; // OmniPeek remote
    if (n >= 4 && std::memcmp(p, "RFta", 4) == 0)
        return true;
    if (n >= 28 && p[0] == 1 && be32(p + 20) == h.payloadReported - 28)
        return true; // E100
    if (n >= 20 && p[0] == 0 && p[1] == 7 && be32(p + 4) >= 20 && be32(p + 16) == be32(p + 4) - 20)
        return true; // an rpcap packet message
    return h.transport == 17 && redbackLi(p, n);
}

} // namespace

std::uint32_t RowIndex::findOrAdd(const Key& key, std::uint32_t next, bool* added)
{
    if ((used_ + 1) * 2 > slots_.size())
        grow();
    const std::uint64_t h = hashKey(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        Slot& s = slots_[i];
        if (!s.used) {
            s = {h, next, true};
            ++used_;
            keys_.push_back(key);
            *added = true;
            return next;
        }
        if (s.hash == h && keys_[s.row] == key) {
            *added = false;
            return s.row;
        }
    }
}

void RowIndex::grow()
{
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (!s.used)
            continue;
        std::size_t i = s.hash & mask;
        while (slots_[i].used)
            i = (i + 1) & mask;
        slots_[i] = s;
    }
}

ConversationRows::ConversationRows(const std::vector<TableRequest>& requests)
{
    for (const auto& r : requests) {
        tables_.push_back(RowTable{r, {}, {}, {}});
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
    const RowIndex::Key key = srcFirst ? makeKey(src, dst, bytes, sp, dp, stream) : makeKey(dst, src, bytes, dp, sp, stream);
    bool added = false;
    const std::uint32_t i = t.index.findOrAdd(key, std::uint32_t(t.conversations.size()), &added);
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
    const std::uint32_t i = t.index.findOrAdd(makeKey(address, kNone, bytes, port, 0, 0),
                                              std::uint32_t(t.endpoints.size()), &added);
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
    if (h.quotedTcp.present && tcpStreams_) {
        const auto& q = h.quotedTcp;
        ids_.tcp({q.src, q.dst, q.ipVersion == 6 ? 16 : 4, q.srcPort, q.dstPort}, q.seq, q.ack, q.flags, true);
    }
    std::uint32_t stream = 0;
    const Endpoints ends{h.ipSrc, h.ipDst, ipBytes, h.srcPort, h.dstPort};
    if (h.transport == 6) {
        if (tcpStreams_)
            stream = ids_.tcp(ends, h.seq, h.ack, h.tcpFlags, false);
        tcpPorts_->set(h.srcPort);
        tcpPorts_->set(h.dstPort);
    } else if (h.transport == 17) {
        if (udpStreams_)
            stream = ids_.udp(ends);
        udpPorts_->set(h.srcPort);
        udpPorts_->set(h.dstPort);
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
