// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <optional>
#include <string>

#include "channel.h"
#include "error.h"

namespace ss::ipc {

// Where a helper listens: `unix:PATH` (or an absolute PATH) on this machine, or
// `tls://HOST:PORT` on a node ([v6]:PORT for IPv6 literals).
struct Endpoint {
    enum class Kind { Unix, Tls } kind = Kind::Unix;
    std::string path; // Unix
    std::string host; // Tls
    std::string port; // Tls
    // How people name it: the path, or HOST:PORT.
    std::string text() const { return kind == Kind::Unix ? path : (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port; }
};

// nullopt with *error saying what is expected.
std::optional<Endpoint> parseEndpoint(const std::string& spec, std::string* error);

// A connected socket (TCP connect bounded by `deadline`). Throws ConnectError("reach the
// helper", where, reason) with the errno when there is one.
class ConnectError : public EngineError {
public:
    ConnectError(const std::string& where, const std::string& reason, int code = 0)
        : EngineError("reach the helper", where, reason), code_(code)
    {
    }
    int code() const { return code_; }

private:
    int code_;
};
UniqueFd connectSocket(const Endpoint& endpoint, Deadline deadline);

// "HOST:PORT" / "[v6]:PORT" / ":PORT" → host ("" = any) and port; false when malformed.
bool splitHostPort(const std::string& text, std::string* host, std::string* port);

} // namespace ss::ipc
