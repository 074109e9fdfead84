// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path's header walk and stream numbering (frame_headers.h,
// flow_ids.h): what it accepts, what it hands to epan, and tcp.stream as epan 4.0 counts it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "flow_ids.h"
#include "frame_headers.h"

using namespace ss::fast;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::size_t at, unsigned v)
{
    b[at] = std::uint8_t(v >> 8);
    b[at + 1] = std::uint8_t(v);
}

// Ethernet + IPv4 + a transport header of `l4` bytes (protocol `proto`), `payload` bytes after.
Bytes ipv4Frame(int proto, std::size_t l4, std::size_t payload, unsigned ethertype = 0x0800)
{
    Bytes b(14 + 20 + l4 + payload, 0);
    put16(b, 12, ethertype);
    b[14] = 0x45;
    put16(b, 16, unsigned(20 + l4 + payload));
    b[14 + 9] = std::uint8_t(proto);
    b[14 + 12] = 10, b[14 + 15] = 1; // 10.0.0.1
    b[14 + 16] = 10, b[14 + 19] = 2; // 10.0.0.2
    if (proto == 6)
        b[34 + 12] = std::uint8_t((l4 / 4) << 4);
    if (proto == 17)
        put16(b, 34 + 4, unsigned(l4 + payload));
    return b;
}

const char* walk(const Bytes& b, FrameHeaders& h, std::uint32_t captured = 0)
{
    return walkFrame(LinkType::Ethernet, b.data(), captured ? captured : std::uint32_t(b.size()),
                     std::uint32_t(b.size()), h);
}

} // namespace

TEST_CASE("the header walk reads Ethernet, IPv4, TCP and UDP", "[fast]")
{
    FrameHeaders h;
    Bytes tcp = ipv4Frame(6, 20, 100);
    put16(tcp, 34, 40000);
    put16(tcp, 36, 443);
    REQUIRE(walk(tcp, h) == nullptr);
    CHECK(h.ethSrc == tcp.data() + 6);
    CHECK(h.ipVersion == 4);
    CHECK(h.transport == 6);
    CHECK(h.srcPort == 40000);
    CHECK(h.dstPort == 443);
    CHECK(h.payloadReported == 100);

    Bytes udp = ipv4Frame(17, 8, 30);
    REQUIRE(walk(udp, h) == nullptr);
    CHECK(h.transport == 17);
    CHECK(h.payloadReported == 30);

    // A snap length that keeps the headers but not the payload is fine.
    REQUIRE(walk(tcp, h, 14 + 20 + 20) == nullptr);
    CHECK(h.payloadCaptured == 0);
    CHECK(h.payloadReported == 100);
}

TEST_CASE("the header walk follows VLAN tags and IPv6 options headers", "[fast]")
{
    FrameHeaders h;
    Bytes tagged = ipv4Frame(17, 8, 4, 0x8100);
    tagged.insert(tagged.begin() + 14, {0x00, 0x05, 0x08, 0x00}); // VID 5, then IPv4
    REQUIRE(walk(tagged, h) == nullptr);
    CHECK(h.transport == 17);

    Bytes v6(14 + 40 + 8 + 8, 0);
    put16(v6, 12, 0x86dd);
    v6[14] = 0x60;
    put16(v6, 18, 16); // payload: 8 bytes of hop-by-hop options, 8 of UDP
    v6[20] = 0;        // next: hop-by-hop
    v6[54] = 17;       // then UDP
    put16(v6, 62 + 4, 8);
    REQUIRE(walk(v6, h) == nullptr);
    CHECK(h.ipVersion == 6);
    CHECK(h.transport == 17);
}

TEST_CASE("the header walk hands epan what it cannot be sure of", "[fast]")
{
    FrameHeaders h;
    Bytes fragment = ipv4Frame(17, 8, 8);
    put16(fragment, 14 + 6, 0x2000); // more fragments
    CHECK(std::string(walk(fragment, h)) == "an IPv4 fragment");

    CHECK(walk(ipv4Frame(47, 4, 20), h) != nullptr); // GRE
    CHECK(walk(ipv4Frame(4, 0, 20), h) != nullptr);  // IP in IP

    Bytes shortTcp = ipv4Frame(6, 20, 0);
    CHECK(walk(shortTcp, h, 14 + 20 + 10) != nullptr); // the TCP header cut by the snap length

    Bytes badUdp = ipv4Frame(17, 8, 8);
    put16(badUdp, 34 + 4, 200); // longer than the IP payload
    CHECK(walk(badUdp, h) != nullptr);

    Bytes llc = ipv4Frame(17, 8, 8, 0x0030); // an 802.3 length, not a type
    CHECK(walk(llc, h) != nullptr);

    Bytes tooLong = ipv4Frame(17, 8, 8);
    put16(tooLong, 16, 2000); // IPv4 total length past the frame
    CHECK(walk(tooLong, h) != nullptr);
}

TEST_CASE("an ICMP error's quoted TCP header is read for the stream lookup, not counted", "[fast]")
{
    FrameHeaders h;
    Bytes icmp = ipv4Frame(1, 8, 20 + 20);
    icmp[34] = 3; // destination unreachable
    const std::size_t inner = 34 + 8;
    icmp[inner] = 0x45;
    icmp[inner + 9] = 6;
    put16(icmp, inner + 20, 5555);
    put16(icmp, inner + 22, 80);
    put16(icmp, inner + 20 + 12, 0x5002); // SYN
    REQUIRE(walk(icmp, h) == nullptr);
    CHECK(h.transport == 0);
    REQUIRE(h.quoted.present);
    CHECK(h.quoted.transport == 6);
    CHECK(h.quoted.srcPort == 5555);
    CHECK(h.quoted.flags == 0x002);
}

TEST_CASE("tcp.stream: a new SYN with another sequence number is a new stream", "[fast]")
{
    using namespace tcp_flags;
    const std::uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
    const Endpoints out{a, b, 4, 40000, 80}, back{b, a, 4, 80, 40000};
    FlowIds ids;
    const auto s0 = ids.tcp(out, 1000, 0, Syn, false);
    CHECK(ids.tcp(back, 5000, 1001, Syn | Ack, false) == s0);
    CHECK(ids.tcp(out, 1001, 5001, Ack, false) == s0);
    CHECK(ids.tcp(out, 1000, 0, Syn, false) == s0); // a retransmitted SYN: same stream
    const auto s1 = ids.tcp(out, 9000, 0, Syn, false); // the port reused
    CHECK(s1 != s0);
    CHECK(ids.tcp(back, 7000, 9001, Syn | Ack, false) == s1);

    // A flow seen from its middle: its base is seq - 1, a later SYN with seq = base + 1... differs.
    const Endpoints mid{a, b, 4, 40001, 80};
    const auto m = ids.tcp(mid, 500, 0, Ack, false);
    CHECK(ids.tcp(mid, 499, 0, Syn, false) == m); // equals the base: a retransmission
    CHECK(ids.tcp(mid, 42, 0, Syn, false) != m);

    // A quoted SYN sets no base: the real SYN after it stays in the same stream.
    const Endpoints q{a, b, 4, 40002, 80};
    const auto qs = ids.tcp(q, 77, 0, Syn, true);
    CHECK(ids.tcp(q, 78, 0, Syn, false) == qs);
}

TEST_CASE("udp.stream: one per address and port pair, either direction", "[fast]")
{
    const std::uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
    FlowIds ids;
    const auto s = ids.udp({a, b, 4, 5353, 53});
    CHECK(ids.udp({b, a, 4, 53, 5353}) == s);
    CHECK(ids.udp({a, b, 4, 5354, 53}) != s);
}
