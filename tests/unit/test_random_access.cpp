// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "display_filter.h"
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

namespace {

std::string column(const RandomAccessCapture::Packet& p, int format)
{
    for (int i = 0; i < p.columns->num_cols; ++i)
        if (p.columns->columns[i].col_fmt == format)
            return get_column_text(p.columns, i);
    return {};
}

std::vector<std::uint32_t> matching(RandomAccessCapture& capture, const std::string& text)
{
    DisplayFilter::Error error;
    auto filter = DisplayFilter::compile(text, &error);
    REQUIRE(filter);
    RandomAccessCapture::Request request;
    request.filter = filter->get();
    std::vector<std::uint32_t> frames;
    for (std::uint32_t n = 1; n <= capture.frameCount(); ++n)
        capture.dissect(n, request, [&](const RandomAccessCapture::Packet& p) {
            if (p.matched)
                frames.push_back(n);
        });
    return frames;
}

} // namespace

TEST_CASE("marked, ignored and time-reference frames: filters and columns see them")
{
    RandomAccessCapture capture(testRuntime(), sampleCapture());
    capture.firstPass();
    using Flag = RandomAccessCapture::Flag;
    capture.setFlag(3, Flag::Marked, true);
    capture.setFlag(30, Flag::Marked, true);
    capture.setFlag(0, Flag::Marked, true);    // no such frame: nothing happens
    capture.setFlag(9999, Flag::Marked, true);
    capture.setFlag(30, Flag::Marked, true); // already set: counted once
    CHECK(capture.flagged(Flag::Marked) == std::vector<std::uint32_t>{3, 30});
    CHECK(capture.flaggedCount(Flag::Marked) == 2);
    CHECK(capture.flaggedCount(Flag::Ignored) == 0);
    CHECK(matching(capture, "frame.marked == 1") == std::vector<std::uint32_t>{3, 30});
    capture.setFlag(3, Flag::Marked, false);
    capture.setFlag(4, Flag::Marked, false); // not set: nothing to uncount
    CHECK(capture.flaggedCount(Flag::Marked) == 1);
    CHECK(matching(capture, "frame.marked == 1") == std::vector<std::uint32_t>{30});

    // An ignored frame is not dissected past the frame layer.
    REQUIRE(!matching(capture, "ip && frame.number == 5").empty());
    capture.setFlag(5, Flag::Ignored, true);
    CHECK(capture.flag(5, Flag::Ignored));
    CHECK(matching(capture, "ip && frame.number == 5").empty());
    CHECK(matching(capture, "frame.ignored == 1") == std::vector<std::uint32_t>{5});
    capture.setFlag(5, Flag::Ignored, false);

    // A time reference: its Time is *REF*, later frames count from it, earlier ones from 1.
    const auto& index = capture.index();
    auto relative = [&](std::uint32_t n) {
        std::string text;
        capture.dissect(n, [&](const RandomAccessCapture::Packet& p) { text = column(p, COL_CLS_TIME); });
        return text;
    };
    const std::string before = relative(12);
    capture.setFlag(10, Flag::TimeReference, true);
    CHECK(relative(10) == "*REF*");
    const double since = double(index[11].timestampNs - index[9].timestampNs) / 1e9; // frame 12 − frame 10
    CHECK(std::stod(relative(12)) == Approx(since).margin(1e-6));
    CHECK(std::stod(relative(9)) == Approx(double(index[8].timestampNs - index[0].timestampNs) / 1e9).margin(1e-6));
    CHECK(matching(capture, "frame.ref_time") == std::vector<std::uint32_t>{10});
    capture.setFlag(10, Flag::TimeReference, false);
    CHECK(relative(12) == before);
}
