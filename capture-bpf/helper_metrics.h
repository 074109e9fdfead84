// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event_hub.h"

namespace prometheus {
class Exposer;
class Registry;
template <typename T> class Family;
class Counter;
class Gauge;
} // namespace prometheus

namespace ss::helper {

// `--metrics HOST:PORT`: the node's Prometheus endpoint (/metrics, prometheus-cpp's own
// exposition), served while the helper runs whether or not a client captures.
// docs/METRICS.md lists the series. Label values a client or an alert controls are bounded:
// each metric keeps at most `maxSeries` label sets; past that an event is counted under
// label values "_other", and stratoshark_metrics_folded_total{metric} says how many were.
class HelperMetrics {
public:
    // Throws EngineError("listen --metrics", address, why).
    // `flowLabels` (--metrics-labels): Hubble's flow-level labels added to
    // stratoshark_hubble_flows_total, of source_namespace, source_pod, destination_namespace,
    // destination_pod (flowLabelNames()).
    HelperMetrics(const std::string& listen, std::size_t maxSeries, const std::string& nodeName,
                  std::vector<std::string> flowLabels = {});
    static const std::vector<std::string>& flowLabelNames();
    ~HelperMetrics();
    HelperMetrics(const HelperMetrics&) = delete;
    HelperMetrics& operator=(const HelperMetrics&) = delete;

    int port() const;
    // An event from a live source: Falco alerts by rule, priority, namespace and pod;
    // Tetragon events by type; Hubble flows by verdict.
    void onEvent(const sources::SourceEvent& event);
    // A trigger rule's outcome: started, extended, cooldown, concurrency, quota,
    // missing_field, refused.
    void onTrigger(const std::string& trigger, const std::string& result);
    // The helper's health, set once a second by its owner.
    struct Health {
        std::uint64_t clients = 0, spoolBytes = 0, spoolQuota = 0;
        std::uint64_t clientCaptures = 0, triggeredCaptures = 0;
        double recorderRingFill = 0;
        std::vector<std::pair<std::string, std::uint64_t>> recorderInterfaceDrops; // ring full, by interface
        std::uint64_t recorderPackets = 0, recorderRecordDrops = 0, recorderBytes = 0;
        bool recorder = false;
    };
    void setHealth(const Health& health);
    // The live sources' counters (received, dropped, not understood, reconnects, connected).
    void setSources(const std::vector<const sources::SourceCounters*>& sources);

    // The node's traffic (NodeTraffic): what is new since the last call. A pod's labels are
    // empty for traffic of no pod.
    struct PodLabels {
        std::string ns, pod;
    };
    void addTraffic(const PodLabels& pod, const std::string& direction, const std::string& interface,
                    const std::string& protocol, std::uint64_t packets, std::uint64_t bytes,
                    std::uint64_t retransmissions);
    void addKernelDrops(const std::string& reason, const PodLabels& pod, std::uint64_t count);
    void setUncounted(std::uint64_t total); // packets the kernel's counting map had no room for
    // A pod gone from the node: every series labelled with it goes.
    void forgetPod(const PodLabels& pod);

private:
    prometheus::Counter& counter(prometheus::Family<prometheus::Counter>& family, const std::string& metric,
                                 std::map<std::string, std::string> labels);

    // A counter that follows a total counted elsewhere (an atomic): adds what is new.
    void follow(prometheus::Counter& counter, const std::string& key, std::uint64_t total);

    std::size_t maxSeries_;
    std::vector<std::string> flowLabels_;
    std::shared_ptr<prometheus::Registry> registry_;
    std::unique_ptr<prometheus::Exposer> exposer_;
    std::mutex mutex_; // series bookkeeping and the followed totals
    std::map<std::string, std::size_t> series_; // metric → label sets made
    std::map<std::string, std::uint64_t> followed_;
    struct Series {
        prometheus::Family<prometheus::Counter>* family;
        prometheus::Counter* counter;
        std::string metric;
    };
    std::map<std::pair<std::string, std::string>, std::vector<Series>> podSeries_; // (namespace, pod) →
    prometheus::Family<prometheus::Counter>* packets_;
    prometheus::Family<prometheus::Counter>* bytes_;
    prometheus::Family<prometheus::Counter>* retransmissions_;
    prometheus::Counter* uncounted_;
    prometheus::Family<prometheus::Counter>* falco_;
    prometheus::Family<prometheus::Counter>* tetragon_;
    prometheus::Family<prometheus::Counter>* flows_;
    prometheus::Family<prometheus::Counter>* triggers_;
    prometheus::Family<prometheus::Counter>* folded_;
    prometheus::Family<prometheus::Counter>* sourceEvents_;
    prometheus::Family<prometheus::Counter>* sourceReconnects_;
    prometheus::Family<prometheus::Gauge>* sourceConnected_;
    prometheus::Family<prometheus::Counter>* dropped_;
    prometheus::Gauge* clients_;
    prometheus::Family<prometheus::Gauge>* sessions_;
    prometheus::Gauge* ringFill_;
    prometheus::Gauge* spoolBytes_;
    prometheus::Gauge* spoolQuota_;
    prometheus::Counter* recorderPackets_;
    prometheus::Counter* recorderBytes_;
};

} // namespace ss::helper
