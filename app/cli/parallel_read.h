// SPDX-License-Identifier: GPL-2.0-or-later
// Dissection in parallel by flow (issue 16): `-r FILE [-Y FILTER]` printing packet summary
// lines or -T fields over a big file runs N worker processes, forked once epan has started
// (they share its tables), each reading the whole file and dissecting only the flows whose
// key hashes to it — the unordered pair of (address, port) endpoints for TCP and UDP, the
// quoted flow's for an ICMP error, the address pair for other IP, worker 0 for the rest —
// with the real frame numbers, time reference and previous captured frame. The parent
// merges their output in frame order.
//
// Everything a worker could not know alone sends the read back to one process: fragments
// (a datagram's pieces without ports), protocols that set up other flows (SIP/SDP, RTSP,
// H.323, MGCP, FTP, TFTP... by port), fields and columns that depend on other flows'
// packets (tcp.stream and the other stream numbers, frame.time_delta_displayed,
// frame.cum_bytes, "delta displayed" times, custom columns), names resolved from the
// capture, options that need one sequence (-2, -R, -c, -w, -V, -x, JSON/PDML, -z reports
// other than io,phs and expert). `-z io,phs` and `-z expert` are counted by each worker for
// its frames and merged (mergeable_tap.h).
#pragma once

#include <future>
#include <memory>
#include <string>

#include "file_processor.h"
#include "mergeable_tap.h"
#include "options.h"
#include "port_use.h"

namespace ss::cli {

struct ParallelPlan {
    int workers = 1;     // 1: read in this process
    std::string refused; // why, when workers were wanted but not possible
};

// One pass over the file's headers (our own reader, no epan): the first fragment, header cut
// short or payload that may be SIP or carry packets, and the ports seen.
struct HeaderCheck {
    std::string problem;
    std::unique_ptr<fast::PortUse> ports;
};
HeaderCheck checkHeaders(const std::string& path);

// Starts checkHeaders on a thread when the options may allow a parallel read (main.cpp: it
// reads the file while epan starts); an invalid future otherwise.
std::future<HeaderCheck> startHeaderCheck(const ReadOptions& options);

// How many workers for this read: STRATOSHARK_WORKERS=N forces N (1: off); by default one
// per processor (up to 8) for files of 64 MiB or more. Uses `early` (startHeaderCheck's
// pass) when valid, else reads the headers now, and judges the ports seen with epan's tables.
ParallelPlan planParallelRead(const ReadOptions& options, const e_prefs* prefs,
                              std::future<HeaderCheck>* early = nullptr);

// Runs the read in `workers` processes and merges their output on stdout, and what `taps`
// (the -z reports, registered before) counted in each into this process's taps, to be drawn
// by the caller. Returns the exit status (tshark's: 0, or 2 after a read error, which the
// first worker reports).
int runParallelRead(EpanRuntime& runtime, const ReadOptions& options, const FileProcessor::Parts& parts,
                    int workers, const std::vector<MergeableTap*>& taps = {});

} // namespace ss::cli
