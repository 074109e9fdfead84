// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helper_client.h"
#include "ipc_framing.h"
#include "stream_merger.h"

namespace ss::capture {

namespace pb = stratoshark::helper::v1;

// One capture on one or more helpers at once, their streams merged (StreamMerger) into one
// sink. Every node captures with the same request. A node refused at the start stops them
// all before anything is written; a node lost mid-capture (killed, unreachable, silent for
// kSilenceLimit) is written down in the file and the others go on.
class CaptureRun {
public:
    static constexpr std::chrono::seconds kSilenceLimit{10}; // a helper reports once a second

    // What a node reported last, for progress displays.
    struct NodeStatus {
        std::string name;
        pb::Statistics statistics;
        bool ended = false, lost = false;
        bool failed = false; // ended, but not as asked: its interfaces went away
        std::string reason;  // the end's, or why it was lost
    };
    // What happens during a capture, told as it happens (on the thread that runs it).
    // Without handlers, warnings and losses are printed on stderr (the CLI's way).
    struct Events {
        std::function<void(const std::string& node, const std::string& text)> warning;
        std::function<void(const std::string& node, const std::string& why)> lost;
        std::function<void()> wrote;                                  // blocks written
        std::function<void(const std::vector<NodeStatus>&)> statistics; // about once a second
    };

    CaptureRun(std::vector<std::unique_ptr<ipc::HelperClient>> helpers, StreamMerger::Sink sink, Events events = {});
    ~CaptureRun();

    // Starts the capture everywhere. A refusal is returned (nodes that had started are
    // stopped again and what they sent is dropped); the connections stay usable.
    std::optional<ipc::HelperError> start(const pb::StartCapture& request);
    // The same with a request for each node, in the order the helpers were given (a GUI
    // picks each node's interfaces).
    std::optional<ipc::HelperError> start(const std::vector<pb::StartCapture>& perNode);

    // Writes what start() received (the section header, the interfaces) at once.
    bool writeStart() { return merger_->flush(); }

    // Streams until every node has ended or is lost. Ctrl+C (`interrupted`, or a GUI's
    // Stop from another thread) and a sink that refuses more (a --max-size, a full disk) ask
    // the helpers to stop. `progress`: a one-line count on stderr, redrawn. Returns true
    // when every node ended normally (not lost, not ended by a failure such as
    // CaptureEnd::INTERFACE_GONE).
    bool run(const std::atomic<bool>& interrupted, bool progress);
    // Packets, drops, … summed over the nodes, as last reported.
    pb::Statistics total() const;
    std::vector<NodeStatus> status() const;
    static pb::Statistics sum(const std::vector<NodeStatus>& nodes);

    // After run(): one line per node ("node-a: duration: 12 packets, …"), or one line for a
    // single helper.
    // `reason` replaces the helpers' own ("max-size": the client stopped them).
    void printSummary(const char* program, const std::string& reason = {}) const;
    std::uint64_t packetsWritten() const { return merger_->packetsWritten(); }
    std::uint64_t outOfOrder() const { return merger_->outOfOrder(); }

private:
    struct Node {
        std::unique_ptr<ipc::HelperClient> client;
        std::string name;
        int merge = 0;
        ipc::FrameReader reader{ipc::kMaxResponseBytes};
        bool running = false, ended = false, lost = false;
        std::string endReason, lostReason;
        pb::CaptureEnd::Cause endCause = pb::CaptureEnd::CAUSE_UNSPECIFIED;
        pb::Statistics statistics;
        std::chrono::steady_clock::time_point lastHeard;
    };
    // Handles one message; false when the node is done (ended or lost).
    bool handle(Node& node, const pb::Response& response);
    void lose(Node& node, const std::string& why);
    void stopAll();
    void printProgress() const;

    std::vector<Node> nodes_;
    StreamMerger::Sink sink_;
    Events events_;
    std::unique_ptr<StreamMerger> merger_; // made anew by each start()
    bool stopSent_ = false;
};

} // namespace ss::capture
