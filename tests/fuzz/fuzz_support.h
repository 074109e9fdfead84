// SPDX-License-Identifier: GPL-2.0-or-later
// What the libFuzzer targets share: inputs as files (a memfd that wiretap and the importers
// open by path, as they would a user's file), one epan runtime per process, our own pcapng
// made around a record, and the CLI's read path as the dissection every target drives.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "epan_runtime.h"
#include "fuzz_input.h"
#include "options.h"
#include "pcapng_writer.h"
#include "read_command.h"
#include "ss_dissectors.h"
#include "ss_records.h"

namespace ss::fuzz {

// The input as a file: one memfd per process, rewritten for each input.
inline std::string asFile(const std::uint8_t* data, std::size_t size)
{
    static const int fd = memfd_create("fuzz-input", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != ssize_t(size))) {
        std::perror("fuzz: memfd");
        std::abort();
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

inline std::string asFile(const std::vector<std::uint8_t>& bytes)
{
    return asFile(bytes.data(), bytes.size());
}

// epan for the whole process (it can be initialised once), our dissectors built in, no
// plugins; packets printed to /dev/null (libFuzzer reports on stderr).
inline EpanRuntime& runtime()
{
    static EpanRuntime* r = [] {
        if (!std::freopen("/dev/null", "w", stdout))
            std::abort();
        EpanRuntime::Options options;
        options.loadPlugins = false;
        options.builtinDissectors.push_back(dissect::stratosharkDissectors());
        static char argv0[] = "stratoshark-fuzz";
        return new EpanRuntime(argv0, options);
    }();
    return *r;
}

// `stratoshark -r PATH -V` (and -2 when asked: two passes link records both ways): every
// dissector, the detail tree and the columns, as a user's file gets them.
inline int readVerbose(const std::string& path, bool twoPass = false)
{
    cli::ReadOptions options;
    options.readFile = path;
    options.printDetails = true;
    options.twoPass = twoPass;
    return cli::runRead(runtime(), options);
}

// A pcapng of our own: the interface marked as ours (docs/FORMAT.md), one packet per record.
inline std::vector<std::uint8_t> recordFile(std::uint16_t linkType, const char* name,
                                            const std::vector<std::vector<std::uint8_t>>& records)
{
    std::vector<std::uint8_t> out;
    PcapngWriter writer([&](const std::uint8_t* d, std::size_t n) { out.insert(out.end(), d, d + n); },
                        "stratoshark-fuzz");
    const std::uint32_t id = writer.addInterface(linkType, 262144, name); // marked as ours
    std::uint64_t ns = 1700000000000000000ull;
    for (const auto& r : records)
        writer.writePacket(id, ns += 1000, r.data(), std::uint32_t(r.size()), std::uint32_t(r.size()));
    writer.close();
    return out;
}

} // namespace ss::fuzz
