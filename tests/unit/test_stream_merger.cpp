// SPDX-License-Identifier: GPL-2.0-or-later
// The client's merge of several helpers' pcapng streams: one section, interface ids of its
// own, time order within the watermarks, a bound on what it holds, a lost node written down.
#include <catch2/catch.hpp>

#include "pcapng_blocks.h"
#include "pcapng_writer.h"
#include "stream_merger.h"

#include <string>
#include <vector>

using ss::capture::StreamMerger;
namespace pcapng = ss::pcapng;

namespace {

// A helper's stream: its own section header and interfaces, then packets at given times.
struct Stream {
    std::string bytes;
    ss::PcapngWriter writer{[this](const std::uint8_t* d, std::size_t n) { bytes.append(reinterpret_cast<const char*>(d), n); },
                            "helper", {"Not captured: the helper's own TLS stream"}};
    std::string take()
    {
        std::string out;
        out.swap(bytes);
        return out;
    }
    void packet(std::uint32_t interfaceId, std::uint64_t ns, std::uint8_t marker)
    {
        const std::uint8_t data[4] = {marker, 0, 0, 0};
        writer.writePacket(interfaceId, ns, data, 4, 4);
    }
};

struct Out {
    std::string bytes;
    std::vector<pcapng::BlockView> blocks()
    {
        std::vector<pcapng::BlockView> v;
        bool malformed = false;
        REQUIRE(pcapng::splitBlocks(bytes, &v, &malformed) == bytes.size());
        REQUIRE_FALSE(malformed);
        return v;
    }
    // The markers of the packets in file order, with their interface ids.
    std::vector<std::pair<std::uint32_t, int>> packets()
    {
        std::vector<std::pair<std::uint32_t, int>> out;
        for (const auto& b : blocks())
            if (b.type == pcapng::kEnhancedPacket)
                out.emplace_back(pcapng::interfaceIdOf(b), int(std::uint8_t(b.body()[20])));
        return out;
    }
};

} // namespace

TEST_CASE("two nodes: one section, their interfaces renamed node/iface, packets in time order")
{
    Out out;
    StreamMerger merger([&](std::string_view b) { out.bytes.append(b); return true; }, true);
    const int a = merger.addNode("node-a"), b = merger.addNode("node-b");
    Stream sa, sb;
    sa.writer.addInterface(1, 262144, "eth0");
    sb.writer.addInterface(1, 262144, "eth0");
    sb.writer.addInterface(1, 262144, "lo");
    sa.packet(0, 100, 1);
    sa.packet(0, 300, 3);
    sb.packet(1, 200, 2);
    sb.packet(0, 400, 4);
    REQUIRE(merger.feed(a, sa.take(), 350));
    REQUIRE(merger.feed(b, sb.take(), 250));
    REQUIRE(merger.flush());
    // Up to the lower watermark (250) only: node-b may still send something before 300.
    CHECK(out.packets() == std::vector<std::pair<std::uint32_t, int>>{{0, 1}, {2, 2}});
    merger.nodeEnded(a);
    merger.nodeEnded(b);
    REQUIRE(merger.flush());
    CHECK(out.packets() == std::vector<std::pair<std::uint32_t, int>>{{0, 1}, {2, 2}, {0, 3}, {1, 4}});
    const auto blocks = out.blocks();
    std::vector<std::string> names;
    int sections = 0;
    for (const auto& block : blocks) {
        sections += block.type == pcapng::kSectionHeader;
        if (const auto idb = pcapng::parseInterface(block))
            names.push_back(idb->name);
    }
    CHECK(sections == 1);
    CHECK(names == std::vector<std::string>{"node-a/eth0", "node-b/eth0", "node-b/lo"});
    // Each helper's section comments are kept, naming their node.
    std::vector<std::string> comments;
    for (const auto& o : pcapng::options(blocks[0].body(), 16))
        if (o.code == 1)
            comments.emplace_back(o.value);
    CHECK(comments == std::vector<std::string>{"node-a: Not captured: the helper's own TLS stream",
                                               "node-b: Not captured: the helper's own TLS stream"});
}

TEST_CASE("one node keeps its interface names, a node far behind cannot make the merge hold without bound")
{
    Out out;
    StreamMerger merger([&](std::string_view b) { out.bytes.append(b); return true; }, false, 4096);
    const int a = merger.addNode("a"), b = merger.addNode("b");
    Stream sa, sb;
    sa.writer.addInterface(1, 262144, "eth0");
    sb.writer.addInterface(1, 262144, "eth0");
    REQUIRE(merger.feed(b, sb.take(), 0)); // b says nothing more: its watermark stays at 0
    for (int i = 0; i < 200; ++i)
        sa.packet(0, 1000 + std::uint64_t(i), std::uint8_t(i));
    REQUIRE(merger.feed(a, sa.take(), 2000));
    REQUIRE(merger.flush());
    CHECK(merger.heldBytes() <= 4096);
    CHECK(merger.outOfOrder() > 0);
    CHECK(out.packets().size() >= 80); // what did not fit went out, oldest first
    const auto idb = pcapng::parseInterface(out.blocks()[1]);
    REQUIRE(idb);
    CHECK(idb->name == "eth0");
}

TEST_CASE("a lost node: a statistics block per interface says when and why, the others go on")
{
    Out out;
    StreamMerger merger([&](std::string_view b) { out.bytes.append(b); return true; }, true);
    const int a = merger.addNode("node-a"), b = merger.addNode("node-b");
    Stream sa, sb;
    sa.writer.addInterface(1, 262144, "eth0");
    sb.writer.addInterface(1, 262144, "eth0");
    sb.packet(0, 50, 9);
    REQUIRE(merger.feed(a, sa.take(), 100));
    REQUIRE(merger.feed(b, sb.take(), 100));
    REQUIRE(merger.flush());
    merger.nodeLost(b, 1'700'000'000'000'000'000ull, "the connection closed");
    sa.packet(0, 500, 5);
    REQUIRE(merger.feed(a, sa.take(), 600));
    REQUIRE(merger.flush()); // node-b no longer holds node-a back
    CHECK(out.packets() == std::vector<std::pair<std::uint32_t, int>>{{1, 9}, {0, 5}});
    merger.nodeEnded(a);
    REQUIRE(merger.flush()); // the statistics block sits at the time of the loss
    std::string comment;
    for (const auto& block : out.blocks())
        if (block.type == pcapng::kInterfaceStatistics && pcapng::interfaceIdOf(block) == 1)
            for (const auto& o : pcapng::options(block.body(), 12))
                if (o.code == 1)
                    comment = std::string(o.value);
    CHECK(comment == "node node-b lost at 2023-11-14 22:13:20 UTC: the connection closed");
}

TEST_CASE("a stream that is not whole pcapng blocks is refused")
{
    StreamMerger merger([](std::string_view) { return true; }, false);
    const int a = merger.addNode("a");
    CHECK_FALSE(merger.feed(a, std::string("\x06\0\0\0\x05\0\0\0", 8) + std::string(8, '\0'), 0));
    Stream s;
    s.packet(3, 10, 1); // a packet on an interface never described
    CHECK_FALSE(merger.feed(a, s.take().substr(0), 0));
}
