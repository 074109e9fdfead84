// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <vector>

#include "error.h"
#include "fast_conversations.h"
#include "options.h"
#include "parallel_read.h"

namespace ss {
class EpanRuntime;
}

namespace ss::cli {

// `stratoshark -r FILE ...`: everything from preferences to the last tap report.
// Returns the process exit code (tshark's codes: 0, 1 bad option, 2 bad file/filter).
// `startTaps`, when given, registers more tap listeners once the file is open (as -z does);
// false stops with exit code 1 (it said why).
// Passes over the file that need no epan, started on threads while epan starts (main.cpp).
struct EarlyScans {
    std::future<FastScan> statistics; // the statistics fast path's count
    std::future<HeaderCheck> parallel; // the parallel reader's header pass
};

// `early`, when given, holds what main.cpp started before epan.
int runRead(EpanRuntime& runtime, const ReadOptions& options, const std::function<bool()>& startTaps = {},
            EarlyScans* early = nullptr);

// The tables of a `-r FILE -q -z conv,TABLE -z endpoints,TABLE ...` run that the statistics
// fast path can count (fast_conversations.h), in the order of the -z options; empty when the
// options ask for anything more, or STRATOSHARK_STATS_PATH=epan. Needs no epan.
std::vector<fast::TableRequest> fastStatisticsRequests(const ReadOptions& options);

// runRead with one tap made by `make()` once the file is open; an EngineError from `make`
// is printed and stops the read (exit 1). `tap` holds the tap after the read.
template <typename Tap, typename Make>
int runReadWithTap(EpanRuntime& runtime, const ReadOptions& options, std::unique_ptr<Tap>& tap, Make make)
{
    return runRead(runtime, options, [&] {
        try {
            tap = make();
            return true;
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
            return false;
        }
    });
}

// `stratoshark -G REPORT`.
int runReport(const std::string& report);

} // namespace ss::cli
