// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace ss::otlp {

// What one dissected packet says, as far as spans need it (filled by SpanTap from epan's
// fields; plain data so that the span logic is tested without epan).
struct PacketFacts {
    std::uint32_t frame = 0;
    std::uint64_t timeNs = 0;            // the packet's time, ns since the Unix epoch
    int direction = 0;                   // pcapng's: 0 unknown, 1 inbound, 2 outbound
    std::string src, dst;                // addresses (IPv4 or IPv6 text)
    std::uint16_t srcPort = 0, dstPort = 0;
    bool tcp = false, udp = false;
    // TCP
    std::uint32_t stream = 0;            // tcp.stream
    bool syn = false, ack = false, fin = false, rst = false;
    bool retransmission = false, zeroWindow = false;
    double initialRttS = -1;             // tcp.analysis.initial_rtt, where epan gives it
    // HTTP
    bool httpRequest = false, httpResponse = false;
    std::string method, uri, host, version;
    int status = 0;
    std::uint32_t requestIn = 0;         // http.request_in, on a response
    // DNS
    bool dns = false, dnsResponse = false;
    std::string dnsName;
    std::uint32_t dnsRequestIn = 0;      // dns.response_to, on a response
    int rcode = -1;
    // Who sent or received it (our dissectors' proc.* and k8s.* fields)
    std::string pod, ns, process;
    std::int64_t pid = -1;
};

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
struct Attribute {
    std::string key;
    AttributeValue value;
};

enum class SpanKind { Internal = 1, Server = 2, Client = 3 };

struct SpanEvent {
    std::uint64_t timeNs = 0;
    std::string name;
    std::vector<Attribute> attributes;
};

struct Span {
    std::array<std::uint8_t, 16> traceId{};
    std::array<std::uint8_t, 8> spanId{}, parentSpanId{}; // parent all zero: a root span
    std::string name;
    SpanKind kind = SpanKind::Client;
    std::uint64_t startNs = 0, endNs = 0;
    std::vector<Attribute> attributes;
    std::vector<SpanEvent> events;
    bool error = false;
    std::string statusMessage;

    bool hasParent() const;
    const AttributeValue* attribute(const std::string& key) const;
};

// Spans for what the packets show (docs/OTLP.md): one per TCP connection (handshake to close,
// with its retransmissions, zero windows and resets as events), one per HTTP request/response
// pair as a child of its connection's span, one per DNS query/answer. Attribute names are
// OpenTelemetry's current semantic conventions. Packets arrive in capture order; a span is
// handed to the sink when it ends (a connection's close, a response) or at finish().
class SpanBuilder {
public:
    using Sink = std::function<void(Span&&)>;
    explicit SpanBuilder(Sink sink);

    void add(const PacketFacts& packet);
    void finish(); // ends every open span at the last packet's time

    struct Counts {
        std::uint64_t tcp = 0, http = 0, dns = 0;
    };
    const Counts& counts() const { return counts_; }

private:
    struct Endpoint {
        std::string address;
        std::uint16_t port = 0;
    };
    struct Owner {
        std::string pod, ns, process;
        std::int64_t pid = -1;
    };
    struct Connection {
        Span span;
        std::uint32_t stream = 0;
        Endpoint client, server;
        Owner owner;
        bool finFromClient = false, finFromServer = false, closed = false;
        std::uint64_t retransmissions = 0, zeroWindows = 0;
        std::uint64_t lastNs = 0;
    };
    struct Pending { // an HTTP request or DNS query awaiting its answer
        Span span;
        Endpoint client, server;
        Owner owner;
        const char* transport = "tcp";
    };

    void addTcp(const PacketFacts& p);
    void addHttp(const PacketFacts& p);
    void addDns(const PacketFacts& p);
    Connection& connection(const PacketFacts& p);
    void endConnection(Connection& c, std::uint64_t endNs);
    void endPending(Pending&& pending, std::uint64_t endNs);
    SpanKind kindFor(int direction, bool fromClient) const;
    void commonAttributes(Span& span, const Endpoint& client, const Endpoint& server, const char* transport,
                          const Owner& owner) const;
    static void learnOwner(Owner& owner, const PacketFacts& p);
    void newIds(Span& span, const Span* parent);

    Sink sink_;
    std::mt19937_64 random_;
    std::map<std::uint32_t, Connection> connections_; // by tcp.stream
    std::set<std::uint32_t> ended_;                   // streams whose connection span was sent
    std::map<std::uint32_t, Pending> http_;           // by the request's frame
    std::map<std::uint32_t, Pending> dns_;            // by the query's frame
    std::uint64_t lastNs_ = 0;
    Counts counts_;
};

} // namespace ss::otlp
