// SPDX-License-Identifier: GPL-2.0-or-later
// The headers of one frame as the statistics fast path reads them (fast_conversations.h):
// Ethernet (with 802.1Q/802.1ad tags), IPv4, IPv6, TCP, UDP, and the leaves it knows carry no
// further header epan would count (ARP, ICMP, ICMPv6, IGMP, OSPF, VRRP). No epan here.
//
// The walk accepts a frame only where epan's dissectors would queue exactly the taps listed
// in FrameHeaders: anything else — fragments, tunnels by IP protocol, extension headers it
// does not skip, lengths that disagree, a header cut by the snap length, an ICMP error that
// quotes a TCP SYN — is refused with a reason, and the caller hands the file to epan.
#pragma once

#include <cstdint>
#include <string_view>

namespace ss::fast {

enum class LinkType { Ethernet, RawIp };

struct FrameHeaders {
    // Ethernet: the addresses (6 bytes each) when the frame has an Ethernet header.
    const std::uint8_t* ethSrc = nullptr;
    const std::uint8_t* ethDst = nullptr;
    // IP: version 4 or 6 (0: none); addresses of 4 or 16 bytes.
    int ipVersion = 0;
    const std::uint8_t* ipSrc = nullptr;
    const std::uint8_t* ipDst = nullptr;
    // Transport: 6 (TCP), 17 (UDP) or 0.
    int transport = 0;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    // TCP only.
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t tcpFlags = 0; // the 12 bits epan keeps (TH_MASK)
    // TCP/UDP payload (what epan hands to the port's dissector), within the captured bytes.
    const std::uint8_t* payload = nullptr;
    std::uint32_t payloadCaptured = 0;
    std::uint32_t payloadReported = 0;
    // An ICMP/ICMPv6 error that quotes a TCP header up to its flags (epan looks its
    // conversation up, and may start a new one on a quoted SYN, though it counts nothing), or
    // a UDP header's ports (`transport` 17: the flow the error is about).
    struct Quoted {
        bool present = false;
        int transport = 0;
        int ipVersion = 0;
        const std::uint8_t* src = nullptr;
        const std::uint8_t* dst = nullptr;
        std::uint16_t srcPort = 0, dstPort = 0;
        std::uint32_t seq = 0, ack = 0;
        std::uint16_t flags = 0;
    } quoted;
};

// Parses `captured` bytes of a frame whose original length is `reported`. Returns nullptr
// when the frame is one the fast path handles (headers filled), else why not (static text).
const char* walkFrame(LinkType link, const std::uint8_t* data, std::uint32_t captured, std::uint32_t reported,
                      FrameHeaders& out);

// Whether a TCP or UDP payload could be claimed by one of epan 4.0's enabled heuristic
// dissectors that find packets inside (OmniPeek remote, RFtap, E100, Redback LI, rpcap
// packet messages; each test as strict as epan's or looser), or looks like SIP (whose SDP
// sets up other flows). It matters on ports epan gives to no dissector.
bool mayCarryPackets(const FrameHeaders& h);

namespace tcp_flags {
constexpr std::uint16_t Fin = 0x001, Syn = 0x002, Rst = 0x004, Ack = 0x010;
}

} // namespace ss::fast
