// SPDX-License-Identifier: GPL-2.0-or-later
// Where two counts of the statistics fast path differ (the unit tests and
// fuzz_fast_statistics compare a count on one thread with counts split by flow
// over several).
#pragma once

#include <string>

#include "conversation_rows.h"

namespace ss::fast::testing {

inline bool sameTime(const nstime_t& a, const nstime_t& b)
{
    return nstime_cmp(&a, &b) == 0;
}

// Empty when both hold the same tables, rows, streams, counts and times in the
// same order.
inline std::string rowsDiffer(const ConversationRows& a, const ConversationRows& b)
{
    if (a.tables().size() != b.tables().size())
        return "table count";
    for (std::size_t t = 0; t < a.tables().size(); ++t) {
        const RowTable& x = a.tables()[t];
        const RowTable& y = b.tables()[t];
        const std::string where = "table " + std::to_string(t);
        if (x.conversations.size() != y.conversations.size() || x.endpoints.size() != y.endpoints.size())
            return where + ": " + std::to_string(x.conversations.size() + x.endpoints.size()) + " rows vs " +
                   std::to_string(y.conversations.size() + y.endpoints.size());
        for (std::size_t i = 0; i < x.conversations.size(); ++i) {
            const ConversationRow& r = x.conversations[i];
            const ConversationRow& s = y.conversations[i];
            if (r.src != s.src || r.dst != s.dst || r.addressBytes != s.addressBytes || r.srcPort != s.srcPort ||
                r.dstPort != s.dstPort || r.stream != s.stream || r.srcFirst != s.srcFirst ||
                r.firstFrame != s.firstFrame || r.txFrames != s.txFrames || r.rxFrames != s.rxFrames ||
                r.txBytes != s.txBytes || r.rxBytes != s.rxBytes || !sameTime(r.start, s.start) ||
                !sameTime(r.stop, s.stop) || !sameTime(r.startAbs, s.startAbs))
                return where + ", conversation " + std::to_string(i) + " (first frame " + std::to_string(r.firstFrame) +
                       " vs " + std::to_string(s.firstFrame) + ")";
        }
        for (std::size_t i = 0; i < x.endpoints.size(); ++i) {
            const EndpointRow& r = x.endpoints[i];
            const EndpointRow& s = y.endpoints[i];
            if (r.address != s.address || r.addressBytes != s.addressBytes || r.port != s.port ||
                r.txFrames != s.txFrames || r.rxFrames != s.rxFrames || r.txBytes != s.txBytes ||
                r.rxBytes != s.rxBytes)
                return where + ", endpoint " + std::to_string(i);
        }
    }
    const PortUse& p = a.ports();
    const PortUse& q = b.ports();
    if (p.tcpPorts() != q.tcpPorts() || p.udpLonePorts() != q.udpLonePorts() || p.udpPairs() != q.udpPairs() ||
        p.pairsOverflow() != q.pairsOverflow())
        return "ports seen";
    if (a.suspectsOverflow() != b.suspectsOverflow() || a.suspects().size() != b.suspects().size())
        return "suspect payloads";
    for (std::size_t i = 0; i < a.suspects().size(); ++i)
        if (a.suspects()[i].frame != b.suspects()[i].frame)
            return "suspect payload " + std::to_string(i);
    return {};
}

} // namespace ss::fast::testing
