// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "cluster.h"
#include "epan_includes.h"
#include "field_tap.h"

namespace ss::policy {

// One connection attempt seen in a capture and what became of it.
struct Connection {
    enum class Outcome { Established, Reset, TimedOut, Answered, Unanswered };
    std::string protocol; // "TCP", "UDP"
    Ip client, server;
    std::uint16_t clientPort = 0, serverPort = 0;
    std::uint32_t stream = 0; // tcp.stream, or the order UDP flows were seen in
    std::uint32_t firstFrame = 0, lastFrame = 0, frames = 0;
    bool handshakeSeen = false; // a SYN started it inside the capture
    bool synAck = false, clientAcked = false, serverData = false, clientData = false, serverReset = false;
    std::string verdict; // Cilium's, where a flow record describes it ("FORWARDED", "DROPPED")
    std::uint32_t verdictFrame = 0;
    Outcome outcome() const;
    std::string filter() const; // a display filter showing its packets
};

// An epan tap on every frame, folding TCP streams and UDP flows into Connections and
// learning pods from the capture's own metadata (k8s.* on packets, Hubble endpoints).
class ConnectionTap : public FieldTap {
public:
    explicit ConnectionTap(Cluster& cluster); // throws EngineError

    // Connections in the order they started.
    std::vector<Connection> connections() const;

private:
    void onFrame(packet_info* pinfo, epan_dissect_t* edt) override;
    void tally(packet_info* pinfo, epan_dissect_t* edt);
    void flowRecord(packet_info* pinfo, epan_dissect_t* edt);
    Connection* find(const std::string& proto, const Ip& a, std::uint16_t ap, const Ip& b, std::uint16_t bp);

    Cluster& cluster_;
    std::vector<Connection> connections_;
    std::map<std::uint32_t, std::size_t> tcpStreams_;
    std::map<std::tuple<std::string, Ip, std::uint16_t, Ip, std::uint16_t>, std::size_t> byTuple_;
};

} // namespace ss::policy
