// SPDX-License-Identifier: GPL-2.0-or-later
#include "trigger_engine.h"

#include "retention.h"
#include "wall_clock.h"

#include "error.h"
#include "k8s_metadata.h"
#include "pcapng_capture.h"
#include "pcapng_writer.h"
#include "read_file.h"
#include "recorder_view.h"
#include "ss_records.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ss::helper {
namespace {

using Clock = std::chrono::steady_clock;

void say(const std::string& line)
{
    std::fprintf(stderr, "stratoshark-helper: %s\n", line.c_str());
}

std::string fileSafe(const std::string& text)
{
    std::string out;
    for (const char c : text.substr(0, 64))
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
    return out.empty() ? "_" : out;
}

std::string utcStamp(std::uint64_t ns)
{
    const std::time_t t = std::time_t(ns / 1000000000ull);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
    return text;
}

std::string field(const events::EventFields& f, const char* key)
{
    const auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}


} // namespace

struct TriggerEngine::Capture {
    std::string key, trigger, pod, name, path;
    std::chrono::seconds cooldown{0};
    std::atomic<std::uint64_t> untilNs{0}, packets{0}, bytes{0};
    // The same end on the steady clock, for a live capture: a step of the wall clock does not
    // end it early or hold it on (untilNs is for the flight recorder's wall-clock window).
    std::atomic<Clock::rep> steadyUntil{0};
    std::atomic<bool> stop{false}, done{false};
    std::uint64_t startedNs = 0;
    std::thread thread;
};

TriggerEngine::TriggerEngine(std::string file, std::string spoolDir, gid_t group, TriggerLimits limits,
                             CaptureContext context, std::shared_ptr<sources::EventHub> hub, Observer observer)
    : file_(std::move(file)), spoolDir_(std::move(spoolDir)), group_(group), limits_(limits),
      context_(std::move(context)), hub_(std::move(hub)), observer_(std::move(observer))
{
    const auto text = readSmallFile(file_, 4u << 20);
    if (!text)
        throw EngineError("read --triggers", file_, std::strerror(errno));
    try {
        rules_ = std::make_shared<const std::vector<TriggerRule>>(parseTriggerRules(*text));
    } catch (const TriggerFileError& e) {
        throw EngineError("read --triggers", file_, e.what());
    }
    struct stat st {};
    if (stat(file_.c_str(), &st) == 0) {
        fileTime_ = st.st_mtim;
        fileSize_ = st.st_size;
        fileInode_ = st.st_ino;
    }
    say("triggers: " + std::to_string(rules_->size()) + " rules from " + file_);
    worker_ = std::thread([this] { work(); });
    subscription_ = hub_->subscribe([this](const sources::SourceEvent& e) {
        if (e.source != events::EventSource::Hubble) // flows trigger nothing
            queue_.push(e);
    });
}

TriggerEngine::~TriggerEngine()
{
    hub_->unsubscribe(subscription_);
    {
        std::lock_guard lock(mutex_);
        for (const auto& c : captures_)
            c->stop = true;
    }
    queue_.close();
    worker_.join();
    for (const auto& c : captures_)
        if (c->thread.joinable())
            c->thread.join();
}

std::size_t TriggerEngine::ruleCount() const
{
    std::lock_guard lock(mutex_);
    return rules_->size();
}

void TriggerEngine::reloadIfChanged()
{
    struct stat st {};
    if (stat(file_.c_str(), &st) != 0)
        return; // gone for a moment (an editor, a ConfigMap's symlink swap): the rules stay
    {
        std::lock_guard lock(mutex_);
        if (st.st_mtim.tv_sec == fileTime_.tv_sec && st.st_mtim.tv_nsec == fileTime_.tv_nsec &&
            st.st_size == fileSize_ && st.st_ino == fileInode_)
            return;
        fileTime_ = st.st_mtim;
        fileSize_ = st.st_size;
        fileInode_ = st.st_ino;
    }
    const auto text = readSmallFile(file_, 4u << 20);
    try {
        if (!text)
            throw TriggerFileError(0, std::strerror(errno));
        auto rules = std::make_shared<const std::vector<TriggerRule>>(parseTriggerRules(*text));
        std::lock_guard lock(mutex_);
        rules_ = std::move(rules);
        ++counters_.reloads;
        say("triggers: reloaded " + file_ + ": " + std::to_string(rules_->size()) + " rules");
    } catch (const TriggerFileError& e) {
        ++counters_.badReloads;
        say("triggers: refused the changed " + file_ + ": " + e.what() + "; the " + std::to_string(ruleCount()) +
            " rules before it stay");
    }
}

void TriggerEngine::work()
{
    while (!queue_.closed()) {
        const auto batch = queue_.waitAndTake(std::chrono::seconds(1));
        if (batch.empty())
            reap();
        for (const sources::SourceEvent& event : batch) {
            if (queue_.closed())
                return;
            reap();
            try {
                onAlert(event);
            } catch (const std::exception& e) { // one alert never ends the rules
                say(std::string("triggers: ") + e.what());
            }
        }
    }
}

void TriggerEngine::reap()
{
    std::lock_guard lock(mutex_);
    for (auto it = captures_.begin(); it != captures_.end();) {
        if (!(*it)->done) {
            ++it;
            continue;
        }
        (*it)->thread.join();
        coolUntil_[(*it)->key] = Clock::now() + (*it)->cooldown;
        it = captures_.erase(it);
    }
}

void TriggerEngine::onAlert(const sources::SourceEvent& event)
{
    std::shared_ptr<const std::vector<TriggerRule>> rules;
    {
        std::lock_guard lock(mutex_);
        rules = rules_;
    }
    for (const TriggerRule& rule : *rules) {
        if (!ruleMatches(rule, event.source, event.event.fields))
            continue;
        events::EventFields fields = event.event.fields;
        // The pod's addresses come from the node's pod source.
        const std::string pod = field(fields, "pod_name"), ns = field(fields, "namespace");
        if (!pod.empty() && context_.pods && !fields.count("pod_ip"))
            for (const bpf::PodInfo* p : context_.pods->current().pods->all())
                if (p->name == pod && (ns.empty() || p->ns == ns) && !p->ips.empty()) {
                    fields["pod_ip"] = p->ips.front();
                    break;
                }
        fire(rule, event, std::move(fields));
    }
}

std::uint64_t TriggerEngine::spoolBytes() const
{
    return regularFileBytes(spoolDir_); // the captures; the recorder and the archive have their own bounds
}

namespace {

// One triggered capture, on its own thread: the alert, `pre` from the recorder, then what
// comes until the capture's end (which repeats may push later).
void runTriggered(TriggerEngine::Capture* c, const CaptureSpec& spec, const events::ImportedRecord& alert,
                  std::uint64_t preNs, const CaptureContext& context, int fd, const std::string& description,
                  const std::function<bool()>& overQuota)
{
    std::FILE* file = fdopen(fd, "wb");
    if (!file) {
        close(fd);
        say("trigger " + c->trigger + ": cannot write " + c->path + ": " + std::strerror(errno));
        c->done = true;
        return;
    }
    std::string reason = "duration";
    std::uint64_t packets = 0, records = 0;
    try {
        bool failed = false;
        const auto put = [&](const void* data, std::size_t size) {
            if (std::fwrite(data, 1, size, file) != size)
                failed = true;
        };
        PcapngWriter writer([&](const std::uint8_t* data, std::size_t size) { put(data, size); },
                            "Stratoshark helper (triggered capture)", {description});
        const std::uint32_t alertInterface = writer.addInterface(
            alert.linkType, 0x40000, alert.linkType == SS_LINKTYPE_FLOW ? "hubble" : "security-events");
        writer.writePacket(alertInterface, alert.timestampNs, alert.bytes.data(), std::uint32_t(alert.bytes.size()),
                           std::uint32_t(alert.bytes.size()), {"Triggered " + c->name});
        std::unique_ptr<CaptureSource> source;
        // The flight recorder keeps no TLS secrets: a rule that wants them captures live from
        // the alert on, without its pre window.
        if (context.recorder && !spec.options.tlsSecrets) {
            BlockCopier::Filter filter = viewFilter(spec);
            filter.sinceNs = alert.timestampNs > preNs ? alert.timestampNs - preNs : 0;
            filter.untilNs = c->untilNs;
            filter.skipRecord.assign(alert.bytes.begin(), alert.bytes.end());
            auto ebpf = spec.metadataFilter.empty() ? nullptr : std::make_unique<bpf::EbpfFilter>(spec.metadataFilter);
            source = std::make_unique<RecorderView>(
                *context.recorder, filter, std::move(ebpf), 0,
                [&](const std::string& block) { put(block.data(), block.size()); }, alertInterface + 1);
        } else {
            source = std::make_unique<bpf::PcapngCapture>(spec.options, writer);
        }
        auto lastQuotaCheck = Clock::now();
        for (;;) {
            if (auto* view = dynamic_cast<RecorderView*>(source.get()))
                view->extendUntil(c->untilNs);
            source->poll(50);
            std::fflush(file);
            const CaptureCounters n = source->counters();
            c->packets = n.packets;
            c->bytes = std::uint64_t(std::ftell(file));
            if (failed) {
                reason = "write failed: " + std::string(std::strerror(errno));
                break;
            }
            if (c->stop) {
                reason = "helper stopping";
                break;
            }
            if (source->ended() || (!context.recorder && Clock::now().time_since_epoch().count() >= c->steadyUntil))
                break;
            if (Clock::now() - lastQuotaCheck > std::chrono::seconds(1)) {
                lastQuotaCheck = Clock::now();
                if (overQuota()) {
                    reason = "the spool quota is reached";
                    break;
                }
            }
        }
        source->finish({});
        const CaptureCounters n = source->counters();
        packets = n.packets;
        records = n.records;
    } catch (const std::exception& e) {
        const auto* engine = dynamic_cast<const EngineError*>(&e);
        reason = "failed: " + (engine ? engine->step() + " \"" + engine->object() + "\": " : std::string()) + e.what();
    }
    std::fclose(file);
    say("trigger " + c->trigger + ": wrote " + c->path + " (" + std::to_string(packets) + " packets, " +
        std::to_string(records) + " records; ended: " + reason + ")");
    c->done = true;
}

} // namespace

void TriggerEngine::count(std::atomic<std::uint64_t>& counter, const std::string& trigger, const char* result)
{
    ++counter;
    if (observer_)
        observer_(trigger, result);
}

void TriggerEngine::fire(const TriggerRule& rule, const sources::SourceEvent& event, events::EventFields fields)
{
    const std::string pod = field(fields, "pod_name").empty() ? "node" : field(fields, "pod_name");
    const std::string ns = field(fields, "namespace");
    const std::string key = rule.name + "/" + ns + "/" + pod;
    const std::string what = "trigger " + rule.name + " (pod " + (ns.empty() ? "" : ns + "/") + pod + ")";
    const std::uint64_t now = wallClockNs();
    const std::uint64_t until = now + std::uint64_t(rule.duration.count()) * 1000000000ull;
    const Clock::rep steadyUntil = (Clock::now() + rule.duration).time_since_epoch().count();
    {
        std::lock_guard lock(mutex_);
        for (const auto& c : captures_)
            if (c->key == key && !c->done) {
                if (until > c->untilNs)
                    c->untilNs = until;
                if (steadyUntil > c->steadyUntil)
                    c->steadyUntil = steadyUntil;
                count(counters_.extended, rule.name, "extended");
                say(what + ": another alert; " + c->name + " now ends " + std::to_string(rule.duration.count()) +
                    " s from now");
                return;
            }
        const auto cool = coolUntil_.find(key);
        if (cool != coolUntil_.end() && Clock::now() < cool->second) {
            count(counters_.cooldown, rule.name, "cooldown");
            say(what + ": not started: in its cooldown (" + std::to_string(rule.cooldown.count()) +
                " s after the last capture)");
            return;
        }
        unsigned running = 0;
        for (const auto& c : captures_)
            running += !c->done;
        if (running >= limits_.maxCaptures) {
            count(counters_.concurrency, rule.name, "concurrency");
            say(what + ": not started: " + std::to_string(running) + " triggered captures run already (the limit)");
            return;
        }
    }
    std::string missing;
    pb::StartCapture request;
    const auto filter = expandTemplate(rule.filter, fields, &missing);
    const auto ebpf = filter ? expandTemplate(rule.ebpfFilter, fields, &missing) : std::nullopt;
    if (!filter || !ebpf) {
        count(counters_.missingField, rule.name, "missing_field");
        say(what + ": skipped: the alert has no " + missing + " for its filter");
        return;
    }
    if (spoolBytes() >= limits_.spoolQuota) {
        count(counters_.quota, rule.name, "quota");
        say(what + ": not started: the spool holds " + std::to_string(spoolBytes()) + " bytes (quota " +
            std::to_string(limits_.spoolQuota) + ")");
        return;
    }
    request.set_bpf_filter(*filter);
    request.set_metadata_filter(*ebpf);
    request.set_syscalls(rule.syscalls);
    if (rule.tlsSecrets)
        request.set_tls_secrets(pb::StartCapture::TLS_SECRETS_SELECTED);
    CaptureSpec spec;
    try {
        spec = validateCapture(request, context_); // the same checks as a client's request
    } catch (const Refusal& r) {
        count(counters_.refused, rule.name, "refused");
        say(what + ": not started: " + r.what());
        return;
    }
    auto c = std::make_shared<Capture>();
    c->key = key;
    c->trigger = rule.name;
    c->pod = pod;
    c->cooldown = rule.cooldown;
    c->untilNs = until;
    c->steadyUntil = steadyUntil;
    c->startedNs = now;
    const events::ImportedRecord& alert = event.event.record;
    int fd = -1;
    for (int n = 1; n < 100 && fd < 0; ++n) {
        c->name = fileSafe(rule.name) + "_" + fileSafe(pod) + "_" + utcStamp(alert.timestampNs) +
                  (n > 1 ? "-" + std::to_string(n) : std::string()) + ".pcapng";
        c->path = spoolDir_ + "/" + c->name;
        fd = open(c->path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        count(counters_.refused, rule.name, "refused");
        say(what + ": cannot create " + c->path + ": " + std::strerror(errno));
        return;
    }
    if (fchown(fd, 0, group_) != 0)
        say(what + ": cannot give " + c->path + " to the helper's group: " + std::strerror(errno));
    const std::string description = "Triggered by " + rule.name + ": " +
                                    (event.source == events::EventSource::Falco
                                         ? "Falco rule \"" + field(fields, "rule") + "\" (" + field(fields, "priority") + ")"
                                         : "Tetragon " + field(fields, "event") + " of " + field(fields, "binary")) +
                                    " on pod " + (ns.empty() ? "" : ns + "/") + pod;
    const std::uint64_t preNs = std::uint64_t(rule.pre.count()) * 1000000000ull;
    if (!context_.recorder && preNs)
        say(what + ": no flight recorder, so no " + std::to_string(rule.pre.count()) + " s before the alert");
    count(counters_.started, rule.name, "started");
    say(what + ": capturing into " + c->path + " (filter \"" + *filter + "\", ebpf-filter \"" + *ebpf + "\", " +
        std::to_string(rule.pre.count()) + " s before, " + std::to_string(rule.duration.count()) + " s after)");
    std::lock_guard lock(mutex_);
    captures_.push_back(c);
    c->thread = std::thread([this, c, spec, alert, preNs, fd, description] {
        runTriggered(c.get(), spec, alert, preNs, context_, fd, description,
                     [this] { return spoolBytes() > limits_.spoolQuota; });
    });
}

std::vector<pb::SpooledCapture> TriggerEngine::running() const
{
    std::vector<pb::SpooledCapture> out;
    std::lock_guard lock(mutex_);
    for (const auto& c : captures_) {
        if (c->done)
            continue;
        pb::SpooledCapture s;
        s.set_name(c->name);
        s.set_owner("trigger " + c->trigger);
        s.set_running(true);
        s.set_bytes(c->bytes);
        s.set_packets(c->packets);
        s.set_started_ns(c->startedNs);
        s.set_kind("trigger");
        out.push_back(s);
    }
    return out;
}

std::vector<std::string> TriggerEngine::openPaths() const
{
    std::vector<std::string> out;
    std::lock_guard lock(mutex_);
    for (const auto& c : captures_)
        if (!c->done)
            out.push_back(c->path);
    return out;
}

} // namespace ss::helper
