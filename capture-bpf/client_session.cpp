// SPDX-License-Identifier: GPL-2.0-or-later
#include "client_session.h"

#include "capture_stream.h"
#include "error.h"
#include "ebpf_filter.h"
#include "interfaces.h"
#include "k8s_metadata.h"
#include "read_file.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <poll.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <vector>

namespace ss::helper {
namespace {

// One of the kernel's counters of an interface; 0 when it cannot be read.
std::uint64_t counter(const std::string& interface, const char* name)
{
    if (interface.find('/') != std::string::npos)
        return 0;
    const auto text = readSmallFile("/sys/class/net/" + interface + "/statistics/" + name, 64);
    return text ? std::strtoull(text->c_str(), nullptr, 10) : 0;
}

} // namespace

void Peer::log(const std::string& line, bool always) const
{
    if (!always && !verbose)
        return;
    static std::mutex mutex; // one line at a time from the client threads
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "stratoshark-helper: %s: %s\n", who.c_str(), line.c_str());
}

ClientSession::ClientSession(const SessionContext& context, ipc::UniqueFd socket)
    : context_(context), socket_(std::move(socket))
{
    peer_.verbose = context.verbose;
}

ClientSession::ClientSession(const SessionContext& context, ipc::UniqueFd socket, const ipc::TlsServer* tls,
                             std::string address)
    : context_(context), socket_(std::move(socket)), tls_(tls), address_(std::move(address))
{
    peer_.verbose = context.verbose;
    peer_.who = address_;
}

ClientSession::~ClientSession() = default;

void ClientSession::run() noexcept
{
    try {
        if (tls_ ? handshakeTls() : authorizeLocal())
            if (hello())
                serveRequests();
    } catch (const std::exception& e) { // never let one client end the helper
        peer_.log(std::string("session ended by an error: ") + e.what());
    } catch (...) {
        peer_.log("session ended by an unknown error");
    }
    try {
        if (channel_)
            channel_->shutdown();
    } catch (...) {
    }
}

bool ClientSession::authorizeLocal()
{
    ucred cred{};
    socklen_t len = sizeof cred;
    const bool known = getsockopt(socket_.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0;
    channel_.emplace(std::move(socket_));
    peer_.who = known ? "uid " + std::to_string(cred.uid) + " (pid " + std::to_string(cred.pid) + ")" : "unknown peer";
    peer_.owner = "uid" + std::to_string(cred.uid);
    peer_.root = known && cred.uid == 0;
    bool allowed = peer_.root || (known && !context_.groupName.empty() && context_.group && cred.gid == context_.group) ||
                   (known && context_.capture.isCompanion && context_.capture.isCompanion(cred.pid, cred.uid));
    if (known && !allowed && context_.group) {
        // The peer's own supplementary groups as they were when it connected (SO_PEERGROUPS),
        // not the user database's: a process that dropped the group does not get it back.
        std::vector<gid_t> groups(64);
        socklen_t size = socklen_t(groups.size() * sizeof(gid_t));
        if (getsockopt(channel_->fd(), SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0 && errno == ERANGE) {
            groups.resize(size / sizeof(gid_t) + 1);
            size = socklen_t(groups.size() * sizeof(gid_t));
            if (getsockopt(channel_->fd(), SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0)
                size = 0;
        }
        for (std::size_t i = 0; i < size / sizeof(gid_t) && !allowed; ++i)
            allowed = groups[i] == context_.group;
    }
    if (!allowed)
        refuse(pb::Error::PERMISSION_DENIED,
               peer_.who + " may not capture: only root and members of group \"" + context_.groupName + "\" may");
    return allowed;
}

bool ClientSession::handshakeTls()
{
    ipc::TlsServer::Accepted accepted = tls_->accept(std::move(socket_), ipc::after(context_.limits.hello));
    if (!accepted.peer.empty())
        peer_.who = address_ + " " + accepted.peer;
    peer_.owner = accepted.peer.empty() ? address_ : accepted.peer;
    if (!accepted.channel) { // not TLS, TLS 1.2, a broken handshake: nothing to tell it in
        peer_.log("refused: " + accepted.refusal);
        return false;
    }
    channel_.emplace(std::move(*accepted.channel));
    if (accepted.refusal.empty())
        return true;
    // The handshake finished, so the refusal can be told in words; no request is read.
    refuse(pb::Error::CERTIFICATE_REFUSED,
           (accepted.peer.empty() ? std::string("the connection") : "the certificate " + accepted.peer) + ": " +
               accepted.refusal);
    return false;
}

bool ClientSession::hello()
{
    pb::Request request;
    const ipc::ReadResult result =
        ipc::readMessage(*channel_, request, ipc::kMaxRequestBytes, ipc::after(context_.limits.hello));
    if (result == ipc::ReadResult::Closed)
        return false;
    if (result == ipc::ReadResult::Timeout) {
        refuse(pb::Error::TIMEOUT, "no Hello within " + std::to_string(context_.limits.hello.count()) + " ms");
        return false;
    }
    if (result != ipc::ReadResult::Ok || !request.has_hello()) {
        refuse(pb::Error::BAD_REQUEST, "expected a Hello first");
        return false;
    }
    if (request.hello().protocol_version() != ipc::kProtocolVersion) {
        refuse(pb::Error::UNSUPPORTED_VERSION, "the client speaks protocol version " +
                                                   std::to_string(request.hello().protocol_version()) +
                                                   ", the helper " + std::to_string(ipc::kProtocolVersion));
        return false;
    }
    peer_.log("connected (" + printable(request.hello().client(), 100) + ")", false);
    pb::Response reply;
    reply.mutable_hello()->set_protocol_version(ipc::kProtocolVersion);
    reply.mutable_hello()->set_helper("stratoshark-helper");
    reply.mutable_hello()->set_node_name(context_.capture.nodeName);
    return send(reply);
}

void ClientSession::serveRequests()
{
    while (!context_.stopping->load()) {
        pb::Request request;
        // Idle clients wait in slices, so that a stopping helper is not held up by them.
        const auto idleEnd = ipc::after(context_.limits.idle);
        ipc::ReadResult result = ipc::ReadResult::Timeout;
        while (!context_.stopping->load() && ipc::Clock::now() < idleEnd) {
            if (!ipc::waitFor(channel_->fd(), POLLIN, std::min(idleEnd, ipc::after(std::chrono::milliseconds(200)))) &&
                !channel_->buffered())
                continue;
            // A request has begun: the whole of it within the hello time (slow senders lose).
            result = ipc::readMessage(*channel_, request, ipc::kMaxRequestBytes, ipc::after(context_.limits.hello));
            break;
        }
        if (result == ipc::ReadResult::Closed || result == ipc::ReadResult::Error)
            return;
        if (result == ipc::ReadResult::Timeout) {
            if (!context_.stopping->load())
                refuse(pb::Error::TIMEOUT, "no complete request in time");
            return;
        }
        if (result != ipc::ReadResult::Ok) {
            refuse(pb::Error::BAD_REQUEST,
                   result == ipc::ReadResult::TooLarge ? "request too large" : "request is not a valid message");
            return;
        }
        if (request.has_list_interfaces())
            listInterfaces();
        else if (request.has_start_capture())
            capture(request.start_capture());
        else if (request.has_validate())
            validate(request.validate());
        else if (request.has_list_spooled())
            listSpooled();
        else if (request.has_stop_spooled())
            stopSpooled(request.stop_spooled());
        else if (request.has_fetch_spooled())
            fetchSpooled(request.fetch_spooled());
        else if (request.has_stop())
            continue; // a Stop that crossed the end of a capture
        else {
            refuse(pb::Error::BAD_REQUEST, "unexpected request");
            return;
        }
    }
}

void ClientSession::listInterfaces()
{
    peer_.log("list interfaces", false);
    pb::Response r;
    ifaddrs* list = nullptr;
    std::set<std::string> seen;
    if (getifaddrs(&list) == 0) {
        for (ifaddrs* i = list; i; i = i->ifa_next) {
            if (!i->ifa_name || !seen.insert(i->ifa_name).second)
                continue;
            auto* out = r.mutable_interfaces()->add_interfaces();
            out->set_name(i->ifa_name);
            out->set_index(if_nametoindex(i->ifa_name));
            out->set_up(i->ifa_flags & IFF_UP);
            out->set_capturable(bpf::ethernetFramed(i->ifa_name));
            out->set_rx_packets(counter(i->ifa_name, "rx_packets"));
            out->set_tx_packets(counter(i->ifa_name, "tx_packets"));
        }
        freeifaddrs(list);
    }
    send(r);
}

void ClientSession::capture(const pb::StartCapture& request)
{
    CaptureSpec spec;
    try {
        spec = validateCapture(request, context_.capture);
    } catch (const Refusal& r) {
        sendError(r.code(), r.what(), r.field()); // the session goes on: the client may ask again
        return;
    }
    BufferBudget::Lease ring;
    if (context_.buffers && !(ring = context_.buffers->take(spec.pinnedBytes()))) {
        sendError(pb::Error::BUSY,
                  "the helper's captures hold " + std::to_string(context_.buffers->used() >> 20) + " MiB of its " +
                      std::to_string(context_.buffers->total() >> 20) +
                      " MiB of buffers (--max-buffer-total); ask for a smaller buffer or later",
                  "buffer_bytes");
        return;
    }
    struct Running { // counted while it runs, whatever ends it
        std::atomic<std::uint64_t>* n;
        explicit Running(std::atomic<std::uint64_t>* count) : n(count) { if (n) ++*n; }
        ~Running() { if (n) --*n; }
    } running(context_.capturesRunning);
    CaptureStream stream(spec, *channel_, peer_, context_);
    stream.run();
}

void ClientSession::validate(const pb::StartCapture& request)
{
    try {
        const CaptureSpec spec = validateCapture(request, context_.capture);
        pb::Response r;
        auto* validated = r.mutable_validated();
        if (!spec.metadataFilter.empty() && context_.capture.pods) {
            // The names the filter would be warned about, without loading anything.
            const bpf::EbpfFilter filter(spec.metadataFilter);
            bpf::CgroupDirectory cgroups;
            for (const std::string& w : filter.unknownNames(cgroups, *context_.capture.pods->current().pods))
                validated->add_warnings(w);
        }
        send(r);
    } catch (const Refusal& r) {
        sendError(r.code(), r.what(), r.field());
    }
}

void ClientSession::listSpooled()
{
    pb::Response r;
    if (context_.spool)
        for (const auto& c : context_.spool->list())
            *r.mutable_spooled()->add_captures() = c;
    send(r);
}

void ClientSession::stopSpooled(const pb::StopSpooled& request)
{
    if (!context_.spool || !context_.spool->enabled()) {
        sendError(pb::Error::NOT_FOUND, "this helper has no spool");
        return;
    }
    switch (context_.spool->stop(request.name(), peer_.owner, peer_.root)) {
    case Spool::StopResult::Stopped: {
        peer_.log("stops spooled capture " + printable(request.name(), 100));
        pb::Response r;
        r.mutable_spooled();
        send(r);
        return;
    }
    case Spool::StopResult::NotFound:
        sendError(pb::Error::NOT_FOUND, "no spooled capture " + printable(request.name(), 100));
        return;
    case Spool::StopResult::NotRunning:
        sendError(pb::Error::NOT_FOUND, "spooled capture " + printable(request.name(), 100) + " has ended already");
        return;
    case Spool::StopResult::NotYours:
        sendError(pb::Error::PERMISSION_DENIED, "spooled capture " + printable(request.name(), 100) + " is not yours");
        return;
    }
}

void ClientSession::fetchSpooled(const pb::FetchSpooled& request)
{
    std::string why;
    const int fd = context_.spool ? context_.spool->openForFetch(request.name(), &why) : -1;
    if (fd < 0) {
        sendError(pb::Error::NOT_FOUND, why.empty() ? "this helper has no spool" : printable(why, 300));
        return;
    }
    ipc::UniqueFd file(fd);
    struct stat st {};
    fstat(fd, &st);
    peer_.log("fetches spooled file " + printable(request.name(), 200));
    // One MiB a message; a file still being written is sent as far as it was when asked.
    std::uint64_t left = std::uint64_t(st.st_size);
    std::string chunk;
    bool first = true;
    do {
        chunk.resize(std::min<std::uint64_t>(left, 1u << 20));
        const ssize_t n = chunk.empty() ? 0 : read(fd, chunk.data(), chunk.size());
        if (n < 0) {
            sendError(pb::Error::NOT_FOUND, "reading " + printable(request.name(), 200) + ": " + std::strerror(errno));
            return;
        }
        chunk.resize(std::size_t(n));
        left = n == 0 ? 0 : left - std::uint64_t(n);
        pb::Response r;
        r.mutable_file()->set_data(chunk);
        r.mutable_file()->set_last(left == 0);
        if (first)
            r.mutable_file()->set_size(std::uint64_t(st.st_size));
        first = false;
        // Each message within the request timeout: a client that stops reading loses the copy.
        if (!send(r))
            return;
    } while (left);
}

bool ClientSession::send(const pb::Response& response)
{
    return ipc::writeMessage(*channel_, response, ipc::after(context_.limits.hello));
}

void ClientSession::sendError(pb::Error::Code code, const std::string& message, const std::string& field)
{
    peer_.log("refused (" + pb::Error::Code_Name(code) + "): " + printable(message));
    pb::Response r;
    r.mutable_error()->set_code(code);
    r.mutable_error()->set_message(message);
    r.mutable_error()->set_field(field);
    send(r);
}

void ClientSession::refuse(pb::Error::Code code, const std::string& message, const std::string& field)
{
    sendError(code, message, field);
    lingerAndClose();
}

// After a refusal: stop writing and let the client's last bytes arrive (briefly), so that
// closing does not reset the connection before the client has read why.
void ClientSession::lingerAndClose()
{
    channel_->shutdown();
    ::shutdown(channel_->fd(), SHUT_WR);
    const auto deadline = ipc::after(std::chrono::milliseconds(500));
    char sink[4096];
    for (int rounds = 0; rounds < 64 && ipc::waitFor(channel_->fd(), POLLIN, deadline); ++rounds) {
        std::size_t n = 0;
        if (channel_->readSome(sink, sizeof sink, &n) != ipc::Channel::Io::Done)
            break;
    }
    channel_.reset();
}

} // namespace ss::helper
