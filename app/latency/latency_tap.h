// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "field_tap.h"

namespace ss::latency {

// A TCP event inside a slow transaction's time, on its own connection or on another
// connection of the serving process.
struct TcpEvent {
    enum class Kind { ZeroWindow, Retransmission, WindowFull, DelayedAck, IdleRestart };
    Kind kind = Kind::ZeroWindow;
    std::uint64_t startNs = 0, endNs = 0; // a zero window: advertised → reopened (clipped)
    std::uint32_t firstFrame = 0, lastFrame = 0;
    std::string by;         // the endpoint that advertised the zero window / sent the segment
    std::uint32_t count = 1; // retransmissions/window-full: how many; zero window: probes
    double rtoSeconds = 0;   // retransmissions: the longest RTO epan measured
    // Delayed-ACK stalls: their summed wait; idle restart: the bytes sent after the idle.
    std::uint64_t totalNs = 0, bytes = 0;
};

// The TCP events of one connection during a transaction.
struct ConnectionEvents {
    std::uint32_t stream = 0;
    std::string client, server; // "ip:port"
    std::string relation;       // "this connection", "same process python3[42]", "same host"
    std::vector<TcpEvent> events;
};

// A request slower than the threshold, with where its time went.
struct Transaction {
    std::string kind;  // "HTTP", "DNS", "TLS"
    std::string what;  // "GET /api/data", "example.org A", "handshake with example.org"
    std::string client, server;
    std::uint32_t stream = 0; // tcp.stream (TCP kinds)
    std::uint32_t firstFrame = 0, lastFrame = 0;
    std::uint64_t startNs = 0, endNs = 0;
    // The breakdown, nanoseconds; -1 where the packets do not tell.
    std::int64_t clientSendNs = -1, rttNs = -1, serverNs = -1, transferNs = -1;
    std::string serverProcess; // "python3[42]" when the packets say
    std::vector<ConnectionEvents> connections; // this one first, then the server's others
    std::string cause;  // the largest TCP stall, in words; empty when none
    std::string filter; // shows every packet involved
    std::uint64_t totalNs() const { return endNs - startNs; }
};

// One pass over a capture (frames passing an optional display filter) that finds HTTP
// request/response pairs, DNS queries and TLS handshakes, and keeps per TCP connection what
// the breakdown needs: data runs, the handshake RTT, zero windows with their duration,
// retransmissions with their RTO, window-full segments, and the owning process.
class LatencyTap : public FieldTap {
public:
    explicit LatencyTap(const std::string& filter); // throws EngineError

    // Transactions that took at least `minNs`, slowest first; `total` counts all of them by kind.
    std::vector<Transaction> slow(std::uint64_t minNs, std::map<std::string, std::size_t>* total = nullptr) const;

private:
    struct Packet {
        std::uint32_t frame;
        std::uint64_t ns;
        bool fromClient;
        std::uint32_t len;
        std::uint32_t window;
        bool zeroWindow, probe, retransmission, windowFull, syn, fin;
        double rto;
    };
    struct Stream {
        std::string client, server;   // "ip:port"
        std::string clientAddr, serverAddr;
        std::uint16_t serverPort = 0;
        std::string process;          // "name[pid]" of the local end's process, when known
        std::uint32_t pid = 0;
        bool localIsServer = false;   // the capture was on the server's side
        std::int64_t rttNs = -1;
        std::vector<Packet> packets;
        // The start of the current data run from each side (first payload after the other's).
        std::uint64_t clientRunNs = 0, serverRunNs = 0;
        std::uint32_t clientRunFrame = 0, serverRunFrame = 0;
        bool lastDataFromClient = false;
        bool anyData = false;
    };
    struct Pending { // a request whose response has not come yet
        Transaction t;
        std::uint64_t requestEndNs = 0;
    };
    void onFrame(packet_info* pinfo, epan_dissect_t* edt) override;
    void tcp(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns);
    void dns(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns);
    void http(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns, std::uint32_t streamId, Stream& s);
    void tls(packet_info* pinfo, epan_dissect_t* edt, std::uint64_t ns, std::uint32_t streamId, Stream& s);
    ConnectionEvents eventsOf(std::uint32_t streamId, std::uint64_t fromNs, std::uint64_t toNs) const;
    static void delayedAcks(const Stream& s, std::uint64_t fromNs, std::uint64_t toNs, ConnectionEvents& out);
    static void idleRestart(const Stream& s, const Transaction& t, ConnectionEvents& out);
    void explain(Transaction& t) const;

    std::map<std::uint32_t, Stream> streams_;
    std::map<std::uint32_t, Pending> httpPending_; // request frame → request
    std::map<std::string, Pending> dnsPending_;    // "client id" → query
    std::map<std::uint32_t, Pending> tlsPending_;  // stream → ClientHello
    std::vector<Transaction> done_;
};

// "2.345 s", "12.3 ms", "0.4 ms".
std::string humanDuration(std::int64_t ns);
// "zero window advertised by 10.0.0.2:5432 for 1.502 s, 3 probes (frames 9–20)".
std::string describe(const TcpEvent& e);
// Parses "1s", "500ms", "2.5s", "1m", "250us" (a bare number is seconds); false when not a duration.
bool parseDuration(const std::string& text, std::uint64_t* ns);

} // namespace ss::latency
