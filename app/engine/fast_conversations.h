// SPDX-License-Identifier: GPL-2.0-or-later
// The statistics fast path: epan's conversation and endpoint tables (Ethernet, IPv4, IPv6,
// TCP, UDP) filled from a header walk of each frame instead of a dissection — the same
// values, in the same row order, in epan's own tables, so their printing is epan's (issue
// 16: tshark's answer at the speed of reading the file).
//
// Two steps. scan*() counts the rows (conversation_rows.h): with our own reader of pcap
// and pcapng (capture_scan.h), which needs no epan and so runs while epan starts, or
// through wiretap for what that reader leaves (compressed files, other formats). fillTaps()
// then checks what only epan knows — the dissector it gives each port seen (port_judge.h:
// tunnels and protocols that set up other flows are refused), disabled protocols, names resolved
// from the capture — and copies the rows into the taps.
//
// Wherever a step cannot be sure epan would count the same (frame_headers.h, capture_scan.h
// list what they refuse), it says why and the caller lets epan read the file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conversation_rows.h"
#include "epan_includes.h"

namespace ss {

class CaptureFile;
class ConversationTap;

struct FastScan {
    std::unique_ptr<fast::ConversationRows> rows;
    std::string refused;        // empty: the rows cover the whole file
    bool readerRefused = false; // our reader left the file to wiretap (its format, a record)
    std::uint64_t frames = 0;
    // Every time stamp normal and all within 2^31 s of each other: epan's comparison of times
    // is then an order, and parts counted apart merge by earliest start and latest stop.
    bool timesOrdered = true;
};

// "conv,TABLE" or "endpoints,TABLE" (no filter) for a table the fast path counts.
std::optional<fast::TableRequest> fastTableRequest(const std::string& statistic);

// The header walk's link type for a wiretap encapsulation: Ethernet or raw IP, else none.
std::optional<fast::LinkType> fastLinkType(int encapsulation);

// No epan needed: may run on another thread while epan starts. With `threads` > 1, each
// thread reads the whole file and counts the flows that hash to it; the parts are merged
// (ConversationRows::merge) into the rows one thread would have counted.
FastScan scanWithOwnReader(const std::string& path, const std::vector<fast::TableRequest>& requests,
                           unsigned threads = 1);
// Threads for a count: STRATOSHARK_WORKERS=N forces N (as for the CLI's parallel read), by
// default one per processor, up to 4.
unsigned fastScanThreads();
// Through wiretap (after epan started), from the file's start.
FastScan scanWithWiretap(CaptureFile& file, const std::vector<fast::TableRequest>& requests);

// What only epan knows, checked against the scan (the port dissectors, disabled protocols,
// heuristics, name resolution): empty when epan would count the rows the scan counted,
// else why not. Call on epan's thread.
std::string fastPathRefusal(const FastScan& scan);

// Copies the rows into `taps` (one per request, in the same order) after fastPathRefusal().
// Empty on success, else why epan must count instead (the taps are then untouched).
std::string fillTaps(const FastScan& scan, const std::vector<ConversationTap*>& taps);

// What epan's tables hold for a table's kind: its conversation and endpoint types and the
// filter callbacks its rows carry (for rows made without a tap).
struct FastTableTypes {
    conversation_type ctype;
    endpoint_type etype;
    ct_dissector_info_t* convInfo;
    et_dissector_info_t* endpointInfo;
};
FastTableTypes fastTableTypes(fast::TableKind kind);

} // namespace ss
