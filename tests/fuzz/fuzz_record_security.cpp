// SPDX-License-Identifier: GPL-2.0-or-later
// Our Falco and Tetragon records (LINKTYPE_USER3), through epan as a file of ours
// carries them: the input is up to 16 records (cut at "\n--\n"), each written as one packet on
// an interface marked ours, then dissected as `stratoshark -r -V` dissects it (the TLV walker,
// the Info column, expert info, links between related records).
#include "fuzz_support.h"
#include "ss_records.h"

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    ss::fuzz::Dissector::instance();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = ss::fuzz::recordFile(SS_LINKTYPE_SECURITY, "security-events", ss::fuzz::split(data, size));
    ss::fuzz::dissectFile(ss::fuzz::asFile(file));
    return 0;
}
