// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path's reader and header walk (capture_scan.h, frame_headers.h,
// conversation_rows.h) over any bytes as a file: never a crash, and the tables it accepts
// add up — no table holds more frames than the file — and its endpoint tables (summed from
// conversation rows) equal endpoints counted here frame by frame, in order of first
// appearance, whether summed from a requested conversation table or from rows counted
// only for them.
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <map>
#include <tuple>
#include <cstdlib>
#include <string>
#include <vector>

#include "capture_scan.h"
#include "fast_conversations.h"
#include "../unit/fast_rows_compare.h"

namespace {

std::string asFile(const std::uint8_t* data, std::size_t size)
{
    static const int fd = memfd_create("fuzz-fast", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != ssize_t(size))) {
        std::perror("fuzz: memfd");
        std::abort();
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

} // namespace

namespace {

using namespace ss::fast;

// Endpoints counted one frame at a time, the way epan's taps add them: source, then destination.
struct Counted {
    std::vector<std::tuple<AddressBytes, int, std::uint16_t>> order;
    std::map<std::tuple<AddressBytes, int, std::uint16_t>, std::array<std::uint64_t, 4>> counts;
    void add(const std::uint8_t* address, int bytes, std::uint16_t port, bool sender, std::uint32_t length)
    {
        AddressBytes a{};
        std::copy(address, address + bytes, a.begin());
        const auto key = std::make_tuple(a, bytes, port);
        auto [it, added] = counts.try_emplace(key, std::array<std::uint64_t, 4>{});
        if (added)
            order.push_back(key);
        const std::uint64_t asEpan = std::uint64_t(std::int64_t(std::int32_t(length)));
        it->second[sender ? 0 : 2] += 1;
        it->second[sender ? 1 : 3] += asEpan;
    }
};

std::array<Counted, 5> countEndpoints(const std::string& path)
{
    std::array<Counted, 5> tables;
    FrameHeaders h;
    std::uint64_t frames = 0;
    scanCaptureFile(
        path,
        [&](const ScannedPacket& p) -> const char* {
            if (const char* why = walkFrame(p.link, p.data, p.captured, p.length, h))
                return why;
            const int ipBytes = h.ipVersion == 6 ? 16 : 4;
            if (h.ethSrc) {
                tables[0].add(h.ethSrc, 6, 0, true, p.length);
                tables[0].add(h.ethDst, 6, 0, false, p.length);
            }
            if (h.ipVersion) {
                Counted& t = tables[h.ipVersion == 4 ? 1 : 2];
                t.add(h.ipSrc, ipBytes, 0, true, p.length);
                t.add(h.ipDst, ipBytes, 0, false, p.length);
            }
            if (h.transport == 6 || h.transport == 17) {
                Counted& t = tables[h.transport == 6 ? 3 : 4];
                t.add(h.ipSrc, ipBytes, h.srcPort, true, p.length);
                t.add(h.ipDst, ipBytes, h.dstPort, false, p.length);
            }
            return nullptr;
        },
        &frames);
    return tables;
}

bool same(const RowTable& t, const Counted& c)
{
    if (t.endpoints.size() != c.order.size())
        return false;
    for (std::size_t i = 0; i < c.order.size(); ++i) {
        const EndpointRow& e = t.endpoints[i];
        const auto& [address, bytes, port] = c.order[i];
        const auto& n = c.counts.at(c.order[i]);
        if (e.address != address || e.addressBytes != bytes || e.port != port || e.txFrames != n[0] ||
            e.txBytes != n[1] || e.rxFrames != n[2] || e.rxBytes != n[3])
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ss::fast;
    std::vector<TableRequest> requests;
    for (auto t : {TableKind::Eth, TableKind::Ip, TableKind::Ipv6, TableKind::Tcp, TableKind::Udp}) {
        requests.push_back({t, false});
        requests.push_back({t, true});
    }
    const ss::FastScan scan = ss::scanWithOwnReader(asFile(data, size), requests);
    if (!scan.rows)
        return 0;
    const auto& tables = scan.rows->tables();
    const std::array<Counted, 5> counted = countEndpoints(asFile(data, size));
    for (std::size_t i = 0; i + 1 < tables.size(); i += 2) {
        std::uint64_t conv = 0;
        for (const auto& r : tables[i].conversations)
            conv += r.txFrames + r.rxFrames;
        if (conv > scan.frames || !same(tables[i + 1], counted[i / 2])) {
            std::fprintf(stderr, "table %zu: %llu conversation frames of %llu, endpoints %s\n", i / 2,
                         (unsigned long long)conv, (unsigned long long)scan.frames,
                         same(tables[i + 1], counted[i / 2]) ? "as counted" : "not as counted frame by frame");
            std::abort();
        }
    }
    // Counted by flow on two and three threads and merged: the same rows, streams, ports.
    for (unsigned threads : {2u, 3u}) {
        const ss::FastScan split = ss::scanWithOwnReader(asFile(data, size), requests, threads);
        const std::string differ = split.rows ? ss::fast::testing::rowsDiffer(*scan.rows, *split.rows) : "refused";
        if (!differ.empty()) {
            std::fprintf(stderr, "%u threads: %s\n", threads, differ.c_str());
            std::abort();
        }
    }
    // The endpoint tables alone: summed from rows counted only for them.
    std::vector<TableRequest> alone;
    for (auto t : {TableKind::Eth, TableKind::Ip, TableKind::Ipv6, TableKind::Tcp, TableKind::Udp})
        alone.push_back({t, true});
    const ss::FastScan only = ss::scanWithOwnReader(asFile(data, size), alone);
    for (std::size_t i = 0; only.rows && i < only.rows->tables().size(); ++i) {
        if (!same(only.rows->tables()[i], counted[i])) {
            std::fprintf(stderr, "endpoint table %zu alone: not as counted frame by frame\n", i);
            std::abort();
        }
    }
    return 0;
}
