// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "span_builder.h"

namespace ss::otlp {

// Where spans go: OTLP/HTTP with protobuf bodies, as OpenTelemetry's own exporters send them.
struct ExporterOptions {
    std::string url;                  // the full traces URL (tracesUrl() below)
    std::size_t batchSpans = 512;     // spans per request at most
    std::chrono::milliseconds batchDelay{1000}; // a partial batch waits no longer
    std::size_t queueSpans = 20000;   // spans waiting at most; past it they are dropped and counted,
    bool waitWhenFull = false;        // or (a file: nothing is lost by waiting) add() waits for room
    bool gzip = true;                 // Content-Encoding: gzip
    int maxAttempts = 6;              // per batch, on 429, 502, 503, 504 or no connection
    std::chrono::milliseconds firstBackoff{500}; // doubled each time, at most 30 s; Retry-After wins
    std::chrono::seconds timeout{10};
    std::string serviceName = "stratoshark";
};

// The traces URL as OpenTelemetry's exporters take it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as
// is; else `endpoint` (--endpoint), or OTEL_EXPORTER_OTLP_ENDPOINT, or http://localhost:4318,
// with "/v1/traces" appended to the base URL.
std::string tracesUrl(const std::string& endpoint);

// Encodes spans as an ExportTraceServiceRequest (one resource, one scope).
std::string encodeRequest(const std::vector<Span>& spans, const std::string& serviceName);

// Sends spans from a thread of its own: add() never blocks on the network; batches of up to
// batchSpans go out when full or batchDelay old; a batch is retried with backoff while the
// collector answers 429/502/503/504 or cannot be reached; the queue is bounded.
class OtlpExporter {
public:
    explicit OtlpExporter(ExporterOptions options);
    ~OtlpExporter(); // flushes what is queued (with its retries) before returning
    OtlpExporter(const OtlpExporter&) = delete;
    OtlpExporter& operator=(const OtlpExporter&) = delete;

    void add(Span&& span);
    void flush(); // waits until every span added so far was sent or given up

    struct Stats {
        std::uint64_t exported = 0;  // spans the collector accepted
        std::uint64_t requests = 0;  // requests answered 2xx
        std::uint64_t retries = 0;   // requests sent again
        std::uint64_t dropped = 0;   // spans the full queue refused
        std::uint64_t failed = 0;    // spans given up (a 4xx, or retries exhausted)
        std::uint64_t rejected = 0;  // spans the collector said it rejected (partial success)
        std::string lastError;
    };
    Stats stats() const;

private:
    void run();
    bool send(const std::vector<Span>& batch); // with retries; false when given up

    ExporterOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_, room_;
    std::deque<Span> queue_;
    bool stop_ = false, sending_ = false;
    int flushing_ = 0; // callers waiting in flush(): a partial batch goes at once
    Stats stats_;
    std::thread thread_;
};

} // namespace ss::otlp
