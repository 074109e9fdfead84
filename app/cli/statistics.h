// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conversation_tap.h"

namespace ss {
class FollowTap;
} // namespace ss

namespace ss::cli {

// The -z requests: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] and
// follow,PROTO,MODE,STREAM[,RANGE]. Each becomes
// an epan tap listener whose report is printed when taps are drawn, in tshark's format.
class Statistics {
public:
    Statistics();
    ~Statistics();

    // Registers the tap for one -z argument. Returns false after printing an error.
    bool add(const std::string& arg);
    bool empty() const { return conversations_.empty() && follows_.empty(); }

private:
    bool addTable(const std::string& arg, ConversationTap::Kind kind);
    bool addFollow(const std::string& arg);

    std::vector<std::unique_ptr<ConversationTap>> conversations_;
    std::vector<std::unique_ptr<FollowTap>> follows_;
};

} // namespace ss::cli
