// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path counted in parts (conversation_rows.h: partKey,
// merge): frames split by flow over several counts, merged, give the rows one
// count of every frame gives — crafted frames for each thing a merge must get
// right, then every fixture capture.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "conversation_rows.h"
#include "fast_conversations.h"
#include "fast_rows_compare.h"

using namespace ss::fast;

namespace {

using Ip4 = std::array<std::uint8_t, 4>;
using Mac = std::array<std::uint8_t, 6>;

std::vector<TableRequest> allTables()
{
    std::vector<TableRequest> r;
    for (auto t : {TableKind::Eth, TableKind::Ip, TableKind::Ipv6, TableKind::Tcp, TableKind::Udp}) {
        r.push_back({t, false});
        r.push_back({t, true});
    }
    return r;
}

struct Frame {
    FrameHeaders h;
    std::uint32_t length;
    nstime_t rel;
};

FrameHeaders ip(const Mac& ms, const Mac& md, const Ip4& s, const Ip4& d)
{
    FrameHeaders h;
    h.ethSrc = ms.data();
    h.ethDst = md.data();
    h.ipVersion = 4;
    h.ipSrc = s.data();
    h.ipDst = d.data();
    return h;
}

FrameHeaders tcp(FrameHeaders h, std::uint16_t sp, std::uint16_t dp, std::uint32_t seq, std::uint16_t flags)
{
    h.transport = 6;
    h.srcPort = sp;
    h.dstPort = dp;
    h.seq = seq;
    h.ack = seq + 1;
    h.tcpFlags = flags;
    return h;
}

FrameHeaders udp(FrameHeaders h, std::uint16_t sp, std::uint16_t dp)
{
    h.transport = 17;
    h.srcPort = sp;
    h.dstPort = dp;
    return h;
}

std::unique_ptr<ConversationRows> countAll(const std::vector<Frame>& frames, const std::vector<TableRequest>& req)
{
    auto rows = std::make_unique<ConversationRows>(req);
    const nstime_t base{1700000000, 0};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        nstime_t abs;
        nstime_sum(&abs, &base, &frames[i].rel);
        rows->add(frames[i].h, i + 1, frames[i].length, frames[i].rel, abs);
    }
    rows->finish();
    return rows;
}

std::unique_ptr<ConversationRows> countInParts(const std::vector<Frame>& frames, const std::vector<TableRequest>& req,
                                               unsigned parts)
{
    std::vector<std::unique_ptr<ConversationRows>> counts;
    for (unsigned p = 0; p < parts; ++p)
        counts.push_back(std::make_unique<ConversationRows>(req));
    const nstime_t base{1700000000, 0};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        nstime_t abs;
        nstime_sum(&abs, &base, &frames[i].rel);
        counts[ConversationRows::partKey(frames[i].h) % parts]->add(frames[i].h, i + 1, frames[i].length, frames[i].rel,
                                                                    abs);
    }
    auto merged = ConversationRows::merge(std::move(counts));
    merged->finish();
    return merged;
}

unsigned partOf(const FrameHeaders& h)
{
    return unsigned(ConversationRows::partKey(h) % 2);
}

} // namespace

TEST_CASE("frames counted in two parts merge into the rows of one count", "[fast]")
{
    const Mac m1{2, 0, 0, 0, 0, 1}, m2{2, 0, 0, 0, 0, 2};
    const Ip4 a{10, 0, 0, 1}, b{10, 0, 0, 2};
    // c:7000–d:443 counted in the other part than a:1000–b:80; r: a router whose plain
    // packets to a are counted in the other part than its ICMP error about a:2000 → b:80.
    Ip4 c{10, 0, 1, 1}, d{10, 0, 1, 2}, r{10, 0, 2, 1};
    using tcp_flags::Ack;
    using tcp_flags::Syn;
    const unsigned abPart = partOf(tcp(ip(m1, m2, a, b), 1000, 80, 10, Syn));
    CHECK(partOf(tcp(ip(m2, m1, b, a), 80, 1000, 10, Ack)) == abPart); // either direction
    while (partOf(tcp(ip(m1, m2, c, d), 7000, 443, 5, Syn)) == abPart)
        ++d[3];

    FrameHeaders quoting = ip(m2, m1, r, a);
    quoting.quoted.present = true;
    quoting.quoted.transport = 6;
    quoting.quoted.ipVersion = 4;
    quoting.quoted.src = a.data();
    quoting.quoted.dst = b.data();
    quoting.quoted.srcPort = 2000;
    quoting.quoted.dstPort = 80;
    quoting.quoted.seq = 50;
    quoting.quoted.flags = Ack;
    // counted with the flow it quotes
    CHECK(partOf(quoting) == partOf(tcp(ip(m1, m2, a, b), 2000, 80, 50, Ack)));
    while (partOf(ip(m2, m1, r, a)) == partOf(quoting))
        ++r[3];

    const std::vector<Frame> frames = {
        {tcp(ip(m1, m2, a, b), 1000, 80, 10, Syn), 74, {0, 0}},          // 1: tcp stream 0
        {tcp(ip(m1, m2, c, d), 7000, 443, 5, Syn), 74, {0, 900}},        // 2: tcp stream 1, in the other part
        {udp(ip(m2, m1, c, d), 5353, 53), 80, {1, 0}},                   // 3: udp 0; Ethernet m2→m1 there too
        {tcp(ip(m2, m1, b, a), 80, 1000, 90, Syn | Ack), 74, {2, 0}},    // 4
        {quoting, 90, {3, 0}},                                           // 5: tcp stream 2 starts, uncounted
        {udp(ip(m1, m2, d, c), 53, 5353), 120, {0, 500}},                // 6: earlier than frame 3: moves the start
        {ip(m2, m1, r, a), 60, {4, 0}},                                  // 7: r–a counted in both parts
        {tcp(ip(m1, m2, a, b), 3000, 80, 7, Syn), 74, {5, 0}},           // 8: tcp stream 3
        {udp(ip(m1, m2, c, d), 6000, 53), 80, {6, 0}},                   // 9: udp 1
        {tcp(ip(m1, m2, a, b), 1000, 80, 99, Syn), 74, {7, 0}},          // 10: port reused: tcp stream 4
        {tcp(ip(m1, m2, a, b), 2000, 80, 50, Ack), 0x90000000u, {8, 0}}, // 11: stream 2, a length epan adds as negative
    };
    const auto req = allTables();
    const auto one = countAll(frames, req);
    for (unsigned parts : {2u, 3u, 5u}) {
        INFO(parts << " parts");
        const auto merged = countInParts(frames, req, parts);
        CHECK(testing::rowsDiffer(*one, *merged) == "");
    }

    // What the merge had to get right, stated once more on the merged rows.
    const auto merged = countInParts(frames, req, 2);
    const auto& tcpRows = merged->tables()[6].conversations;
    REQUIRE(tcpRows.size() == 5);
    CHECK(tcpRows[0].stream == 0);
    CHECK(tcpRows[1].stream == 1); // c:7000, counted in the other part
    CHECK(tcpRows[2].stream == 3); // a:3000, frame 8 (stream 2 started uncounted in frame 5)
    CHECK(tcpRows[3].stream == 4);
    CHECK(tcpRows[4].stream == 2); // a:2000, first counted in frame 11
    const auto& ethRows = merged->tables()[0].conversations;
    REQUIRE(ethRows.size() == 1);
    CHECK(ethRows[0].txFrames == 7); // m1 → m2: frames 1, 2, 6, 8, 9, 10, 11
    CHECK(ethRows[0].rxFrames == 4); // 3, 4, 5, 7
    const auto& udpRows = merged->tables()[8].conversations;
    REQUIRE(udpRows.size() == 2);
    CHECK(udpRows[0].start.secs == 0);
    CHECK(udpRows[0].start.nsecs == 500);
    CHECK(udpRows[0].stop.secs == 1);
    const auto& ipRows = merged->tables()[2].conversations;
    REQUIRE(ipRows.size() == 3); // a–b, c–d, r–a in first-frame order
    CHECK(ipRows[2].firstFrame == 5);
    CHECK(ipRows[2].txFrames == 2);
}

TEST_CASE("every fixture capture counts the same on one thread and on several", "[fast]")
{
    const std::filesystem::path fixtures = std::filesystem::path(SS_SOURCE_DIR) / "tests/fixtures";
    // The fuzzer's: times over 2^31 s apart, where epan's time comparison wraps and only one
    // count in frame order gives its start and duration (the threads must not split it).
    std::vector<std::string> files = {(fixtures / "slices/node-mix.pcapng").string(),
                                      std::string(SS_SOURCE_DIR) + "/resources/samples/sample.pcapng",
                                      std::string(SS_SOURCE_DIR) +
                                          "/tests/fuzz/corpus/fuzz_fast_statistics/times-over-2e31-s-apart.pcap"};
    for (const auto& e : std::filesystem::directory_iterator(fixtures / "pcap"))
        files.push_back(e.path().string());
    std::vector<TableRequest> alone;
    for (auto t : {TableKind::Eth, TableKind::Ip, TableKind::Ipv6, TableKind::Tcp, TableKind::Udp})
        alone.push_back({t, true});
    int compared = 0;
    std::uint64_t rows = 0;
    for (const auto& file : files) {
        for (const auto& req : {allTables(), alone}) {
            INFO(file);
            const ss::FastScan one = ss::scanWithOwnReader(file, req, 1);
            for (unsigned threads : {2u, 3u}) {
                const ss::FastScan split = ss::scanWithOwnReader(file, req, threads);
                CHECK(split.refused == one.refused);
                CHECK(split.frames == one.frames);
                REQUIRE(bool(split.rows) == bool(one.rows));
                if (!one.rows)
                    continue;
                CHECK(testing::rowsDiffer(*one.rows, *split.rows) == "");
                ++compared;
            }
            if (one.rows)
                for (const auto& t : one.rows->tables())
                    rows += t.conversations.size() + t.endpoints.size();
        }
    }
    CHECK(compared >= 16); // most fixtures are read by the fast path
    CHECK(rows >= 800);    // 841 when written
}
