// SPDX-License-Identifier: GPL-2.0-or-later
// Profiles' names and the column widths read from a Wireshark `recent` file.
#include <catch2/catch.hpp>

#include "profiles.h"

#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace ss::profiles;

TEST_CASE("recent column widths: as Wireshark's packet list writes them", "[profiles]")
{
    const std::string text = "# Recent settings file for Wireshark 4.0.17.\n"
                             "gui.geometry_main_upper_pane: 380\n\n"
                             "column.width:\n        %m, 61,\n        %t, 90:C,\n"
                             "        \"%Cus:http.host || tls.handshake.extensions_server_name\", 140:R,\n"
                             "        %p, 77\n\n"
                             "# Open conversation dialog tabs.\ngui.conversation_tabs: IPv4,TCP\n";
    const auto widths = parseRecentColumnWidths(text);
    REQUIRE(widths.size() == 4);
    CHECK(widths[0].format == "%m");
    CHECK(widths[0].width == 61);
    CHECK(widths[0].align == 0);
    CHECK(widths[1].align == 'C');
    CHECK(widths[2].format == "%Cus:http.host || tls.handshake.extensions_server_name");
    CHECK(widths[2].width == 140);
    CHECK(widths[2].align == 'R');
    CHECK(widths[3].format == "%p");
}

TEST_CASE("recent column widths: commented, absent or damaged entries give nothing for them", "[profiles]")
{
    CHECK(parseRecentColumnWidths("").empty());
    CHECK(parseRecentColumnWidths("#column.width: %m, 61\n").empty());
    CHECK(parseRecentColumnWidths("privs.column.width: %m, 61\n").empty());
    const auto some = parseRecentColumnWidths("column.width: %m, x, %t, 50, %q, -3, nonsense, 4, %s\n");
    REQUIRE(some.size() == 1);
    CHECK(some[0].format == "%t");
    // random bytes never crash it
    std::mt19937 rng(7);
    constexpr std::string_view kAlphabet = "%,\": \n\t0123456789mtCLR";
    for (int i = 0; i < 2000; ++i) {
        std::string junk = "column.width:";
        const int n = int(rng() % 200);
        for (int k = 0; k < n; ++k)
            junk += kAlphabet[rng() % kAlphabet.size()];
        for (const auto& w : parseRecentColumnWidths(junk))
            CHECK((w.width >= 0 && !w.format.empty()));
    }
}

TEST_CASE("profile names Wireshark could not use as folders are refused with a reason", "[profiles]")
{
    std::string why;
    CHECK(validName("Troubleshooting"));
    CHECK(validName("k8s prod (eu)"));
    for (const std::string& bad : std::vector<std::string>{"", "Default", ".hidden", "a/b", "a\\b", "x:y", "tab\there", std::string(65, 'a')}) {
        why.clear();
        CHECK_FALSE(validName(bad, &why));
        CHECK_FALSE(why.empty());
    }
}
