// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "capture_options.h"
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

#include "capture_options.h"

#include <cstdlib>
#include <ctime>

TEST_CASE("since and until take the seed's local time, RFC 3339, a time ago, now and @seconds")
{
    const std::uint64_t now = 1'736'525'730'000'000'000ull; // 2025-01-10 16:15:30 UTC
    setenv("TZ", "UTC", 1);
    tzset();
    CHECK(parseWhen("2025-01-10 16:15:20", now) == 1'736'525'720'000'000'000ull);
    CHECK(parseWhen("2025-01-10 16:15:20.25", now) == 1'736'525'720'250'000'000ull);
    CHECK(parseWhen("2025-01-10T16:15:20Z", now) == 1'736'525'720'000'000'000ull);
    CHECK(parseWhen("2025-01-10T17:15:20+01:00", now) == 1'736'525'720'000'000'000ull);
    CHECK(parseWhen("-10s", now) == now - 10'000'000'000ull);
    CHECK(parseWhen("-5m", now) == now - 300'000'000'000ull);
    CHECK(parseWhen("now", now) == now);
    CHECK(parseWhen("@1736525720.5", now) == 1'736'525'720'500'000'000ull);
    setenv("TZ", "CET-1", 1); // another zone (POSIX form: no tzdata needed): an hour apart
    tzset();
    CHECK(parseWhen("2025-01-10 17:15:20", now) == 1'736'525'720'000'000'000ull);
    unsetenv("TZ");
    tzset();
    for (const char* bad : {"", "host 10.0.0.1", "2025-01-10", "2025-01-10 16:15", "2025-01-10 16:15:20x", "-soon",
                            "@", "@-1", "@1e300", "yesterday"})
        CHECK_FALSE(parseWhen(bad, now));
}

TEST_CASE("the kernel buffer (-B) is in MiB, as tshark's and dumpcap's")
{
    CHECK(parse({"-i", "eth0"}).read.live.bufferBytes == 0); // the helper's default: 2 MiB
    CHECK(parse({"-i", "eth0", "-B", "8"}).read.live.bufferBytes == 8u << 20);
    CHECK(parse({"-i", "eth0", "-B", "0"}).exitCode == 1);
    CHECK(parse({"-i", "eth0", "-B", "2MB"}).exitCode == 1);
    CHECK(parse({"-i", "eth0", "-B", "-1"}).exitCode == 1);
    CHECK(parse({"-i", "eth0", "-B", "4096"}).exitCode == 1); // past 1 GiB

    auto capture = [](std::vector<std::string> args) {
        args.insert(args.begin(), "capture");
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        int exitCode = 0;
        const auto o = parseCaptureOptions(int(args.size()), argv.data(), &exitCode);
        return o ? std::int64_t(o->request.buffer_bytes()) : -std::int64_t(exitCode);
    };
    CHECK(capture({"-w", "f.pcapng"}) == 0);
    CHECK(capture({"-B", "16", "-w", "f.pcapng"}) == 16 << 20);
    CHECK(capture({"--buffer-size", "64kB", "-w", "f.pcapng"}) == 64000);
    CHECK(capture({"--buffer-size", "64KiB", "-w", "f.pcapng"}) == 64 << 10);
    CHECK(capture({"-B", "1025", "-w", "f.pcapng"}) == -1);
    CHECK(capture({"-B", "99999999999999999999", "-w", "f.pcapng"}) == -1);
    CHECK(capture({"-B", "1kB", "-w", "f.pcapng"}) == -1);
}
