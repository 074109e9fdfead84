// SPDX-License-Identifier: GPL-2.0-or-later
#include "connection_tap.h"

#include <cstdlib>
#include <iterator>

namespace ss::policy {
namespace {

const char* const kFields[] = {"tcp.stream", "tcp.flags", "tcp.len", "udp.length", "frame.packet_flags_direction",
                               "k8s.pod", "k8s.ns", "k8s.pod.labels", "cilium.verdict", "cilium.src.pod",
                               "cilium.src.ns", "cilium.src.labels", "cilium.dst.pod", "cilium.dst.ns",
                               "cilium.dst.labels", "cilium.ip.src", "cilium.ip.dst", "cilium.ipv6.src",
                               "cilium.ipv6.dst", "cilium.l4", "cilium.port.src", "cilium.port.dst"};

Ip addressOf(const address& a)
{
    if (a.type == AT_IPv4 && a.len == 4)
        return Ip(static_cast<const std::uint8_t*>(a.data), static_cast<const std::uint8_t*>(a.data) + 4);
    if (a.type == AT_IPv6 && a.len == 16)
        return Ip(static_cast<const std::uint8_t*>(a.data), static_cast<const std::uint8_t*>(a.data) + 16);
    return {};
}

} // namespace

Connection::Outcome Connection::outcome() const
{
    if (protocol == "UDP")
        return serverData ? Outcome::Answered : Outcome::Unanswered;
    if (!handshakeSeen)
        return serverData || clientData ? Outcome::Established : Outcome::TimedOut;
    if (synAck && (clientAcked || clientData || serverData))
        return Outcome::Established;
    if (serverReset)
        return Outcome::Reset;
    return synAck ? Outcome::Established : Outcome::TimedOut;
}

std::string Connection::filter() const
{
    if (protocol == "TCP")
        return "tcp.stream eq " + std::to_string(stream);
    const std::string ip = client.size() == 16 ? "ipv6.addr" : "ip.addr";
    return ip + " eq " + ipText(client) + " and " + ip + " eq " + ipText(server) + " and udp.port eq " +
           std::to_string(clientPort) + " and udp.port eq " + std::to_string(serverPort);
}

ConnectionTap::ConnectionTap(Cluster& cluster)
    : FieldTap(std::vector<const char*>(std::begin(kFields), std::end(kFields)), {}), cluster_(cluster)
{
}

Connection* ConnectionTap::find(const std::string& proto, const Ip& a, std::uint16_t ap, const Ip& b,
                                std::uint16_t bp)
{
    for (const auto& key : {std::make_tuple(proto, a, ap, b, bp), std::make_tuple(proto, b, bp, a, ap)})
        if (const auto it = byTuple_.find(key); it != byTuple_.end())
            return &connections_[it->second];
    return nullptr;
}

void ConnectionTap::onFrame(packet_info* pinfo, epan_dissect_t* edt)
{
    tally(pinfo, edt);
    flowRecord(pinfo, edt); // after: a flow attached to a packet joins the packet's connection
}

void ConnectionTap::tally(packet_info* pinfo, epan_dissect_t* edt)
{
    const auto field = [&](const char* name) { return text(edt, name); };
    const Ip src = addressOf(pinfo->net_src);
    const Ip dst = addressOf(pinfo->net_dst);
    if (src.empty() || dst.empty())
        return;
    // The pod of the process that sent (outbound) or received (inbound) the packet.
    if (const std::string pod = field("k8s.pod"); !pod.empty()) {
        const std::string dir = field("frame.packet_flags_direction");
        const auto labels = parseLabelList(field("k8s.pod.labels"));
        if (dir == "0x2" || dir == "2" || dir.find("Outbound") != std::string::npos)
            cluster_.learnPod(field("k8s.ns"), pod, labels, src);
        else if (dir == "0x1" || dir == "1" || dir.find("Inbound") != std::string::npos)
            cluster_.learnPod(field("k8s.ns"), pod, labels, dst);
    }
    const std::uint16_t sport = static_cast<std::uint16_t>(pinfo->srcport);
    const std::uint16_t dport = static_cast<std::uint16_t>(pinfo->destport);
    Connection* c = nullptr;
    bool fromClient = true;
    if (pinfo->ptype == PT_TCP) {
        const std::string streamText = field("tcp.stream");
        if (streamText.empty())
            return;
        const auto stream = static_cast<std::uint32_t>(std::strtoul(streamText.c_str(), nullptr, 10));
        const unsigned long flags = std::strtoul(field("tcp.flags").c_str(), nullptr, 0);
        const bool syn = flags & 0x02, ack = flags & 0x10, rst = flags & 0x04;
        auto it = tcpStreams_.find(stream);
        if (it == tcpStreams_.end()) {
            Connection n;
            n.protocol = "TCP";
            n.stream = stream;
            // The SYN/ACK's receiver started it when the SYN itself was not captured.
            const bool reversed = syn && ack;
            n.client = reversed ? dst : src;
            n.server = reversed ? src : dst;
            n.clientPort = reversed ? dport : sport;
            n.serverPort = reversed ? sport : dport;
            n.handshakeSeen = syn;
            n.firstFrame = pinfo->num;
            it = tcpStreams_.emplace(stream, connections_.size()).first;
            byTuple_[{"TCP", n.client, n.clientPort, n.server, n.serverPort}] = connections_.size();
            connections_.push_back(std::move(n));
        }
        c = &connections_[it->second];
        fromClient = src == c->client && sport == c->clientPort;
        const bool data = std::strtoul(field("tcp.len").c_str(), nullptr, 10) > 0;
        if (fromClient) {
            c->clientData = c->clientData || data;
            c->clientAcked = c->clientAcked || (c->synAck && ack && !syn && !rst);
        } else {
            c->synAck = c->synAck || (syn && ack);
            c->serverData = c->serverData || data;
            c->serverReset = c->serverReset || rst;
        }
    } else if (pinfo->ptype == PT_UDP) {
        c = find("UDP", src, sport, dst, dport);
        if (!c) {
            Connection n;
            n.protocol = "UDP";
            n.stream = static_cast<std::uint32_t>(byTuple_.size());
            n.client = src;
            n.server = dst;
            n.clientPort = sport;
            n.serverPort = dport;
            n.firstFrame = pinfo->num;
            byTuple_[{"UDP", src, sport, dst, dport}] = connections_.size();
            connections_.push_back(std::move(n));
            c = &connections_.back();
        }
        fromClient = src == c->client && sport == c->clientPort;
        (fromClient ? c->clientData : c->serverData) = true;
    } else {
        return;
    }
    c->frames++;
    c->lastFrame = pinfo->num;
}

// A Hubble flow (attached to a packet or a record of its own): its endpoints are pods to
// learn, its verdict belongs to the connection of its 5-tuple.
void ConnectionTap::flowRecord(packet_info* pinfo, epan_dissect_t* edt)
{
    const auto field = [&](const char* name) { return text(edt, name); };
    const std::string verdict = field("cilium.verdict");
    if (verdict.empty())
        return;
    Ip src = parseIp(field("cilium.ip.src"));
    Ip dst = parseIp(field("cilium.ip.dst"));
    if (src.empty())
        src = parseIp(field("cilium.ipv6.src"));
    if (dst.empty())
        dst = parseIp(field("cilium.ipv6.dst"));
    if (src.empty() || dst.empty())
        return;
    cluster_.learnPod(field("cilium.src.ns"), field("cilium.src.pod"), parseLabelList(field("cilium.src.labels")), src);
    cluster_.learnPod(field("cilium.dst.ns"), field("cilium.dst.pod"), parseLabelList(field("cilium.dst.labels")), dst);
    // A flow attached to a packet describes that packet: its transport and ports are the packet's.
    const bool attached = pinfo->ptype == PT_TCP || pinfo->ptype == PT_UDP;
    const std::string l4 = attached ? (pinfo->ptype == PT_TCP ? "TCP" : "UDP") : field("cilium.l4");
    if (l4 != "TCP" && l4 != "UDP")
        return;
    const auto sport = attached ? static_cast<std::uint16_t>(pinfo->srcport)
                                : static_cast<std::uint16_t>(std::strtoul(field("cilium.port.src").c_str(), nullptr, 10));
    const auto dport = attached ? static_cast<std::uint16_t>(pinfo->destport)
                                : static_cast<std::uint16_t>(std::strtoul(field("cilium.port.dst").c_str(), nullptr, 10));
    Connection* c = find(l4, src, sport, dst, dport);
    if (!c) {
        // A flow with no captured packet: the attempt is known from Hubble alone.
        Connection n;
        n.protocol = l4;
        n.client = src;
        n.server = dst;
        n.clientPort = sport;
        n.serverPort = dport;
        n.stream = static_cast<std::uint32_t>(connections_.size());
        n.firstFrame = n.lastFrame = pinfo->num;
        byTuple_[{l4, src, sport, dst, dport}] = connections_.size();
        connections_.push_back(std::move(n));
        c = &connections_.back();
    }
    // A drop anywhere in the connection is what Cilium did to it.
    if (c->verdict.empty() || verdict == "DROPPED") {
        c->verdict = verdict;
        c->verdictFrame = pinfo->num;
    }
}

std::vector<Connection> ConnectionTap::connections() const
{
    return connections_;
}

} // namespace ss::policy
