// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "capture_writer.h"
#include "error.h"
#include "packet_index.h"
#include "test_support.h"
#include "pcapng_writer.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

TEST_CASE("disk full: the write fails with the cause and the file ends on its last whole block")
{
    if (geteuid() != 0) {
        WARN("needs root (a private mount namespace with a 64 KiB tmpfs)");
        return;
    }
    // This test runs in a process of its own (ctest): the namespace ends with it.
    REQUIRE(unshare(CLONE_NEWNS) == 0);
    REQUIRE(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    const std::string dir = scratchPath("tiny-disk");
    ::mkdir(dir.c_str(), 0700);
    REQUIRE(mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") == 0);
    const std::string path = dir + "/full.pcapng";
    std::size_t written = 0;
    std::string error;
    {
        PcapngWriter writer(path, "stratoshark tests");
        const std::uint32_t iface = writer.addInterface(1, 262144, "eth0");
        const std::vector<std::uint8_t> frame(1000, 0x42); // 1,032-byte blocks: 64 KiB holds ~60
        try {
            for (; written < 1000; ++written)
                writer.writePacket(iface, 1700000000000000000ull + written, frame.data(), 1000, 1000);
            writer.close();
        } catch (const EngineError& e) {
            error = e.what();
        }
    }
    CHECK(error == std::strerror(ENOSPC));
    CHECK(written > 10);
    CHECK(written < 1000);
    // every block that is there is whole: read to the end without an error
    auto file = CaptureFile::open(path, false);
    WtapRecord record;
    gint64 offset = 0;
    std::size_t read = 0;
    while (file->readNext(record, &offset)) {
        ++read;
        record.reset();
    }
    CHECK_FALSE(file->failed());
    CHECK(read > 0);
    CHECK(read <= written);
    umount2(dir.c_str(), MNT_DETACH);
}
