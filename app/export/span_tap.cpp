// SPDX-License-Identifier: GPL-2.0-or-later
#include "span_tap.h"

#include <cstdlib>
#include <iterator>

namespace ss::otlp {
namespace {

// The fields a span is made of (PacketFacts).
const char* const kFields[] = {
    "frame.packet_flags_direction", "tcp.stream", "tcp.flags", "tcp.analysis.retransmission",
    "tcp.analysis.zero_window", "tcp.analysis.initial_rtt", "http.request", "http.response",
    "http.request.method", "http.request.uri", "http.host", "http.request.version", "http.response.code",
    "http.request_in", "dns.flags", "dns.qry.name", "dns.response_to", "dns.flags.rcode",
    "k8s.pod", "k8s.ns", "proc.pid", "proc.name",
};

} // namespace

SpanTap::SpanTap(SpanBuilder& builder, const std::string& filter)
    : FieldTap(std::vector<const char*>(std::begin(kFields), std::end(kFields)), filter), builder_(builder)
{
}

void SpanTap::onFrame(packet_info* pinfo, epan_dissect_t* edt)
{
    builder_.add(facts(pinfo, edt));
}

PacketFacts SpanTap::facts(packet_info* pinfo, epan_dissect_t* edt) const
{
    const auto field = [&](const char* name) { return first(edt, name); };
    PacketFacts p;
    p.frame = pinfo->num;
    p.timeNs = std::uint64_t(pinfo->abs_ts.secs) * 1000000000u + std::uint64_t(pinfo->abs_ts.nsecs);
    p.direction = int(number(field("frame.packet_flags_direction")));
    if (pinfo->net_src.type != AT_NONE) {
        p.src = address_to_str(pinfo->pool, &pinfo->net_src);
        p.dst = address_to_str(pinfo->pool, &pinfo->net_dst);
    }
    p.srcPort = std::uint16_t(pinfo->srcport);
    p.dstPort = std::uint16_t(pinfo->destport);
    p.tcp = pinfo->ptype == PT_TCP;
    p.udp = pinfo->ptype == PT_UDP;
    if (p.tcp) {
        p.stream = std::uint32_t(number(field("tcp.stream")));
        const std::uint64_t flags = number(field("tcp.flags"));
        p.fin = flags & 0x01;
        p.syn = flags & 0x02;
        p.rst = flags & 0x04;
        p.ack = flags & 0x10;
        p.retransmission = field("tcp.analysis.retransmission") != nullptr;
        p.zeroWindow = field("tcp.analysis.zero_window") != nullptr;
        if (const field_info* rtt = field("tcp.analysis.initial_rtt"))
            p.initialRttS = std::strtod(text(rtt).c_str(), nullptr);
    }
    p.httpRequest = field("http.request") != nullptr && field("http.request.method") != nullptr;
    p.httpResponse = field("http.response") != nullptr && field("http.request_in") != nullptr;
    if (p.httpRequest) {
        p.method = text(field("http.request.method"));
        p.uri = text(field("http.request.uri"));
        p.host = text(field("http.host"));
        p.version = text(field("http.request.version"));
    }
    if (p.httpResponse) {
        p.status = int(number(field("http.response.code")));
        p.requestIn = std::uint32_t(number(field("http.request_in")));
    }
    if (const field_info* dnsFlags = field("dns.flags")) {
        p.dns = true;
        p.dnsResponse = number(dnsFlags) & 0x8000;
        p.dnsName = text(field("dns.qry.name"));
        p.dnsRequestIn = std::uint32_t(number(field("dns.response_to")));
        if (p.dnsResponse)
            p.rcode = int(number(field("dns.flags.rcode")));
    }
    p.pod = text(field("k8s.pod"));
    p.ns = text(field("k8s.ns"));
    p.process = text(field("proc.name"));
    if (const field_info* pid = field("proc.pid"))
        p.pid = std::int64_t(number(pid));
    return p;
}

} // namespace ss::otlp
