// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "random_access.h"
#include "test_support.h"

#include <map>

using namespace ss;

namespace {

std::string infoColumn(const RandomAccessCapture::Packet& p)
{
    for (int i = 0; i < p.columns->num_cols; ++i)
        if (p.columns->columns[i].col_fmt == COL_INFO)
            return get_column_text(p.columns, i);
    return {};
}

} // namespace

TEST_CASE("any frame can be dissected again, in any order, with the same result")
{
    RandomAccessCapture capture(testRuntime(), sampleCapture());
    capture.firstPass();
    REQUIRE(capture.frameCount() == 333);
    CHECK(capture.error().empty());

    std::map<std::uint32_t, std::string> forward;
    for (std::uint32_t n = 1; n <= capture.frameCount(); ++n)
        capture.dissect(n, [&](const RandomAccessCapture::Packet& p) { forward[n] = infoColumn(p); });
    for (long back = static_cast<long>(capture.frameCount()); back >= 1; back -= 7) {
        const auto n = static_cast<std::uint32_t>(back);
        capture.dissect(n, [&](const RandomAccessCapture::Packet& p) {
            INFO("frame " << n);
            CHECK(infoColumn(p) == forward[n]);
        });
    }
}

TEST_CASE("a re-dissected frame has its full tree and its bytes")
{
    RandomAccessCapture capture(testRuntime(), sampleCapture());
    capture.firstPass();
    // The HTTP 404 response needs TCP reassembly state from the first pass.
    int responses = 0;
    for (std::uint32_t n = 1; n <= capture.frameCount(); ++n)
        capture.dissect(n, [&](const RandomAccessCapture::Packet& p) {
            if (infoColumn(p).find("HTTP/1.0 404") != std::string::npos) {
                ++responses;
                CHECK(p.edt->tree != nullptr);
                CHECK(p.length > 54);
                CHECK(p.bytes[12] == 0x08); // Ethernet type IPv4
            }
        });
    CHECK(responses == 1);
}

TEST_CASE("asking for a frame that does not exist is an error naming the frame")
{
    RandomAccessCapture capture(testRuntime(), sampleCapture());
    capture.firstPass();
    CHECK_THROWS_WITH(capture.dissect(100000, [](const RandomAccessCapture::Packet&) {}), "no such frame");
}
