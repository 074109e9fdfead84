// SPDX-License-Identifier: GPL-2.0-or-later
#include "flow_match.h"

#include <arpa/inet.h>

#include <cstdlib>

namespace ss::events {
namespace {

std::uint16_t be16(const std::uint8_t* p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}

std::string address(int family, const std::uint8_t* bytes)
{
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, bytes, text, sizeof text);
    return text;
}

} // namespace

std::string FlowTuple::key() const
{
    return src + '|' + dst + '|' + l4 + '|' + std::to_string(sport) + '|' + std::to_string(dport);
}

std::optional<FlowTuple> packetTuple(const std::uint8_t* p, std::size_t length)
{
    if (length < 14)
        return std::nullopt;
    std::size_t at = 12;
    std::uint16_t etherType = be16(p + at);
    if (etherType == 0x8100 || etherType == 0x88a8) {
        if (length < 18)
            return std::nullopt;
        at += 4;
        etherType = be16(p + at);
    }
    at += 2;
    FlowTuple t;
    std::uint8_t protocol = 0;
    if (etherType == 0x0800) {
        if (length < at + 20 || (p[at] >> 4) != 4)
            return std::nullopt;
        const std::size_t headerLength = std::size_t(p[at] & 0x0f) * 4;
        if (headerLength < 20 || (be16(p + at + 6) & 0x1fff)) // later fragments carry no ports
            return std::nullopt;
        protocol = p[at + 9];
        t.src = address(AF_INET, p + at + 12);
        t.dst = address(AF_INET, p + at + 16);
        at += headerLength;
    } else if (etherType == 0x86dd) {
        if (length < at + 40)
            return std::nullopt;
        protocol = p[at + 6]; // extension headers are not walked: such packets stay unmatched
        t.src = address(AF_INET6, p + at + 8);
        t.dst = address(AF_INET6, p + at + 24);
        at += 40;
    } else {
        return std::nullopt;
    }
    switch (protocol) {
    case 6: t.l4 = "TCP"; break;
    case 17: t.l4 = "UDP"; break;
    case 132: t.l4 = "SCTP"; break;
    case 1: t.l4 = "ICMPv4"; return t;
    case 58: t.l4 = "ICMPv6"; return t;
    default: return std::nullopt;
    }
    if (length < at + 4)
        return std::nullopt;
    t.sport = be16(p + at);
    t.dport = be16(p + at + 2);
    return t;
}

std::optional<FlowTuple> flowTuple(const EventFields& f)
{
    const auto get = [&f](const char* key) -> std::string {
        const auto it = f.find(key);
        return it == f.end() ? std::string() : it->second;
    };
    FlowTuple t{get("ip_src"), get("ip_dst"), get("l4")};
    if (t.src.empty() || t.dst.empty() || t.l4.empty())
        return std::nullopt;
    t.sport = std::uint16_t(std::strtoul(get("port_src").c_str(), nullptr, 10));
    t.dport = std::uint16_t(std::strtoul(get("port_dst").c_str(), nullptr, 10));
    return t;
}

void FlowMatcher::addPacket(std::uint64_t packetId, std::uint64_t timestampNs, const FlowTuple& tuple)
{
    std::string key = tuple.key();
    byTuple_[key].push_back(Entry{timestampNs, packetId, false});
    byTime_.emplace(timestampNs, std::move(key));
    ++count_;
}

std::optional<std::uint64_t> FlowMatcher::claim(const FlowTuple& tuple, std::uint64_t timestampNs,
                                                std::uint64_t windowNs)
{
    const auto it = byTuple_.find(tuple.key());
    if (it == byTuple_.end())
        return std::nullopt;
    Entry* best = nullptr;
    std::uint64_t bestDistance = windowNs + 1;
    for (Entry& e : it->second) {
        const std::uint64_t distance = e.ts > timestampNs ? e.ts - timestampNs : timestampNs - e.ts;
        if (!e.taken && distance < bestDistance) {
            best = &e;
            bestDistance = distance;
        }
    }
    if (!best)
        return std::nullopt;
    best->taken = true;
    return best->id;
}

void FlowMatcher::forgetBefore(std::uint64_t timestampNs)
{
    while (!byTime_.empty() && byTime_.begin()->first < timestampNs) {
        const auto node = byTime_.begin();
        const auto list = byTuple_.find(node->second);
        if (list != byTuple_.end()) {
            auto& entries = list->second;
            for (auto e = entries.begin(); e != entries.end(); ++e)
                if (e->ts == node->first) {
                    entries.erase(e);
                    --count_;
                    break;
                }
            if (entries.empty())
                byTuple_.erase(list);
        }
        byTime_.erase(node);
    }
}

} // namespace ss::events
