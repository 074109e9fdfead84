// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capture_request.h"
#include "event_archive.h"
#include "event_hub.h"
#include "falco_listener.h"
#include "flight_recorder.h"
#include "helper_metrics.h"
#include "node_traffic.h"
#include "span_companion.h"
#include "grpc_sources.h"
#include "helper.pb.h"
#include "retention.h"
#include "spool.h"
#include "tls.h"
#include "trigger_engine.h"

namespace ss::helper {

// What the node does on its own, beside serving clients (docs/ARCHITECTURE.md "The node"):
struct NodeOptions {
    std::string falcoListen;      // --falco-listen HOST:PORT ("": none); HTTPS with the helper's --tls-cert/--tls-key
    ipc::TlsFiles falcoTls;
    std::vector<std::string> tetragon, hubble; // --tetragon / --hubble ADDR (unix:PATH or HOST:PORT)
    ipc::TlsFiles hubbleTls;      // --hubble-tls-ca/-cert/-key: Hubble Relay's mTLS
    std::uint64_t recorderBytes = 0; // --flight-recorder SIZE[,AGE] (0: none)
    std::chrono::seconds recorderAge{0};
    std::string recorderSyscalls = "default"; // --recorder-syscalls
    std::uint32_t recorderSnaplen = 262144;
    std::string triggersFile;     // --triggers FILE
    TriggerLimits triggerLimits;  // --trigger-max-captures, --spool-quota
    std::vector<RetentionRule> retention = defaultRetention(); // --retention
    std::string metricsListen;    // --metrics HOST:PORT ("": none)
    std::size_t metricsMaxSeries = 1000; // --metrics-max-series
    std::vector<std::string> metricsLabels; // --metrics-labels: Hubble's flow-level labels
    std::chrono::seconds metricsGrace{300}; // --metrics-grace: a gone pod's series stay this long
    std::string otlpEndpoint;     // --otlp URL ("": no live spans)
    std::string otlpMetrics;      // --otlp-metrics HOST:PORT
    std::string otlpProgram;      // --otlp-exporter PATH (else the CLI beside the helper)
    std::string ownSocket;        // this helper's socket, for the span companion
    bool any() const
    {
        return !falcoListen.empty() || !tetragon.empty() || !hubble.empty() || recorderBytes || !triggersFile.empty() ||
               !metricsListen.empty() || !otlpEndpoint.empty();
    }
};

// Owns the node's live sources (an EventHub they publish to), the event archive, the flight
// recorder, the trigger rules and the spool's retention, and a thread that reloads the rules,
// prunes the spool and logs the sources' counters. Captures and sessions borrow the hub and
// the recorder through the CaptureContext it fills.
class NodeServices {
public:
    // Throws EngineError (a port, a folder, a rules file, the recorder's capture).
    NodeServices(NodeOptions options, const Spool* spool, gid_t group, CaptureContext* context);
    ~NodeServices();
    NodeServices(const NodeServices&) = delete;
    NodeServices& operator=(const NodeServices&) = delete;

    // Files being written: triggered captures and the recorder's current file (for ListSpooled).
    std::vector<pb::SpooledCapture> running() const;
    void maintain(); // what the thread does each minute (also for tests)
    // How many clients the helper serves now (for --metrics), from the server.
    void setClientCounter(std::function<std::uint64_t()> clients);
    // How many client captures run now (for --metrics), from the server.
    void setCaptureCounter(std::function<std::uint64_t()> captures);

private:
    void logRecorder(); // its counters, each minute and at the end
    void logTriggers(); // theirs, when they changed
    void updateMetrics(bool walkSpool); // once a second; the spool's size every 2 s
    void run();
    void logSources();

    NodeOptions options_;
    std::string spoolDir_;
    const Spool* spool_;
    std::shared_ptr<sources::EventHub> hub_;
    std::unique_ptr<HelperMetrics> metrics_; // before the sources: it outlives what they publish
    std::unique_ptr<NodeTraffic> traffic_;   // counts into metrics_
    std::unique_ptr<sources::FalcoListener> falco_;
    std::vector<std::unique_ptr<sources::StreamSource>> streams_;
    std::unique_ptr<EventArchive> archive_;
    std::unique_ptr<FlightRecorder> recorder_;
    std::unique_ptr<TriggerEngine> triggers_;
    std::unique_ptr<Retention> retention_;
    std::unique_ptr<SpanCompanion> spans_;
    std::string lastSources_, lastTriggers_;
    std::function<std::uint64_t()> clients_, captures_;
    std::uint64_t spoolBytes_ = 0;
    int hubSubscription_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace ss::helper
