// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "display_filter.h"
#include "test_support.h"

using ss::DisplayFilter;

TEST_CASE("valid filters compile")
{
    for (const char* text : {"dns.qry.name contains \"minexmr\"", "not ip.dst == 10.0.0.0/8",
                             "tcp.analysis.retransmission", "http.request.uri == \"/api/data\"",
                             "frame.time >= \"2024-01-01 00:00:00\""}) {
        DisplayFilter::Error error;
        auto filter = DisplayFilter::compile(text, &error);
        INFO(text << ": " << error.message);
        CHECK(filter);
        CHECK(error.message.empty());
    }
}

TEST_CASE("an empty filter is no filter and no error")
{
    DisplayFilter::Error error;
    CHECK_FALSE(DisplayFilter::compile("", &error));
    CHECK(error.message.empty());
}

TEST_CASE("a bad value gives epan's message and its position")
{
    DisplayFilter::Error error;
    CHECK_FALSE(DisplayFilter::compile("ip.src == 1.2.3", &error));
    CHECK(error.message == "\"1.2.3\" is not a valid hostname or IPv4 address.");
    CHECK(error.column == 10);
    CHECK(error.length == 5);
    CHECK(DisplayFilter::caretLine("ip.src == 1.2.3", error) == "    ip.src == 1.2.3\n              ^~~~~");
}

TEST_CASE("an unknown field is named")
{
    DisplayFilter::Error error;
    CHECK_FALSE(DisplayFilter::compile("nosuchproto.field == 1", &error));
    CHECK(error.message.find("nosuchproto.field") != std::string::npos);
    CHECK(error.message.find("must be a field or function") != std::string::npos);
}

TEST_CASE("an unfinished expression is refused")
{
    DisplayFilter::Error error;
    CHECK_FALSE(DisplayFilter::compile("tcp.port ==", &error));
    CHECK_FALSE(error.message.empty());
}
