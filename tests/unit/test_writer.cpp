// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "capture_writer.h"
#include "error.h"
#include "packet_index.h"
#include "test_support.h"

using namespace ss;

TEST_CASE("records written as pcapng read back identical")
{
    const std::string out = scratchPath("roundtrip.pcapng");
    std::vector<std::string> written;
    {
        auto in = CaptureFile::open(fixture("dns_tcp.pcap"), false);
        CaptureWriter writer(out, *in);
        WtapRecord record;
        gint64 offset = 0;
        guint32 n = 0;
        while (in->readNext(record, &offset)) {
            writer.addNewInterfaces();
            if (++n % 2) { // every other frame
                writer.write(record.rec(), record.data(), n);
                written.emplace_back(reinterpret_cast<const char*>(record.data()),
                                     record.rec()->rec_header.packet_header.caplen);
            }
            record.reset();
        }
        writer.close();
    }
    auto back = CaptureFile::open(out, false);
    CHECK(wtap_file_type_subtype(back->handle()) == wtap_pcapng_file_type_subtype());
    WtapRecord record;
    gint64 offset = 0;
    size_t i = 0;
    while (back->readNext(record, &offset)) {
        REQUIRE(i < written.size());
        CHECK(std::string(reinterpret_cast<const char*>(record.data()),
                          record.rec()->rec_header.packet_header.caplen) == written[i]);
        ++i;
        record.reset();
    }
    CHECK_FALSE(back->failed());
    CHECK(i == written.size());
}

TEST_CASE("an output file that cannot be created is named")
{
    auto in = CaptureFile::open(fixture("dns_udp.pcap"), false);
    try {
        CaptureWriter writer("/nonexistent-dir/out.pcapng", *in);
        FAIL("expected an error");
    } catch (const EngineError& e) {
        CHECK(e.object() == "/nonexistent-dir/out.pcapng");
        CHECK(std::string(e.what()).find("No such file or directory") != std::string::npos);
    }
}
