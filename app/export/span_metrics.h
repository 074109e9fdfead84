// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "span_builder.h"

namespace prometheus {
class Exposer;
class Registry;
template <typename T> class Family;
class Histogram;
class Counter;
} // namespace prometheus

namespace ss::otlp {

// `export otlp --metrics HOST:PORT`: the HTTP spans' durations as a Prometheus histogram,
// stratoshark_http_request_duration_seconds{namespace, pod, method, status_code} (the buckets
// of OpenTelemetry's HTTP duration metric), which the alert rule ApplicationSlowWithPacketLoss
// reads. At most `maxSeries` label sets; past it a span is counted under "_other" values and
// in stratoshark_metrics_folded_total{metric}.
class SpanMetrics {
public:
    // Throws EngineError("listen --metrics", address, why).
    SpanMetrics(const std::string& listen, std::size_t maxSeries);
    ~SpanMetrics();
    SpanMetrics(const SpanMetrics&) = delete;
    SpanMetrics& operator=(const SpanMetrics&) = delete;

    void observe(const Span& span); // HTTP spans; others are ignored
    int port() const;

private:
    std::size_t maxSeries_;
    std::shared_ptr<prometheus::Registry> registry_;
    std::unique_ptr<prometheus::Exposer> exposer_;
    prometheus::Family<prometheus::Histogram>* durations_;
    prometheus::Family<prometheus::Counter>* folded_;
    std::mutex mutex_;
    std::size_t series_ = 0;
    std::map<std::map<std::string, std::string>, prometheus::Histogram*> known_;
};

} // namespace ss::otlp
