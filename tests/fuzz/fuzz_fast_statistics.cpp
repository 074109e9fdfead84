// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path's reader and header walk (capture_scan.h, frame_headers.h,
// conversation_rows.h) over any bytes as a file: never a crash, and the tables it accepts
// add up — each table's conversations hold as many frames as its endpoints sent and as
// many as they received (one of each per frame).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fast_conversations.h"

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
    for (std::size_t i = 0; i + 1 < tables.size(); i += 2) {
        std::uint64_t conv = 0, sent = 0, received = 0;
        for (const auto& r : tables[i].conversations)
            conv += r.txFrames + r.rxFrames;
        for (const auto& e : tables[i + 1].endpoints) {
            sent += e.txFrames;
            received += e.rxFrames;
        }
        if (conv != sent || conv != received || conv > scan.frames) {
            std::fprintf(stderr, "table %zu: %llu conversation frames, %llu sent, %llu received, %llu frames\n", i / 2,
                         (unsigned long long)conv, (unsigned long long)sent, (unsigned long long)received,
                         (unsigned long long)scan.frames);
            std::abort();
        }
    }
    return 0;
}
