// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capture_request.h"
#include "event_hub.h"
#include "helper.pb.h"
#include "trigger_rules.h"

namespace ss::helper {

struct TriggerLimits {
    unsigned maxCaptures = 4;              // triggered captures running at once
    std::uint64_t spoolQuota = 10ull << 30; // bytes of files in the spool folder (not the recorder's)
};

// What the trigger rules have done since the helper started (each also a log line).
struct TriggerCounters {
    std::atomic<std::uint64_t> started{0}, extended{0}, missingField{0}, cooldown{0}, concurrency{0}, quota{0},
        refused{0}, reloads{0}, badReloads{0};
};

// `--triggers FILE`: alerts from the node's live sources start captures into the spool.
// A matching alert starts one with the rule's filters (templates filled from the alert), in
// DIR/<trigger>_<pod>_<time>.pcapng: the alert record first, then `pre` seconds from the
// flight recorder, then `duration` of what comes next. One capture per (trigger, pod): a
// repeat extends it; after it ends, the rule's cooldown; at most TriggerLimits::maxCaptures
// at once; none while the spool holds more than the quota. Every refusal is logged and counted.
class TriggerEngine {
public:
    // Throws EngineError("read --triggers", FILE, "line N: why").
    // Told each outcome: (trigger, "started" | "extended" | "cooldown" | "concurrency" | "quota" |
    // "missing_field" | "refused"), on the rules' thread (--metrics).
    using Observer = std::function<void(const std::string& trigger, const std::string& result)>;
    TriggerEngine(std::string file, std::string spoolDir, gid_t group, TriggerLimits limits, CaptureContext context,
                  std::shared_ptr<sources::EventHub> hub, Observer observer = {});
    ~TriggerEngine(); // stops the running captures (each file ends whole) and waits for them
    TriggerEngine(const TriggerEngine&) = delete;
    TriggerEngine& operator=(const TriggerEngine&) = delete;

    // Reads the file again when it changed; a bad file is refused (logged with its line) and
    // the rules before it stay. Called about once a second.
    void reloadIfChanged();
    const TriggerCounters& counters() const { return counters_; }
    std::vector<pb::SpooledCapture> running() const; // for ListSpooled
    std::vector<std::string> openPaths() const;      // files being written (retention skips them)
    std::size_t ruleCount() const;

    struct Capture; // one running triggered capture

private:
    void work();
    void onAlert(const sources::SourceEvent& event);
    void fire(const TriggerRule& rule, const sources::SourceEvent& event, events::EventFields fields);
    std::uint64_t spoolBytes() const;
    void reap();

    std::string file_, spoolDir_;
    gid_t group_;
    TriggerLimits limits_;
    CaptureContext context_;
    std::shared_ptr<sources::EventHub> hub_;
    int subscription_ = 0;
    TriggerCounters counters_;
    Observer observer_;
    void count(std::atomic<std::uint64_t>& counter, const std::string& trigger, const char* result);

    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<TriggerRule>> rules_;
    struct timespec fileTime_ {};
    off_t fileSize_ = -1;
    ino_t fileInode_ = 0;
    std::list<std::shared_ptr<Capture>> captures_;
    std::map<std::string, std::chrono::steady_clock::time_point> coolUntil_; // (trigger, pod) → end of cooldown
    static constexpr std::size_t kMaxQueued = 4096; // alerts waiting for the rules
    sources::EventQueue queue_{kMaxQueued};
    std::thread worker_;
};

} // namespace ss::helper
