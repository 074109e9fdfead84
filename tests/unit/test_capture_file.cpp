// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "error.h"
#include "epan_runtime.h"
#include "test_support.h"


using ss::CaptureFile;
using ss::EngineError;

namespace {

std::string openError(const std::string& path)
{
    try {
        CaptureFile::open(path, false);
    } catch (const EngineError& e) {
        CHECK(e.step() == "open capture");
        CHECK(e.object() == path);
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("a missing file is named with its cause")
{
    CHECK(openError("/nonexistent/x.pcap") == "The file \"/nonexistent/x.pcap\" doesn't exist.");
}

TEST_CASE("a directory is refused as a capture")
{
    const std::string dir = SS_BINARY_DIR;
    CHECK(openError(dir) == "\"" + dir + "\" is a directory (folder), not a file.");
}

TEST_CASE("a file in no capture format is refused by name")
{
    const std::string path = scratchPath("not-a-capture.bin");
    writeFile(path, std::string(64, '\x7f'));
    CHECK(openError(path).find("isn't a capture file in a format stratoshark understands") != std::string::npos);
}

TEST_CASE("a truncated file yields the records before the damage, then a read error")
{
    const std::string path = truncatedCapture();
    auto file = CaptureFile::open(path, false);
    ss::WtapRecord record;
    gint64 offset = 0;
    int records = 0;
    while (file->readNext(record, &offset)) {
        ++records;
        record.reset();
    }
    CHECK(records == 3);
    REQUIRE(file->failed());
    CHECK(file->errorMessage() == "The file \"" + path + "\" appears to have been cut short in the middle of a packet.");
}

TEST_CASE("libwireshark cannot be initialised twice in one process")
{
    REQUIRE(ss::EpanRuntime::alive());
    CHECK_THROWS_AS(ss::EpanRuntime("x", ss::EpanRuntime::Options{}), EngineError);
    CHECK(ss::EpanRuntime::alive());
}
