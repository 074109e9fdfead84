// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_client.h"

#include "error.h"
#include "ipc_framing.h"
#include "tls.h"

#include <cerrno>

namespace ss::ipc {

std::string describeRefusal(const std::string& where, const pb::Error& error)
{
    if (error.code() == pb::Error::CERTIFICATE_REFUSED)
        return "the helper at " + where + " refused " + error.message();
    if (error.code() == pb::Error::UNSUPPORTED_VERSION)
        return "the helper at " + where + " speaks another protocol version: " + error.message() +
               " (use the same Stratoshark release on both sides)";
    return "the helper at " + where + " refused: " + error.message() + " (" + pb::Error::Code_Name(error.code()) + ")";
}

Channel HelperClient::open(const Endpoint& endpoint, const TlsClient* tls, std::chrono::milliseconds timeout)
{
    const std::string where = endpoint.text();
    const Deadline deadline = after(timeout);
    try {
        UniqueFd fd = connectSocket(endpoint, deadline);
        if (endpoint.kind == Endpoint::Kind::Unix)
            return Channel(std::move(fd));
        if (!tls)
            throw EngineError("reach the helper", where, "tls:// needs --tls-ca (and --tls-cert/--tls-key)");
        return tls->connect(std::move(fd), endpoint.host, where, deadline);
    } catch (const ConnectError& e) {
        std::string text = std::string("cannot reach the helper at ") + where + ": " + e.what();
        if (endpoint.kind == Endpoint::Kind::Unix)
            text += e.code() == EACCES ? " (only root and members of the helper's group may capture)"
                                       : " (is stratoshark-helper running?)";
        throw HelperError(HelperError::Kind::Unreachable, where, text);
    } catch (const EngineError& e) { // the TLS handshake, or our own files
        throw HelperError(HelperError::Kind::Refused, where, "TLS with the helper at " + where + " failed: " + e.what());
    }
}

HelperClient::HelperClient(const Endpoint& endpoint, const TlsClient* tls, const std::string& clientName,
                           std::chrono::milliseconds timeout)
    : where_(endpoint.text()), timeout_(timeout), channel_(open(endpoint, tls, timeout))
{
    pb::Request hello;
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->set_client(clientName);
    send(hello);
    const pb::Response reply = read();
    if (!reply.has_hello())
        throw HelperError(HelperError::Kind::Broken, where_, "the helper at " + where_ + " did not answer Hello");
    if (reply.hello().protocol_version() != kProtocolVersion)
        throw HelperError(HelperError::Kind::Version, where_,
                          "the helper at " + where_ + " speaks protocol version " +
                              std::to_string(reply.hello().protocol_version()) + ", this client " +
                              std::to_string(kProtocolVersion) + " (use the same Stratoshark release on both sides)",
                          pb::Error::UNSUPPORTED_VERSION);
    nodeName_ = reply.hello().node_name();
}

void HelperClient::send(const pb::Request& request)
{
    if (!writeMessage(channel_, request, after(timeout_)))
        throw HelperError(HelperError::Kind::Broken, where_,
                          "the helper at " + where_ + " closed the connection" +
                              (channel_.error().empty() ? "" : " (" + channel_.error() + ")"));
}

pb::Response HelperClient::readAny()
{
    pb::Response response;
    const ReadResult result = readMessage(channel_, response, kMaxResponseBytes, after(timeout_));
    if (result != ReadResult::Ok)
        throw HelperError(HelperError::Kind::Broken, where_,
                          "the helper at " + where_ + ": " + describe(result) +
                              (channel_.error().empty() ? "" : " (" + channel_.error() + ")"));
    return response;
}

pb::Response HelperClient::read()
{
    pb::Response response = readAny();
    if (response.has_error())
        throw HelperError(HelperError::Kind::Refused, where_, describeRefusal(where_, response.error()),
                          response.error().code());
    return response;
}

std::vector<std::string> HelperClient::validate(const pb::StartCapture& request)
{
    pb::Request r;
    *r.mutable_validate() = request;
    send(r);
    const pb::Response reply = read();
    if (!reply.has_validated())
        throw HelperError(HelperError::Kind::Broken, where_, "the helper at " + where_ + " did not answer the check");
    return {reply.validated().warnings().begin(), reply.validated().warnings().end()};
}

std::vector<pb::Interface> HelperClient::listInterfaces()
{
    pb::Request request;
    request.mutable_list_interfaces();
    send(request);
    const pb::Response reply = read();
    if (!reply.has_interfaces())
        throw HelperError(HelperError::Kind::Broken, where_, "the helper at " + where_ + " did not list interfaces");
    return {reply.interfaces().interfaces().begin(), reply.interfaces().interfaces().end()};
}

} // namespace ss::ipc
