// SPDX-License-Identifier: GPL-2.0-or-later
#include "fast_conversations.h"

#include <array>
#include <cstring>
#include <string_view>

#include "capture_file.h"
#include "conversation_tap.h"
#include "flow_ids.h"
#include "frame_headers.h"

namespace ss {
namespace {

using fast::FrameHeaders;

enum class Table { Eth, Ip, Ipv6, Tcp, Udp, None };

Table tableOf(const std::string& name)
{
    if (name == "eth")
        return Table::Eth;
    if (name == "ip")
        return Table::Ip;
    if (name == "ipv6")
        return Table::Ipv6;
    if (name == "tcp")
        return Table::Tcp;
    if (name == "udp")
        return Table::Udp;
    return Table::None;
}

// Filter field names for "Apply as Filter" on a row, as epan's own tables give them.
const char* addressField(const address& a, conv_filter_type_e f)
{
    const bool v6 = a.type == AT_IPv6;
    if (a.type == AT_ETHER)
        return f == CONV_FT_SRC_ADDRESS ? "eth.src" : f == CONV_FT_DST_ADDRESS ? "eth.dst" : "eth.addr";
    if (f == CONV_FT_SRC_ADDRESS)
        return v6 ? "ipv6.src" : "ip.src";
    if (f == CONV_FT_DST_ADDRESS)
        return v6 ? "ipv6.dst" : "ip.dst";
    return v6 ? "ipv6.addr" : "ip.addr";
}

template <const char* Src, const char* Dst, const char* Any>
const char* convFilter(conv_item_t* item, conv_filter_type_e f)
{
    switch (f) {
    case CONV_FT_SRC_PORT:
        return Src;
    case CONV_FT_DST_PORT:
        return Dst;
    case CONV_FT_ANY_PORT:
        return Any;
    default:
        return addressField(item->src_address, f);
    }
}

template <const char* Src, const char* Dst, const char* Any>
const char* endpointFilter(endpoint_item_t* item, conv_filter_type_e f)
{
    switch (f) {
    case CONV_FT_SRC_PORT:
        return Src;
    case CONV_FT_DST_PORT:
        return Dst;
    case CONV_FT_ANY_PORT:
        return Any;
    default:
        return addressField(item->myaddress, f);
    }
}

constexpr char kTcpSrc[] = "tcp.srcport", kTcpDst[] = "tcp.dstport", kTcpAny[] = "tcp.port";
constexpr char kUdpSrc[] = "udp.srcport", kUdpDst[] = "udp.dstport", kUdpAny[] = "udp.port";
constexpr char kNone[] = CONV_FILTER_INVALID;
ct_dissector_info_t kAddrConv{&convFilter<kNone, kNone, kNone>};
ct_dissector_info_t kTcpConv{&convFilter<kTcpSrc, kTcpDst, kTcpAny>};
ct_dissector_info_t kUdpConv{&convFilter<kUdpSrc, kUdpDst, kUdpAny>};
et_dissector_info_t kAddrEndpoint{&endpointFilter<kNone, kNone, kNone>};
et_dissector_info_t kTcpEndpoint{&endpointFilter<kTcpSrc, kTcpDst, kTcpAny>};
et_dissector_info_t kUdpEndpoint{&endpointFilter<kUdpSrc, kUdpDst, kUdpAny>};

// Protocols epan may give a TCP or UDP port to that find packets inside the payload (their
// Ethernet/IP/TCP/UDP headers are counted too) or that set up conversations for other flows
// (whose stream numbers then differ from one per 4-tuple). Kept by reading epan 4.0's
// registrations of udp.port and tcp.port; a port decoded as one of these sends the file to
// epan, and so does Decode As to any of them.
constexpr std::string_view kNotLeaves[] = {
    "aruba_erm", "bat", "batadv", "capwap", "cwids", "e100", "eth", "etherip", "ftp", "ftp-data", "geneve", "gre",
    "gtp", "gtpprime", "gtpv2", "h225", "h245", "ip", "ipv6", "jmirror", "l2tp", "lisp-data", "lwapp", "lwapp-cntl",
    "lwapp-l3", "mgcp", "mpls", "msrp", "nsh", "openflow", "openflow_v1", "openflow_v4", "openflow_v5",
    "openflow_v6", "otv", "peekremote", "ppp", "pppoed", "pppoes", "redbackli", "rftap", "rpcap", "rtcp", "rtp",
    "rtsp", "sdp", "sflow", "sip", "skinny", "t38", "tcp", "teredo", "tftp", "tzsp", "udp", "udpencap", "vxlan",
    "wassp", "bfcp", "sprt", "rtpproxy", "cflow", "erspan", "pw_eth", "mim", "vntag", "ieee8021ah"};

// Per port, once: 0 not looked at yet, 1 a leaf (or nothing), 2 not a leaf.
class PortPolicy {
public:
    explicit PortPolicy(const char* tableName) : table_(find_dissector_table(tableName)) {}
    bool leaf(std::uint16_t port)
    {
        std::uint8_t& v = verdict_[port];
        if (v == 0)
            v = lookUp(port) ? 1 : 2;
        return v == 1;
    }

private:
    bool lookUp(std::uint16_t port) const
    {
        if (!table_)
            return false;
        dissector_handle_t h = dissector_get_uint_handle(table_, port);
        if (!h)
            return true;
        const int proto = dissector_handle_get_protocol_index(h);
        const char* name = proto >= 0 ? proto_get_protocol_filter_name(proto) : nullptr;
        if (!name)
            return false;
        for (const auto& n : kNotLeaves)
            if (n == name)
                return false;
        return true;
    }
    dissector_table_t table_;
    std::array<std::uint8_t, 65536> verdict_{};
};

// A protocol the profile (or --disable-protocol) turned off changes what epan counts.
const char* disabledProtocol()
{
    static const char* const kNeeded[] = {"eth", "vlan", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp"};
    for (const char* name : kNeeded) {
        const int id = proto_get_id_by_filter_name(name);
        if (id < 0 || !proto_is_protocol_enabled(find_protocol_by_id(id)))
            return name;
    }
    return nullptr;
}

} // namespace

struct FastConversations::State {
    PortPolicy tcpPorts{"tcp.port"};
    PortPolicy udpPorts{"udp.port"};
    fast::FlowIds ids;
};

bool FastConversations::handles(const ConversationTap& tap)
{
    return tap.filter().empty() && tableOf(tap.table()) != Table::None;
}

FastConversations::FastConversations(std::vector<ConversationTap*> taps) : taps_(std::move(taps)) {}
FastConversations::~FastConversations() = default;

bool FastConversations::refuse(std::uint64_t frame, const std::string& why)
{
    reason_ = frame ? "frame " + std::to_string(frame) + ": " + why : why;
    return false;
}

bool FastConversations::run(CaptureFile& file)
{
    for (ConversationTap* tap : taps_)
        if (!handles(*tap))
            return refuse(0, "the table \"" + tap->table() + "\" (or its filter) needs a dissection");
    if (const char* name = disabledProtocol())
        return refuse(0, std::string("the protocol ") + name + " is disabled");
    if (gbl_resolv_flags.network_name)
        return refuse(0, "network names are resolved (they may come from the capture's DNS)");

    auto state = std::make_unique<State>();
    WtapRecord record;
    gint64 offset = 0;
    nstime_t first{};
    bool haveFirst = false;
    FrameHeaders h;
    while (file.readNext(record, &offset)) {
        const std::uint64_t frame = ++frames_;
        const wtap_rec* rec = record.rec();
        if (rec->rec_type != REC_TYPE_PACKET)
            return refuse(frame, "a record that is not a packet");
        if (!(rec->presence_flags & WTAP_HAS_TS))
            return refuse(frame, "a packet without a time stamp");
        const auto& ph = rec->rec_header.packet_header;
        fast::LinkType link;
        if (ph.pkt_encap == WTAP_ENCAP_ETHERNET)
            link = fast::LinkType::Ethernet;
        else if (ph.pkt_encap == WTAP_ENCAP_RAW_IP || ph.pkt_encap == WTAP_ENCAP_RAW_IP4 ||
                 ph.pkt_encap == WTAP_ENCAP_RAW_IP6)
            link = fast::LinkType::RawIp;
        else
            return refuse(frame, std::string("the link type ") + wtap_encap_name(ph.pkt_encap));
        if (const char* why = fast::walkFrame(link, record.data(), ph.caplen, ph.len, h))
            return refuse(frame, why);
        if (h.transport == 6 && !(state->tcpPorts.leaf(h.srcPort) && state->tcpPorts.leaf(h.dstPort)))
            return refuse(frame, "a TCP port epan decodes as a tunnel or a protocol with expected flows");
        if (h.transport == 17 && !(state->udpPorts.leaf(h.srcPort) && state->udpPorts.leaf(h.dstPort)))
            return refuse(frame, "a UDP port epan decodes as a tunnel or a protocol with expected flows");

        nstime_t abs = rec->ts;
        if (!haveFirst) {
            first = abs;
            haveFirst = true;
        }
        nstime_t rel;
        nstime_delta(&rel, &abs, &first);
        const int len = int(ph.len);

        const int ipBytes = h.ipVersion == 6 ? 16 : 4;
        const address_type ipType = h.ipVersion == 6 ? AT_IPv6 : AT_IPv4;
        std::uint32_t stream = 0;
        if (h.quotedTcp.present) {
            const auto& q = h.quotedTcp;
            state->ids.tcp({q.src, q.dst, q.ipVersion == 6 ? 16 : 4, q.srcPort, q.dstPort}, q.seq, q.ack, q.flags, true);
        }
        const fast::Endpoints ends{h.ipSrc, h.ipDst, ipBytes, h.srcPort, h.dstPort};
        if (h.transport == 6)
            stream = state->ids.tcp(ends, h.seq, h.ack, h.tcpFlags, false);
        else if (h.transport == 17)
            stream = state->ids.udp(ends);

        address src, dst;
        for (ConversationTap* tap : taps_) {
            const Table t = tableOf(tap->table());
            const bool conv = tap->kind() == ConversationTap::Kind::Conversations;
            conv_hash_t* hash = tap->hash();
            switch (t) {
            case Table::Eth:
                if (!h.ethSrc)
                    continue;
                set_address(&src, AT_ETHER, 6, h.ethSrc);
                set_address(&dst, AT_ETHER, 6, h.ethDst);
                break;
            case Table::Ip:
            case Table::Ipv6:
                if (h.ipVersion != (t == Table::Ip ? 4 : 6))
                    continue;
                set_address(&src, ipType, ipBytes, h.ipSrc);
                set_address(&dst, ipType, ipBytes, h.ipDst);
                break;
            case Table::Tcp:
            case Table::Udp:
                if (h.transport != (t == Table::Tcp ? 6 : 17))
                    continue;
                set_address(&src, ipType, ipBytes, h.ipSrc);
                set_address(&dst, ipType, ipBytes, h.ipDst);
                break;
            case Table::None:
                continue;
            }
            const bool ports = t == Table::Tcp || t == Table::Udp;
            const std::uint32_t sp = ports ? h.srcPort : 0, dp = ports ? h.dstPort : 0;
            if (conv) {
                ct_dissector_info_t* info = t == Table::Tcp ? &kTcpConv : t == Table::Udp ? &kUdpConv : &kAddrConv;
                const conversation_type ctype = t == Table::Tcp ? CONVERSATION_TCP
                                                : t == Table::Udp ? CONVERSATION_UDP : CONVERSATION_NONE;
                if (ports)
                    add_conversation_table_data_with_conv_id(hash, &src, &dst, sp, dp, conv_id_t(stream), 1, len,
                                                             &rel, &abs, info, ctype);
                else
                    add_conversation_table_data(hash, &src, &dst, 0, 0, 1, len, &rel, &abs, info, ctype);
            } else {
                et_dissector_info_t* info = t == Table::Tcp ? &kTcpEndpoint : t == Table::Udp ? &kUdpEndpoint
                                                                                               : &kAddrEndpoint;
                const endpoint_type etype = t == Table::Tcp ? ENDPOINT_TCP
                                            : t == Table::Udp ? ENDPOINT_UDP : ENDPOINT_NONE;
                add_endpoint_table_data(hash, &src, sp, TRUE, 1, len, info, etype);
                add_endpoint_table_data(hash, &dst, dp, FALSE, 1, len, info, etype);
            }
        }
        record.reset();
    }
    if (file.failed())
        return refuse(frames_ + 1, "a read error (" + file.errorMessage() + ")");
    return true;
}

} // namespace ss
