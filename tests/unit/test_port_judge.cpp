// SPDX-License-Identifier: GPL-2.0-or-later
// The ports a header scan met, judged against epan 4.0's own port tables: UDP as
// packet-udp.c dispatches a datagram (lower port first), TCP port by port.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "epan_runtime.h"
#include "port_judge.h"
#include "port_use.h"
#include "test_support.h"

using ss::fast::PortUse;

TEST_CASE("port use keeps distinct UDP pairs, lower port first", "[fast]")
{
    PortUse use;
    use.udp(53, 40000, 30);
    use.udp(40000, 53, 80); // the answer: the same pair
    use.udp(53, 40001, 30);
    use.udp(53, 40000, 30); // again, after another pair
    use.udp(5353, 5353, 0); // no payload: judged port by port
    use.tcp(443, 51000);
    use.finish();
    REQUIRE(use.udpPairs() == std::vector<std::uint32_t>{53u << 16 | 40000u, 53u << 16 | 40001u});
    CHECK(use.udpLonePorts().count() == 1);
    CHECK(use.udpLonePorts()[5353]);
    CHECK(use.tcpPorts().count() == 2);
    CHECK_FALSE(use.pairsOverflow());
}

TEST_CASE("port use stops keeping pairs past its bound and judges every UDP port alone", "[fast]")
{
    PortUse use;
    for (std::uint32_t i = 0; i <= PortUse::kMaxPairs; ++i)
        use.udp(std::uint16_t(1024 + i % 60000), std::uint16_t(1 + i / 60000), 8);
    use.udp(53, 37008, 40);
    use.finish();
    CHECK(use.pairsOverflow());
    CHECK(use.udpPairs().empty());
    CHECK(use.udpLonePorts()[1024]);
    CHECK(use.udpLonePorts()[37008]);
}

TEST_CASE("a DNS query from UDP port 37008 is DNS; TZSP's port alone, or after a port that may refuse, is not", "[fast]")
{
    testRuntime();
    {
        PortUse dns; // DNS on 53 accepts every datagram: epan never tries 37008 (TZSP)
        dns.udp(37008, 53, 40);
        dns.finish();
        CHECK(ss::refusedPort(dns).empty());
    }
    {
        PortUse unknown; // nothing on 40000: 37008 is next
        unknown.udp(37008, 40000, 40);
        unknown.finish();
        CHECK(ss::refusedPort(unknown) == "UDP port 37008 goes to a tunnel or a protocol that sets up other flows "
                                          "(ports 37008 and 40000)");
    }
    {
        PortUse empty; // an empty datagram: DNS returns 0 and epan tries 37008
        empty.udp(37008, 53, 0);
        empty.finish();
        CHECK(ss::refusedPort(empty) == "UDP port 37008 goes to a tunnel or a protocol that sets up other flows");
    }
    {
        PortUse vxlan; // VXLAN's own port is the lower one
        vxlan.udp(4789, 51000, 60);
        vxlan.finish();
        CHECK(ss::refusedPort(vxlan) == "UDP port 4789 goes to a tunnel or a protocol that sets up other flows "
                                        "(ports 4789 and 51000)");
    }
    {
        PortUse tcp; // TCP: the SYN's server port goes first, which may be either
        tcp.tcp(5060, 1024);
        tcp.finish();
        CHECK(ss::refusedPort(tcp) == "TCP port 5060 goes to a tunnel or a protocol that sets up other flows");
    }
    {
        PortUse stun; // refused only by a caller that asks (the parallel reader)
        stun.udp(3478, 50000, 20);
        stun.finish();
        constexpr std::string_view kStun[] = {"stun", "classicstun"};
        CHECK(ss::refusedPort(stun).empty());
        CHECK(ss::refusedPort(stun, kStun) == "UDP port 3478 goes to a tunnel or a protocol that sets up other flows "
                                              "(ports 3478 and 50000)");
    }
}
