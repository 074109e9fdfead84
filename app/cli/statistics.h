// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "conversation_tap.h"
#include "mergeable_tap.h"

namespace ss {
class ExpertTap;
class FollowTap;
class HierarchyTap;
class StatsTreeTap;
} // namespace ss

namespace ss::cli {

class IoStatReport;

// The -z requests: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER], follow,PROTO,MODE,STREAM[,RANGE],
// expert[,LEVEL][,FILTER], io,phs[,FILTER], io,stat,INTERVAL[,COLUMN...] and NAME,tree[,FILTER]
// for epan's statistics trees (http, http_req, dns, ptype, ...). Each becomes an epan tap
// listener whose report is printed when taps are drawn, in tshark's format.
class Statistics {
public:
    Statistics();
    ~Statistics();

    // Registers the tap for one -z argument. Returns false after printing an error.
    bool add(const std::string& arg);
    // The exit status tshark gives for the argument add() refused last (1, or 10 for a bad
    // io,stat calculation).
    int failureCode() const { return failureCode_; }
    // True when a report could not be drawn (io,stat over too many intervals).
    bool reportFailed() const;
    // The conversation and endpoint taps when they are all the reports asked for (the
    // statistics fast path can fill them without dissecting); else empty.
    std::vector<ConversationTap*> conversationTapsOnly() const;
    // The expert and io,phs taps when every report asked for is one of them (counted in
    // parallel by flow and merged), else none.
    std::vector<MergeableTap*> mergeableTapsOnly() const;
    // Where the reports that need the capture's elapsed time (io,stat) get it when drawn.
    void setElapsedSource(std::function<nstime_t()> elapsed) { elapsed_ = std::move(elapsed); }

private:
    bool addTable(const std::string& arg, ConversationTap::Kind kind);
    bool addFollow(const std::string& arg);
    bool addExpert(const std::string& arg);
    bool addHierarchy(const std::string& arg);
    bool addStatsTree(const std::string& arg);
    bool addIoStat(const std::string& arg);

    std::vector<std::unique_ptr<ConversationTap>> conversations_;
    std::vector<std::unique_ptr<FollowTap>> follows_;
    std::vector<std::unique_ptr<ExpertTap>> experts_;
    std::vector<std::unique_ptr<HierarchyTap>> hierarchies_;
    std::vector<std::unique_ptr<StatsTreeTap>> trees_;
    std::vector<std::unique_ptr<IoStatReport>> ioStats_;
    std::function<nstime_t()> elapsed_;
    int expertLowest_ = 0; // ExpertTap::Level: one for every expert report, as tshark keeps it
    int failureCode_ = 1;
};

} // namespace ss::cli
