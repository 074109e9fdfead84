// SPDX-License-Identifier: GPL-2.0-or-later
// Reading Stratoshark records (ss_records.h) inside epan: header check, a TLV walker that
// adds each known tag as its hf field, and bounds-checked value accessors.
#pragma once

#include <cstdint>
#include <string>

#include "epan_seam.h"
#include "ss_records.h"

namespace ss::dissect {

// Address: a text IPv4 or IPv6 address, added as an address field (`hf`, or `hf6` for
// IPv6) so that filters such as `cilium.ip.dst == 10.0.0.0/8` work.
enum class ValueKind { U32, U64, I64, String, Address };

struct TagField {
    std::uint16_t tag;
    int* hf;
    ValueKind kind;
    int* hf6 = nullptr;
};

// Adds `text` as an IPv4 (`hf`) or IPv6 (`hf6`) address item; false when it is neither.
bool addAddress(proto_tree* tree, int hf, int hf6, tvbuff_t* tvb, int offset, int length, const std::string& text);

// The values of one record that Info columns and expert info need, keyed by tag.
struct RecordValues {
    std::uint64_t number(std::uint16_t tag, std::uint64_t fallback = 0) const;
    bool has(std::uint16_t tag) const;
    std::string text(std::uint16_t tag) const; // "" when absent
    void set(std::uint16_t tag, std::uint64_t n);
    void set(std::uint16_t tag, const std::string& s);

private:
    struct Entry {
        std::uint16_t tag;
        std::uint64_t n;
        std::string s;
    };
    const Entry* find(std::uint16_t tag) const;
    std::vector<Entry> entries_;
};

// Checks the 12-byte header. Returns the record kind, or 0 after adding expert info for a
// malformed one (short, bad magic, unknown version, TLV length past the data).
int checkHeader(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, proto_item* top, int hfMagic, int hfVersion,
                int hfKind, int hfLength, expert_field* eiMalformed);

// Walks the TLVs after the header; adds tags found in `fields` (then in the shared process
// fields) to `tree`, and records their values. Malformed TLVs add expert info and stop.
void walkTlvs(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField* fields, std::size_t count,
              RecordValues& values, expert_field* eiMalformed);

} // namespace ss::dissect
