// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "buffer_budget.h"
#include "capture_request.h"
#include "channel.h"
#include "ipc_framing.h"
#include "spool.h"
#include "tls.h"

namespace ss::helper {

// Bounds on what one client can hold (docs/IPC.md): a client is hostile until it has sent
// whole, valid requests in time.
struct SessionLimits {
    unsigned sessions = 128;               // connections in all
    unsigned perClient = 32;               // per uid (Unix) or per address (TLS); root: no limit
    std::chrono::milliseconds hello{5000}; // TLS handshake + Hello, or one whole request, in this time
    std::chrono::milliseconds idle{60000}; // between requests
    std::size_t queuedBytes = 64u << 20;   // capture data waiting for a slow client; past it packets are dropped (counted)
    std::chrono::milliseconds endDrain{5000}; // after the end, for the client to take what is queued
    std::uint64_t bufferBytes = 1ull << 30;   // the packet rings of all clients' captures together
};

// What every session shares (read-only, or thread-safe itself).
struct SessionContext {
    CaptureContext capture;
    Spool* spool = nullptr;
    SessionLimits limits;
    gid_t group = 0;        // the Unix socket's group (resolved once, at start)
    std::string groupName;
    bool verbose = false;
    const std::atomic<bool>* stopping = nullptr; // the helper is shutting down
    std::atomic<std::uint64_t>* capturesRunning = nullptr; // clients' captures now (for --metrics)
    BufferBudget* buffers = nullptr; // limits.bufferBytes, shared; null: unbounded (tests)
};

// Who is on the other end, for the log and for the spool's owners.
struct Peer {
    std::string who;   // "uid 1000 (pid 42)", "10.1.0.3:51234 CN=alice"
    std::string owner; // "uid1000", "CN=alice"
    bool root = false; // uid 0 on the Unix socket
    bool verbose = false;
    // One line on the helper's stderr (the journal), whole; client text already printable().
    void log(const std::string& line, bool always = true) const;
};

// One client connection, from its first byte to its close: authorization (peer credentials
// or the TLS handshake), Hello, then requests until it hangs up, idles out or the helper
// stops. Owns its connection; never throws out of run().
class ClientSession {
public:
    // A Unix socket client (peer credentials checked in run()).
    ClientSession(const SessionContext& context, ipc::UniqueFd socket);
    // A TCP client of the TLS listener; `address` is "ip:port".
    ClientSession(const SessionContext& context, ipc::UniqueFd socket, const ipc::TlsServer* tls, std::string address);
    ~ClientSession();
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    void run() noexcept;

private:
    bool authorizeLocal();
    bool handshakeTls();
    bool hello();
    void serveRequests();
    void listInterfaces();
    void capture(const pb::StartCapture& request);
    void validate(const pb::StartCapture& request);
    void listSpooled();
    void stopSpooled(const pb::StopSpooled& request);
    void fetchSpooled(const pb::FetchSpooled& request);
    // Sends an Error (logged); the conversation goes on.
    void sendError(pb::Error::Code code, const std::string& message, const std::string& field = {});
    // Sends an Error (logged), then ends the conversation politely.
    void refuse(pb::Error::Code code, const std::string& message, const std::string& field = {});
    bool send(const pb::Response& response);
    void lingerAndClose();

    const SessionContext& context_;
    ipc::UniqueFd socket_;              // until the channel owns it
    const ipc::TlsServer* tls_ = nullptr;
    std::string address_;
    std::optional<ipc::Channel> channel_;
    Peer peer_;
};

} // namespace ss::helper
