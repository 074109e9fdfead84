// SPDX-License-Identifier: GPL-2.0-or-later
#include "helper_metrics.h"

#include "error.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <exception>

namespace ss::helper {
namespace {

std::string field(const events::EventFields& f, const char* key)
{
    const auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

} // namespace

const std::vector<std::string>& HelperMetrics::flowLabelNames()
{
    static const std::vector<std::string> names{"source_namespace", "source_pod", "destination_namespace",
                                                "destination_pod"};
    return names;
}

HelperMetrics::HelperMetrics(const std::string& listen, std::size_t maxSeries, const std::string& nodeName,
                             std::vector<std::string> flowLabels)
    : maxSeries_(maxSeries), flowLabels_(std::move(flowLabels)), registry_(std::make_shared<prometheus::Registry>())
{
    using prometheus::BuildCounter;
    using prometheus::BuildGauge;
    auto& r = *registry_;
    falco_ = &BuildCounter()
                  .Name("stratoshark_falco_alerts_total")
                  .Help("Falco alerts received (--falco-listen), by rule, priority, namespace and pod")
                  .Register(r);
    tetragon_ = &BuildCounter()
                     .Name("stratoshark_tetragon_events_total")
                     .Help("Tetragon events received (--tetragon), by type")
                     .Register(r);
    flows_ = &BuildCounter()
                  .Name("stratoshark_hubble_flows_total")
                  .Help("Hubble flows received (--hubble), by verdict")
                  .Register(r);
    triggers_ = &BuildCounter()
                     .Name("stratoshark_triggered_captures_total")
                     .Help("What trigger rules did with matching alerts: started, extended, or why not")
                     .Register(r);
    folded_ = &BuildCounter()
                   .Name("stratoshark_metrics_folded_total")
                   .Help("Events counted under \"_other\" label values: the metric had its limit of series")
                   .Register(r);
    sourceEvents_ = &BuildCounter()
                         .Name("stratoshark_source_events_total")
                         .Help("Events of each live source: received, dropped (nobody could take them in time), "
                               "unparsable")
                         .Register(r);
    sourceReconnects_ = &BuildCounter()
                             .Name("stratoshark_source_reconnects_total")
                             .Help("Times a live source's connection was made again")
                             .Register(r);
    sourceConnected_ = &BuildGauge()
                            .Name("stratoshark_source_connected")
                            .Help("1 while a live source is connected")
                            .Register(r);
    dropped_ = &BuildCounter()
                    .Name("stratoshark_packets_dropped_total")
                    .Help("Packets and records the node did not keep, by reason")
                    .Register(r);
    packets_ = &BuildCounter()
                    .Name("stratoshark_packets_total")
                    .Help("Packets on the node's interfaces, by the pod of their process (\"\" none), direction, "
                          "interface and protocol")
                    .Register(r);
    bytes_ = &BuildCounter()
                  .Name("stratoshark_bytes_total")
                  .Help("Bytes of those packets (Ethernet frames)")
                  .Register(r);
    retransmissions_ = &BuildCounter()
                            .Name("stratoshark_tcp_retransmissions_total")
                            .Help("TCP segments resending bytes already sent, by the pod of their connection")
                            .Register(r);
    uncounted_ = &BuildCounter()
                      .Name("stratoshark_traffic_uncounted_packets_total")
                      .Help("Packets not counted by pod: the kernel's table of pods and interfaces was full")
                      .Register(r)
                      .Add({});
    sessions_ = &BuildGauge()
                     .Name("stratoshark_capture_sessions")
                     .Help("Captures running now: a client's, a trigger's, the flight recorder")
                     .Register(r);
    ringFill_ = &BuildGauge()
                     .Name("stratoshark_ring_fill_ratio")
                     .Help("How full the flight recorder's kernel ring buffer is, 0 to 1 (at 1 packets are dropped)")
                     .Register(r)
                     .Add({{"ring", "recorder"}});
    clients_ = &BuildGauge().Name("stratoshark_clients").Help("Clients connected to the helper").Register(r).Add({});
    spoolBytes_ = &BuildGauge()
                       .Name("stratoshark_spool_bytes")
                       .Help("Bytes of files in the spool (captures, triggered captures, recorder, archive)")
                       .Register(r)
                       .Add({});
    spoolQuota_ = &BuildGauge()
                       .Name("stratoshark_spool_quota_bytes")
                       .Help("The spool quota triggered captures stop at (--spool-quota)")
                       .Register(r)
                       .Add({});
    recorderPackets_ = &BuildCounter()
                            .Name("stratoshark_recorder_packets_total")
                            .Help("Packets the flight recorder wrote")
                            .Register(r)
                            .Add({});
    recorderBytes_ = &BuildCounter()
                          .Name("stratoshark_recorder_written_bytes_total")
                          .Help("Bytes the flight recorder wrote")
                          .Register(r)
                          .Add({});
    BuildGauge()
        .Name("stratoshark_helper_info")
        .Help("The helper: its node")
        .Register(r)
        .Add({{"node", nodeName}})
        .Set(1);
    try {
        exposer_ = std::make_unique<prometheus::Exposer>(listen);
    } catch (const std::exception& e) {
        throw EngineError("listen --metrics", listen, e.what());
    }
    exposer_->RegisterCollectable(registry_);
}

HelperMetrics::~HelperMetrics() = default;

int HelperMetrics::port() const
{
    const auto ports = exposer_->GetListeningPorts();
    return ports.empty() ? 0 : ports.front();
}

prometheus::Counter& HelperMetrics::counter(prometheus::Family<prometheus::Counter>& family,
                                            const std::string& metric, std::map<std::string, std::string> labels)
{
    std::lock_guard lock(mutex_);
    if (family.Has(labels))
        return family.Add(labels);
    if (series_[metric] >= maxSeries_) {
        for (auto& [key, value] : labels)
            value = "_other";
        folded_->Add({{"metric", metric}}).Increment();
        if (family.Has(labels))
            return family.Add(labels);
    }
    ++series_[metric];
    prometheus::Counter& made = family.Add(labels);
    const auto pod = labels.find("pod");
    const auto ns = labels.find("namespace");
    if (pod != labels.end() && ns != labels.end() && !pod->second.empty() && pod->second != "_other")
        podSeries_[{ns->second, pod->second}].push_back({&family, &made, metric});
    return made;
}

void HelperMetrics::addTraffic(const PodLabels& pod, const std::string& direction, const std::string& interface,
                               const std::string& protocol, std::uint64_t packets, std::uint64_t bytes,
                               std::uint64_t retransmissions)
{
    const std::map<std::string, std::string> labels{{"namespace", pod.ns},      {"pod", pod.pod},
                                                    {"direction", direction},   {"interface", interface},
                                                    {"protocol", protocol}};
    if (packets) {
        counter(*packets_, "stratoshark_packets_total", labels).Increment(double(packets));
        counter(*bytes_, "stratoshark_bytes_total", labels).Increment(double(bytes));
    }
    if (retransmissions)
        counter(*retransmissions_, "stratoshark_tcp_retransmissions_total", {{"namespace", pod.ns}, {"pod", pod.pod}})
            .Increment(double(retransmissions));
}

void HelperMetrics::addKernelDrops(const std::string& reason, const PodLabels& pod, std::uint64_t count)
{
    counter(*dropped_, "stratoshark_packets_dropped_total",
            {{"source", "kernel"}, {"reason", reason}, {"namespace", pod.ns}, {"pod", pod.pod}})
        .Increment(double(count));
}

void HelperMetrics::setUncounted(std::uint64_t total)
{
    follow(*uncounted_, "uncounted", total);
}

void HelperMetrics::forgetPod(const PodLabels& pod)
{
    std::lock_guard lock(mutex_);
    const auto it = podSeries_.find({pod.ns, pod.pod});
    if (it == podSeries_.end())
        return;
    for (const Series& s : it->second) {
        s.family->Remove(s.counter);
        --series_[s.metric];
    }
    podSeries_.erase(it);
}

void HelperMetrics::onEvent(const sources::SourceEvent& event)
{
    const events::EventFields& f = event.event.fields;
    switch (event.source) {
    case events::EventSource::Falco:
        counter(*falco_, "stratoshark_falco_alerts_total",
                {{"rule", field(f, "rule")},
                 {"priority", field(f, "priority")},
                 {"namespace", field(f, "namespace")},
                 {"pod", field(f, "pod_name")}})
            .Increment();
        break;
    case events::EventSource::Tetragon:
        counter(*tetragon_, "stratoshark_tetragon_events_total", {{"type", field(f, "event")}}).Increment();
        break;
    case events::EventSource::Hubble: {
        const std::string verdict = field(f, "verdict");
        std::map<std::string, std::string> labels{{"verdict", verdict}};
        for (const std::string& l : flowLabels_) // Hubble's names for the flow's two ends
            labels[l] = field(f, l == "source_namespace"        ? "namespace"
                                 : l == "source_pod"            ? "pod_name"
                                 : l == "destination_namespace" ? "dst_namespace"
                                                                : "dst_pod_name");
        counter(*flows_, "stratoshark_hubble_flows_total", labels).Increment();
        if (verdict == "DROPPED")
            counter(*dropped_, "stratoshark_packets_dropped_total",
                    {{"source", "hubble"},
                     {"reason", field(f, "drop_reason")},
                     {"namespace", field(f, "namespace")},
                     {"pod", field(f, "pod_name")}})
                .Increment();
        break;
    }
    }
}

void HelperMetrics::onTrigger(const std::string& trigger, const std::string& result)
{
    counter(*triggers_, "stratoshark_triggered_captures_total", {{"trigger", trigger}, {"result", result}})
        .Increment();
}

void HelperMetrics::follow(prometheus::Counter& c, const std::string& key, std::uint64_t total)
{
    std::lock_guard lock(mutex_);
    std::uint64_t& seen = followed_[key];
    if (total > seen)
        c.Increment(static_cast<double>(total - seen));
    seen = total;
}

void HelperMetrics::setHealth(const Health& h)
{
    clients_->Set(static_cast<double>(h.clients));
    spoolBytes_->Set(static_cast<double>(h.spoolBytes));
    spoolQuota_->Set(static_cast<double>(h.spoolQuota));
    sessions_->Add({{"kind", "client"}}).Set(static_cast<double>(h.clientCaptures));
    sessions_->Add({{"kind", "triggered"}}).Set(static_cast<double>(h.triggeredCaptures));
    sessions_->Add({{"kind", "recorder"}}).Set(h.recorder ? 1 : 0);
    ringFill_->Set(h.recorderRingFill);
    if (!h.recorder)
        return;
    follow(*recorderPackets_, "recorder packets", h.recorderPackets);
    follow(*recorderBytes_, "recorder bytes", h.recorderBytes);
    // The kernel ring's drops by interface only: a total beside them would count each drop twice
    // in any sum over the metric.
    for (const auto& [interface, total] : h.recorderInterfaceDrops)
        follow(dropped_->Add({{"source", "recorder"}, {"reason", "ring_full"}, {"namespace", ""}, {"pod", ""},
                              {"interface", interface}}),
               "recorder drops " + interface, total);
    follow(dropped_->Add({{"source", "recorder"}, {"reason", "records_lost"}, {"namespace", ""}, {"pod", ""}}),
           "recorder record drops", h.recorderRecordDrops);
}

void HelperMetrics::setSources(const std::vector<const sources::SourceCounters*>& all)
{
    for (const sources::SourceCounters* s : all) {
        follow(sourceEvents_->Add({{"source", s->name}, {"outcome", "received"}}), s->name + " received", s->received);
        follow(sourceEvents_->Add({{"source", s->name}, {"outcome", "dropped"}}), s->name + " dropped", s->dropped);
        follow(sourceEvents_->Add({{"source", s->name}, {"outcome", "unparsable"}}), s->name + " unparsable",
               s->unparsable);
        follow(sourceReconnects_->Add({{"source", s->name}}), s->name + " reconnects", s->reconnects);
        sourceConnected_->Add({{"source", s->name}}).Set(s->connected ? 1 : 0);
    }
}

} // namespace ss::helper
