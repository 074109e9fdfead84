// SPDX-License-Identifier: GPL-2.0-or-later
#include "latency_command.h"

#include "epan_runtime.h"
#include "error.h"
#include "latency_tap.h"
#include "read_command.h"
#include "ss_dissectors.h"

#include <getopt.h>

#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

namespace ss::cli {
namespace {

using latency::humanDuration;
using latency::TcpEvent;
using latency::Transaction;

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark latency -r FILE [--min DURATION] [-Y FILTER] [-T text|json]\n"
               "HTTP requests, DNS queries and TLS handshakes that took at least --min (default 1s;\n"
               "500ms, 2.5s, 0 for all), slowest first, each broken down from the packets: client\n"
               "send, network RTT (the TCP handshake), server time, response transfer, and the TCP\n"
               "stalls (zero window and how long, retransmissions and their RTO, window full) on\n"
               "its connection and on the connections the serving process (or host) had open.\n",
               out);
}

const char* kindName(TcpEvent::Kind k)
{
    switch (k) {
    case TcpEvent::Kind::ZeroWindow: return "zero window";
    case TcpEvent::Kind::Retransmission: return "retransmission";
    case TcpEvent::Kind::WindowFull: return "window full";
    case TcpEvent::Kind::DelayedAck: return "delayed ack";
    case TcpEvent::Kind::IdleRestart: return "slow start after idle";
    }
    return "?";
}

nlohmann::json toJson(const Transaction& t)
{
    auto ms = [](std::int64_t ns) { return ns < 0 ? nlohmann::json() : nlohmann::json(double(ns) / 1e6); };
    nlohmann::json connections = nlohmann::json::array();
    for (const auto& c : t.connections) {
        nlohmann::json events = nlohmann::json::array();
        for (const auto& e : c.events)
            events.push_back({{"kind", kindName(e.kind)}, {"by", e.by}, {"count", e.count},
                              {"duration_ms", double(e.endNs - e.startNs) / 1e6}, {"rto_s", e.rtoSeconds},
                              {"waited_ms", double(e.totalNs) / 1e6}, {"bytes", e.bytes},
                              {"first_frame", e.firstFrame}, {"last_frame", e.lastFrame}});
        connections.push_back({{"tcp_stream", c.stream}, {"client", c.client}, {"server", c.server},
                               {"relation", c.relation}, {"events", events}});
    }
    return {{"kind", t.kind}, {"what", t.what}, {"client", t.client}, {"server", t.server},
            {"total_ms", double(t.totalNs()) / 1e6}, {"client_send_ms", ms(t.clientSendNs)},
            {"rtt_ms", ms(t.rttNs)}, {"server_ms", ms(t.serverNs)}, {"transfer_ms", ms(t.transferNs)},
            {"server_process", t.serverProcess}, {"first_frame", t.firstFrame}, {"last_frame", t.lastFrame},
            {"connections", connections}, {"cause", t.cause}, {"filter", t.filter}};
}

void printText(const Transaction& t)
{
    std::printf("%s %s  %s → %s  %s  (frames %u–%u)\n", t.kind.c_str(), t.what.c_str(), t.client.c_str(),
                t.server.c_str(), humanDuration(std::int64_t(t.totalNs())).c_str(), t.firstFrame, t.lastFrame);
    auto line = [](const char* name, std::int64_t ns, const char* note = "") {
        if (ns >= 0)
            std::printf("  %-18s %10s%s\n", name, humanDuration(ns).c_str(), note);
    };
    line("client send", t.clientSendNs);
    line("network RTT", t.rttNs, "  (TCP handshake)");
    line(t.kind == "TLS" ? "to ServerHello" : t.kind == "DNS" ? "answer" : "server time", t.serverNs,
         t.serverProcess.empty() ? "" : ("  (" + t.serverProcess + ")").c_str());
    line(t.kind == "TLS" ? "rest of handshake" : "response transfer", t.transferNs);
    for (const auto& c : t.connections) {
        if (c.events.empty()) {
            std::printf("  %s (%s → %s): no TCP stall\n", c.relation.c_str(), c.client.c_str(), c.server.c_str());
            continue;
        }
        std::printf("  %s (%s → %s, tcp.stream %u):\n", c.relation.c_str(), c.client.c_str(), c.server.c_str(),
                    c.stream);
        for (const auto& e : c.events)
            std::printf("    %s\n", latency::describe(e).c_str());
    }
    if (!t.cause.empty())
        std::printf("  cause: %s\n", t.cause.c_str());
    std::printf("  filter: %s\n\n", t.filter.c_str());
}

} // namespace

int runLatency(int argc, char** argv, const char* program)
{
    ReadOptions read;
    read.quiet = true;
    std::string filter;
    std::string format = "text";
    std::uint64_t minNs = 1000000000u;
    enum { kMin = 1000, kHelp };
    const option longOptions[] = {{"min", required_argument, nullptr, kMin},
                                  {"help", no_argument, nullptr, kHelp},
                                  {nullptr, 0, nullptr, 0}};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "r:Y:T:h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case 'r': read.readFile = optarg; break;
        case 'Y': filter = optarg; break;
        case 'T': format = optarg; break;
        case kMin:
            if (!latency::parseDuration(optarg, &minNs)) {
                std::fprintf(stderr, "stratoshark: latency: --min \"%s\" is not a duration (1s, 500ms, 2.5s)\n",
                             optarg);
                return 1;
            }
            break;
        case 'h':
        case kHelp: usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind < argc || read.readFile.empty() || (format != "text" && format != "json")) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: latency reads one file (-r) and prints text or json\n");
        return 1;
    }
    int status = 0;
    std::vector<Transaction> slow;
    std::map<std::string, std::size_t> totals;
    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        EpanRuntime runtime(program, runtimeOptions);
        std::unique_ptr<latency::LatencyTap> tap;
        status = runReadWithTap(runtime, read, tap, [&] { return std::make_unique<latency::LatencyTap>(filter); });
        if (!tap)
            return status ? status : 2;
        slow = tap->slow(minNs, &totals);
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
    if (format == "json") {
        nlohmann::json out{{"min_ms", double(minNs) / 1e6}, {"totals", totals}, {"slow", nlohmann::json::array()}};
        for (const auto& t : slow)
            out["slow"].push_back(toJson(t));
        std::printf("%s\n", out.dump(2).c_str());
        return status;
    }
    std::printf("Transactions of at least %s: %zu slow of", humanDuration(std::int64_t(minNs)).c_str(), slow.size());
    const char* sep = " ";
    for (const auto& [kind, n] : totals) {
        std::printf("%s%zu %s", sep, n, kind.c_str());
        sep = ", ";
    }
    std::printf("%s\n\n", totals.empty() ? " no HTTP, DNS or TLS transactions" : "");
    for (const auto& t : slow)
        printText(t);
    return status;
}

} // namespace ss::cli
