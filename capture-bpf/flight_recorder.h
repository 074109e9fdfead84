// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capture_output.h"
#include "pcapng_capture.h"

namespace ss {
class PcapngWriter;
}

namespace ss::helper {

// Blocks the recorder writes after somebody began to follow it, waiting for that follower
// (bounded: past kMaxBytes they are dropped, and counted).
class BlockQueue {
public:
    static constexpr std::size_t kMaxBytes = 64u << 20;
    void push(const std::uint8_t* data, std::size_t size);
    std::string take(); // everything queued, as whole blocks
    std::uint64_t dropped() const { return dropped_; }

private:
    std::mutex mutex_;
    std::string blocks_;
    std::uint64_t dropped_ = 0;
};

// `--flight-recorder SIZE[,AGE]`: one capture of the whole node that never stops — every
// interface (and those that come up later), the syscalls asked for, the live sources'
// events — into rotating pcapng files DIR/recorder_NNNNN_TIME.pcapng, of which it keeps the
// newest SIZE bytes and AGE. Files of an earlier run count too. `--since/--until` captures
// and triggers read the past from these files and follow what it writes next.
class FlightRecorder {
public:
    struct Options {
        std::string dir;                 // the spool's recorder/ folder
        std::uint64_t maxBytes = 0;
        std::chrono::seconds maxAge{0};  // 0: size only
        bpf::PcapngCapture::Options capture;
    };
    explicit FlightRecorder(Options options); // throws EngineError (the capture, the folder)
    ~FlightRecorder();
    FlightRecorder(const FlightRecorder&) = delete;
    FlightRecorder& operator=(const FlightRecorder&) = delete;

    // The recorded files as they are now (oldest first, each with its size now), and a queue
    // that receives every block written from this moment on, starting with the current
    // section and interface blocks: together, all that was and will be recorded, once.
    struct Follower {
        std::vector<std::pair<std::string, std::uint64_t>> files;
        std::shared_ptr<BlockQueue> live;
    };
    Follower follow();
    void unfollow(const std::shared_ptr<BlockQueue>& queue);

    std::uint64_t watermarkNs() const { return watermarkNs_; } // wall clock: recorded up to here
    const std::string& dir() const { return options_.dir; }
    bool isRecorderFile(const std::string& name) const;       // a file name in dir()
    std::string currentPath() const;                           // the file being written

    struct Stats {
        std::uint64_t packets, records, drops, recordDrops, bytesWritten, files, filesDeleted, writeErrors;
    };
    Stats stats() const;
    double ringFill() const; // the kernel ring's, 0 to 1
    // The kernel ring's drops by interface (name, total).
    std::vector<std::pair<std::string, std::uint64_t>> dropsByInterface() const;

private:
    void run();
    void onBlock(const std::uint8_t* data, std::size_t size);
    void writePending();
    // Deletes the oldest files past maxBytes/maxAge, never the one being written; logged.
    void prune();

    Options options_;
    std::unique_ptr<capture::CaptureOutput> output_;
    std::unique_ptr<PcapngWriter> writer_;
    std::unique_ptr<bpf::PcapngCapture> capture_;
    mutable std::mutex mutex_; // the capture, the output and the followers
    std::string pending_;
    std::vector<std::shared_ptr<BlockQueue>> followers_;
    std::atomic<std::uint64_t> watermarkNs_{0}, bytesWritten_{0}, filesDeleted_{0}, writeErrors_{0};
    std::uint64_t lastFiles_ = 0;
    std::string lastError_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace ss::helper
