// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "options.h"

#include <vector>

using namespace ss::cli;

namespace {

ParsedArgs parse(std::vector<std::string> args)
{
    args.insert(args.begin(), "stratoshark");
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    return parseArguments(static_cast<int>(args.size()), argv.data());
}

} // namespace

TEST_CASE("the seed's usage parses: -r FILE -Y http -T json")
{
    auto p = parse({"-r", "latest.pcap", "-Y", "http", "-T", "json"});
    REQUIRE_FALSE(p.failed());
    CHECK(p.read.readFile == "latest.pcap");
    CHECK(p.read.displayFilter == "http");
    CHECK(p.read.format == OutputFormat::Json);
    CHECK(p.read.printDetails);
    CHECK_FALSE(p.read.printSummary);
}

TEST_CASE("trailing words are a display filter")
{
    auto p = parse({"-r", "f.pcap", "tcp", "and", "port", "80"});
    REQUIRE_FALSE(p.failed());
    CHECK(p.read.displayFilter == "tcp and port 80");
}

TEST_CASE("bad option combinations exit with tshark's code 1")
{
    CHECK(parse({"-r", "f", "--bogus"}).exitCode == 1);
    CHECK(parse({"-r", "f", "-T", "fields"}).exitCode == 1);          // no -e
    CHECK(parse({"-r", "f", "-e", "ip.src"}).exitCode == 1);          // -e without -T fields
    CHECK(parse({"-r", "f", "-R", "tcp"}).exitCode == 1);             // -R needs -2
    CHECK(parse({"-r", "f", "-T", "json", "-T", "text"}).exitCode == 1);
    CHECK(parse({"-r", "f", "-c", "zero"}).exitCode == 1);
    CHECK(parse({"-r", "f", "-T", "nosuch"}).exitCode == 1);
    CHECK(parse({"-r", "f", "-Y", "tcp", "udp"}).exitCode == 1);      // two filters
    CHECK(parse({"-r", "f", "-w", "-", "-V"}).exitCode == 1);         // both to stdout
    CHECK(parse({}).exitCode == 1);                                   // nothing to read
}

TEST_CASE("the report named after -G is taken, fields by default")
{
    auto p = parse({"-G", "protocols"});
    CHECK(p.action == Action::Report);
    CHECK(p.report == "protocols");
    CHECK(parse({"-G"}).report == "fields");
}
