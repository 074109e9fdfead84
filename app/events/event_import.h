// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ss::events {

// What an event says, for trigger rules and filters: normalized keys (rule, priority,
// tags, pod_name, namespace, container_id, container_name, proc_name, proc_pid,
// proc_cmdline, binary, event) and, for Falco, every output_fields key as it is.
using EventFields = std::map<std::string, std::string>;

// One imported event turned into a Stratoshark record (ss_records.h).
struct ImportedRecord {
    std::uint64_t timestampNs;
    std::uint16_t linkType; // SS_LINKTYPE_FLOW or SS_LINKTYPE_SECURITY
    std::vector<std::uint8_t> bytes;
    EventFields fields; // importEvents: what it says (a flow's addresses and ports, …)
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

// One event as live sources receive it (a Falco POST body, a Tetragon or Hubble message
// printed as JSON with the proto's own field names), bounded before it is parsed: at most
// kMaxEventBytes, nested at most kMaxDepth deep (a JSON parser recurses). importEvents
// holds each line or document of a file to the same bounds (a problem, not a parse).
constexpr std::size_t kMaxEventBytes = 1u << 20;
constexpr int kMaxDepth = 64;

struct LiveEvent {
    ImportedRecord record;
    EventFields fields;
};
// `arrivalNs`: the time for an alert that carries none (then fields["time_source"] is
// "arrival" and the record says so). False with *why for what is not an event of `source`.
bool convertEvent(EventSource source, const std::string& text, std::uint64_t arrivalNs, LiveEvent* out,
                  std::string* why);
// Whether `text` nests deeper than `maxDepth` (brackets outside strings).
bool nestedTooDeep(const std::string& text, int maxDepth);

} // namespace ss::events
