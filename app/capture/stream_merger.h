// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ss {
class PcapngWriter;
}

namespace ss::capture {

// The pcapng streams of one or more helpers made into one section in time order: one
// section header (with every helper's section comments), each helper's interfaces under
// ids of their own (named `node/iface` when there are several nodes), packets and records
// merged by timestamp. A block is held only until every node still capturing has promised
// (its watermark) that nothing older will come, and never more than `maxHeldBytes` in all:
// past that the oldest go out anyway, so memory does not grow with the capture's length.
class StreamMerger {
public:
    using Sink = std::function<bool(std::string_view blocks)>; // whole blocks; false: stop writing
    StreamMerger(Sink sink, bool prefixNames, std::size_t maxHeldBytes = 64u << 20);
    ~StreamMerger();
    StreamMerger(const StreamMerger&) = delete;
    StreamMerger& operator=(const StreamMerger&) = delete;

    int addNode(const std::string& name);
    // Whole blocks from a node (its CaptureData), every later block at or after `watermarkNs`.
    // False when the stream is not whole pcapng blocks.
    bool feed(int node, std::string_view blocks, std::uint64_t watermarkNs);
    void setWatermark(int node, std::uint64_t watermarkNs);
    // The node's stream is over (its end arrived): it holds nothing back any more.
    void nodeEnded(int node);
    // The node went away mid-capture: for each of its interfaces a statistics block says so.
    void nodeLost(int node, std::uint64_t whenNs, const std::string& why);

    // Writes what the watermarks allow (`all`: everything held). False once the sink refused.
    bool flush(bool all = false);
    std::size_t heldBytes() const { return heldBytes_; }
    std::uint64_t packetsFrom(int node) const; // received from it so far
    std::uint64_t packetsWritten() const { return packetsWritten_; }
    std::uint64_t outOfOrder() const { return outOfOrder_; } // released early by the memory bound

private:
    struct Held {
        std::uint64_t ts;
        std::string block;
        bool packet;
    };
    struct Node {
        std::string name;
        std::uint64_t watermark = 0;
        bool done = false;
        std::deque<Held> held;
        std::map<std::uint32_t, std::uint32_t> ids;          // its interface id → ours
        std::map<std::uint32_t, std::uint64_t> packets;      // per its interface id
        std::vector<std::string> sectionComments;
        bool sawSection = false;
    };
    bool write(std::string_view block);
    void hold(Node& node, Held held);

    Sink sink_;
    bool prefixNames_;
    std::size_t maxHeldBytes_;
    std::vector<Node> nodes_;
    std::string pendingInterfaces_; // interface blocks not written yet
    std::uint32_t nextId_ = 0;
    bool started_ = false, failed_ = false;
    std::size_t heldBytes_ = 0;
    std::uint64_t packetsWritten_ = 0, outOfOrder_ = 0;
    std::unique_ptr<PcapngWriter> blocks_; // builds our section header and statistics blocks
    std::string built_;                    // its output, taken block by block
};

} // namespace ss::capture
