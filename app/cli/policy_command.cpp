// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy_command.h"

#include "connection_tap.h"
#include "epan_runtime.h"
#include "error.h"
#include "network_policy.h"
#include "policy_engine.h"
#include "read_command.h"
#include "ss_dissectors.h"

#include <getopt.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

namespace ss::cli {
namespace {

using policy::Connection;

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark policy verify --policy FILE.yaml [--policy FILE.yaml]... -r CAPTURE\n"
               "                                [--pods PODS.json] [-T text|json]\n"
               "Judges every TCP connection and UDP flow of the capture by the Kubernetes NetworkPolicies\n"
               "(networking.k8s.io/v1) and compares that with what happened: established, reset or timed\n"
               "out, and Cilium's verdict where a Hubble flow describes it.\n"
               "  --policy FILE   NetworkPolicy objects (YAML, several documents or a List)\n"
               "  --pods FILE     `kubectl get pods,namespaces -A -o json`: pod labels, addresses and\n"
               "                  named ports, namespace labels (pods are also learnt from the capture's\n"
               "                  k8s.* metadata and Hubble flows)\n"
               "  -T text|json    the report's format (text)\n"
               "Exit status: 0 all agree, 1 at least one mismatch, 2 unusable input.\n",
               out);
}

const char* outcomeName(Connection::Outcome o)
{
    switch (o) {
    case Connection::Outcome::Established: return "established";
    case Connection::Outcome::Reset: return "reset";
    case Connection::Outcome::TimedOut: return "timed out";
    case Connection::Outcome::Answered: return "answered";
    case Connection::Outcome::Unanswered: return "unanswered";
    }
    return "";
}

struct Judged {
    Connection c;
    policy::Decision decision;
    std::string clientPod, serverPod;
    std::string observed;
    std::string result; // ok, denied-but-established, allowed-but-dropped, not-a-pod
};

// Policy against what happened. The dangerous mismatch is traffic the policies deny that got through.
std::string compare(const Connection& c, const policy::Decision& d, bool podInvolved)
{
    const bool packets = c.frames > 0;
    const auto o = c.outcome();
    const bool through = c.verdict == "FORWARDED" ||
                         (packets && (o == Connection::Outcome::Established || o == Connection::Outcome::Answered));
    const bool dropped = c.verdict == "DROPPED" || (packets && o == Connection::Outcome::TimedOut);
    if (!d.allowed && through)
        return "denied-but-established";
    if (d.allowed && dropped && podInvolved)
        return "allowed-but-dropped";
    return podInvolved ? "ok" : "not-a-pod";
}

std::string endpoint(const policy::Ip& ip, std::uint16_t port)
{
    const std::string a = policy::ipText(ip);
    return (ip.size() == 16 ? "[" + a + "]" : a) + ":" + std::to_string(port);
}

} // namespace

int runPolicy(int argc, char** argv, const char* program)
{
    if (argc < 2 || std::strcmp(argv[1], "verify") != 0) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: policy knows one action: verify\n");
        return 2;
    }
    --argc;
    ++argv;
    std::vector<std::string> policyFiles;
    std::string podsFile;
    std::string format = "text";
    ReadOptions read;
    read.quiet = true;
    enum { kPolicy = 1000, kPods, kHelp };
    const option longOptions[] = {{"policy", required_argument, nullptr, kPolicy},
                                  {"pods", required_argument, nullptr, kPods},
                                  {"help", no_argument, nullptr, kHelp},
                                  {nullptr, 0, nullptr, 0}};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "r:T:h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case 'r': read.readFile = optarg; break;
        case 'T': format = optarg; break;
        case kPolicy: policyFiles.emplace_back(optarg); break;
        case kPods: podsFile = optarg; break;
        case 'h':
        case kHelp: usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || read.readFile.empty() || policyFiles.empty() || (format != "text" && format != "json")) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: policy verify needs --policy, -r, and -T text or json\n");
        return 2;
    }

    std::vector<policy::NetworkPolicy> policies;
    policy::Cluster cluster;
    try {
        for (const auto& f : policyFiles) {
            auto loaded = policy::loadPolicies(f);
            policies.insert(policies.end(), loaded.begin(), loaded.end());
        }
        if (!podsFile.empty())
            cluster.loadKubectlJson(podsFile);
    } catch (const policy::PolicyError& e) {
        std::fprintf(stderr, "stratoshark: policy verify: %s\n", e.what());
        return 2;
    }
    const std::size_t podsGiven = cluster.podCount();

    std::vector<Connection> connections;
    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        EpanRuntime runtime(program, runtimeOptions);
        std::unique_ptr<policy::ConnectionTap> tap;
        const int status =
            runReadWithTap(runtime, read, tap, [&] { return std::make_unique<policy::ConnectionTap>(cluster); });
        if (status != 0)
            return 2;
        connections = tap->connections();
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }

    std::vector<Judged> judged;
    std::size_t deniedThrough = 0, allowedDropped = 0;
    for (const auto& c : connections) {
        Judged j{c, policy::decide(policies, cluster, c.client, c.server, c.protocol, c.serverPort), {}, {}, {}, {}};
        const policy::Pod* from = cluster.podByIp(c.client);
        const policy::Pod* to = cluster.podByIp(c.server);
        j.clientPod = from ? from->ns + "/" + from->name : "";
        j.serverPod = to ? to->ns + "/" + to->name : "";
        j.observed = c.frames ? outcomeName(c.outcome()) : "no packets";
        j.result = compare(c, j.decision, from || to);
        deniedThrough += j.result == "denied-but-established";
        allowedDropped += j.result == "allowed-but-dropped";
        judged.push_back(std::move(j));
    }
    const std::size_t mismatches = deniedThrough + allowedDropped;

    if (format == "json") {
        nlohmann::json out;
        out["policies"] = policies.size();
        out["pods"] = cluster.podCount();
        out["pods_from_capture"] = cluster.podCount() - podsGiven;
        out["mismatches"] = mismatches;
        out["connections"] = nlohmann::json::array();
        for (const auto& j : judged) {
            out["connections"].push_back({{"protocol", j.c.protocol},
                                          {"client", policy::ipText(j.c.client)},
                                          {"client_port", j.c.clientPort},
                                          {"client_pod", j.clientPod},
                                          {"server", policy::ipText(j.c.server)},
                                          {"server_port", j.c.serverPort},
                                          {"server_pod", j.serverPod},
                                          {"policy", j.decision.allowed ? "allowed" : "denied"},
                                          {"reason", j.decision.reason},
                                          {"observed", j.observed},
                                          {"cilium_verdict", j.c.verdict},
                                          {"result", j.result},
                                          {"first_frame", j.c.firstFrame},
                                          {"last_frame", j.c.lastFrame},
                                          {"frames", j.c.frames},
                                          {"filter", j.c.filter()}});
        }
        std::printf("%s\n", out.dump(2).c_str());
    } else {
        std::printf("NetworkPolicy verification: %zu policies, %zu pods (%zu learnt from the capture), %zu "
                    "connections\n\n",
                    policies.size(), cluster.podCount(), cluster.podCount() - podsGiven, judged.size());
        for (const auto& j : judged) {
            const char* mark = j.result == "ok" ? "ok      " : j.result == "not-a-pod" ? "-       " : "MISMATCH";
            std::printf("%s %s %s -> %s  %s -> %s  policy: %s  observed: %s%s%s\n", mark, j.c.protocol.c_str(),
                        endpoint(j.c.client, j.c.clientPort).c_str(), endpoint(j.c.server, j.c.serverPort).c_str(),
                        j.clientPod.empty() ? "(not a pod)" : j.clientPod.c_str(),
                        j.serverPod.empty() ? "(not a pod)" : j.serverPod.c_str(),
                        j.decision.allowed ? "allowed" : "denied", j.observed.c_str(),
                        j.c.verdict.empty() ? "" : ", Cilium ", j.c.verdict.c_str());
            if (j.result == "denied-but-established" || j.result == "allowed-but-dropped") {
                std::printf("         %s: %s\n", j.result == "denied-but-established"
                                                     ? "denied by policy but established"
                                                     : "allowed by policy but dropped",
                            j.decision.reason.c_str());
                std::printf("         evidence: frames %u-%u (%u packets), filter: %s\n", j.c.firstFrame,
                            j.c.lastFrame, j.c.frames, j.c.filter().c_str());
            }
        }
        std::printf("\n%zu connections: %zu mismatches (%zu denied by policy but established, %zu allowed by "
                    "policy but dropped)\n",
                    judged.size(), mismatches, deniedThrough, allowedDropped);
    }
    return mismatches ? 1 : 0;
}

} // namespace ss::cli
