// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ss {

// One interface of a capture, as its Interface Description Block (and last Interface
// Statistics Block) says.
struct InterfaceSummary {
    std::string name, description, filter, os;
    std::string encapsulation; // "Ethernet"
    std::uint32_t snapLength = 0;
    std::uint64_t packets = 0;
    std::optional<std::uint64_t> dropped; // the last ISB's if_drop, when written
};

// What Wireshark's Statistics → Capture File Properties (and capinfos) shows: the file (size,
// format, hashes), time span, section header (hardware, OS, application, comments), the
// interfaces, packet and byte totals, and the packet comments. Read once with wiretap, no
// dissection.
struct CaptureSummary {
    std::string path;
    std::uint64_t fileBytes = 0;
    std::string sha256, sha1;
    std::string format;        // "Wireshark/... - pcapng"
    std::string encapsulation; // "Ethernet", or "Per packet" when interfaces differ
    std::uint64_t packets = 0;
    std::uint64_t dataBytes = 0; // the packets' original lengths
    std::int64_t firstNs = 0, lastNs = 0;
    bool strictTimeOrder = true;
    std::string hardware, os, application;
    std::vector<std::string> sectionComments;
    std::vector<InterfaceSummary> interfaces;
    std::vector<std::pair<std::uint32_t, std::string>> packetComments; // frame, text (first kMaxComments)
    std::uint64_t moreComments = 0;
    std::string readError; // the file is damaged after `packets` packets
    static constexpr std::size_t kMaxComments = 1000;
};

// Throws EngineError when the file cannot be opened; a read error later is kept in readError.
CaptureSummary summarizeCapture(const std::string& path);

} // namespace ss
