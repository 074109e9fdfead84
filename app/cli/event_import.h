// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ss::cli {

// One imported event turned into a Stratoshark record (ss_records.h).
struct ImportedRecord {
    std::uint64_t timestampNs;
    std::uint16_t linkType; // SS_LINKTYPE_FLOW or SS_LINKTYPE_SECURITY
    std::vector<std::uint8_t> bytes;
};

enum class EventSource { Hubble, Falco, Tetragon };

struct ImportReport {
    std::size_t records = 0;
    std::vector<std::string> problems; // "FILE:LINE: reason", one per skipped line
};

// Reads JSON lines (or concatenated JSON documents) of one tool's output and appends a
// record per event. Malformed or unknown lines are reported and skipped; returns false only
// when the file cannot be read.
bool importEvents(const std::string& path, EventSource source, std::vector<ImportedRecord>& out,
                  ImportReport& report);

// RFC 3339 time ("2023-08-21T12:12:13.517394084Z") as nanoseconds since the epoch.
bool parseRfc3339(const std::string& text, std::uint64_t* ns);

} // namespace ss::cli
