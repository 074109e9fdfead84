// SPDX-License-Identifier: GPL-2.0-or-later
// The span logic of `export otlp` on hand-made packets: pairing, parents, kinds, ends.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "otlp_exporter.h"
#include "span_builder.h"

#include <cstdlib>
#include <string>
#include <vector>

using namespace ss::otlp;

namespace {

struct Recorder {
    std::vector<Span> spans;
    SpanBuilder builder{[this](Span&& s) { spans.push_back(std::move(s)); }};
    const Span* named(const std::string& name) const
    {
        for (const Span& s : spans)
            if (s.name == name)
                return &s;
        return nullptr;
    }
};

PacketFacts tcp(std::uint32_t frame, std::uint64_t ms, bool fromClient, const char* flags, std::uint32_t stream = 0)
{
    PacketFacts p;
    p.frame = frame;
    p.timeNs = ms * 1000000;
    p.tcp = true;
    p.stream = stream;
    p.src = fromClient ? "10.0.0.1" : "10.0.0.2";
    p.dst = fromClient ? "10.0.0.2" : "10.0.0.1";
    p.srcPort = fromClient ? 40000 : 80;
    p.dstPort = fromClient ? 80 : 40000;
    const std::string f = flags;
    p.syn = f.find('S') != std::string::npos;
    p.ack = f.find('A') != std::string::npos;
    p.fin = f.find('F') != std::string::npos;
    p.rst = f.find('R') != std::string::npos;
    return p;
}

std::string text(const Span& s, const std::string& key)
{
    const AttributeValue* v = s.attribute(key);
    if (!v)
        return "(none)";
    if (const auto* str = std::get_if<std::string>(v))
        return *str;
    if (const auto* i = std::get_if<std::int64_t>(v))
        return std::to_string(*i);
    return "?";
}

} // namespace

TEST_CASE("An HTTP exchange is a child span of its connection, timed from request to response")
{
    Recorder r;
    r.builder.add(tcp(1, 0, true, "S"));
    r.builder.add(tcp(2, 1, false, "SA"));
    r.builder.add(tcp(3, 2, true, "A"));
    PacketFacts request = tcp(4, 3, true, "A");
    request.httpRequest = true;
    request.method = "POST";
    request.uri = "/api/v1/orders?id=7";
    request.host = "shop.example:8080";
    request.version = "HTTP/1.1";
    request.pod = "web-1";
    request.ns = "shop";
    request.pid = 4242;
    request.process = "python3";
    request.direction = 2; // outbound: the capture is the client's
    r.builder.add(request);
    PacketFacts response = tcp(5, 13, false, "A");
    response.httpResponse = true;
    response.status = 503;
    response.requestIn = 4;
    r.builder.add(response);
    REQUIRE(r.spans.size() == 1); // the connection is still open
    r.builder.add(tcp(6, 20, true, "FA"));
    r.builder.add(tcp(7, 21, false, "FA"));
    r.builder.add(tcp(8, 22, true, "A"));
    REQUIRE(r.spans.size() == 2);
    const Span* http = r.named("POST");
    const Span* connection = r.named("TCP connection");
    REQUIRE(http);
    REQUIRE(connection);
    CHECK(http->traceId == connection->traceId);
    CHECK(http->parentSpanId == connection->spanId);
    CHECK_FALSE(connection->hasParent());
    CHECK(http->endNs - http->startNs == 10000000);
    CHECK(connection->startNs == 0);
    CHECK(connection->endNs == 22000000);
    CHECK(http->kind == SpanKind::Client);
    CHECK(text(*http, "url.path") == "/api/v1/orders");
    CHECK(text(*http, "url.query") == "id=7");
    CHECK(text(*http, "server.address") == "shop.example");
    CHECK(text(*http, "server.port") == "80");
    CHECK(text(*http, "http.response.status_code") == "503");
    CHECK(text(*http, "network.protocol.version") == "1.1");
    CHECK(text(*http, "k8s.pod.name") == "web-1");
    CHECK(text(*http, "k8s.namespace.name") == "shop");
    CHECK(text(*http, "process.pid") == "4242");
    CHECK(text(*http, "process.executable.name") == "python3");
    CHECK(http->error);
    CHECK(text(*connection, "k8s.pod.name") == "web-1");
}

TEST_CASE("A connection seen from the server's side is a SERVER span, a reset an error")
{
    Recorder r;
    PacketFacts syn = tcp(1, 0, true, "S");
    syn.direction = 1; // the client's SYN came in: the capture is the server's
    r.builder.add(syn);
    PacketFacts resent = tcp(2, 5, true, "A");
    resent.retransmission = true;
    r.builder.add(resent);
    r.builder.add(tcp(3, 9, false, "RA"));
    REQUIRE(r.spans.size() == 1);
    const Span& s = r.spans.front();
    CHECK(s.kind == SpanKind::Server);
    CHECK(s.error);
    CHECK(s.statusMessage == "reset by the server");
    CHECK(text(s, "stratoshark.tcp.retransmissions") == "1");
    REQUIRE(s.events.size() == 2);
    CHECK(s.events[0].name == "tcp.retransmission");
    CHECK(s.events[1].name == "tcp.reset");
    CHECK(text(s, "network.peer.address") == "10.0.0.1"); // the server's peer is the client
}

TEST_CASE("Late packets of an ended connection make no second span; a new SYN on the stream does")
{
    Recorder r;
    r.builder.add(tcp(1, 0, true, "S"));
    r.builder.add(tcp(2, 1, false, "RA"));
    r.builder.add(tcp(3, 2, false, "RA")); // a second reset
    CHECK(r.spans.size() == 1);
    r.builder.add(tcp(4, 3, true, "S"));
    r.builder.finish();
    CHECK(r.spans.size() == 2);
}

TEST_CASE("Unanswered requests and queries end at finish(), as errors")
{
    Recorder r;
    PacketFacts request = tcp(1, 0, true, "A", 3);
    request.httpRequest = true;
    request.method = "GET";
    request.uri = "/";
    r.builder.add(request);
    PacketFacts query;
    query.frame = 2;
    query.timeNs = 1;
    query.udp = true;
    query.dns = true;
    query.dnsName = "example.test";
    query.src = "10.0.0.1";
    query.dst = "10.0.0.53";
    query.srcPort = 5353;
    query.dstPort = 53;
    r.builder.add(query);
    r.builder.finish();
    REQUIRE(r.spans.size() == 3);
    const Span* http = r.named("GET");
    const Span* dns = r.named("DNS query");
    REQUIRE(http);
    REQUIRE(dns);
    CHECK(http->error);
    CHECK(http->statusMessage == "no response in the capture");
    CHECK(dns->error);
    CHECK(text(*dns, "network.transport") == "udp");
    CHECK(text(*dns, "dns.question.name") == "example.test");
    CHECK(r.builder.counts().http == 1);
    CHECK(r.builder.counts().dns == 1);
    CHECK(r.builder.counts().tcp == 1);
}

TEST_CASE("A DNS answer pairs with its query; NXDOMAIN is an answer, SERVFAIL an error")
{
    Recorder r;
    for (int rcode : {3, 2}) {
        PacketFacts query;
        query.frame = std::uint32_t(10 + rcode * 2);
        query.timeNs = 1000;
        query.dns = true;
        query.udp = true;
        query.dnsName = "x.test";
        r.builder.add(query);
        PacketFacts answer = query;
        answer.frame = query.frame + 1;
        answer.timeNs = 5000;
        answer.dnsResponse = true;
        answer.dnsRequestIn = query.frame;
        answer.rcode = rcode;
        r.builder.add(answer);
    }
    REQUIRE(r.spans.size() == 2);
    CHECK_FALSE(r.spans[0].error);
    CHECK(r.spans[1].error);
    CHECK(r.spans[0].endNs - r.spans[0].startNs == 4000);
}

TEST_CASE("The traces URL: --endpoint is a base URL, the environment as OpenTelemetry's exporters read it")
{
    unsetenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    unsetenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    CHECK(tracesUrl("") == "http://localhost:4318/v1/traces");
    CHECK(tracesUrl("http://collector:4318/") == "http://collector:4318/v1/traces");
    setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318", 1);
    CHECK(tracesUrl("") == "http://otel:4318/v1/traces");
    CHECK(tracesUrl("http://mine:4318") == "http://mine:4318/v1/traces");
    setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://otel:4318/custom/traces", 1);
    CHECK(tracesUrl("") == "http://otel:4318/custom/traces");
    unsetenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    unsetenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
}

TEST_CASE("The encoded request is OTLP's protobuf: a span's ids and name at their field numbers")
{
    Span s;
    s.traceId.fill(0xab);
    s.spanId.fill(0xcd);
    s.name = "GET";
    const std::string bytes = encodeRequest({s}, "svc");
    // trace_id: field 1, length-delimited (0x0a), 16 bytes; span_id: field 2 (0x12), 8 bytes.
    CHECK(bytes.find(std::string("\x0a\x10") + std::string(16, '\xab')) != std::string::npos);
    CHECK(bytes.find(std::string("\x12\x08") + std::string(8, '\xcd')) != std::string::npos);
    CHECK(bytes.find("\x2a\x03GET") != std::string::npos); // name: field 5
    CHECK(bytes.find("svc") != std::string::npos);
}
