// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "epan_seam.h"

namespace ss::dissect {
void registerFlow();
void handoffFlow();

// A Hubble flow attached to the packet it describes travels as Cilium* comment lines
// (docs/FORMAT.md §1); the process post-dissector hands them here to become cilium.* fields
// under an "eBPF Cilium Metadata" item of the packet.
bool isFlowCommentKey(std::string_view key);
void addFlowComments(proto_tree* tree, packet_info* pinfo, tvbuff_t* tvb,
                     const std::vector<std::pair<std::string_view, std::string_view>>& lines);
} // namespace ss::dissect
