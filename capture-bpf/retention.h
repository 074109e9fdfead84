// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ss::helper {

// How long the spool keeps each kind of file (`--retention`), the seed's policy by default:
//   pcap    captures: spooled, triggered and the flight recorder's files     7 days
//   flows   archive/flows_*.pcapng (Hubble flows as records)                30 days
//   alerts  archive/alerts_*.pcapng (Falco alerts, Tetragon events)         90 days
// each optionally with a total size ("pcap=7d:50G").
struct RetentionRule {
    std::string kind;
    std::chrono::seconds maxAge{0};  // 0: no age limit
    std::uint64_t maxBytes = 0;      // 0: no size limit
};
std::vector<RetentionRule> defaultRetention();
// "pcap=7d,flows=30d:10G,alerts=90d" (units s m h d; K M G T bytes, powers of 1024); the
// kinds not named keep their default. nullopt with *why.
std::optional<std::vector<RetentionRule>> parseRetention(const std::string& text, std::string* why);

// The bytes of the regular files directly in `dir` (0 when it cannot be read).
std::uint64_t regularFileBytes(const std::string& dir);

// Prunes the spool folder: per kind, the oldest files first, while they are older than the
// kind's age or its files together are larger than its size — never a file being written.
// Each deletion is one log line. Returns the paths deleted.
class Retention {
public:
    Retention(std::string spoolDir, std::vector<RetentionRule> rules);
    std::vector<std::string> prune(const std::set<std::string>& beingWritten, std::time_t now = std::time(nullptr));
    // "pcap", "flows" or "alerts" for a path relative to the spool ("archive/flows_…").
    static std::string kindOf(const std::string& relative);

private:
    std::string dir_;
    std::vector<RetentionRule> rules_;
};

} // namespace ss::helper
