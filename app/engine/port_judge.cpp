// SPDX-License-Identifier: GPL-2.0-or-later
#include "port_judge.h"

#include <algorithm>
#include <array>

#include "epan_includes.h"

namespace ss {
namespace {

// Protocols epan may give a TCP or UDP port to that find packets inside the payload (their
// Ethernet/IP/TCP/UDP headers are counted too) or that set up conversations for other flows
// (whose stream numbers then differ from one per 4-tuple). Kept by reading epan 4.0's
// registrations of udp.port and tcp.port; a port decoded as one of these is refused, and so
// is Decode As to any of them.
constexpr std::string_view kNotLeaves[] = {
    "aruba_erm", "bat", "batadv", "capwap", "cwids", "e100", "eth", "etherip", "ftp", "ftp-data", "geneve", "gre",
    "gtp", "gtpprime", "gtpv2", "h225", "h245", "ip", "ipv6", "jmirror", "l2tp", "lisp-data", "lwapp", "lwapp-cntl",
    "lwapp-l3", "mgcp", "mpls", "msrp", "nsh", "openflow", "openflow_v1", "openflow_v4", "openflow_v5",
    "openflow_v6", "otv", "peekremote", "ppp", "pppoed", "pppoes", "redbackli", "rftap", "rpcap", "rtcp", "rtp",
    "rtsp", "sdp", "sflow", "sip", "skinny", "t38", "tcp", "teredo", "tftp", "tzsp", "udp", "udpencap", "vxlan",
    "wassp", "bfcp", "sprt", "rtpproxy", "cflow", "erspan", "pw_eth", "mim", "vntag", "ieee8021ah"};

// UDP dissectors that return the datagram's captured length whatever it holds (read in
// epan 4.0.17: dissect_dns, dissect_mdns_udp, dissect_llmnr_udp, dissect_ntp,
// dissect_syslog), so epan tries no other port after them.
constexpr std::string_view kAcceptEveryDatagram[] = {"dns", "mdns", "llmnr", "ntp", "syslog"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view name)
{
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

// One port table's verdicts, each port looked at once.
class PortJudge {
public:
    PortJudge(const char* table, std::span<const std::string_view> alsoRefused)
        : table_(find_dissector_table(table)), alsoRefused_(alsoRefused)
    {
    }
    bool refused(std::uint16_t port) { return verdict(port) & kRefused; }
    // The port of the datagram's pair whose dissector epan may reach and that is refused, or -1.
    int refusedPair(std::uint16_t lower, std::uint16_t higher)
    {
        for (const bool changedPass : {true, false}) {
            for (const std::uint16_t port : {lower, higher}) {
                const std::uint8_t v = port ? verdict(port) : kNone;
                if ((v & kNone) || bool(v & kChanged) != changedPass)
                    continue;
                if (v & kRefused)
                    return port;
                if (v & kAcceptsAll)
                    return -1;
            }
        }
        return -1;
    }

private:
    static constexpr std::uint8_t kLooked = 1, kNone = 2, kRefused = 4, kAcceptsAll = 8, kChanged = 16;

    std::uint8_t verdict(std::uint16_t port)
    {
        std::uint8_t& v = verdicts_[port];
        if (!v)
            v = judge(port);
        return v;
    }
    std::uint8_t judge(std::uint16_t port) const
    {
        if (!table_)
            return kLooked | kRefused;
        dissector_handle_t h = dissector_get_uint_handle(table_, port);
        if (!h)
            return kLooked | kNone;
        std::uint8_t v = kLooked;
        if (dissector_is_uint_changed(table_, port))
            v |= kChanged;
        const int proto = dissector_handle_get_protocol_index(h);
        const char* filterName = proto >= 0 ? proto_get_protocol_filter_name(proto) : nullptr;
        if (!filterName)
            return v | kRefused; // a handle without a protocol: nothing to judge it by
        const std::string_view name(filterName);
        if (listed(kNotLeaves, name) || std::find(alsoRefused_.begin(), alsoRefused_.end(), name) != alsoRefused_.end())
            return v | kRefused;
        if (listed(kAcceptEveryDatagram, name) && proto_is_protocol_enabled(find_protocol_by_id(proto)))
            v |= kAcceptsAll;
        return v;
    }

    dissector_table_t table_;
    std::span<const std::string_view> alsoRefused_;
    std::array<std::uint8_t, 65536> verdicts_{};
};

std::string refusedMessage(const char* transport, int port)
{
    return std::string(transport) + " port " + std::to_string(port) +
           " goes to a tunnel or a protocol that sets up other flows";
}

} // namespace

std::string refusedPort(const fast::PortUse& use, std::span<const std::string_view> alsoRefused)
{
    auto tcp = std::make_unique<PortJudge>("tcp.port", alsoRefused);
    auto udp = std::make_unique<PortJudge>("udp.port", alsoRefused);
    for (std::size_t port = 0; port < 65536; ++port) {
        if (use.tcpPorts()[port] && tcp->refused(std::uint16_t(port)))
            return refusedMessage("TCP", int(port));
        if (use.udpLonePorts()[port] && udp->refused(std::uint16_t(port)))
            return refusedMessage("UDP", int(port));
    }
    for (const std::uint32_t pair : use.udpPairs())
        if (const int port = udp->refusedPair(std::uint16_t(pair >> 16), std::uint16_t(pair & 0xffff)); port >= 0)
            return refusedMessage("UDP", port) + " (ports " + std::to_string(pair >> 16) + " and " +
                   std::to_string(pair & 0xffff) + ")";
    return {};
}

} // namespace ss
