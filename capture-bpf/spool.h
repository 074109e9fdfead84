// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "helper.pb.h"

namespace ss::helper {

namespace pb = stratoshark::helper::v1;

// How much the spool may take: captures running there at once, and per capture its time
// and bytes from the moment its client went away.
struct SpoolLimits {
    unsigned captures = 4;
    std::chrono::seconds duration{3600};
    std::uint64_t bytes = 1ull << 30;
};

// One capture going on in the spool: its file (DIR/<time>-<owner>-<n>.pcapng, a new file
// never one that exists, mode 0640, group the helper's, starting with the section and
// interface blocks), its counters, and whether somebody asked it to stop.
class SpooledCapture {
public:
    SpooledCapture(const std::string& dir, const std::string& owner, gid_t group, const std::string& header,
                   const SpoolLimits& limits); // throws EngineError naming the file
    ~SpooledCapture();
    SpooledCapture(const SpooledCapture&) = delete;
    SpooledCapture& operator=(const SpooledCapture&) = delete;

    // Appends whole blocks; false (nothing written) when they would pass the byte limit.
    // Throws EngineError when the disk refuses.
    bool write(const std::string& blocks, std::uint64_t packets);
    bool stopRequested() const { return stop_; }
    void requestStop() { stop_ = true; }
    // Its time is up (SpoolLimits::duration since it started).
    bool expired() const { return std::chrono::steady_clock::now() >= deadline_; }
    void finish() { running_ = false; }

    const std::string& name() const { return name_; }
    const std::string& path() const { return path_; }
    const std::string& owner() const { return owner_; }
    pb::SpooledCapture describe() const;

private:
    std::string name_, path_, owner_;
    std::FILE* file_ = nullptr;
    std::uint64_t maxBytes_;
    std::atomic<std::uint64_t> bytes_{0}, packets_{0};
    std::atomic<bool> stop_{false}, running_{true};
    std::chrono::steady_clock::time_point deadline_;
    std::uint64_t startedNs_;
};

// `--spool DIR`: the only place the helper writes files. A capture whose client goes away
// (a closed terminal, a dropped SSH session, a network cut) before its --duration or
// --count goes on into a file there, within SpoolLimits. Spooled captures can be listed and
// stopped over the socket by their owner (the client's uid, or its certificate's name) and
// by root. Thread-safe: client threads share it.
class Spool {
public:
    Spool(std::string dir, gid_t group, SpoolLimits limits);

    bool enabled() const { return !dir_.empty(); }
    const SpoolLimits& limits() const { return limits_; }
    // A new spooled capture, or nullptr with *why when SpoolLimits::captures run already.
    std::shared_ptr<SpooledCapture> start(const std::string& owner, const std::string& header, std::string* why);
    // Running ones (also those `extra` reports: triggered captures) and the files in the
    // folder, its recorder/ and archive/ folders ("recorder/NAME", "archive/NAME").
    std::vector<pb::SpooledCapture> list() const;
    void setExtra(std::function<std::vector<pb::SpooledCapture>()> extra) { extra_ = std::move(extra); }
    // The files being written (retention leaves them).
    std::vector<std::string> openPaths() const;
    // A file of list() opened for reading (O_NOFOLLOW, a regular file), or -1 with *why.
    int openForFetch(const std::string& name, std::string* why) const;
    const std::string& dir() const { return dir_; }
    enum class StopResult { Stopped, NotFound, NotYours, NotRunning };
    StopResult stop(const std::string& name, const std::string& who, bool root);
    // Every running one (the helper is stopping).
    void stopAll();

private:
    std::string dir_;
    gid_t group_;
    SpoolLimits limits_;
    mutable std::mutex mutex_;
    std::map<std::string, std::weak_ptr<SpooledCapture>> running_;
    std::function<std::vector<pb::SpooledCapture>()> extra_;
};

} // namespace ss::helper
