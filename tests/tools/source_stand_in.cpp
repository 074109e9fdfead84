// SPDX-License-Identifier: GPL-2.0-or-later
// A stand-in for Tetragon's and Hubble's gRPC servers, built from the same subsets of their
// public protos the helper uses (capture-bpf/sources/proto): it serves
// FineGuidanceSensors.GetEvents or Observer.GetFlows and replays a file of JSON lines (the
// tools' own JSON export, as in tests/fixtures) to each client, then follows the file for
// lines the test appends. Two lines are not events but faults to send:
//   {"stand_in": "empty"}         a message with no event in it (valid protobuf, no event)
//   {"stand_in": "invalid-utf8"}  a message whose string is not UTF-8 (the client cannot parse it)
// Usage: source_stand_in tetragon|hubble ADDRESS EVENTS.jsonl   (ADDRESS: unix:PATH or HOST:PORT)
// Prints "listening" when it serves; ends on SIGTERM.
#include "observer.grpc.pb.h"
#include "tetragon.grpc.pb.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

namespace {

std::string g_file;

// Each line of the file, from the start, then as the test appends them, until the client
// goes away. `send` returns false when the stream is closed.
template <typename Message, typename Fill>
grpc::Status replay(grpc::ServerContext* context, grpc::ServerWriter<Message>* writer, Fill fill)
{
    std::ifstream in(g_file);
    std::string line;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true; // the fixtures carry fields our subset leaves out
    while (!context->IsCancelled()) {
        if (!std::getline(in, line)) {
            in.clear();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        Message message;
        if (line.find("\"stand_in\"") != std::string::npos) {
            if (line.find("invalid-utf8") != std::string::npos)
                fill(&message, std::string("\xff\xfe\xfd", 3));
            // "empty": the message as it is
        } else if (!google::protobuf::util::JsonStringToMessage(line, &message, options).ok()) {
            std::fprintf(stderr, "stand-in: skipped a line that is not a %s\n", Message::descriptor()->name().c_str());
            continue;
        }
        if (!writer->Write(message))
            break;
    }
    return grpc::Status::OK;
}

class Tetragon final : public tetragon::FineGuidanceSensors::Service {
    grpc::Status GetEvents(grpc::ServerContext* context, const tetragon::GetEventsRequest*,
                           grpc::ServerWriter<tetragon::GetEventsResponse>* writer) override
    {
        return replay(context, writer, [](tetragon::GetEventsResponse* m, const std::string& bad) {
            m->mutable_process_exec()->mutable_process()->set_binary(bad);
        });
    }
};

class Hubble final : public observer::Observer::Service {
    grpc::Status GetFlows(grpc::ServerContext* context, const observer::GetFlowsRequest*,
                          grpc::ServerWriter<observer::GetFlowsResponse>* writer) override
    {
        return replay(context, writer, [](observer::GetFlowsResponse* m, const std::string& bad) {
            m->mutable_flow()->set_node_name(bad);
        });
    }
};

std::unique_ptr<grpc::Server> g_server;

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4 && argc != 7) {
        std::fprintf(stderr, "usage: source_stand_in tetragon|hubble ADDRESS EVENTS.jsonl [CA CERT KEY]\n"
                             "(with CA CERT KEY: TLS, and clients must present a certificate CA signed,\n"
                             "as Hubble Relay's mTLS)\n");
        return 1;
    }
    const std::string kind = argv[1];
    g_file = argv[3];
    Tetragon tetragon;
    Hubble hubble;
    grpc::ServerBuilder builder;
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (argc == 7) {
        const auto read = [](const char* path) {
            std::ifstream in(path);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        grpc::SslServerCredentialsOptions tls(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
        tls.pem_root_certs = read(argv[4]);
        tls.pem_key_cert_pairs.push_back({read(argv[6]), read(argv[5])});
        credentials = grpc::SslServerCredentials(tls);
    }
    builder.AddListeningPort(argv[2], credentials);
    if (kind == "tetragon")
        builder.RegisterService(&tetragon);
    else
        builder.RegisterService(&hubble);
    g_server = builder.BuildAndStart();
    if (!g_server) {
        std::fprintf(stderr, "stand-in: cannot listen on %s\n", argv[2]);
        return 1;
    }
    std::signal(SIGTERM, [](int) { std::_Exit(0); });
    std::printf("listening\n");
    std::fflush(stdout);
    g_server->Wait();
    return 0;
}
