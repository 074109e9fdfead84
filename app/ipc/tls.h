// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channel.h"

struct ssl_ctx_st;

namespace ss::ipc {

// PEM files: the CA that signs the peer's certificate, our certificate and its key.
struct TlsFiles {
    std::string ca;
    std::string cert;
    std::string key;
    // Client only: the name the helpers' certificate must carry, instead of the address
    // connected to (one certificate shared by every node of a DaemonSet, as kubectl's
    // --tls-server-name).
    std::string serverName;
};

// The helper's side of TLS (OpenSSL): TLS 1.3 only, a client certificate required and
// signed by the client CA, its subject CN or a DNS/URI SAN among `allowedClients` when that
// list is not empty. No session tickets (a resumed session would skip the certificate).
class TlsServer {
public:
    TlsServer(const TlsFiles& files, std::vector<std::string> allowedClients); // throws EngineError
    ~TlsServer();
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    struct Accepted {
        std::optional<Channel> channel; // set when the handshake completed
        std::string peer;               // "CN=alice" when a certificate came
        // Why the client is refused, "" when it is not. With a channel the refusal can still
        // be told to the client in a message (the handshake finished, nothing is read from
        // it); without one the handshake itself failed (not TLS, TLS 1.2, …).
        std::string refusal;
    };
    // The handshake on an accepted TCP connection, bounded by `deadline`.
    Accepted accept(UniqueFd socket, Deadline deadline) const;

private:
    ssl_ctx_st* context_ = nullptr;
    std::vector<std::string> allowed_;
};

// The client's side: TLS 1.3, the helper's certificate signed by `files.ca` and naming the
// host connected to (DNS or IP SAN); ours presented when given.
class TlsClient {
public:
    explicit TlsClient(const TlsFiles& files); // throws EngineError naming the file
    const std::string& serverName() const { return serverName_; }
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    // Throws EngineError("TLS handshake", "host:port", reason).
    Channel connect(UniqueFd socket, const std::string& host, const std::string& where, Deadline deadline) const;

private:
    ssl_ctx_st* context_ = nullptr;
    std::string serverName_;
};

} // namespace ss::ipc
