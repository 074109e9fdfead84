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
                                       std::uint16_t sp, std::uint16_t dp, std::uint32_t stream, const Frame& f)
{
    const std::uint32_t length = f.length;
    const nstime_t& rel = f.rel;
    const nstime_t& abs = f.abs;
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
        row.firstFrame = f.number;
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

void ConversationRows::add(const FrameHeaders& h, std::uint64_t frame, std::uint32_t length, const nstime_t& rel,
                           const nstime_t& abs)
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
    tcpStarts_.resize(ids_.tcpCount(), frame);
    udpStarts_.resize(ids_.udpCount(), frame);
    if (h.transport && h.payloadCaptured && mayCarryPackets(h)) {
        if (suspects_.size() < kMaxSuspects)
            suspects_.push_back({h.transport == 6, h.srcPort, h.dstPort, frame});
        else
            suspectsOverflow_ = true;
    }
    const Frame f{frame, length, rel, abs};
    for (RowTable& t : tables_)
        if (!t.request.endpoints)
            count(t, h, stream, f);
    for (RowTable& t : hidden_)
        count(t, h, stream, f);
}

void ConversationRows::count(RowTable& t, const FrameHeaders& h, std::uint32_t stream, const Frame& f)
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
    addConversation(t, src, dst, bytes, sp, dp, t.byStream ? stream : 0, f);
}

std::uint64_t ConversationRows::partKey(const FrameHeaders& h)
{
    const std::uint8_t* a = h.ipSrc;
    const std::uint8_t* b = h.ipDst;
    int version = h.ipVersion;
    std::uint16_t pa = h.srcPort, pb = h.dstPort;
    if (h.quoted.present) {
        const auto& q = h.quoted;
        a = q.src, b = q.dst, version = q.ipVersion, pa = q.srcPort, pb = q.dstPort;
    } else if (!h.transport) {
        pa = pb = 0;
    }
    if (!version || !a || !b)
        return 0;
    auto mix = [version](const std::uint8_t* p, std::uint16_t port) {
        std::uint64_t w0 = 0, w1 = 0;
        if (version == 6) {
            std::memcpy(&w0, p, 8);
            std::memcpy(&w1, p + 8, 8);
        } else {
            std::uint32_t v4;
            std::memcpy(&v4, p, 4);
            w0 = v4;
        }
        const std::uint64_t x = (w0 ^ (w1 * 0xc2b2ae3d27d4eb4full) ^ port) * 0x9e3779b97f4a7c15ull;
        return x ^ (x >> 31);
    };
    std::uint64_t k = mix(a, pa) + mix(b, pb); // the same both ways
    k = (k ^ (k >> 33)) * 0xff51afd7ed558ccdull;
    return k ^ (k >> 33);
}

// Rows of several parts, in the order of their first frames, into an empty table; a row
// counted by several parts is one row (a table keyed by stream has none such: a stream is
// counted by one part).
void ConversationRows::mergeRows(RowTable& into, std::vector<ConversationRow>&& rows)
{
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ConversationRow& a, const ConversationRow& b) { return a.firstFrame < b.firstFrame; });
    if (into.byStream) {
        into.conversations = std::move(rows);
        return;
    }
    for (ConversationRow& r : rows) {
        const int n = r.addressBytes;
        const RowIndex::Key key = r.srcFirst ? makeKey(r.src.data(), r.dst.data(), n, r.srcPort, r.dstPort, r.stream)
                                             : makeKey(r.dst.data(), r.src.data(), n, r.dstPort, r.srcPort, r.stream);
        bool added = false;
        const std::uint32_t i = into.index.findOrAdd(key, &added);
        if (added) {
            into.conversations.push_back(r);
            continue;
        }
        ConversationRow& row = into.conversations[i]; // counted first: its orientation stays
        const bool same = r.srcFirst == row.srcFirst;
        row.txFrames += same ? r.txFrames : r.rxFrames;
        row.rxFrames += same ? r.rxFrames : r.txFrames;
        row.txBytes += same ? r.txBytes : r.rxBytes;
        row.rxBytes += same ? r.rxBytes : r.txBytes;
        if (nstime_cmp(&r.stop, &row.stop) > 0)
            row.stop = r.stop;
        if (nstime_cmp(&r.start, &row.start) < 0) {
            row.start = r.start;
            row.startAbs = r.startAbs;
        }
    }
}

std::unique_ptr<ConversationRows> ConversationRows::merge(std::vector<std::unique_ptr<ConversationRows>> parts)
{
    std::unique_ptr<ConversationRows> out = std::move(parts.at(0));
    if (parts.size() == 1)
        return out;
    std::vector<ConversationRows*> all{out.get()};
    for (std::size_t p = 1; p < parts.size(); ++p)
        all.push_back(parts[p].get());

    // Each part's stream numbers → the file's: streams numbered in the order they started.
    using Starts = std::vector<std::uint64_t> ConversationRows::*;
    auto renumber = [&all](Starts starts) {
        struct Start {
            std::uint64_t frame;
            std::uint32_t part, local;
        };
        std::vector<Start> order;
        std::vector<std::vector<std::uint32_t>> map(all.size());
        for (std::uint32_t p = 0; p < all.size(); ++p) {
            const auto& s = all[p]->*starts;
            map[p].resize(s.size());
            for (std::uint32_t i = 0; i < s.size(); ++i)
                order.push_back({s[i], p, i});
        }
        std::sort(order.begin(), order.end(), [](const Start& a, const Start& b) {
            return a.frame != b.frame ? a.frame < b.frame : a.part != b.part ? a.part < b.part : a.local < b.local;
        });
        std::vector<std::uint64_t> merged;
        for (const Start& s : order) {
            map[s.part][s.local] = std::uint32_t(merged.size());
            merged.push_back(s.frame);
        }
        return std::make_pair(std::move(map), std::move(merged));
    };
    auto tcp = renumber(&ConversationRows::tcpStarts_); // (each part's map, the starts)
    auto udp = renumber(&ConversationRows::udpStarts_);

    auto mergeTables = [&](std::vector<RowTable> ConversationRows::*tables) {
        for (std::size_t t = 0; t < (out.get()->*tables).size(); ++t) {
            RowTable& target = (out.get()->*tables)[t];
            if (target.request.endpoints)
                continue; // summed from the conversations in finish()
            std::vector<ConversationRow> rows;
            for (std::size_t p = 0; p < all.size(); ++p) {
                const auto& map = target.request.table == TableKind::Tcp ? tcp.first[p] : udp.first[p];
                for (ConversationRow r : (all[p]->*tables).at(t).conversations) {
                    if (target.byStream)
                        r.stream = map.at(r.stream);
                    rows.push_back(r);
                }
            }
            RowTable merged;
            merged.request = target.request;
            merged.byStream = target.byStream;
            merged.source = target.source;
            mergeRows(merged, std::move(rows));
            target = std::move(merged);
        }
    };
    mergeTables(&ConversationRows::tables_);
    mergeTables(&ConversationRows::hidden_);

    std::vector<Suspect> suspects;
    bool overflow = false;
    for (ConversationRows* p : all) {
        suspects.insert(suspects.end(), p->suspects_.begin(), p->suspects_.end());
        overflow = overflow || p->suspectsOverflow_;
        if (p != out.get())
            out->ports_.merge(p->ports_);
    }
    std::stable_sort(suspects.begin(), suspects.end(),
                     [](const Suspect& a, const Suspect& b) { return a.frame < b.frame; });
    if (suspects.size() > kMaxSuspects) {
        suspects.resize(kMaxSuspects);
        overflow = true;
    }
    out->suspects_ = std::move(suspects);
    out->suspectsOverflow_ = overflow;
    out->tcpStarts_ = std::move(tcp.second);
    out->udpStarts_ = std::move(udp.second);
    out->ids_ = FlowIds{}; // the parts' numbering: no frame is counted after a merge
    return out;
}

} // namespace ss::fast
