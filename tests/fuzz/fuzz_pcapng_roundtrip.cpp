// SPDX-License-Identifier: GPL-2.0-or-later
// Our pcapng writer against wiretap's reader: interfaces, packets (any bytes and lengths),
// comments, directions and interface statistics made from the input are written, read back
// by wiretap as tshark reads them, and compared field by field. A difference aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

#include "capture_file.h"
#include "fuzz_support.h"

namespace {

struct Written {
    std::uint32_t interface;
    std::uint64_t ns;
    std::vector<std::uint8_t> bytes;
    std::uint32_t originalLength;
    std::vector<std::string> comments;
    ss::PcapngWriter::Direction direction;
};

[[noreturn]] void differ(const char* what, std::size_t packet)
{
    std::fprintf(stderr, "read back differs: %s of packet %zu\n", what, packet + 1);
    std::abort();
}

std::string nthComment(wtap_block_t block, guint i)
{
    char* value = nullptr;
    if (wtap_block_get_nth_string_option_value(block, OPT_COMMENT, i, &value) != WTAP_OPTTYPE_SUCCESS || !value)
        return "<none>";
    return value;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::runtime(); // wiretap
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in(data, size);
    std::vector<std::uint8_t> file;
    std::vector<std::uint16_t> linkTypes;
    std::vector<Written> packets;
    {
        ss::PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { file.insert(file.end(), d, d + n); },
                                in.ConsumeRandomLengthString(64), {in.ConsumeRandomLengthString(64)});
        const int interfaces = in.ConsumeIntegralInRange(1, 4);
        for (int i = 0; i < interfaces; ++i) {
            // Ethernet, raw IP, or one of our record types (marked ours by the writer).
            const std::uint16_t types[] = {1, 101, SS_LINKTYPE_SYSCALL, SS_LINKTYPE_FLOW, SS_LINKTYPE_SECURITY};
            linkTypes.push_back(in.PickValueInArray(types));
            writer.addInterface(linkTypes.back(), 262144, in.ConsumeRandomLengthString(32));
        }
        while (in.remaining_bytes() > 0 && packets.size() < 64) {
            Written w;
            w.interface = in.ConsumeIntegralInRange<std::uint32_t>(0, std::uint32_t(interfaces - 1));
            w.ns = in.ConsumeIntegral<std::uint64_t>() >> 1; // wiretap's nstime: seconds in a signed 64-bit
            w.bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 4096));
            w.originalLength = std::uint32_t(w.bytes.size()) + in.ConsumeIntegralInRange<std::uint32_t>(0, 100000);
            std::vector<std::string> comments;
            for (int c = in.ConsumeIntegralInRange(0, 2); c > 0; --c) {
                // An opt_comment is UTF-8 text (wiretap repairs anything else); the writer
                // leaves empty ones out.
                std::string comment = in.ConsumeRandomLengthString(256);
                if (comment.find('\0') != std::string::npos || !g_utf8_validate(comment.data(), gssize(comment.size()), nullptr))
                    continue;
                comments.push_back(comment);
                if (!comment.empty())
                    w.comments.push_back(comment);
            }
            w.direction = in.PickValueInArray({ss::PcapngWriter::Unknown, ss::PcapngWriter::Inbound,
                                               ss::PcapngWriter::Outbound});
            writer.writePacket(w.interface, w.ns, w.bytes.data(), std::uint32_t(w.bytes.size()), w.originalLength,
                               comments, w.direction);
            packets.push_back(std::move(w));
        }
        writer.writeInterfaceStatistics(0, 1, packets.size(), std::nullopt, "end");
        writer.close();
    }
    auto capture = ss::CaptureFile::open(ss::fuzz::asFile(file), false);
    ss::WtapRecord record;
    gint64 offset = 0;
    std::size_t n = 0;
    while (capture->readNext(record, &offset)) {
        const wtap_rec* r = record.rec();
        if (r->rec_type != REC_TYPE_PACKET) {
            record.reset();
            continue;
        }
        if (n >= packets.size())
            differ("an extra packet", n);
        const Written& w = packets[n];
        if (r->rec_header.packet_header.interface_id != w.interface)
            differ("interface", n);
        if (r->rec_header.packet_header.pkt_encap != wtap_pcap_encap_to_wtap_encap(linkTypes[w.interface]))
            differ("link type", n);
        if (r->rec_header.packet_header.caplen != w.bytes.size() || r->rec_header.packet_header.len != w.originalLength)
            differ("lengths", n);
        if (!w.bytes.empty() && std::memcmp(record.data(), w.bytes.data(), w.bytes.size()) != 0)
            differ("bytes", n);
        if (std::uint64_t(r->ts.secs) != w.ns / 1000000000 || std::uint64_t(r->ts.nsecs) != w.ns % 1000000000)
            differ("timestamp", n);
        const guint comments = r->block ? wtap_block_count_option(r->block, OPT_COMMENT) : 0;
        if (comments != w.comments.size())
            differ("comment count", n);
        for (guint c = 0; c < comments; ++c)
            if (nthComment(r->block, c) != w.comments[c])
                differ("comment", n);
        ++n;
        record.reset();
    }
    if (capture->failed())
        differ(capture->errorMessage().c_str(), n);
    if (n != packets.size())
        differ("packet count", n);
    return 0;
}
