// SPDX-License-Identifier: GPL-2.0-or-later
#include "span_metrics.h"

#include "error.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>

namespace ss::otlp {
namespace {

std::string textOf(const Span& span, const char* key)
{
    const AttributeValue* v = span.attribute(key);
    if (!v)
        return {};
    if (const auto* s = std::get_if<std::string>(v))
        return *s;
    if (const auto* i = std::get_if<std::int64_t>(v))
        return std::to_string(*i);
    return {};
}

} // namespace

SpanMetrics::SpanMetrics(const std::string& listen, std::size_t maxSeries)
    : maxSeries_(maxSeries), registry_(std::make_shared<prometheus::Registry>())
{
    durations_ = &prometheus::BuildHistogram()
                      .Name("stratoshark_http_request_duration_seconds")
                      .Help("HTTP request to response, from the packets (the HTTP spans of export otlp)")
                      .Register(*registry_);
    folded_ = &prometheus::BuildCounter()
                   .Name("stratoshark_metrics_folded_total")
                   .Help("Spans counted under \"_other\" label values: the metric had its limit of series")
                   .Register(*registry_);
    try {
        exposer_ = std::make_unique<prometheus::Exposer>(listen);
    } catch (const std::exception& e) {
        throw EngineError("listen --metrics", listen, e.what());
    }
    exposer_->RegisterCollectable(registry_);
}

SpanMetrics::~SpanMetrics() = default;

int SpanMetrics::port() const
{
    const auto ports = exposer_->GetListeningPorts();
    return ports.empty() ? 0 : ports.front();
}

void SpanMetrics::observe(const Span& span)
{
    const std::string method = textOf(span, "http.request.method");
    if (method.empty())
        return;
    std::map<std::string, std::string> labels{{"namespace", textOf(span, "k8s.namespace.name")},
                                              {"pod", textOf(span, "k8s.pod.name")},
                                              {"method", method},
                                              {"status_code", textOf(span, "http.response.status_code")}};
    const double seconds = double(span.endNs - span.startNs) / 1e9;
    std::lock_guard lock(mutex_);
    auto it = known_.find(labels);
    if (it == known_.end()) {
        if (series_ >= maxSeries_) {
            for (auto& [key, value] : labels)
                value = "_other";
            folded_->Add({{"metric", "stratoshark_http_request_duration_seconds"}}).Increment();
            it = known_.find(labels);
        }
        if (it == known_.end()) {
            // OpenTelemetry's buckets for http.server.request.duration / http.client.request.duration.
            const prometheus::Histogram::BucketBoundaries buckets{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                                                  0.5,   0.75, 1,     2.5,  5,     7.5, 10};
            it = known_.emplace(labels, &durations_->Add(labels, buckets)).first;
            ++series_;
        }
    }
    it->second->Observe(seconds);
}

} // namespace ss::otlp
