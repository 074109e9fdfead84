// SPDX-License-Identifier: GPL-2.0-or-later
#include "latency_tap.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace ss::latency {
namespace {

const char* const kFields[] = {
    "frame.packet_flags_direction", "proc.name", "proc.pid", "tcp.stream", "tcp.len", "tcp.window_size",
    "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin", "tcp.analysis.zero_window", "tcp.analysis.zero_window_probe",
    "tcp.analysis.window_full", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
    "tcp.analysis.rto", "tcp.analysis.initial_rtt", "http.request.method", "http.request.uri", "http.host",
    "http.response.code", "http.request_in", "dns.flags.response", "dns.id", "dns.qry.name", "dns.qry.type",
    "tls.handshake.type", "tls.record.content_type", "tls.record.opaque_type", "tls.handshake.extensions_server_name"};

std::string endpoint(const address& a, std::uint32_t port)
{
    char* s = address_to_str(nullptr, &a);
    std::string text = s ? s : "?";
    wmem_free(nullptr, s);
    if (a.type == AT_IPv6)
        text = "[" + text + "]";
    return text + ":" + std::to_string(port);
}

std::string addressOnly(const address& a)
{
    char* s = address_to_str(nullptr, &a);
    std::string text = s ? s : "";
    wmem_free(nullptr, s);
    return text;
}

std::int64_t secondsToNs(const std::string& text)
{
    return text.empty() ? -1 : std::int64_t(std::llround(std::strtod(text.c_str(), nullptr) * 1e9));
}

bool has(const std::vector<std::string>& values, const char* value)
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

} // namespace

std::string humanDuration(std::int64_t ns)
{
    char buf[32];
    if (ns < 0)
        return "?";
    if (ns >= 1000000000)
        std::snprintf(buf, sizeof buf, "%.3f s", double(ns) / 1e9);
    else
        std::snprintf(buf, sizeof buf, "%.1f ms", double(ns) / 1e6);
    return buf;
}

std::string describe(const TcpEvent& e)
{
    const std::string frames = " (frames " + std::to_string(e.firstFrame) + "–" + std::to_string(e.lastFrame) + ")";
    switch (e.kind) {
    case TcpEvent::Kind::ZeroWindow:
        return "zero window advertised by " + e.by + " for " + humanDuration(std::int64_t(e.endNs - e.startNs)) +
               ", " + std::to_string(e.count) + " probe" + (e.count == 1 ? "" : "s") + frames;
    case TcpEvent::Kind::Retransmission: {
        char rto[32];
        std::snprintf(rto, sizeof rto, "%.3f s", e.rtoSeconds);
        return std::to_string(e.count) + " retransmission" + (e.count == 1 ? "" : "s") + ", RTO up to " + rto +
               frames;
    }
    case TcpEvent::Kind::WindowFull:
        return std::to_string(e.count) + " segment" + (e.count == 1 ? "" : "s") + " filling the peer's window" +
               frames;
    case TcpEvent::Kind::DelayedAck:
        return std::to_string(e.count) + " Nagle/delayed-ACK stall" + (e.count == 1 ? "" : "s") + ", " +
               humanDuration(std::int64_t(e.totalNs)) + " waiting for delayed ACKs from " + e.by + frames;
    case TcpEvent::Kind::IdleRestart:
        return "idle " + humanDuration(std::int64_t(e.endNs - e.startNs)) + " before the request, then " +
               std::to_string(e.bytes) + " bytes from " + e.by +
               ": slow start after idle (the congestion window restarts from 10 segments)" + frames;
    }
    return {};
}

bool parseDuration(const std::string& text, std::uint64_t* ns)
{
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !(v >= 0) || v > 1e9)
        return false;
    const std::string unit(end);
    double scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1e9;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "m")
        scale = 60e9;
    else
        return false;
    *ns = std::uint64_t(std::llround(v * scale));
    return true;
}

LatencyTap::LatencyTap(const std::string& filter)
    : FieldTap(std::vector<const char*>(std::begin(kFields), std::end(kFields)), filter)
{
}

void LatencyTap::onFrame(packet_info* pinfo, epan_dissect_t* edt)
{
    if (pinfo->net_src.type != AT_IPv4 && pinfo->net_src.type != AT_IPv6)
        return;
    const std::uint64_t ns = std::uint64_t(pinfo->abs_ts.secs) * 1000000000u + std::uint64_t(pinfo->abs_ts.nsecs);
    if (first(edt, "tcp.stream"))
        tcp(pinfo, edt, ns);
    if (first(edt, "dns.id"))
        dns(pinfo, edt, ns);
}

void LatencyTap::tcp(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns)
{
    const auto id = std::uint32_t(number(edt, "tcp.stream"));
    const bool fresh = streams_.find(id) == streams_.end();
    Stream& s = streams_[id];
    const std::string src = endpoint(pinfo->net_src, pinfo->srcport);
    const std::string dst = endpoint(pinfo->net_dst, pinfo->destport);
    if (fresh) {
        // The SYN's sender is the client; without the handshake, the higher port.
        const bool syn = number(edt, "tcp.flags.syn") != 0, ack = number(edt, "tcp.flags.ack") != 0;
        const bool srcIsClient = syn ? !ack : pinfo->srcport > pinfo->destport;
        s.client = srcIsClient ? src : dst;
        s.server = srcIsClient ? dst : src;
        s.clientAddr = addressOnly(srcIsClient ? pinfo->net_src : pinfo->net_dst);
        s.serverAddr = addressOnly(srcIsClient ? pinfo->net_dst : pinfo->net_src);
        s.serverPort = std::uint16_t(srcIsClient ? pinfo->destport : pinfo->srcport);
    }
    const bool fromClient = src == s.client;
    // The helper attributes a packet to the process of the local end: the server's when
    // the client's packets come in (direction 1) or the server's go out (2).
    if (s.pid == 0 && first(edt, "proc.pid")) {
        const auto direction = number(edt, "frame.packet_flags_direction");
        s.pid = std::uint32_t(number(edt, "proc.pid"));
        s.process = text(edt, "proc.name") + "[" + std::to_string(s.pid) + "]";
        s.localIsServer = (fromClient && direction == 1) || (!fromClient && direction == 2);
    }
    if (s.rttNs < 0)
        s.rttNs = secondsToNs(text(edt, "tcp.analysis.initial_rtt"));
    Packet p{};
    p.frame = pinfo->num;
    p.ns = ns;
    p.fromClient = fromClient;
    p.len = std::uint32_t(number(edt, "tcp.len"));
    p.window = std::uint32_t(number(edt, "tcp.window_size"));
    p.zeroWindow = first(edt, "tcp.analysis.zero_window") != nullptr;
    p.probe = first(edt, "tcp.analysis.zero_window_probe") != nullptr;
    p.retransmission = first(edt, "tcp.analysis.retransmission") || first(edt, "tcp.analysis.fast_retransmission");
    p.windowFull = first(edt, "tcp.analysis.window_full") != nullptr;
    p.syn = number(edt, "tcp.flags.syn") != 0;
    p.fin = number(edt, "tcp.flags.fin") != 0;
    p.rto = first(edt, "tcp.analysis.rto") ? std::strtod(text(edt, "tcp.analysis.rto").c_str(), nullptr) : 0;
    s.packets.push_back(p);
    if (p.len > 0 && !p.retransmission && !p.probe && (!s.anyData || s.lastDataFromClient != fromClient)) {
        (fromClient ? s.clientRunNs : s.serverRunNs) = ns;
        (fromClient ? s.clientRunFrame : s.serverRunFrame) = pinfo->num;
        s.lastDataFromClient = fromClient;
        s.anyData = true;
    }
    http(pinfo, edt, ns, id, s);
    tls(pinfo, edt, ns, id, s);
}

void LatencyTap::http(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns, std::uint32_t streamId, Stream& s)
{
    if (const std::string method = text(edt, "http.request.method"); !method.empty()) {
        Pending p;
        p.t.kind = "HTTP";
        p.t.what = method + " " + text(edt, "http.request.uri");
        p.t.client = s.client;
        p.t.server = s.server;
        p.t.stream = streamId;
        const bool run = s.anyData && s.lastDataFromClient;
        p.t.startNs = run ? s.clientRunNs : ns;
        p.t.firstFrame = run ? s.clientRunFrame : pinfo->num;
        p.requestEndNs = ns;
        httpPending_[pinfo->num] = p;
    }
    if (text(edt, "http.response.code").empty())
        return;
    const auto found = httpPending_.find(std::uint32_t(number(edt, "http.request_in")));
    if (found == httpPending_.end())
        return;
    Transaction t = found->second.t;
    const std::uint64_t requestEnd = found->second.requestEndNs;
    httpPending_.erase(found);
    t.what += " → " + text(edt, "http.response.code");
    t.endNs = ns;
    t.lastFrame = pinfo->num;
    const std::uint64_t responseStart = s.serverRunNs >= requestEnd ? s.serverRunNs : requestEnd;
    t.clientSendNs = std::int64_t(requestEnd - t.startNs);
    t.serverNs = std::int64_t(responseStart - requestEnd);
    t.transferNs = std::int64_t(ns - responseStart);
    t.rttNs = s.rttNs;
    done_.push_back(std::move(t));
}

void LatencyTap::tls(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns, std::uint32_t streamId, Stream& s)
{
    const std::vector<std::string> types = texts(edt, "tls.handshake.type");
    if (has(types, "1")) { // ClientHello
        Pending p;
        p.t.kind = "TLS";
        const std::string name = text(edt, "tls.handshake.extensions_server_name");
        p.t.what = "handshake" + (name.empty() ? std::string() : " with " + name);
        p.t.client = s.client;
        p.t.server = s.server;
        p.t.stream = streamId;
        p.t.startNs = ns;
        p.t.firstFrame = pinfo->num;
        p.requestEndNs = 0;
        tlsPending_[streamId] = p;
        return;
    }
    const auto found = tlsPending_.find(streamId);
    if (found == tlsPending_.end())
        return;
    Pending& p = found->second;
    const bool fromClient = endpoint(pinfo->net_src, pinfo->srcport) == s.client;
    if (has(types, "2") && !fromClient && !p.requestEndNs) // ServerHello
        p.requestEndNs = ns;
    // Done when the client sends its first application-data record: TLS 1.3's encrypted
    // Finished (an opaque type 23), TLS 1.2's first data after its Finished.
    if (!fromClient ||
        (!has(texts(edt, "tls.record.content_type"), "23") && !has(texts(edt, "tls.record.opaque_type"), "23")))
        return;
    Transaction t = p.t;
    t.endNs = ns;
    t.lastFrame = pinfo->num;
    if (p.requestEndNs) {
        t.serverNs = std::int64_t(p.requestEndNs - t.startNs);
        t.transferNs = std::int64_t(ns - p.requestEndNs);
    }
    t.rttNs = s.rttNs;
    tlsPending_.erase(found);
    done_.push_back(std::move(t));
}

void LatencyTap::dns(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns)
{
    const bool response = number(edt, "dns.flags.response") != 0;
    const std::string src = endpoint(pinfo->net_src, pinfo->srcport);
    const std::string dst = endpoint(pinfo->net_dst, pinfo->destport);
    const std::string key = (response ? dst : src) + " " + text(edt, "dns.id") + " " + text(edt, "dns.qry.name");
    if (!response) {
        auto [it, inserted] = dnsPending_.try_emplace(key);
        if (!inserted) { // the query again: a retry
            ++it->second.requestEndNs;
            return;
        }
        Transaction& t = it->second.t;
        t.kind = "DNS";
        t.what = text(edt, "dns.qry.name");
        t.client = src;
        t.server = dst;
        t.startNs = ns;
        t.firstFrame = pinfo->num;
        if (first(edt, "tcp.stream"))
            t.stream = std::uint32_t(number(edt, "tcp.stream"));
        return;
    }
    const auto found = dnsPending_.find(key);
    if (found == dnsPending_.end())
        return;
    Transaction t = found->second.t;
    const std::uint64_t retries = found->second.requestEndNs;
    dnsPending_.erase(found);
    if (retries)
        t.what += " (" + std::to_string(retries) + (retries == 1 ? " retry)" : " retries)");
    t.endNs = ns;
    t.lastFrame = pinfo->num;
    t.serverNs = std::int64_t(ns - t.startNs);
    done_.push_back(std::move(t));
}

ConnectionEvents LatencyTap::eventsOf(std::uint32_t streamId, std::uint64_t fromNs, std::uint64_t toNs) const
{
    ConnectionEvents out;
    const auto found = streams_.find(streamId);
    if (found == streams_.end())
        return out;
    const Stream& s = found->second;
    out.stream = streamId;
    out.client = s.client;
    out.server = s.server;
    // Zero windows per advertising side: from the advertisement to the side's next
    // non-zero window (or the connection's last packet).
    TcpEvent open[2];
    bool isOpen[2] = {false, false};
    auto close = [&](int side, std::uint64_t endNs, std::uint32_t frame) {
        TcpEvent e = open[side];
        isOpen[side] = false;
        e.endNs = std::min(endNs, toNs);
        e.lastFrame = frame;
        e.startNs = std::max(e.startNs, fromNs);
        if (e.startNs <= toNs && endNs >= fromNs && e.endNs >= e.startNs)
            out.events.push_back(e);
    };
    TcpEvent retrans, full;
    retrans.kind = TcpEvent::Kind::Retransmission;
    full.kind = TcpEvent::Kind::WindowFull;
    retrans.count = full.count = 0;
    for (const Packet& p : s.packets) {
        const int side = p.fromClient ? 0 : 1;
        if (isOpen[side] && !p.zeroWindow && p.window > 0)
            close(side, p.ns, p.frame);
        if (p.zeroWindow && !isOpen[side]) {
            open[side] = TcpEvent();
            open[side].startNs = p.ns;
            open[side].firstFrame = p.frame;
            open[side].by = p.fromClient ? s.client : s.server;
            open[side].count = 0;
            isOpen[side] = true;
        }
        if (p.probe && isOpen[1 - side])
            ++open[1 - side].count;
        if (p.ns < fromNs || p.ns > toNs)
            continue;
        for (TcpEvent* e : {p.retransmission ? &retrans : nullptr, p.windowFull ? &full : nullptr}) {
            if (!e)
                continue;
            if (e->count++ == 0) {
                e->firstFrame = p.frame;
                e->startNs = p.ns;
            }
            e->lastFrame = p.frame;
            e->endNs = p.ns;
            e->by = p.fromClient ? s.client : s.server;
        }
        if (p.retransmission)
            retrans.rtoSeconds = std::max(retrans.rtoSeconds, p.rto);
    }
    for (int side = 0; side < 2; ++side)
        if (isOpen[side])
            close(side, s.packets.back().ns, s.packets.back().frame);
    if (retrans.count)
        out.events.push_back(retrans);
    if (full.count)
        out.events.push_back(full);
    delayedAcks(s, fromNs, toNs, out);
    return out;
}

// Nagle meets delayed ACK: a segment, then the peer's bare ACK only after ≥ 30 ms (Linux
// delays ACKs 40 ms and more), then the sender's next segment at once (≤ 2 ms): it was
// held back waiting for that ACK.
void LatencyTap::delayedAcks(const Stream& s, std::uint64_t fromNs, std::uint64_t toNs, ConnectionEvents& out)
{
    constexpr std::uint64_t kDelayedNs = 30000000, kPromptNs = 2000000;
    TcpEvent e;
    e.kind = TcpEvent::Kind::DelayedAck;
    e.count = 0;
    const auto& p = s.packets;
    for (std::size_t i = 0; i + 2 < p.size(); ++i) {
        const Packet &data = p[i], &ack = p[i + 1], &next = p[i + 2];
        if (data.ns < fromNs || next.ns > toNs || data.len == 0 || data.retransmission)
            continue;
        if (ack.fromClient == data.fromClient || ack.len != 0 || ack.syn || ack.fin || ack.ns - data.ns < kDelayedNs)
            continue;
        if (next.fromClient != data.fromClient || next.len == 0 || next.ns - ack.ns > kPromptNs)
            continue;
        const std::string& acker = ack.fromClient ? s.client : s.server;
        if (e.count++ == 0) {
            e.firstFrame = data.frame;
            e.startNs = data.ns;
            e.by = acker;
        } else if (e.by != acker) {
            e.by = "both ends";
        }
        e.lastFrame = next.frame;
        e.endNs = next.ns;
        e.totalNs += ack.ns - data.ns;
    }
    if (e.count)
        out.events.push_back(e);
}

// Slow start after idle: a connection idle longer than an RTO (Linux: 200 ms at least)
// restarts from the initial congestion window (10 segments), so a response larger than that
// takes extra round trips.
void LatencyTap::idleRestart(const Stream& s, const Transaction& t, ConnectionEvents& out)
{
    constexpr std::uint64_t kIdleNs = 200000000, kInitialWindowBytes = 10 * 1460;
    const Packet* before = nullptr;
    std::uint64_t bytes = 0;
    for (const Packet& p : s.packets) {
        if (p.ns < t.startNs || (p.ns == t.startNs && p.frame < t.firstFrame))
            before = &p;
        else if (p.ns <= t.endNs && !p.fromClient && !p.retransmission)
            bytes += p.len;
    }
    if (!before || t.startNs - before->ns < kIdleNs + std::uint64_t(std::max<std::int64_t>(s.rttNs, 0)) ||
        bytes <= kInitialWindowBytes)
        return;
    TcpEvent e;
    e.kind = TcpEvent::Kind::IdleRestart;
    e.startNs = before->ns;
    e.endNs = t.startNs;
    e.firstFrame = before->frame;
    e.lastFrame = t.firstFrame;
    e.by = s.server;
    e.bytes = bytes;
    out.events.push_back(e);
}

// This connection's TCP events, then those of the connections the serving process (or, with
// no process known, the server's host) had open meanwhile; the largest stall is the cause.
void LatencyTap::explain(Transaction& t) const
{
    const auto self = t.kind == "DNS" && !t.stream ? streams_.end() : streams_.find(t.stream);
    if (self != streams_.end()) {
        ConnectionEvents mine = eventsOf(t.stream, t.startNs, t.endNs);
        if (t.kind == "HTTP")
            idleRestart(self->second, t, mine);
        mine.relation = "this connection";
        t.connections.push_back(std::move(mine));
        const std::uint32_t serverPid = self->second.localIsServer ? self->second.pid : 0;
        if (serverPid)
            t.serverProcess = self->second.process;
        for (const auto& [id, other] : streams_) {
            if (id == t.stream || other.packets.empty() || other.packets.front().ns > t.endNs ||
                other.packets.back().ns < t.startNs)
                continue;
            std::string relation;
            if (serverPid && other.pid == serverPid)
                relation = "same process " + t.serverProcess;
            else if (!serverPid && other.clientAddr == self->second.serverAddr)
                relation = "same host";
            else
                continue;
            ConnectionEvents events = eventsOf(id, t.startNs, t.endNs);
            if (events.events.empty())
                continue;
            events.relation = relation;
            t.connections.push_back(std::move(events));
        }
    }
    std::string filter;
    for (const auto& c : t.connections)
        filter += (filter.empty() ? "" : " ") + std::to_string(c.stream);
    t.filter = t.connections.empty()
                   ? "frame.number in {" + std::to_string(t.firstFrame) + " " + std::to_string(t.lastFrame) + "}"
                   : "tcp.stream in {" + filter + "}";
    // The cause: the longest zero window, else retransmissions, else Nagle/delayed-ACK stalls
    // (the most waiting), else a restart after idle — each ranked by the time it cost.
    const auto rank = [](TcpEvent::Kind k) {
        switch (k) {
        case TcpEvent::Kind::ZeroWindow: return 4;
        case TcpEvent::Kind::Retransmission: return 3;
        case TcpEvent::Kind::DelayedAck: return 2;
        case TcpEvent::Kind::IdleRestart: return 1;
        case TcpEvent::Kind::WindowFull: return 0;
        }
        return 0;
    };
    const auto cost = [](const TcpEvent& e) {
        return e.kind == TcpEvent::Kind::DelayedAck ? e.totalNs : e.endNs - e.startNs;
    };
    const TcpEvent* best = nullptr;
    const ConnectionEvents* where = nullptr;
    for (const auto& c : t.connections)
        for (const auto& e : c.events)
            if (rank(e.kind) > 0 &&
                (!best || rank(e.kind) > rank(best->kind) || (rank(e.kind) == rank(best->kind) && cost(e) > cost(*best)))) {
                best = &e;
                where = &c;
            }
    if (!best)
        return;
    const std::string on = " on " + where->client + " → " + where->server + " (" + where->relation + ")";
    if (best->kind == TcpEvent::Kind::ZeroWindow) {
        t.cause = humanDuration(std::int64_t(cost(*best))) + " zero window advertised by " + best->by + on;
    } else if (best->kind == TcpEvent::Kind::Retransmission) {
        char rto[64];
        std::snprintf(rto, sizeof rto, "%.3f s", best->rtoSeconds);
        t.cause = std::to_string(best->count) + " retransmission" + (best->count == 1 ? "" : "s") + " (RTO up to " +
                  rto + ")" + on;
    } else {
        const std::string text = describe(*best);
        t.cause = text.substr(0, text.rfind(" (frames")) + on;
    }
}

std::vector<Transaction> LatencyTap::slow(std::uint64_t minNs, std::map<std::string, std::size_t>* total) const
{
    std::vector<Transaction> out;
    for (const Transaction& t : done_) {
        if (total)
            ++(*total)[t.kind];
        if (t.totalNs() < minNs)
            continue;
        out.push_back(t);
        explain(out.back());
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Transaction& a, const Transaction& b) { return a.totalNs() > b.totalNs(); });
    return out;
}

} // namespace ss::latency
