// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_command.h"

#include "cluster.h"
#include "correlate.h"
#include "epan_runtime.h"
#include "network_policy.h"
#include "error.h"
#include "read_command.h"
#include "ss_dissectors.h"
#include "timeline_tap.h"

#include <getopt.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

namespace ss::cli {
namespace {

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark timeline -r FILE [-Y FILTER] [-T text|json]\n"
               "The capture as one chronology: Falco alerts, Tetragon process events, failed\n"
               "syscalls, Cilium verdicts other than FORWARDED, DNS answers (name → addresses), and\n"
               "packets summarised into TCP connections and UDP flows (bytes each way, duration).\n"
               "  -Y FILTER   only what this display filter keeps (e.g. 'k8s.pod == \"web-1\"')\n"
               "  -T text|json   the format (text: one line per entry, local time)\n",
               out);
}

std::string when(std::uint64_t ns)
{
    const time_t secs = time_t(ns / 1000000000u);
    struct tm tm {};
    localtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03u", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, unsigned(ns % 1000000000u / 1000000u));
    return buf;
}

// Reads the file once with a TimelineTap; nullopt after printing what went wrong.
std::optional<std::vector<timeline::Entry>> readTimeline(const ReadOptions& read, const std::string& filter,
                                                         const char* program, int* status)
{
    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        EpanRuntime runtime(program, runtimeOptions);
        std::unique_ptr<timeline::TimelineTap> tap;
        *status = runReadWithTap(runtime, read, tap, [&] { return std::make_unique<timeline::TimelineTap>(filter); });
        if (!tap) {
            *status = *status ? *status : 2;
            return std::nullopt;
        }
        auto entries = tap->entries();
        if (*status != 0 && entries.empty())
            return std::nullopt;
        return entries;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        *status = 2;
        return std::nullopt;
    }
}

nlohmann::json entryJson(const timeline::Entry& e);

nlohmann::json treeJson(const std::vector<timeline::ProcessNode>& nodes)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& n : nodes) {
        nlohmann::json j = entryJson(n.exec);
        j["pid"] = n.exec.pid;
        j["ppid"] = n.exec.ppid;
        j["exited"] = n.exited;
        j["alert_process"] = n.alerted;
        j["children"] = treeJson(n.children);
        out.push_back(std::move(j));
    }
    return out;
}

void printTree(const std::vector<timeline::ProcessNode>& nodes, int depth)
{
    for (const auto& n : nodes) {
        std::printf("    %*s%s%s  %s%s%s\n", 2 * depth, "", depth ? "└ " : "",
                    n.exec.process.empty() ? ("[" + std::to_string(n.exec.pid) + "]").c_str() : n.exec.process.c_str(),
                    n.exec.summary.c_str(), n.exited ? "  (exited)" : "", n.alerted ? "  ← the alert's process" : "");
        printTree(n.children, depth + 1);
    }
}

nlohmann::json entryJson(const timeline::Entry& e)
{
    char epoch[40];
    std::snprintf(epoch, sizeof epoch, "%llu.%09llu", static_cast<unsigned long long>(e.timeNs / 1000000000u),
                  static_cast<unsigned long long>(e.timeNs % 1000000000u));
    return {{"time", epoch}, {"kind", e.kind}, {"pod", e.pod}, {"process", e.process},
            {"summary", e.summary}, {"frame", e.frame}, {"filter", e.filter}};
}

} // namespace

int runTimeline(int argc, char** argv, const char* program)
{
    ReadOptions read;
    read.quiet = true;
    std::string filter;
    std::string format = "text";
    const option longOptions[] = {{"help", no_argument, nullptr, 'h'}, {nullptr, 0, nullptr, 0}};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "r:Y:T:h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case 'r': read.readFile = optarg; break;
        case 'Y': filter = optarg; break;
        case 'T': format = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind < argc || read.readFile.empty() || (format != "text" && format != "json")) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: timeline reads one file (-r) and prints text or json\n");
        return 1;
    }
    int status = 0;
    const auto read_ = readTimeline(read, filter, program, &status);
    if (!read_)
        return status;
    const std::vector<timeline::Entry>& entries = *read_;
    if (format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : entries)
            out.push_back(entryJson(e));
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    for (const auto& e : entries)
        std::printf("%s  %-8s %-30s %-22s %s\n", when(e.timeNs).c_str(), e.kind.c_str(),
                    e.pod.empty() ? "-" : e.pod.c_str(), e.process.empty() ? "-" : e.process.c_str(),
                    e.summary.c_str());
    return 0;
}

} // namespace ss::cli

namespace ss::cli {

int runCorrelate(int argc, char** argv, const char* program)
{
    ReadOptions read;
    read.quiet = true;
    std::string format = "text";
    std::string podsFile;
    double windowSeconds = 60;
    enum { kPods = 1000, kWindow, kHelp };
    const option longOptions[] = {{"pods", required_argument, nullptr, kPods},
                                  {"window", required_argument, nullptr, kWindow},
                                  {"help", no_argument, nullptr, kHelp},
                                  {nullptr, 0, nullptr, 0}};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "r:T:h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case 'r': read.readFile = optarg; break;
        case 'T': format = optarg; break;
        case kPods: podsFile = optarg; break;
        case kWindow: {
            char* end = nullptr;
            windowSeconds = std::strtod(optarg, &end);
            if (!*optarg || *end || !(windowSeconds > 0) || windowSeconds > 86400) {
                std::fprintf(stderr, "stratoshark: --window takes seconds from 0 to 86400, not \"%s\"\n", optarg);
                return 1;
            }
            break;
        }
        case 'h':
        case kHelp:
            std::puts("Usage: stratoshark correlate -r FILE [--pods PODS.json] [--window SECONDS] [-T text|json]\n"
                      "Per Falco alert, what happened in its pod within the window (60 s each side): process\n"
                      "events, connections with the DNS names of their servers, bytes out, failed syscalls,\n"
                      "Cilium verdicts. --pods (kubectl get pods -A -o json) ties addresses to pods for\n"
                      "packets that carry no pod metadata.");
            return 0;
        default: return 1;
        }
    }
    if (optind < argc || read.readFile.empty() || (format != "text" && format != "json")) {
        std::fprintf(stderr, "stratoshark: correlate reads one file (-r) and prints text or json\n");
        return 1;
    }
    timeline::PodAddresses podAddresses;
    if (!podsFile.empty()) {
        policy::Cluster cluster;
        try {
            cluster.loadKubectlJson(podsFile);
        } catch (const policy::PolicyError& e) {
            std::fprintf(stderr, "stratoshark: correlate: %s\n", e.what());
            return 2;
        }
        for (const auto& pod : cluster.pods())
            for (const auto& ip : pod.ips)
                podAddresses.emplace_back(pod.ns + "/" + pod.name, policy::ipText(ip));
    }
    int status = 0;
    const auto entries = readTimeline(read, {}, program, &status);
    if (!entries)
        return status;
    const auto stories = timeline::correlate(*entries, podAddresses, std::uint64_t(windowSeconds * 1e9));
    if (format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& s : stories) {
            nlohmann::json story{{"alert", entryJson(s.alert)}, {"bytes_out", s.bytesOut}};
            auto list = [](const std::vector<timeline::Entry>& v) {
                nlohmann::json a = nlohmann::json::array();
                for (const auto& e : v)
                    a.push_back(entryJson(e));
                return a;
            };
            story["processes"] = list(s.processes);
            story["process_tree"] = treeJson(s.processTree);
            story["connections"] = list(s.connections);
            for (std::size_t i = 0; i < s.connections.size(); ++i)
                story["connections"][i]["server_name"] = s.serverNames[i];
            story["dns"] = list(s.dns);
            story["failed_syscalls"] = list(s.failedSyscalls);
            story["verdicts"] = list(s.verdicts);
            story["other_alerts"] = list(s.otherAlerts);
            out.push_back(std::move(story));
        }
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    if (stories.empty())
        std::printf("No alerts in %s.\n", read.readFile.c_str());
    for (const auto& s : stories) {
        std::printf("%s  %s  (pod %s, process %s)\n", when(s.alert.timeNs).c_str(), s.alert.summary.c_str(),
                    s.alert.pod.empty() ? "unknown" : s.alert.pod.c_str(),
                    s.alert.process.empty() ? "unknown" : s.alert.process.c_str());
        auto section = [](const char* title, const std::vector<timeline::Entry>& v) {
            if (v.empty())
                return;
            std::printf("  %s:\n", title);
            for (const auto& e : v)
                std::printf("    %s  %s%s%s\n", when(e.timeNs).c_str(), e.process.empty() ? "" : e.process.c_str(),
                            e.process.empty() ? "" : "  ", e.summary.c_str());
        };
        if (!s.processTree.empty()) {
            std::printf("  Process tree:\n");
            printTree(s.processTree, 0);
        }
        section("Processes", s.processes);
        section("DNS", s.dns);
        if (!s.connections.empty()) {
            std::printf("  Connections:\n");
            for (std::size_t i = 0; i < s.connections.size(); ++i) {
                const auto& e = s.connections[i];
                std::printf("    %s  %s %s%s\n", when(e.timeNs).c_str(), e.kind.c_str(), e.summary.c_str(),
                            s.serverNames[i].empty() ? "" : ("  (" + s.serverNames[i] + ")").c_str());
            }
        }
        std::printf("  Bytes out: %s\n", timeline::humanBytes(s.bytesOut).c_str());
        section("Failed syscalls", s.failedSyscalls);
        section("Verdicts", s.verdicts);
        section("Other alerts", s.otherAlerts);
        std::printf("\n");
    }
    return 0;
}

} // namespace ss::cli
