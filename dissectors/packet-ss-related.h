// SPDX-License-Identifier: GPL-2.0-or-later
// Related events on every packet (ss.related.*): the alerts about its pod or process, the
// exec/exit of its process and of its parents, its process's system calls near it, and the
// Cilium flows of its 5-tuple — as frame links, like tcp.analysis's, plus an expert entry
// when an alert concerns the packet within the window (preference ss.related.window).
//
// Records are indexed as they are first dissected, so a single pass links a packet only
// to records earlier in the file; two passes (tshark -2, and the GUI once a file is
// loaded) link both ways.
#pragma once

#include <cstdint>
#include <string>

#include "ss_tlv.h"

namespace ss::dissect {

// What a packet's metadata says about its process and pod (empty when unknown), and the
// verdict of a Hubble flow attached to it (docs/FORMAT.md §1), which other packets of its
// 5-tuple link to.
struct PacketIdentity {
    std::uint32_t pid = 0;
    std::uint32_t ppid = 0;
    std::string ns;
    std::string pod;
    std::string name; // the process's name (its executable's base name)
    std::string attachedFlow; // "DROPPED POLICY_DENIED": a Hubble flow the packet carries
};

// Records index themselves on their first dissection.
void noteSecurityRecord(packet_info* pinfo, const RecordValues& v, bool tetragon);
void noteSyscallRecord(packet_info* pinfo, const RecordValues& v, const std::string& summary);
void noteFlowRecord(packet_info* pinfo, const RecordValues& v);

// Adds the "Related events" tree to a packet (not to a record).
void addRelatedEvents(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const PacketIdentity& who);

void registerRelated();

} // namespace ss::dissect
