// SPDX-License-Identifier: GPL-2.0-or-later
#include "export_command.h"

#include "epan_runtime.h"
#include "error.h"
#include "otlp_exporter.h"
#include "read_command.h"
#include "span_metrics.h"
#include "span_tap.h"
#include "ss_dissectors.h"

#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

namespace ss::cli {
namespace {

void usage(std::FILE* out)
{
    std::fputs("Usage: stratoshark export otlp -r FILE [-Y FILTER] [--endpoint URL] [options]\n"
               "       stratoshark export otlp -i IFACE [--helper ADDR]... [--ebpf-filter EXPR] [-f FILTER]\n"
               "                               [-a duration:SEC] [-Y FILTER] [--endpoint URL] [options]\n"
               "Spans for what the packets show — one per TCP connection, HTTP request/response and DNS\n"
               "query/answer — sent to an OpenTelemetry collector over OTLP/HTTP (protobuf, gzip).\n"
               "  --endpoint URL   the collector's base URL; /v1/traces is appended (default:\n"
               "                   $OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318;\n"
               "                   $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is taken as the full URL)\n"
               "  -Y FILTER        make spans of the packets this display filter keeps\n"
               "  --batch N        spans per request (512)\n"
               "  --queue N        spans waiting at most while the collector is slow (20000; live only:\n"
               "                   a file waits instead)\n"
               "  --no-gzip        send the protobuf uncompressed\n"
               "  --service-name NAME   the resource's service.name (stratoshark)\n"
               "  --metrics HOST:PORT   serve /metrics: the HTTP spans' durations as the histogram\n"
               "                   stratoshark_http_request_duration_seconds{namespace,pod,method,status_code}\n"
               "  --metrics-max-series N   label sets at most (1000); the rest under \"_other\"\n"
               "docs/OTLP.md says which attributes each span has.\n",
               out);
}

std::optional<unsigned long> count(const char* option, const char* text, unsigned long max)
{
    char* end = nullptr;
    const unsigned long n = std::strtoul(text, &end, 10);
    if (!*text || *end || n == 0 || n > max) {
        std::fprintf(stderr, "stratoshark: %s takes a number from 1 to %lu, not \"%s\"\n", option, max, text);
        return std::nullopt;
    }
    return n;
}

} // namespace

int runExport(int argc, char** argv, const char* program)
{
    if (argc < 2 || std::strcmp(argv[1], "otlp") != 0) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: export knows one format: otlp\n");
        return 1;
    }
    --argc;
    ++argv;
    ReadOptions read;
    read.quiet = true;
    std::string endpoint;
    otlp::ExporterOptions exporter;
    std::string metricsListen;
    std::size_t maxSeries = 1000;
    enum { kEndpoint = 1000, kBatch, kQueue, kNoGzip, kHelper, kEbpfFilter, kServiceName, kMetrics, kMaxSeries, kHelp };
    const option longOptions[] = {{"endpoint", required_argument, nullptr, kEndpoint},
                                  {"batch", required_argument, nullptr, kBatch},
                                  {"queue", required_argument, nullptr, kQueue},
                                  {"no-gzip", no_argument, nullptr, kNoGzip},
                                  {"helper", required_argument, nullptr, kHelper},
                                  {"ebpf-filter", required_argument, nullptr, kEbpfFilter},
                                  {"service-name", required_argument, nullptr, kServiceName},
                                  {"metrics", required_argument, nullptr, kMetrics},
                                  {"metrics-max-series", required_argument, nullptr, kMaxSeries},
                                  {"help", no_argument, nullptr, kHelp},
                                  {nullptr, 0, nullptr, 0}};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "r:Y:i:f:a:h", longOptions, nullptr)) != -1) {
        switch (c) {
        case 'r': read.readFile = optarg; break;
        case 'Y': read.displayFilter = optarg; break;
        case 'i': read.live.interfaces.push_back(optarg); break;
        case 'f': read.live.captureFilter = optarg; break;
        case 'a': {
            const std::string a = optarg;
            const auto seconds = a.rfind("duration:", 0) == 0 ? count("-a duration:", a.c_str() + 9, 31536000)
                                                              : std::nullopt;
            if (!seconds)
                return 1;
            read.live.durationMs = std::uint64_t(*seconds) * 1000;
            break;
        }
        case kEndpoint: endpoint = optarg; break;
        case kBatch: {
            const auto n = count("--batch", optarg, 100000);
            if (!n)
                return 1;
            exporter.batchSpans = *n;
            break;
        }
        case kQueue: {
            const auto n = count("--queue", optarg, 10000000);
            if (!n)
                return 1;
            exporter.queueSpans = *n;
            break;
        }
        case kNoGzip: exporter.gzip = false; break;
        case kHelper: read.live.helpers.push_back(optarg); break;
        case kEbpfFilter: read.live.ebpfFilter = optarg; break;
        case kServiceName: exporter.serviceName = optarg; break;
        case kMetrics: metricsListen = optarg; break;
        case kMaxSeries: {
            const auto n = count("--metrics-max-series", optarg, 1000000);
            if (!n)
                return 1;
            maxSeries = *n;
            break;
        }
        case 'h':
        case kHelp: usage(stdout); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind < argc || read.readFile.empty() == read.live.interfaces.empty()) {
        usage(stderr);
        std::fprintf(stderr, "stratoshark: export otlp reads one file (-r) or captures (-i)\n");
        return 1;
    }
    exporter.url = otlp::tracesUrl(endpoint);
    exporter.waitWhenFull = !read.isLive();
    const std::string filter = read.displayFilter;
    read.displayFilter.clear(); // the tap applies it: every packet still feeds TCP's analysis

    try {
        EpanRuntime::Options runtimeOptions;
        runtimeOptions.builtinDissectors.push_back(ss::dissect::stratosharkDissectors());
        EpanRuntime runtime(program, runtimeOptions);
        std::unique_ptr<otlp::SpanMetrics> metrics;
        if (!metricsListen.empty()) {
            metrics = std::make_unique<otlp::SpanMetrics>(metricsListen, maxSeries);
            std::fprintf(stderr, "stratoshark: HTTP durations on http://%s/metrics (port %d)\n", metricsListen.c_str(),
                         metrics->port());
        }
        auto sender = std::make_unique<otlp::OtlpExporter>(exporter);
        otlp::SpanBuilder builder([&sender, &metrics](otlp::Span&& span) {
            if (metrics)
                metrics->observe(span);
            sender->add(std::move(span));
        });
        std::unique_ptr<otlp::SpanTap> tap;
        const int status =
            runReadWithTap(runtime, read, tap, [&] { return std::make_unique<otlp::SpanTap>(builder, filter); });
        tap.reset();
        builder.finish();
        sender->flush();
        const otlp::OtlpExporter::Stats s = sender->stats();
        const otlp::SpanBuilder::Counts& n = builder.counts();
        std::fprintf(stderr,
                     "stratoshark: %llu spans exported to %s (%llu TCP, %llu HTTP, %llu DNS made) in %llu "
                     "requests, %llu retries, %llu dropped, %llu failed%s%s\n",
                     static_cast<unsigned long long>(s.exported), exporter.url.c_str(),
                     static_cast<unsigned long long>(n.tcp), static_cast<unsigned long long>(n.http),
                     static_cast<unsigned long long>(n.dns), static_cast<unsigned long long>(s.requests),
                     static_cast<unsigned long long>(s.retries), static_cast<unsigned long long>(s.dropped),
                     static_cast<unsigned long long>(s.failed), s.failed ? "; last error: " : "",
                     s.failed ? s.lastError.c_str() : "");
        if (status != 0)
            return status;
        return s.failed || s.dropped ? 2 : 0;
    } catch (const EngineError& e) {
        std::fprintf(stderr, "stratoshark: %s (%s): %s\n", e.step().c_str(), e.object().c_str(), e.what());
        return 2;
    }
}

} // namespace ss::cli
