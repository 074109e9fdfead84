// SPDX-License-Identifier: GPL-2.0-or-later
#include "frame_headers.h"

#include <cstring>
#include <string_view>

namespace ss::fast {
namespace {

std::uint16_t be16(const std::uint8_t* p) { return std::uint16_t(p[0] << 8 | p[1]); }
std::uint32_t be32(const std::uint8_t* p) { return std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// A view of the bytes from one header on: what was captured and what the frame (or the
// enclosing header's length) says is there.
struct Span {
    const std::uint8_t* p;
    std::uint32_t captured;
    std::uint32_t reported;
    Span from(std::uint32_t n) const
    {
        return {p + n, captured > n ? captured - n : 0, reported > n ? reported - n : 0};
    }
    // Limits to `len` reported bytes (an IP or UDP length smaller than the frame: a trailer).
    Span upTo(std::uint32_t len) const
    {
        return {p, captured < len ? captured : len, reported < len ? reported : len};
    }
};

constexpr int kIcmp = 1, kIgmp = 2, kTcp = 6, kUdp = 17, kIcmpv6 = 58, kNoNext = 59, kOspf = 89, kVrrp = 112;

const char* walkIp(Span s, FrameHeaders& out);

const char* walkTransport(int proto, Span s, FrameHeaders& out)
{
    if (proto == kTcp) {
        if (s.captured < 20)
            return "a TCP header cut short";
        const std::uint32_t hlen = (s.p[12] >> 4) * 4u;
        if (hlen < 20)
            return "a TCP header length under 20";
        if (s.captured < hlen || s.reported < hlen)
            return "TCP options cut short";
        out.transport = kTcp;
        out.srcPort = be16(s.p);
        out.dstPort = be16(s.p + 2);
        out.seq = be32(s.p + 4);
        out.ack = be32(s.p + 8);
        out.tcpFlags = be16(s.p + 12) & 0x0fff;
        const Span payload = s.from(hlen);
        out.payload = payload.p;
        out.payloadCaptured = payload.captured;
        out.payloadReported = payload.reported;
        return nullptr;
    }
    if (proto == kUdp) {
        if (s.captured < 8)
            return "a UDP header cut short";
        const std::uint32_t ulen = be16(s.p + 4);
        if (ulen < 8 || ulen > s.reported)
            return "a UDP length that disagrees with IP's";
        out.transport = kUdp;
        out.srcPort = be16(s.p);
        out.dstPort = be16(s.p + 2);
        const Span payload = s.upTo(ulen).from(8);
        out.payload = payload.p;
        out.payloadCaptured = payload.captured;
        out.payloadReported = payload.reported;
        return nullptr;
    }
    return "an IP protocol the fast path does not know";
}

// The packet an ICMP or ICMPv6 error quotes. epan dissects it as an error packet: no tap
// counts it, but a quoted TCP header still goes through TCP's conversation lookup.
const char* walkQuoted(int version, Span s, FrameHeaders& out)
{
    int proto = 0;
    Span l4{};
    const std::uint8_t* src = nullptr;
    const std::uint8_t* dst = nullptr;
    if (version == 4) {
        if (s.captured < 20 || (s.p[0] >> 4) != 4)
            return nullptr; // too little quoted for TCP to be reached
        const std::uint32_t hlen = (s.p[0] & 0x0f) * 4u;
        if (hlen < 20 || (be16(s.p + 6) & 0x1fff) != 0)
            return "an ICMP error quoting an unusual IPv4 header";
        proto = s.p[9];
        src = s.p + 12;
        dst = s.p + 16;
        l4 = s.from(hlen);
    } else {
        if (s.captured < 40 || (s.p[0] >> 4) != 6)
            return nullptr;
        proto = s.p[6];
        src = s.p + 8;
        dst = s.p + 24;
        l4 = s.from(40);
        if (proto != kTcp && proto != kUdp && proto != kIcmpv6 && proto != kNoNext)
            return "an ICMPv6 error quoting an extension header";
    }
    if (!((proto == kTcp && l4.captured >= 14) || (proto == kUdp && l4.captured >= 4)))
        return nullptr;
    auto& q = out.quoted;
    q.present = true;
    q.transport = proto;
    q.ipVersion = version;
    q.src = src;
    q.dst = dst;
    q.srcPort = be16(l4.p);
    q.dstPort = be16(l4.p + 2);
    if (proto == kTcp) {
        q.seq = be32(l4.p + 4);
        q.ack = be32(l4.p + 8);
        q.flags = be16(l4.p + 12) & 0x0fff;
    }
    return nullptr;
}

const char* walkIpv4(Span s, FrameHeaders& out)
{
    if (s.captured < 20)
        return "an IPv4 header cut short";
    const std::uint32_t hlen = (s.p[0] & 0x0f) * 4u;
    const std::uint32_t total = be16(s.p + 2);
    if (hlen < 20 || s.captured < hlen)
        return "IPv4 options cut short";
    if (total < hlen || total > s.reported)
        return "an IPv4 total length that disagrees with the frame";
    if (be16(s.p + 6) & 0x3fff)
        return "an IPv4 fragment";
    out.ipVersion = 4;
    out.ipSrc = s.p + 12;
    out.ipDst = s.p + 16;
    const int proto = s.p[9];
    const Span payload = s.upTo(total).from(hlen);
    switch (proto) {
    case kTcp:
    case kUdp:
        return walkTransport(proto, payload, out);
    case kIcmp:
        if (payload.captured >= 8) {
            const int type = payload.p[0];
            if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)
                return walkQuoted(4, payload.from(8), out);
        }
        return nullptr;
    case kIgmp:
    case kOspf:
    case kVrrp:
        return nullptr;
    default:
        return "an IP protocol the fast path does not know";
    }
}

const char* walkIpv6(Span s, FrameHeaders& out)
{
    if (s.captured < 40)
        return "an IPv6 header cut short";
    const std::uint32_t plen = be16(s.p + 4);
    if (plen == 0 || 40 + plen > s.reported)
        return "an IPv6 payload length that disagrees with the frame";
    out.ipVersion = 6;
    out.ipSrc = s.p + 8;
    out.ipDst = s.p + 24;
    int next = s.p[6];
    Span rest = s.upTo(40 + plen).from(40);
    // Hop-by-hop and destination options are skipped as epan skips them; every other
    // extension header (routing, fragment, AH, ESP, mobility...) goes to epan.
    for (int n = 0; next == 0 || next == 60; ++n) {
        if (n == 4 || rest.captured < 8)
            return "IPv6 extension headers the fast path does not follow";
        const std::uint32_t len = (rest.p[1] + 1u) * 8u;
        if (rest.captured < len || rest.reported < len)
            return "an IPv6 extension header cut short";
        next = rest.p[0];
        rest = rest.from(len);
    }
    switch (next) {
    case kTcp:
    case kUdp:
        return walkTransport(next, rest, out);
    case kIcmpv6:
        if (rest.captured >= 8) {
            const int type = rest.p[0];
            if (type >= 1 && type <= 4)
                return walkQuoted(6, rest.from(8), out);
            if (type == 137)
                return "an ICMPv6 redirect (it quotes a packet)";
        }
        return nullptr;
    case kNoNext:
        return nullptr;
    default:
        return "an IPv6 next header the fast path does not know";
    }
}

const char* walkIp(Span s, FrameHeaders& out)
{
    if (s.captured < 1)
        return "an IP header cut short";
    switch (s.p[0] >> 4) {
    case 4:
        return walkIpv4(s, out);
    case 6:
        return walkIpv6(s, out);
    default:
        return "an IP version other than 4 or 6";
    }
}

const char* walkEthernet(Span s, FrameHeaders& out)
{
    if (s.captured < 14)
        return "an Ethernet header cut short";
    out.ethDst = s.p;
    out.ethSrc = s.p + 6;
    std::uint16_t type = be16(s.p + 12);
    Span rest = s.from(14);
    for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; ++tags) {
        if (tags == 2 || rest.captured < 4)
            return "VLAN tags the fast path does not follow";
        type = be16(rest.p + 2);
        rest = rest.from(4);
    }
    switch (type) {
    case 0x0800:
        if (rest.captured >= 1 && (rest.p[0] >> 4) != 4)
            return "an IPv4 ethertype on another IP version";
        return walkIp(rest, out);
    case 0x86dd:
        if (rest.captured >= 1 && (rest.p[0] >> 4) != 6)
            return "an IPv6 ethertype on another IP version";
        return walkIp(rest, out);
    case 0x0806:
        return nullptr; // ARP: a leaf
    default:
        return type <= 1500 ? "an IEEE 802.3 length field (LLC)" : "an ethertype the fast path does not know";
    }
}

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

} // namespace

// The first tests of packet-peekremote.c, packet-rftap.c, packet-e100.c, packet-redbackli.c
// and packet-rpcap.c (packet messages), and SIP's request or status line.
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
    if (h.transport == 17 && redbackLi(p, n))
        return true;
    // SIP's heuristic (on ports no dissector has): a request or status line; what SDP in it
    // sets up (RTP flows) changes how epan numbers other flows.
    const std::string_view text(reinterpret_cast<const char*>(p), n);
    const std::string_view line = text.substr(0, text.find('\n'));
    return line.rfind("SIP/2.0", 0) == 0 || line.find(" SIP/2.0") != std::string_view::npos;
}

const char* walkFrame(LinkType link, const std::uint8_t* data, std::uint32_t captured, std::uint32_t reported,
                      FrameHeaders& out)
{
    out = FrameHeaders{};
    if (captured > reported)
        return "more bytes captured than the frame's length";
    const Span s{data, captured, reported};
    return link == LinkType::Ethernet ? walkEthernet(s, out) : walkIp(s, out);
}

} // namespace ss::fast
