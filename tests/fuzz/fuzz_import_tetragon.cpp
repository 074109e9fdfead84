// SPDX-License-Identifier: GPL-2.0-or-later
// `stratoshark import --tetragon`: Tetragon events (its JSON export) read from a file
// through fuzz_import.h.
#include "fuzz_import.h"

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::Dissector::instance();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return ss::fuzz::fuzzImport(ss::events::EventSource::Tetragon, data, size);
}
