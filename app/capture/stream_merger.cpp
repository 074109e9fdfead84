// SPDX-License-Identifier: GPL-2.0-or-later
#include "stream_merger.h"

#include "pcapng_blocks.h"
#include "pcapng_writer.h"

#include <algorithm>
#include <ctime>

namespace ss::capture {

StreamMerger::StreamMerger(Sink sink, bool prefixNames, std::size_t maxHeldBytes)
    : sink_(std::move(sink)), prefixNames_(prefixNames), maxHeldBytes_(maxHeldBytes)
{
}

StreamMerger::~StreamMerger() = default;

int StreamMerger::addNode(const std::string& name)
{
    nodes_.push_back(Node{});
    nodes_.back().name = name;
    return int(nodes_.size() - 1);
}

void StreamMerger::hold(Node& node, Held held)
{
    heldBytes_ += held.block.size();
    auto at = node.held.end(); // almost always the end: a node sends in time order
    while (at != node.held.begin() && std::prev(at)->ts > held.ts)
        --at;
    node.held.insert(at, std::move(held));
}

bool StreamMerger::feed(int index, std::string_view data, std::uint64_t watermarkNs)
{
    Node& node = nodes_[std::size_t(index)];
    std::vector<pcapng::BlockView> blocks;
    bool malformed = false;
    if (pcapng::splitBlocks(data, &blocks, &malformed) != data.size() || malformed)
        return false;
    for (const pcapng::BlockView& b : blocks) {
        switch (b.type) {
        case pcapng::kSectionHeader:
            if (!node.sawSection) // the helper's comments (what it did not capture, …)
                for (const pcapng::Option& o : pcapng::options(b.body(), 16))
                    if (o.code == 1)
                        node.sectionComments.emplace_back(o.value);
            node.sawSection = true;
            break;
        case pcapng::kInterfaceDescription: {
            const auto idb = pcapng::parseInterface(b);
            if (!idb)
                return false;
            const std::uint32_t theirs = std::uint32_t(node.ids.size());
            node.ids[theirs] = nextId_++;
            pendingInterfaces_ += pcapng::buildInterface(*idb, prefixNames_ ? node.name + "/" + idb->name : idb->name);
            break;
        }
        case pcapng::kEnhancedPacket:
        case pcapng::kInterfaceStatistics: {
            const std::uint32_t theirs = pcapng::interfaceIdOf(b);
            const auto id = node.ids.find(theirs);
            if (id == node.ids.end())
                return false; // a packet before its interface
            const bool packet = b.type == pcapng::kEnhancedPacket;
            if (packet)
                ++node.packets[theirs];
            // Statistics at the end of the node's stream: after its last packet.
            const std::uint64_t ts = packet ? pcapng::packetTimestampNs(b) : node.held.empty() ? node.watermark : node.held.back().ts;
            hold(node, {ts, pcapng::withInterfaceId(b, id->second), packet});
            break;
        }
        default: // blocks we do not write ourselves are passed on in time with the others
            hold(node, {node.held.empty() ? node.watermark : node.held.back().ts, std::string(b.bytes), false});
        }
    }
    node.watermark = std::max(node.watermark, watermarkNs);
    return true;
}

std::uint64_t StreamMerger::packetsFrom(int node) const
{
    std::uint64_t n = 0;
    for (const auto& [id, count] : nodes_[std::size_t(node)].packets)
        n += count;
    return n;
}

void StreamMerger::setWatermark(int node, std::uint64_t watermarkNs)
{
    Node& n = nodes_[std::size_t(node)];
    n.watermark = std::max(n.watermark, watermarkNs);
}

void StreamMerger::nodeEnded(int node)
{
    nodes_[std::size_t(node)].done = true;
}

void StreamMerger::nodeLost(int index, std::uint64_t whenNs, const std::string& why)
{
    Node& node = nodes_[std::size_t(index)];
    node.done = true;
    if (!blocks_)
        return; // nothing written yet: the section header will not name it
    char when[32];
    const std::time_t seconds = std::time_t(whenNs / 1000000000ull);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    const std::string comment = "node " + node.name + " lost at " + when + ": " + why;
    for (const auto& [theirs, ours] : node.ids) {
        built_.clear();
        blocks_->writeInterfaceStatistics(ours, whenNs, node.packets[theirs], std::nullopt, comment);
        hold(node, {node.held.empty() ? whenNs : std::max(whenNs, node.held.back().ts), built_, false});
    }
}

bool StreamMerger::write(std::string_view block)
{
    if (failed_)
        return false;
    if (!sink_(block))
        failed_ = true;
    return !failed_;
}

bool StreamMerger::flush(bool all)
{
    if (!started_) { // our section header first, with every node's section comments
        std::vector<std::string> comments;
        for (const Node& n : nodes_)
            for (const std::string& c : n.sectionComments)
                comments.push_back(prefixNames_ ? n.name + ": " + c : c);
        blocks_ = std::make_unique<PcapngWriter>(
            [this](const std::uint8_t* data, std::size_t size) { built_.append(reinterpret_cast<const char*>(data), size); },
            "Stratoshark", comments);
        write(built_);
        started_ = true;
    }
    if (!pendingInterfaces_.empty()) {
        write(pendingInterfaces_);
        pendingInterfaces_.clear();
    }
    std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
    if (!all)
        for (const Node& n : nodes_)
            if (!n.done)
                limit = std::min(limit, n.watermark);
    std::string out;
    for (;;) {
        Node* next = nullptr;
        for (Node& n : nodes_)
            if (!n.held.empty() && (!next || n.held.front().ts < next->held.front().ts))
                next = &n;
        if (!next)
            break;
        Held& h = next->held.front();
        const bool overBudget = heldBytes_ > maxHeldBytes_;
        if (h.ts > limit && !overBudget)
            break;
        if (h.ts > limit)
            ++outOfOrder_; // a node is behind, and the memory bound says go
        if (h.packet)
            ++packetsWritten_;
        heldBytes_ -= h.block.size();
        out += h.block;
        next->held.pop_front();
        if (out.size() >= (1u << 20)) {
            write(out);
            out.clear();
        }
    }
    if (!out.empty())
        write(out);
    return !failed_;
}

} // namespace ss::capture
