// SPDX-License-Identifier: GPL-2.0-or-later
// `stratoshark capture`'s files: sizes and durations as users type them, ring file names,
// and a ring cut only between whole blocks, each file starting with the section header and
// the interfaces seen so far.
#include <catch2/catch.hpp>

#include "capture_options.h"
#include "capture_output.h"

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

using namespace ss::cli;
using namespace ss::capture;

namespace {

// A pcapng block (little-endian): type, length, a body of `bodyBytes` zero bytes, length.
std::string block(std::uint32_t type, std::uint32_t bodyBytes)
{
    const std::uint32_t total = bodyBytes + 12;
    std::string b(reinterpret_cast<const char*>(&type), 4);
    b.append(reinterpret_cast<const char*>(&total), 4);
    b.append(bodyBytes, '\0');
    b.append(reinterpret_cast<const char*>(&total), 4);
    return b;
}

std::string sectionHeader()
{
    std::string b = block(0x0A0D0D0A, 16);
    const std::uint32_t magic = 0x1A2B3C4D;
    b.replace(8, 4, reinterpret_cast<const char*>(&magic), 4);
    return b;
}

// The files in `dir`, by name (a ring's in the order written).
std::vector<std::filesystem::path> sortedFiles(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string slurp(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

TEST_CASE("sizes and durations as users type them")
{
    CHECK(CaptureOutput::parseSize("100MB") == 100000000u);
    CHECK(CaptureOutput::parseSize("512kB") == 512000u);
    CHECK(CaptureOutput::parseSize("1GiB") == 1073741824u);
    CHECK(CaptureOutput::parseSize("2048") == 2048u);
    CHECK(CaptureOutput::parseSize("1.5m") == 1500000u);
    CHECK_FALSE(CaptureOutput::parseSize("10XB"));
    CHECK_FALSE(CaptureOutput::parseSize("-5MB"));
    CHECK_FALSE(CaptureOutput::parseSize("MB"));
    CHECK(parseDurationMs("7d") == 7u * 86400000u);
    CHECK(parseDurationMs("5m") == 300000u);
    CHECK(parseDurationMs("250ms") == 250u);
    CHECK_FALSE(parseDurationMs("5 minutes"));
}

TEST_CASE("ring files are named like dumpcap's")
{
    const std::time_t when = 1795764600; // 2026-11-27 in any time zone
    const std::string name = CaptureOutput::ringName("/tmp/out.pcapng", 3, when);
    REQUIRE(name.size() == std::string("/tmp/out_00003_20261127HHMMSS.pcapng").size());
    CHECK(name.rfind("/tmp/out_00003_202611", 0) == 0);
    CHECK(name.ends_with(".pcapng"));
    CHECK(CaptureOutput::ringName("/tmp/v1.2/capture", 12, when).rfind("/tmp/v1.2/capture_00012_", 0) == 0);
}

TEST_CASE("a ring is cut between whole blocks, each file starts with the section and the interfaces")
{
    const auto dir = std::filesystem::temp_directory_path() / ("ss-ring-" + std::to_string(std::rand()));
    std::filesystem::create_directories(dir);
    CaptureOutput::Options options;
    options.path = (dir / "ring.pcapng").string();
    options.ringSize = 300;
    options.ringFiles = 2;
    CaptureOutput out(options);
    REQUIRE(out.open());
    const std::string header = sectionHeader() + block(1, 8);
    const std::string packet = block(6, 88); // 100 bytes
    REQUIRE(out.write(header + packet + packet));
    const std::string late = block(1, 20); // an interface that came up later
    REQUIRE(out.write(late + packet + packet + packet + packet));
    out.close();
    CHECK(out.filesWritten() == 3);
    CHECK(out.packetsWritten() == 6);
    const std::vector<std::filesystem::path> files = sortedFiles(dir);
    REQUIRE(files.size() == 2); // the oldest of three removed
    // Files 2 and 3: both interfaces first (the late one went into file 1 as it came),
    // then two packets each (a third would pass 300 bytes).
    CHECK(slurp(files[0]) == header + late + packet + packet);
    CHECK(slurp(files[1]) == header + late + packet + packet);
    CHECK(files[0].filename().string().rfind("ring_00002_", 0) == 0);
    CHECK(files[1].filename().string().rfind("ring_00003_", 0) == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("each file of a ring repeats the TLS secrets that came just before it")
{
    const auto dir = std::filesystem::temp_directory_path() / ("ss-ring-dsb-" + std::to_string(std::rand()));
    std::filesystem::create_directories(dir);
    CaptureOutput::Options options;
    options.path = (dir / "ring.pcapng").string();
    options.ringSize = 300;
    options.holdsSecrets = true;
    CaptureOutput out(options);
    REQUIRE(out.open());
    const std::string header = sectionHeader() + block(1, 8);
    const std::string packet = block(6, 88); // 100 bytes
    const std::string first = block(10, 40), second = block(10, 52); // secrets blocks
    REQUIRE(out.write(header + first + packet + packet));
    REQUIRE(out.write(second + packet + packet));
    out.close();
    const std::vector<std::filesystem::path> files = sortedFiles(dir);
    REQUIRE(files.size() == 3);
    CHECK(slurp(files[0]) == header + first + packet + packet);
    // File 2 starts with the first file's secrets (their handshake's packets may be in it);
    // the second block came in it, after them.
    CHECK(slurp(files[1]) == header + first + second + packet);
    CHECK(slurp(files[2]) == header + first + second + packet);
    for (const auto& f : files) // never readable by others
        CHECK((std::filesystem::status(f).permissions() & std::filesystem::perms::others_all) ==
              std::filesystem::perms::none);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a ring repeats only recent secrets, at most 4 MiB, and a new section forgets them")
{
    const auto dir = std::filesystem::temp_directory_path() / ("ss-ring-dsb2-" + std::to_string(std::rand()));
    std::filesystem::create_directories(dir);
    CaptureOutput::Options options;
    options.path = (dir / "ring.pcapng").string();
    options.ringSize = 1;
    CaptureOutput out(options);
    REQUIRE(out.open());
    const std::string header = sectionHeader() + block(1, 8);
    const std::string packet = block(6, 88);
    const std::size_t bigBody = CaptureOutput::kMaxRepeatedSecrets / 2 - 12;
    const std::string a = block(10, std::uint32_t(bigBody)), b = block(10, std::uint32_t(bigBody)),
                      c = block(10, 20);
    // File 1: a packet; file 2 (the secrets cut it too): a, b, c, a packet; file 3: the newest
    // secrets that fit the bound (b, c: a is left out), a packet, then a new section begins.
    REQUIRE(out.write(header + packet + a + b + c + packet + packet));
    REQUIRE(out.write(sectionHeader() + block(1, 8) + packet));
    out.close();
    std::vector<std::filesystem::path> files = sortedFiles(dir);
    REQUIRE(files.size() == 4);
    CHECK(slurp(files[1]) == header + a + b + c + packet);
    CHECK(slurp(files[2]) == header + b + c + packet + header);
    CHECK(slurp(files[3]) == header + packet); // the new section's file: none of the old secrets
    std::filesystem::remove_all(dir);

    // Secrets older than the window are not repeated.
    std::filesystem::create_directories(dir);
    options.secretsRepeatMs = 1;
    CaptureOutput late(options);
    REQUIRE(late.open());
    REQUIRE(late.write(header + packet + c + packet)); // file 2: c, a packet
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(late.write(packet));
    late.close();
    files = sortedFiles(dir);
    REQUIRE(files.size() == 3);
    CHECK(slurp(files[2]) == header + packet);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a --max-size stops the output before a block that would not fit")
{
    const auto path = std::filesystem::temp_directory_path() / ("ss-max-" + std::to_string(std::rand()) + ".pcapng");
    CaptureOutput::Options options;
    options.path = path.string();
    options.maxSize = 400;
    CaptureOutput out(options);
    REQUIRE(out.open());
    const std::string packet = block(6, 88);
    CHECK_FALSE(out.write(sectionHeader() + block(1, 8) + packet + packet + packet + packet));
    CHECK(out.limitReached());
    out.close();
    CHECK(std::filesystem::file_size(path) == 28 + 20 + 3 * 100);
    std::filesystem::remove(path);
}
