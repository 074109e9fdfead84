// SPDX-License-Identifier: GPL-2.0-or-later
// Process, container and pod metadata on packets (packet comments, docs/FORMAT.md §1): the
// post-dissector that turns comment lines into proc.*, k8s.* and the related-event links.
// The input is up to 16 packets (cut at "\n--\n"); in each, the bytes before the first NUL
// are its comment and the bytes after it its Ethernet frame (a fixed TCP frame when absent).
#include <algorithm>

#include "fuzz_support.h"

namespace {
// Ethernet, IPv4 10.0.0.1 → 10.0.0.2, TCP 40000 → 80 SYN.
const std::vector<std::uint8_t> kFrame = {
    0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
    0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::Dissector::instance();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::uint8_t> file;
    ss::PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { file.insert(file.end(), d, d + n); },
                            "stratoshark-fuzz");
    const std::uint32_t eth = writer.addInterface(1, 262144, "eth0");
    std::uint64_t ns = 1700000000000000000ull;
    for (const auto& part : ss::fuzz::split(data, size)) {
        const auto nul = std::find(part.begin(), part.end(), 0);
        const std::string comment(part.begin(), nul);
        std::vector<std::uint8_t> frame = nul == part.end() ? kFrame : std::vector<std::uint8_t>(nul + 1, part.end());
        writer.writePacket(eth, ns += 1000, frame.data(), std::uint32_t(frame.size()), std::uint32_t(frame.size()),
                           {comment});
    }
    writer.close();
    ss::fuzz::dissectFile(ss::fuzz::asFile(file));
    return 0;
}
