// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "channel.h"
#include "endpoint.h"
#include "helper.pb.h"

namespace ss::ipc {

class TlsClient;
namespace pb = stratoshark::helper::v1;

// Why a helper could not be used: unreachable, refused (with the helper's code), broken
// mid-conversation, or of another protocol version. The text is whole ("the helper at
// node-b:7443 refused the certificate CN=eve: not in its allowed clients").
class HelperError : public std::runtime_error {
public:
    enum class Kind { Unreachable, Refused, Broken, Version };
    HelperError(Kind kind, std::string where, const std::string& text, pb::Error::Code code = pb::Error::UNSPECIFIED)
        : std::runtime_error(text), kind_(kind), code_(code), where_(std::move(where))
    {
    }
    Kind kind() const { return kind_; }
    pb::Error::Code code() const { return code_; }
    const std::string& where() const { return where_; }

private:
    Kind kind_;
    pb::Error::Code code_;
    std::string where_;
};

// The words for a refusal the helper at `where` sent.
std::string describeRefusal(const std::string& where, const pb::Error& error);

// One helper, connected and greeted (Hello/HelloReply with the same protocol version).
class HelperClient {
public:
    // `tls` is needed for tls:// endpoints. Throws HelperError.
    HelperClient(const Endpoint& endpoint, const TlsClient* tls, const std::string& clientName,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

    const std::string& where() const { return where_; }
    const std::string& nodeName() const { return nodeName_; }
    Channel& channel() { return channel_; }

    std::vector<pb::Interface> listInterfaces(); // throws HelperError
    // Checks a capture request as the helper would before starting it: the warnings it
    // would give, or throws HelperError (Refused, with the helper's code) for a refusal.
    std::vector<std::string> validate(const pb::StartCapture& request);
    void send(const pb::Request& request);     // throws HelperError
    // The next response, waiting up to the timeout; a helper's Error is thrown as Refused.
    pb::Response read();
    // The next response without turning an Error into an exception.
    pb::Response readAny();

private:
    static Channel open(const Endpoint& endpoint, const TlsClient* tls, std::chrono::milliseconds timeout);

    std::string where_;
    std::chrono::milliseconds timeout_;
    Channel channel_;
    std::string nodeName_;
};

} // namespace ss::ipc
