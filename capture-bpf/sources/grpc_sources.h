// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "event_hub.h"
#include "tls.h"

namespace grpc {
class ClientContext;
}

namespace ss::sources {

// A client of a server-streaming gRPC call that the node's agent serves (Tetragon's
// GetEvents, Hubble's GetFlows): on a thread of its own, it connects, reads every message,
// prints it as JSON with the proto's field names (the same shape as those tools' JSON
// export, which the importer reads), turns it into our record and publishes it; when the
// server goes away it reconnects, waiting 1 s, 2 s, … up to 30 s between tries.
class StreamSource {
public:
    // `address`: unix:PATH or HOST:PORT; `tls` (optional): the CA and our certificate, for
    // Hubble Relay's mTLS.
    StreamSource(EventHub& hub, events::EventSource kind, const std::string& address, const ipc::TlsFiles& tls);
    ~StreamSource();
    StreamSource(const StreamSource&) = delete;
    StreamSource& operator=(const StreamSource&) = delete;

private:
    void loop();
    // One connection, until it ends; returns why.
    std::string readStream();

    EventHub& hub_;
    events::EventSource kind_;
    std::string address_;
    ipc::TlsFiles tls_;
    SourceCounters& counters_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    grpc::ClientContext* context_ = nullptr; // the call under way, to cancel it
    std::thread thread_;
};

} // namespace ss::sources
