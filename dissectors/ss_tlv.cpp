// SPDX-License-Identifier: GPL-2.0-or-later
#include "ss_tlv.h"

#include "packet-ss-process.h"

namespace ss::dissect {

const RecordValues::Entry* RecordValues::find(std::uint16_t tag) const
{
    for (const auto& e : entries_)
        if (e.tag == tag)
            return &e;
    return nullptr;
}

std::uint64_t RecordValues::number(std::uint16_t tag, std::uint64_t fallback) const
{
    const Entry* e = find(tag);
    return e ? e->n : fallback;
}

bool RecordValues::has(std::uint16_t tag) const
{
    return find(tag) != nullptr;
}

std::string RecordValues::text(std::uint16_t tag) const
{
    const Entry* e = find(tag);
    return e ? e->s : std::string();
}

void RecordValues::set(std::uint16_t tag, std::uint64_t n)
{
    entries_.push_back({tag, n, {}});
}

void RecordValues::set(std::uint16_t tag, const std::string& s)
{
    entries_.push_back({tag, 0, s});
}

int checkHeader(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, proto_item* top, int hfMagic, int hfVersion,
                int hfKind, int hfLength, expert_field* eiMalformed)
{
    const int available = tvb_captured_length(tvb);
    if (available < SS_RECORD_HEADER_LEN) {
        expert_add_info_format(pinfo, top, eiMalformed, "Record shorter than its %d-byte header", SS_RECORD_HEADER_LEN);
        return 0;
    }
    proto_tree_add_item(tree, hfMagic, tvb, 0, 4, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(tree, hfVersion, tvb, 4, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(tree, hfKind, tvb, 6, 2, ENC_LITTLE_ENDIAN);
    proto_item* lengthItem = proto_tree_add_item(tree, hfLength, tvb, 8, 4, ENC_LITTLE_ENDIAN);
    if (tvb_get_letohl(tvb, 0) != SS_RECORD_MAGIC) {
        expert_add_info_format(pinfo, top, eiMalformed, "Not a Stratoshark record (bad magic)");
        return 0;
    }
    if (tvb_get_letohs(tvb, 4) != SS_RECORD_VERSION) {
        expert_add_info_format(pinfo, top, eiMalformed, "Unknown record version %u", tvb_get_letohs(tvb, 4));
        return 0;
    }
    if (tvb_get_letohl(tvb, 8) > guint32(available - SS_RECORD_HEADER_LEN)) {
        expert_add_info_format(pinfo, lengthItem, eiMalformed, "Record length %u runs past the %d bytes captured",
                               tvb_get_letohl(tvb, 8), available - SS_RECORD_HEADER_LEN);
        return 0;
    }
    return tvb_get_letohs(tvb, 6);
}

namespace {

bool addValue(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField& f, int offset, int length,
              RecordValues& values, expert_field* eiMalformed)
{
    switch (f.kind) {
    case ValueKind::U32:
        if (length != 4)
            break;
        proto_tree_add_item(tree, *f.hf, tvb, offset, 4, ENC_LITTLE_ENDIAN);
        values.set(f.tag, tvb_get_letohl(tvb, offset));
        return true;
    case ValueKind::U64:
    case ValueKind::I64:
        if (length != 8)
            break;
        proto_tree_add_item(tree, *f.hf, tvb, offset, 8, ENC_LITTLE_ENDIAN);
        values.set(f.tag, tvb_get_letoh64(tvb, offset));
        return true;
    case ValueKind::String: {
        proto_tree_add_item(tree, *f.hf, tvb, offset, length, ENC_UTF_8);
        const guint8* s = tvb_get_string_enc(pinfo->pool, tvb, offset, length, ENC_UTF_8);
        values.set(f.tag, std::string(reinterpret_cast<const char*>(s)));
        return true;
    }
    case ValueKind::Address: {
        const guint8* s = tvb_get_string_enc(pinfo->pool, tvb, offset, length, ENC_UTF_8);
        const std::string text(reinterpret_cast<const char*>(s));
        addAddress(tree, *f.hf, f.hf6 ? *f.hf6 : -1, tvb, offset, length, text);
        values.set(f.tag, text);
        return true;
    }
    }
    proto_tree_add_expert_format(tree, pinfo, eiMalformed, tvb, offset, length, "Tag 0x%04x has length %d",
                                 f.tag, length);
    return false;
}

} // namespace

bool addAddress(proto_tree* tree, int hf, int hf6, tvbuff_t* tvb, int offset, int length, const std::string& text)
{
    guint32 v4 = 0;
    ws_in6_addr v6{};
    if (ws_inet_pton4(text.c_str(), &v4)) {
        proto_tree_add_ipv4(tree, hf, tvb, offset, length, v4);
        return true;
    }
    if (hf6 >= 0 && ws_inet_pton6(text.c_str(), &v6)) {
        proto_tree_add_ipv6(tree, hf6, tvb, offset, length, &v6);
        return true;
    }
    return false;
}

void walkTlvs(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField* fields, std::size_t count,
              RecordValues& values, expert_field* eiMalformed)
{
    const int end = SS_RECORD_HEADER_LEN + int(tvb_get_letohl(tvb, 8));
    int offset = SS_RECORD_HEADER_LEN;
    while (offset < end) {
        if (end - offset < SS_TLV_HEADER_LEN) {
            proto_tree_add_expert_format(tree, pinfo, eiMalformed, tvb, offset, end - offset, "Truncated TLV header");
            return;
        }
        const std::uint16_t tag = tvb_get_letohs(tvb, offset);
        const int length = tvb_get_letohs(tvb, offset + 2);
        const int value = offset + SS_TLV_HEADER_LEN;
        if (value + length > end) {
            proto_tree_add_expert_format(tree, pinfo, eiMalformed, tvb, offset, end - offset,
                                         "TLV 0x%04x says %d bytes, %d remain", tag, length, end - value);
            return;
        }
        const TagField* field = nullptr;
        for (std::size_t i = 0; i < count && !field; ++i)
            if (fields[i].tag == tag)
                field = &fields[i];
        if (!field)
            field = processField(tag);
        if (field && !addValue(tvb, pinfo, tree, *field, value, length, values, eiMalformed))
            return;
        offset = value + length;
    }
}

} // namespace ss::dissect
