// SPDX-License-Identifier: GPL-2.0-or-later
// Header fields every record dissector shows (magic, version, kind, length) and the expert
// entry for malformed records, registered once under the "ssrec" protocol.
#pragma once

#include "ss_tlv.h"

namespace ss::dissect {

struct RecordHeaderFields {
    int magic = -1, version = -1, kind = -1, length = -1, truncated = -1;
    expert_field malformed = EI_INIT;
};
RecordHeaderFields& recordHeaderFields();

void registerRecordHeader();

// The start every record dissector shares: sets the Protocol column, adds the `proto` item
// with its subtree, checks the header. Returns the record kind (0 when malformed, after
// saying so in Info) and fills `top` and `subtree`.
int beginRecord(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, int proto, int ett, const char* column,
                proto_item** top, proto_tree** subtree);

// Binds a record dissector to its pcapng link type (LINKTYPE_USERn) for our frames only:
// a frame whose interface is not marked ours (isOurRecord) goes to the dissector that had
// the link type before (Wireshark's DLT_USER table), as in tshark.
void addRecordDissector(int linkType, dissector_t dissector, int proto, const char* name);
// The frame is one of our records: its interface's description starts with
// SS_RECORD_IDB_PREFIX, or (files written before the mark) its data starts with our magic
// and version.
bool isOurRecord(tvbuff_t* tvb, packet_info* pinfo);

// Checks the header into `tree` (see checkHeader); 0 when malformed.
int dissectRecordHeader(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, proto_item* top);

// Adds a TLV-less dissection with `fields`, returning the values found.
RecordValues dissectRecordBody(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField* fields,
                               std::size_t count);

} // namespace ss::dissect
