// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "event_import.h"

namespace ss::events {

// The addresses, ports and transport of one packet or one Hubble flow, as Hubble prints
// them ("10.0.0.1", "fd00::1"; "TCP", "UDP", "ICMPv4", "ICMPv6"; ports 0 for ICMP).
struct FlowTuple {
    std::string src, dst, l4;
    std::uint16_t sport = 0, dport = 0;
    std::string key() const; // one string for the index: src|dst|l4|sport|dport
};

// An Ethernet frame's tuple (one VLAN tag skipped); nullopt for what is not IP, or is cut
// short before the ports.
std::optional<FlowTuple> packetTuple(const std::uint8_t* frame, std::size_t length);
// A Hubble flow's tuple from what convertEvent says of it (ip_src, ip_dst, l4, port_*).
std::optional<FlowTuple> flowTuple(const EventFields& fields);

// Hubble flows attach to the packets they describe: the packet with the same addresses,
// ports and transport in the same direction whose time is nearest the flow's, within a
// window, and that no other flow has taken. Packets are added as they are captured (or
// read) and forgotten once written; a flow that finds none stays a record of its own.
class FlowMatcher {
public:
    static constexpr std::uint64_t kWindowNs = 1'000'000'000;

    void addPacket(std::uint64_t packetId, std::uint64_t timestampNs, const FlowTuple& tuple);
    // The id of the packet `tuple` at `timestampNs` describes, now taken; nullopt: none.
    std::optional<std::uint64_t> claim(const FlowTuple& tuple, std::uint64_t timestampNs,
                                       std::uint64_t windowNs = kWindowNs);
    // Drops the packets older than `timestampNs` (written already: nothing can attach).
    void forgetBefore(std::uint64_t timestampNs);
    std::size_t size() const { return count_; }

private:
    struct Entry {
        std::uint64_t ts, id;
        bool taken;
    };
    std::unordered_map<std::string, std::vector<Entry>> byTuple_;
    std::multimap<std::uint64_t, std::string> byTime_; // oldest first, for forgetBefore
    std::size_t count_ = 0;
};

} // namespace ss::events
