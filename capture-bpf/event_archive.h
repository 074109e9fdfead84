// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capture_output.h"
#include "event_hub.h"

namespace ss {
class PcapngWriter;
}

namespace ss::helper {

// Every event the node's live sources deliver, kept as records in the spool's archive/
// folder — archive/flows_NNNNN_TIME.pcapng (Hubble) and archive/alerts_NNNNN_TIME.pcapng
// (Falco, Tetragon), 16 MiB files — so that they outlive the packets (retention keeps flows
// 30 days and alerts 90 by default, packets 7). The flight recorder has them too, in time
// order with the packets; this is their long memory.
class EventArchive {
public:
    EventArchive(const std::string& spoolDir, std::shared_ptr<sources::EventHub> hub); // throws EngineError
    ~EventArchive();
    EventArchive(const EventArchive&) = delete;
    EventArchive& operator=(const EventArchive&) = delete;

    std::vector<std::string> openPaths() const; // the files being written

private:
    struct Stream {
        std::unique_ptr<capture::CaptureOutput> output;
        std::unique_ptr<PcapngWriter> writer;
        std::uint32_t interface = 0;
        std::string pending;
    };
    void run();

    std::shared_ptr<sources::EventHub> hub_;
    Stream flows_, alerts_;
    int subscription_ = 0;
    mutable std::mutex mutex_; // the outputs' current files
    static constexpr std::size_t kMaxQueued = 16384; // events waiting to be written
    sources::EventQueue queue_{kMaxQueued};
    std::thread thread_;
};

} // namespace ss::helper
