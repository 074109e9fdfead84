// SPDX-License-Identifier: GPL-2.0-or-later
#include "span_builder.h"

#include <algorithm>
#include <utility>

namespace ss::otlp {

bool Span::hasParent() const
{
    return std::any_of(parentSpanId.begin(), parentSpanId.end(), [](std::uint8_t b) { return b != 0; });
}

const AttributeValue* Span::attribute(const std::string& key) const
{
    for (const Attribute& a : attributes)
        if (a.key == key)
            return &a.value;
    return nullptr;
}

SpanBuilder::SpanBuilder(Sink sink) : sink_(std::move(sink)), random_(std::random_device{}()) {}

void SpanBuilder::newIds(Span& span, const Span* parent)
{
    const auto fill = [this](std::uint8_t* out, std::size_t n) {
        for (std::size_t i = 0; i < n; i += 8) {
            std::uint64_t r = random_();
            for (std::size_t j = 0; j < 8 && i + j < n; ++j, r >>= 8)
                out[i + j] = std::uint8_t(r);
        }
        out[0] |= 1; // never all zero: an all-zero id is invalid in OTLP
    };
    if (parent) {
        span.traceId = parent->traceId;
        span.parentSpanId = parent->spanId;
    } else {
        fill(span.traceId.data(), span.traceId.size());
    }
    fill(span.spanId.data(), span.spanId.size());
}

void SpanBuilder::learnOwner(Owner& owner, const PacketFacts& p)
{
    if (owner.pod.empty() && !p.pod.empty()) {
        owner.pod = p.pod;
        owner.ns = p.ns;
    }
    if (owner.pid < 0 && p.pid >= 0) {
        owner.pid = p.pid;
        owner.process = p.process;
    }
}

// Whose side the capture saw it from: a packet the client sent that left this host means the
// capture is the client's (a CLIENT span); one that arrived means the server's. Without a
// direction (pcap files), the client's.
SpanKind SpanBuilder::kindFor(int direction, bool fromClient) const
{
    if (direction == 0)
        return SpanKind::Client;
    const bool outbound = direction == 2;
    return outbound == fromClient ? SpanKind::Client : SpanKind::Server;
}

void SpanBuilder::commonAttributes(Span& span, const Endpoint& client, const Endpoint& server,
                                   const char* transport, const Owner& owner) const
{
    const bool isClient = span.kind == SpanKind::Client;
    const Endpoint& peer = isClient ? server : client;
    span.attributes.push_back({"network.transport", std::string(transport)});
    span.attributes.push_back({"server.port", std::int64_t(server.port)});
    span.attributes.push_back({"client.address", client.address});
    span.attributes.push_back({"client.port", std::int64_t(client.port)});
    span.attributes.push_back({"network.peer.address", peer.address});
    span.attributes.push_back({"network.peer.port", std::int64_t(peer.port)});
    if (!owner.pod.empty()) {
        span.attributes.push_back({"k8s.pod.name", owner.pod});
        span.attributes.push_back({"k8s.namespace.name", owner.ns});
    }
    if (owner.pid >= 0) {
        span.attributes.push_back({"process.pid", owner.pid});
        if (!owner.process.empty())
            span.attributes.push_back({"process.executable.name", owner.process});
    }
}

void SpanBuilder::add(const PacketFacts& p)
{
    lastNs_ = std::max(lastNs_, p.timeNs);
    if (p.tcp)
        addTcp(p);
    if (p.httpRequest || p.httpResponse)
        addHttp(p);
    if (p.dns)
        addDns(p);
}

SpanBuilder::Connection& SpanBuilder::connection(const PacketFacts& p)
{
    const auto found = connections_.find(p.stream);
    if (found != connections_.end())
        return found->second;
    Connection& c = connections_[p.stream];
    c.stream = p.stream;
    // The client: the SYN's sender; the SYN/ACK's receiver; mid-connection, the higher port.
    const bool srcIsClient = p.syn ? !p.ack : p.srcPort > p.dstPort;
    c.client = srcIsClient ? Endpoint{p.src, p.srcPort} : Endpoint{p.dst, p.dstPort};
    c.server = srcIsClient ? Endpoint{p.dst, p.dstPort} : Endpoint{p.src, p.srcPort};
    newIds(c.span, nullptr);
    c.span.kind = kindFor(p.direction, srcIsClient);
    c.span.name = "TCP connection";
    c.span.startNs = p.timeNs;
    c.lastNs = p.timeNs;
    return c;
}

void SpanBuilder::addTcp(const PacketFacts& p)
{
    if (ended_.count(p.stream)) {
        if (!p.syn || p.ack)
            return; // the ended connection's last packets (a retransmitted FIN, an ACK)
        ended_.erase(p.stream); // the same stream number again: a new connection
    }
    Connection& c = connection(p);
    learnOwner(c.owner, p);
    c.lastNs = p.timeNs;
    const bool fromClient = p.src == c.client.address && p.srcPort == c.client.port;
    if (p.retransmission) {
        ++c.retransmissions;
        c.span.events.push_back({p.timeNs, "tcp.retransmission", {{"stratoshark.frame", std::int64_t(p.frame)}}});
    }
    if (p.zeroWindow) {
        ++c.zeroWindows;
        c.span.events.push_back({p.timeNs, "tcp.zero_window", {{"stratoshark.frame", std::int64_t(p.frame)}}});
    }
    if (p.initialRttS >= 0 && !c.span.attribute("stratoshark.tcp.initial_rtt"))
        c.span.attributes.push_back({"stratoshark.tcp.initial_rtt", p.initialRttS});
    if (p.rst) {
        c.span.events.push_back({p.timeNs, "tcp.reset", {{"stratoshark.frame", std::int64_t(p.frame)}}});
        c.span.error = true;
        c.span.statusMessage = fromClient ? "reset by the client" : "reset by the server";
        c.closed = true;
    }
    if (p.fin)
        (fromClient ? c.finFromClient : c.finFromServer) = true;
    if (c.finFromClient && c.finFromServer)
        c.closed = true; // the last ACK still belongs to it: ended at the next packet or finish()
    if (c.closed && (p.rst || (!p.fin && p.ack))) {
        endConnection(c, p.timeNs);
        connections_.erase(p.stream);
        ended_.insert(p.stream);
    }
}

void SpanBuilder::endConnection(Connection& c, std::uint64_t endNs)
{
    Span& s = c.span;
    s.endNs = std::max(endNs, s.startNs);
    s.attributes.insert(s.attributes.begin(), {"server.address", c.server.address});
    commonAttributes(s, c.client, c.server, "tcp", c.owner);
    s.attributes.push_back({"stratoshark.tcp.stream", std::int64_t(c.stream)});
    s.attributes.push_back({"stratoshark.tcp.retransmissions", std::int64_t(c.retransmissions)});
    s.attributes.push_back({"stratoshark.tcp.zero_windows", std::int64_t(c.zeroWindows)});
    ++counts_.tcp;
    sink_(std::move(s));
}

void SpanBuilder::addHttp(const PacketFacts& p)
{
    if (p.httpRequest) {
        Pending& r = http_[p.frame];
        const Span* parent = nullptr;
        if (p.tcp && !ended_.count(p.stream)) {
            Connection& c = connection(p);
            parent = &c.span;
            r.client = c.client;
            r.server = c.server;
        } else {
            r.client = {p.src, p.srcPort};
            r.server = {p.dst, p.dstPort};
        }
        newIds(r.span, parent);
        r.span.kind = kindFor(p.direction, true);
        r.span.name = p.method.empty() ? "HTTP" : p.method;
        r.span.startNs = r.span.endNs = p.timeNs;
        learnOwner(r.owner, p);
        std::string host = p.host.empty() ? r.server.address : p.host;
        if (!host.empty() && host.front() != '[' && std::count(host.begin(), host.end(), ':') == 1)
            host = host.substr(0, host.find(':')); // "name:port": the port is server.port
        r.span.attributes.push_back({"server.address", host});
        if (!p.method.empty())
            r.span.attributes.push_back({"http.request.method", p.method});
        r.span.attributes.push_back({"url.path", p.uri.substr(0, p.uri.find('?'))});
        if (p.uri.find('?') != std::string::npos)
            r.span.attributes.push_back({"url.query", p.uri.substr(p.uri.find('?') + 1)});
        r.span.attributes.push_back({"network.protocol.name", std::string("http")});
        if (p.version.rfind("HTTP/", 0) == 0)
            r.span.attributes.push_back({"network.protocol.version", p.version.substr(5)});
        return;
    }
    const auto it = http_.find(p.requestIn);
    if (it == http_.end())
        return; // an answer to a request not seen (or filtered out)
    Pending r = std::move(it->second);
    http_.erase(it);
    learnOwner(r.owner, p);
    r.span.attributes.push_back({"http.response.status_code", std::int64_t(p.status)});
    if (p.status >= 500 || (p.status >= 400 && r.span.kind == SpanKind::Client)) {
        r.span.error = true;
        r.span.attributes.push_back({"error.type", std::to_string(p.status)});
    }
    endPending(std::move(r), p.timeNs);
    ++counts_.http;
}

void SpanBuilder::addDns(const PacketFacts& p)
{
    if (!p.dnsResponse) {
        Pending& q = dns_[p.frame];
        q.client = {p.src, p.srcPort};
        q.server = {p.dst, p.dstPort};
        q.transport = p.tcp ? "tcp" : "udp";
        newIds(q.span, nullptr);
        q.span.kind = kindFor(p.direction, true);
        q.span.name = "DNS query";
        q.span.startNs = q.span.endNs = p.timeNs;
        learnOwner(q.owner, p);
        q.span.attributes.push_back({"server.address", p.dst});
        q.span.attributes.push_back({"dns.question.name", p.dnsName});
        return;
    }
    const auto it = dns_.find(p.dnsRequestIn);
    if (it == dns_.end())
        return;
    Pending q = std::move(it->second);
    dns_.erase(it);
    learnOwner(q.owner, p);
    if (p.rcode >= 0) {
        q.span.attributes.push_back({"stratoshark.dns.response_code", std::int64_t(p.rcode)});
        if (p.rcode != 0 && p.rcode != 3) { // NXDOMAIN is an answer, SERVFAIL and the rest are not
            q.span.error = true;
            q.span.attributes.push_back({"error.type", std::to_string(p.rcode)});
        }
    }
    endPending(std::move(q), p.timeNs);
    ++counts_.dns;
}

void SpanBuilder::endPending(Pending&& pending, std::uint64_t endNs)
{
    Span& s = pending.span;
    s.endNs = std::max(endNs, s.startNs);
    commonAttributes(s, pending.client, pending.server, pending.transport, pending.owner);
    sink_(std::move(s));
}

void SpanBuilder::finish()
{
    for (auto& [frame, r] : http_) { // never answered
        r.span.error = true;
        r.span.statusMessage = "no response in the capture";
        endPending(std::move(r), r.span.startNs);
        ++counts_.http;
    }
    http_.clear();
    for (auto& [frame, q] : dns_) {
        q.span.error = true;
        q.span.statusMessage = "no answer in the capture";
        endPending(std::move(q), q.span.startNs);
        ++counts_.dns;
    }
    dns_.clear();
    for (auto& [stream, c] : connections_)
        endConnection(c, c.lastNs);
    connections_.clear();
}

} // namespace ss::otlp
