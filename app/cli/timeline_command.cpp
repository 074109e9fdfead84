// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline_command.h"

#include "epan_runtime.h"
#include "error.h"
#include "read_command.h"
#include "ss_dissectors.h"
#include "timeline_tap.h"

#include <getopt.h>

#include <cstdio>
#include <ctime>
#include <memory>

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
    std::vector<timeline::Entry> entries;
    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        EpanRuntime runtime(program, runtimeOptions);
        std::unique_ptr<timeline::TimelineTap> tap;
        const int status = runRead(runtime, read, [&] {
            try {
                tap = std::make_unique<timeline::TimelineTap>(filter);
                return true;
            } catch (const EngineError& e) {
                std::fprintf(stderr, "stratoshark: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
                return false;
            }
        });
        if (!tap)
            return status ? status : 2;
        entries = tap->entries();
        if (status != 0 && entries.empty())
            return status;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
    if (format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : entries) {
            char epoch[40];
            std::snprintf(epoch, sizeof epoch, "%llu.%09llu", static_cast<unsigned long long>(e.timeNs / 1000000000u),
                          static_cast<unsigned long long>(e.timeNs % 1000000000u));
            out.push_back({{"time", epoch}, {"kind", e.kind}, {"pod", e.pod}, {"process", e.process},
                           {"summary", e.summary}, {"frame", e.frame}, {"filter", e.filter}});
        }
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
