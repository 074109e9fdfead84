// SPDX-License-Identifier: GPL-2.0-or-later
#include "capture_run.h"

#include "wall_clock.h"

#include <poll.h>

#include <cstdio>

namespace ss::capture {
namespace {

using Clock = std::chrono::steady_clock;

std::string counts(const pb::Statistics& s)
{
    std::string text = std::to_string(s.packets()) + " packets, " + std::to_string(s.bytes()) + " bytes, " +
                       std::to_string(s.drops()) + " dropped";
    if (s.client_drops())
        text += ", " + std::to_string(s.client_drops()) + " not delivered (this client was too slow)";
    if (s.records() || s.record_drops())
        text += ", " + std::to_string(s.records()) + " records (" + std::to_string(s.record_drops()) +
                " dropped)";
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, ", %.1f s", double(s.elapsed_ms()) / 1000.0);
    return text + elapsed;
}

// An end the user did not ask for and that is not the helper's own stop: the capture is
// over, the file is whole, and the command says it failed (dumpcap's adapter gone).
bool failedEnd(pb::CaptureEnd::Cause cause)
{
    return cause == pb::CaptureEnd::INTERFACE_GONE;
}

} // namespace

CaptureRun::CaptureRun(std::vector<std::unique_ptr<ipc::HelperClient>> helpers, StreamMerger::Sink sink, Events events)
    : sink_(std::move(sink)), events_(std::move(events))
{
    if (!events_.warning)
        events_.warning = [](const std::string& node, const std::string& text) {
            std::fprintf(stderr, "stratoshark capture: warning from %s: %s\n", node.c_str(), text.c_str());
        };
    if (!events_.lost)
        events_.lost = [](const std::string& node, const std::string& why) {
            std::fprintf(stderr, "\nstratoshark capture: lost %s: %s; the other nodes go on\n", node.c_str(), why.c_str());
        };
    for (auto& h : helpers) {
        Node& node = nodes_.emplace_back();
        node.name = h->nodeName().empty() ? h->where() : h->nodeName();
        node.client = std::move(h);
    }
}

CaptureRun::~CaptureRun() = default;

std::optional<ipc::HelperError> CaptureRun::start(const pb::StartCapture& request)
{
    return start(std::vector<pb::StartCapture>(nodes_.size(), request));
}

std::optional<ipc::HelperError> CaptureRun::start(const std::vector<pb::StartCapture>& perNode)
{
    merger_ = std::make_unique<StreamMerger>(sink_, nodes_.size() > 1);
    for (Node& node : nodes_)
        node.merge = merger_->addNode(node.name);
    std::optional<ipc::HelperError> refused;
    const Node* refuser = nullptr;
    std::vector<Node*> asked;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        Node& node = nodes_[i];
        pb::Request start;
        *start.mutable_start_capture() = perNode.at(i);
        try {
            node.client->send(start);
            asked.push_back(&node);
        } catch (const ipc::HelperError& e) {
            refused = e;
            refuser = &node;
            break;
        }
    }
    // Each node's first answer: its stream's beginning, or why not (warnings come first).
    for (Node* node : asked) {
        while (!refused) {
            try {
                const pb::Response r = node->client->read();
                if (r.has_warning()) {
                    events_.warning(node->name, r.warning().message());
                    continue;
                }
                node->running = true;
                node->lastHeard = Clock::now();
                handle(*node, r);
                break;
            } catch (const ipc::HelperError& e) {
                refused = e;
                refuser = node;
            }
        }
    }
    if (!refused)
        return std::nullopt;
    // Take back what had started (or was about to): nothing is written.
    for (Node* node : asked) {
        node->running = false;
        if (node == refuser)
            continue;
        pb::Request stop;
        stop.mutable_stop();
        try {
            node->client->send(stop);
            for (;;) {
                const pb::Response r = node->client->readAny();
                if (r.has_end() || r.has_error())
                    break;
            }
        } catch (const ipc::HelperError&) {
        }
    }
    return refused;
}

void CaptureRun::lose(Node& node, const std::string& why)
{
    node.lost = true;
    node.lostReason = why;
    merger_->nodeLost(node.merge, wallClockNs(), why);
    events_.lost(node.name, why);
}

bool CaptureRun::handle(Node& node, const pb::Response& r)
{
    node.lastHeard = Clock::now();
    if (r.has_data()) {
        if (!merger_->feed(node.merge, r.data().pcapng(), r.data().watermark_ns())) {
            lose(node, "it sent data that is not whole pcapng blocks");
            return false;
        }
    } else if (r.has_statistics()) {
        node.statistics = r.statistics();
        merger_->setWatermark(node.merge, r.statistics().watermark_ns());
    } else if (r.has_warning()) {
        events_.warning(node.name, r.warning().message());
    } else if (r.has_end()) {
        node.ended = true;
        node.endReason = r.end().reason();
        node.endCause = r.end().cause();
        node.statistics = r.end().statistics();
        merger_->nodeEnded(node.merge);
        return false;
    } else if (r.has_error()) {
        lose(node, ipc::describeRefusal(node.client->where(), r.error()));
        return false;
    }
    return true;
}

void CaptureRun::stopAll()
{
    if (stopSent_)
        return;
    stopSent_ = true;
    pb::Request stop;
    stop.mutable_stop();
    for (Node& node : nodes_)
        if (!node.ended && !node.lost) {
            try {
                node.client->send(stop);
            } catch (const ipc::HelperError&) { // it will be found lost when read
            }
        }
}

std::vector<CaptureRun::NodeStatus> CaptureRun::status() const
{
    std::vector<NodeStatus> out;
    for (const Node& n : nodes_)
        out.push_back({n.name, n.statistics, n.ended, n.lost, failedEnd(n.endCause), n.lost ? n.lostReason : n.endReason});
    return out;
}

pb::Statistics CaptureRun::sum(const std::vector<NodeStatus>& nodes)
{
    pb::Statistics sum;
    for (const NodeStatus& n : nodes) {
        const pb::Statistics& s = n.statistics;
        sum.set_packets(sum.packets() + s.packets());
        sum.set_bytes(sum.bytes() + s.bytes());
        sum.set_drops(sum.drops() + s.drops());
        sum.set_client_drops(sum.client_drops() + s.client_drops());
        sum.set_records(sum.records() + s.records());
        sum.set_record_drops(sum.record_drops() + s.record_drops());
        sum.set_elapsed_ms(std::max(sum.elapsed_ms(), s.elapsed_ms()));
    }
    return sum;
}

pb::Statistics CaptureRun::total() const
{
    return sum(status());
}

void CaptureRun::printProgress() const
{
    std::string perNode;
    for (const Node& n : nodes_)
        if (nodes_.size() > 1)
            perNode += " " + n.name + (n.lost ? ": lost" : ": " + std::to_string(n.statistics.drops() + n.statistics.client_drops()) + " dropped");
    std::fprintf(stderr, "\r%s%s   ", counts(total()).c_str(), perNode.empty() ? "" : (" |" + perNode).c_str());
}

bool CaptureRun::run(const std::atomic<bool>& interrupted, bool progress)
{
    merger_->flush();
    bool writing = true;
    auto lastProgress = Clock::now();
    for (;;) {
        if (interrupted || !writing)
            stopAll();
        std::vector<pollfd> fds;
        std::vector<Node*> live;
        bool buffered = false;
        for (Node& n : nodes_)
            if (n.running && !n.ended && !n.lost) {
                fds.push_back({n.client->channel().fd(), POLLIN, 0});
                live.push_back(&n);
                buffered = buffered || n.client->channel().buffered(); // TLS holds decrypted bytes
            }
        if (live.empty())
            break;
        ::poll(fds.data(), fds.size(), buffered ? 0 : 200);
        for (std::size_t i = 0; i < live.size(); ++i) {
            Node& node = *live[i];
            const ipc::ReadResult filled = node.reader.fill(node.client->channel());
            pb::Response r;
            ipc::ReadResult next;
            bool goingOn = true;
            while (goingOn && (next = node.reader.next(r)) == ipc::ReadResult::Ok)
                goingOn = handle(node, r);
            if (!goingOn)
                continue;
            if (next == ipc::ReadResult::Malformed || next == ipc::ReadResult::TooLarge)
                lose(node, std::string("it sent a message that is ") + ipc::describe(next));
            else if (filled == ipc::ReadResult::Closed || filled == ipc::ReadResult::Error)
                lose(node, "the connection to " + node.client->where() + " closed mid-capture" +
                               (node.client->channel().error().empty() ? "" : " (" + node.client->channel().error() + ")"));
            else if (Clock::now() - node.lastHeard > kSilenceLimit)
                lose(node, "no word from " + node.client->where() + " for " + std::to_string(kSilenceLimit.count()) + " s");
        }
        const std::uint64_t before = merger_->packetsWritten();
        if (writing && !merger_->flush())
            writing = false; // the sink said stop (it printed why, or a limit was reached)
        if (events_.wrote && merger_->packetsWritten() != before)
            events_.wrote();
        if (Clock::now() - lastProgress >= std::chrono::milliseconds(500)) {
            if (progress)
                printProgress();
            if (events_.statistics)
                events_.statistics(status());
            lastProgress = Clock::now();
        }
    }
    if (writing)
        merger_->flush(true);
    if (events_.wrote)
        events_.wrote();
    if (events_.statistics)
        events_.statistics(status());
    if (progress)
        std::fputc('\n', stderr);
    bool complete = true;
    for (const Node& n : nodes_)
        complete = complete && n.ended && !n.lost && !failedEnd(n.endCause);
    return complete;
}

void CaptureRun::printSummary(const char* program, const std::string& reason) const
{
    for (const Node& n : nodes_) {
        const std::string who = nodes_.size() > 1 ? n.name + ": " : "";
        if (n.lost)
            std::fprintf(stderr, "%s: %slost (%s); %llu packets received from it\n", program, who.c_str(),
                         n.lostReason.c_str(), static_cast<unsigned long long>(merger_->packetsFrom(n.merge)));
        else
            std::fprintf(stderr, "%s: %s%s: %s\n", program, who.c_str(),
                         (reason.empty() ? n.endReason : reason).c_str(), counts(n.statistics).c_str());
        for (const auto& source : n.statistics.sources()) // the node's live sources, since its helper started
            std::fprintf(stderr, "%s: %ssource %s (%s): %llu received, %llu dropped, %llu not understood, %llu reconnects\n",
                         program, who.c_str(), source.name().c_str(), source.connected() ? "connected" : "not connected",
                         static_cast<unsigned long long>(source.received()),
                         static_cast<unsigned long long>(source.dropped()),
                         static_cast<unsigned long long>(source.unparsable()),
                         static_cast<unsigned long long>(source.reconnects()));
    }
    if (merger_->outOfOrder())
        std::fprintf(stderr, "%s: %llu blocks written before a slower node's (the merge's memory bound)\n", program,
                     static_cast<unsigned long long>(merger_->outOfOrder()));
}

} // namespace ss::capture
