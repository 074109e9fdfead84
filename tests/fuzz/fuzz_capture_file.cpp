// SPDX-License-Identifier: GPL-2.0-or-later
// Any capture file (pcap, pcapng, and every other format wiretap knows) through wiretap and
// epan as `stratoshark -r FILE -V` reads it: damaged files must end with an error, never a
// crash. Seeds: every capture in tests/fixtures and the bundled sample.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::Dissector::instance();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ss::fuzz::dissectFile(ss::fuzz::asFile(data, size));
    return 0;
}
