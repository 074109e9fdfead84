// SPDX-License-Identifier: GPL-2.0-or-later
#include "node_services.h"

#include "error.h"
#include "interfaces.h"
#include "syscall_capturer.h"

#include <sys/stat.h>

#include <cstdio>

namespace ss::helper {

NodeServices::NodeServices(NodeOptions options, const Spool* spool, gid_t group, CaptureContext* context)
    : options_(std::move(options)), spoolDir_(spool->dir()), spool_(spool), hub_(std::make_shared<sources::EventHub>())
{
    if (!options_.metricsListen.empty()) {
        metrics_ = std::make_unique<HelperMetrics>(options_.metricsListen, options_.metricsMaxSeries,
                                                   context->nodeName, options_.metricsLabels);
        traffic_ = std::make_unique<NodeTraffic>(*metrics_, context->pods, options_.metricsGrace);
        hubSubscription_ = hub_->subscribe([this](const sources::SourceEvent& e) { metrics_->onEvent(e); });
        std::fprintf(stderr, "stratoshark-helper: Prometheus metrics on http://%s/metrics (port %d)\n",
                     options_.metricsListen.c_str(), metrics_->port());
    }
    const bool sources = !options_.falcoListen.empty() || !options_.tetragon.empty() || !options_.hubble.empty();
    if (sources) {
        context->events = hub_;
        context->attachFlows = !options_.hubble.empty();
    }
    if (!options_.falcoListen.empty()) {
        falco_ = std::make_unique<sources::FalcoListener>(*hub_, options_.falcoListen, options_.falcoTls);
        std::fprintf(stderr, "stratoshark-helper: Falco alerts on %s://%s/ (port %d)\n",
                     options_.falcoTls.cert.empty() ? "http" : "https", options_.falcoListen.c_str(), falco_->port());
    }
    for (const std::string& address : options_.tetragon)
        streams_.push_back(std::make_unique<sources::StreamSource>(*hub_, events::EventSource::Tetragon, address,
                                                                   ipc::TlsFiles{}));
    for (const std::string& address : options_.hubble)
        streams_.push_back(std::make_unique<sources::StreamSource>(*hub_, events::EventSource::Hubble, address,
                                                                   options_.hubbleTls));
    if (sources && !spoolDir_.empty())
        archive_ = std::make_unique<EventArchive>(spoolDir_, hub_);
    if (options_.recorderBytes) {
        FlightRecorder::Options r;
        r.dir = spoolDir_ + "/recorder";
        r.maxBytes = options_.recorderBytes;
        r.maxAge = options_.recorderAge;
        r.capture.interfaces = bpf::upInterfaces();
        r.capture.addNewInterfaces = true;
        r.capture.snaplen = options_.recorderSnaplen;
        r.capture.syscalls = bpf::SyscallCapturer::parseList(options_.recorderSyscalls);
        r.capture.pods = context->pods;
        r.capture.nodeName = context->nodeName;
        r.capture.excluded = context->excluded;
        r.capture.events = context->events;
        r.capture.attachFlows = context->attachFlows;
        recorder_ = std::make_unique<FlightRecorder>(std::move(r));
        context->recorder = recorder_.get();
        std::fprintf(stderr, "stratoshark-helper: flight recorder in %s/recorder: the last %llu bytes%s\n",
                     spoolDir_.c_str(), static_cast<unsigned long long>(options_.recorderBytes),
                     options_.recorderAge.count()
                         ? (" or " + std::to_string(options_.recorderAge.count()) + " s").c_str()
                         : "");
    }
    if (!options_.triggersFile.empty()) {
        TriggerEngine::Observer observer;
        if (metrics_)
            observer = [this](const std::string& trigger, const std::string& result) {
                metrics_->onTrigger(trigger, result);
            };
        triggers_ = std::make_unique<TriggerEngine>(options_.triggersFile, spoolDir_, group, options_.triggerLimits,
                                                    *context, hub_, std::move(observer));
    }
    if (!spoolDir_.empty())
        retention_ = std::make_unique<Retention>(spoolDir_, options_.retention);
    if (!options_.otlpEndpoint.empty()) {
        SpanCompanion::Options o;
        o.program = options_.otlpProgram;
        o.socket = options_.ownSocket;
        o.endpoint = options_.otlpEndpoint;
        o.metrics = options_.otlpMetrics;
        o.group = group;
        spans_ = std::make_unique<SpanCompanion>(std::move(o));
        context->isCompanion = [this](pid_t pid, uid_t uid) { return spans_ && spans_->is(pid, uid); };
        std::fprintf(stderr, "stratoshark-helper: network spans to %s by %s export otlp%s%s\n",
                     options_.otlpEndpoint.c_str(), options_.otlpProgram.c_str(),
                     options_.otlpMetrics.empty() ? "" : ", HTTP durations on ", options_.otlpMetrics.c_str());
    }
    thread_ = std::thread([this] { run(); });
}

NodeServices::~NodeServices()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    spans_.reset(); // its capture is one of our clients: it ends before the recorder and the sources
    logTriggers();
    triggers_.reset(); // they read from the recorder
    logRecorder();
    recorder_.reset();
    logSources();
    if (metrics_)
        hub_->unsubscribe(hubSubscription_);
}

void NodeServices::setClientCounter(std::function<std::uint64_t()> clients)
{
    std::lock_guard lock(mutex_);
    clients_ = std::move(clients);
}

void NodeServices::setCaptureCounter(std::function<std::uint64_t()> captures)
{
    std::lock_guard lock(mutex_);
    captures_ = std::move(captures);
}

void NodeServices::updateMetrics(bool walkSpool)
{
    if (!metrics_)
        return;
    if (walkSpool && !spoolDir_.empty()) {
        spoolBytes_ = 0;
        for (const std::string& dir : {spoolDir_, spoolDir_ + "/recorder", spoolDir_ + "/archive"})
            spoolBytes_ += regularFileBytes(dir);
    }
    HelperMetrics::Health h;
    {
        std::lock_guard lock(mutex_);
        h.clients = clients_ ? clients_() : 0;
        h.clientCaptures = captures_ ? captures_() : 0;
    }
    h.triggeredCaptures = triggers_ ? triggers_->running().size() : 0;
    h.spoolBytes = spoolBytes_;
    h.spoolQuota = options_.triggerLimits.spoolQuota;
    if (recorder_) {
        const FlightRecorder::Stats n = recorder_->stats();
        h.recorder = true;
        h.recorderPackets = n.packets;
        h.recorderRecordDrops = n.recordDrops;
        h.recorderBytes = n.bytesWritten;
        h.recorderInterfaceDrops = recorder_->dropsByInterface();
        h.recorderRingFill = recorder_->ringFill();
    }
    metrics_->setHealth(h);
    metrics_->setSources(hub_->allCounters());
    traffic_->refresh();
}

std::vector<pb::SpooledCapture> NodeServices::running() const
{
    std::vector<pb::SpooledCapture> out = triggers_ ? triggers_->running() : std::vector<pb::SpooledCapture>{};
    if (recorder_) {
        pb::SpooledCapture c;
        const std::string path = recorder_->currentPath();
        c.set_name("recorder/" + path.substr(path.rfind('/') + 1));
        c.set_owner("flight recorder");
        c.set_running(true);
        c.set_kind("recorder");
        struct stat st {};
        if (stat(path.c_str(), &st) == 0)
            c.set_bytes(std::uint64_t(st.st_size));
        out.push_back(c);
    }
    return out;
}

void NodeServices::logSources()
{
    std::string line;
    for (const sources::SourceCounters* c : hub_->allCounters())
        line += (line.empty() ? "" : "; ") + c->name + (c->connected ? " (connected)" : " (not connected)") + ": " +
                std::to_string(c->received) + " received, " + std::to_string(c->dropped) + " dropped, " +
                std::to_string(c->unparsable) + " not understood, " + std::to_string(c->reconnects) + " reconnects";
    if (line.empty() || line == lastSources_)
        return;
    lastSources_ = line;
    std::fprintf(stderr, "stratoshark-helper: sources: %s\n", line.c_str());
}

void NodeServices::logRecorder()
{
    if (!recorder_)
        return;
    const FlightRecorder::Stats n = recorder_->stats();
    std::fprintf(stderr,
                 "stratoshark-helper: flight recorder: %llu packets (%llu dropped in the kernel), %llu records "
                 "(%llu dropped), %llu bytes written in %llu files, %llu files deleted, %llu write errors\n",
                 static_cast<unsigned long long>(n.packets), static_cast<unsigned long long>(n.drops),
                 static_cast<unsigned long long>(n.records), static_cast<unsigned long long>(n.recordDrops),
                 static_cast<unsigned long long>(n.bytesWritten), static_cast<unsigned long long>(n.files),
                 static_cast<unsigned long long>(n.filesDeleted), static_cast<unsigned long long>(n.writeErrors));
}

void NodeServices::logTriggers()
{
    if (!triggers_)
        return;
    const TriggerCounters& c = triggers_->counters();
    const std::string line =
        std::to_string(c.started) + " started, " + std::to_string(c.extended) + " extended; not started: " +
        std::to_string(c.cooldown) + " in cooldown, " + std::to_string(c.concurrency) + " over the limit, " +
        std::to_string(c.quota) + " over the spool quota, " + std::to_string(c.missingField) + " missing a field, " +
        std::to_string(c.refused) + " refused; " + std::to_string(c.reloads) + " reloads, " +
        std::to_string(c.badReloads) + " refused reloads";
    if (line == lastTriggers_)
        return;
    lastTriggers_ = line;
    std::fprintf(stderr, "stratoshark-helper: triggers: %s\n", line.c_str());
}

void NodeServices::maintain()
{
    logSources();
    logRecorder();
    logTriggers();
    if (!retention_)
        return;
    std::set<std::string> open;
    if (archive_)
        for (const std::string& p : archive_->openPaths())
            open.insert(p);
    if (triggers_)
        for (const std::string& p : triggers_->openPaths())
            open.insert(p);
    if (recorder_)
        open.insert(recorder_->currentPath());
    for (const std::string& p : spool_->openPaths())
        open.insert(p);
    retention_->prune(open);
}

void NodeServices::run()
{
    auto lastMaintenance = std::chrono::steady_clock::now() - std::chrono::minutes(1);
    unsigned ticks = 0;
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        if (triggers_)
            triggers_->reloadIfChanged();
        updateMetrics(++ticks % 2 == 1);
        if (std::chrono::steady_clock::now() - lastMaintenance >= std::chrono::minutes(1)) {
            lastMaintenance = std::chrono::steady_clock::now();
            maintain();
        }
        lock.lock();
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
    }
}

} // namespace ss::helper
