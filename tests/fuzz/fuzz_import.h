// SPDX-License-Identifier: GPL-2.0-or-later
// What the three importer targets share: the input read from a file as `stratoshark import`
// reads one (importEvents), every record made from it read back through epan (an event
// either becomes a record we and tshark can read, or a reported problem), and each of its
// first 16 lines taken as a live source takes an event (convertEvent).
#pragma once

#include "event_import.h"
#include "fuzz_support.h"

namespace ss::fuzz {

inline int fuzzImport(ss::events::EventSource source, const std::uint8_t* data, std::size_t size)
{
    using namespace ss::events;
    std::vector<ImportedRecord> records;
    ImportReport report;
    if (!importEvents(ss::fuzz::asFile(data, size), source, records, report))
        return 0;
    if (!records.empty()) {
        std::vector<std::vector<std::uint8_t>> bytes;
        for (const auto& r : records)
            bytes.push_back(r.bytes);
        const auto file = ss::fuzz::recordFile(records.front().linkType,
                                               records.front().linkType == SS_LINKTYPE_FLOW ? "hubble" : "security-events",
                                               bytes);
        ss::fuzz::dissectFile(ss::fuzz::asFile(file));
    }
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (std::size_t at = 0, n = 0; at < text.size() && n < 16; ++n) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        LiveEvent event;
        std::string why;
        convertEvent(source, text.substr(at, end - at), 1700000000000000000ull, &event, &why);
        at = end + 1;
    }
    return 0;
}

} // namespace ss::fuzz
