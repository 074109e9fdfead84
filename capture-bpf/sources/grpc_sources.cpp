// SPDX-License-Identifier: GPL-2.0-or-later
#include "grpc_sources.h"

#include "observer.grpc.pb.h"
#include "tetragon.grpc.pb.h"
#include "wall_clock.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ss::sources {
namespace {

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const char* nameOf(events::EventSource kind)
{
    return kind == events::EventSource::Tetragon ? "tetragon" : "hubble";
}

} // namespace

StreamSource::StreamSource(EventHub& hub, events::EventSource kind, const std::string& address, const ipc::TlsFiles& tls)
    : hub_(hub), kind_(kind), address_(address), tls_(tls),
      counters_(hub.counters(std::string(nameOf(kind)) + " " + address))
{
    thread_ = std::thread([this] { loop(); });
}

StreamSource::~StreamSource()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        if (context_)
            context_->TryCancel();
    }
    wake_.notify_all();
    thread_.join();
}

std::string StreamSource::readStream()
{
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!tls_.ca.empty()) {
        grpc::SslCredentialsOptions options;
        options.pem_root_certs = readFile(tls_.ca);
        options.pem_cert_chain = tls_.cert.empty() ? std::string() : readFile(tls_.cert);
        options.pem_private_key = tls_.key.empty() ? std::string() : readFile(tls_.key);
        credentials = grpc::SslCredentials(options);
    }
    // gRPC names Unix sockets unix:PATH, which is what users give. Hubble Relay's
    // certificate names *.hubble-relay.cilium.io, not the address: --hubble-tls-server-name.
    grpc::ChannelArguments arguments;
    if (!tls_.serverName.empty())
        arguments.SetSslTargetNameOverride(tls_.serverName);
    auto channel = grpc::CreateCustomChannel(address_, credentials, arguments);
    grpc::ClientContext context;
    {
        std::lock_guard lock(mutex_);
        if (stop_)
            return "stopping";
        context_ = &context;
    }
    google::protobuf::util::JsonPrintOptions json;
    json.preserve_proto_field_names = true; // the names Tetragon's and Hubble's JSON exports use
    const auto deliver = [&](const google::protobuf::Message& message) {
        counters_.connected = true;
        std::string text;
        events::LiveEvent event;
        std::string why;
        if (!google::protobuf::util::MessageToJsonString(message, &text, json).ok() ||
            !events::convertEvent(kind_, text, wallClockNs(), &event, &why)) {
            ++counters_.unparsable;
            return;
        }
        ++counters_.received;
        hub_.publish({kind_, std::move(event), &counters_});
    };
    // Read() also stops on a message gRPC cannot parse, with the server still sending: the
    // call is cancelled so that Finish() returns, and that is counted as not understood.
    const auto finish = [&](auto& reader) {
        const bool cancelled = [&] {
            std::lock_guard lock(mutex_);
            return stop_;
        }();
        context.TryCancel();
        grpc::Status s = reader.Finish();
        if (s.error_code() == grpc::StatusCode::CANCELLED && !cancelled)
            return grpc::Status(grpc::StatusCode::INTERNAL, "a message that is not what the proto says");
        return s;
    };
    grpc::Status status;
    if (kind_ == events::EventSource::Tetragon) {
        auto stub = tetragon::FineGuidanceSensors::NewStub(channel);
        auto reader = stub->GetEvents(&context, tetragon::GetEventsRequest());
        tetragon::GetEventsResponse response;
        while (reader->Read(&response))
            deliver(response);
        status = finish(*reader);
    } else {
        auto stub = observer::Observer::NewStub(channel);
        observer::GetFlowsRequest request;
        request.set_follow(true);
        auto reader = stub->GetFlows(&context, request);
        observer::GetFlowsResponse response;
        while (reader->Read(&response))
            if (response.has_flow())
                deliver(response);
        status = finish(*reader);
    }
    {
        std::lock_guard lock(mutex_);
        context_ = nullptr;
    }
    counters_.connected = false;
    if (status.error_code() == grpc::StatusCode::INTERNAL)
        ++counters_.unparsable; // a message that is not what the proto says (gRPC could not parse it)
    return status.ok() ? "the server ended the stream" : status.error_message();
}

void StreamSource::loop()
{
    std::chrono::seconds backoff{1};
    for (;;) {
        const auto started = std::chrono::steady_clock::now();
        const std::string why = readStream();
        std::unique_lock lock(mutex_);
        if (stop_)
            return;
        if (std::chrono::steady_clock::now() - started > std::chrono::seconds(30))
            backoff = std::chrono::seconds(1); // it was up a while: try again soon
        std::fprintf(stderr, "stratoshark-helper: %s %s: %s; again in %lld s\n", nameOf(kind_), address_.c_str(),
                     why.c_str(), static_cast<long long>(backoff.count()));
        ++counters_.reconnects;
        if (wake_.wait_for(lock, backoff, [this] { return stop_; }))
            return;
        backoff = std::min(backoff * 2, std::chrono::seconds(30));
    }
}

} // namespace ss::sources
