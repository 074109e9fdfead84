// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_file.h"
#include "packet_index.h"
#include "test_support.h"

using namespace ss;

TEST_CASE("the index holds every record of the sample, 32 bytes each")
{
    auto file = CaptureFile::open(sampleCapture(), false);
    PacketIndex index;
    index.build(*file);
    CHECK(index.error().empty());
    REQUIRE(index.size() == 333);
    CHECK(sizeof(PacketIndexEntry) == 32);
    CHECK(index.memoryBytes() <= 33 * index.size() + 64);
    for (size_t i = 1; i < index.size(); ++i) {
        CHECK(index[i].fileOffset > index[i - 1].fileOffset);
        CHECK(index[i].timestampNs >= index[i - 1].timestampNs);
        CHECK(index[i].capturedLength <= index[i].originalLength);
    }
    CHECK(index[0].encapsulation == WTAP_ENCAP_ETHERNET);
    CHECK((index[0].flags & PacketIndexEntry::HasTimestamp));
}

TEST_CASE("the index of a truncated file keeps what precedes the damage")
{
    auto file = CaptureFile::open(truncatedCapture(), false);
    PacketIndex index;
    index.build(*file);
    CHECK(index.size() == 3);
    CHECK(index.error().find("cut short") != std::string::npos);
}

TEST_CASE("the index can be read in slices")
{
    auto file = CaptureFile::open(sampleCapture(), false);
    PacketIndex index;
    CHECK(index.readSome(*file, 10));
    CHECK(index.size() == 10);
    CHECK(index.readSome(*file, 10));
    CHECK(index.size() == 20);
    CHECK_FALSE(index.readSome(*file, 1000)); // reaches the end
    CHECK(index.size() == 333);
    CHECK(index.error().empty());
}
