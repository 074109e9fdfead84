// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet-ss-common.h"

#include <cstring>
#include <deque>

namespace ss::dissect {
namespace {
int proto_ssrec = -1;
}

RecordHeaderFields& recordHeaderFields()
{
    static RecordHeaderFields fields;
    return fields;
}

void registerRecordHeader()
{
    RecordHeaderFields& f = recordHeaderFields();
    static const value_string kinds[] = {
        {SS_KIND_SYSCALL, "System call"}, {SS_KIND_FLOW, "Cilium flow"},
        {SS_KIND_FALCO, "Falco alert"},  {SS_KIND_TETRAGON, "Tetragon event"}, {0, nullptr}};
    static hf_register_info hf[] = {
        {&f.magic, {"Magic", "ssrec.magic", FT_UINT32, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&f.version, {"Format version", "ssrec.version", FT_UINT16, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&f.kind, {"Record kind", "ssrec.kind", FT_UINT16, BASE_DEC, VALS(kinds), 0, nullptr, HFILL}},
        {&f.length, {"Record length", "ssrec.length", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&f.truncated, {"Values cut to fit", "ssrec.truncated", FT_UINT32, BASE_DEC, nullptr, 0,
                        "Values the writer cut or left out to keep the record within 262,144 bytes", HFILL}},
    };
    static ei_register_info ei[] = {
        {&f.malformed, {"ssrec.malformed", PI_MALFORMED, PI_ERROR, "Malformed Stratoshark record", EXPFILL}},
    };
    proto_ssrec = proto_register_protocol("Stratoshark Record", "SSREC", "ssrec");
    proto_register_field_array(proto_ssrec, hf, G_N_ELEMENTS(hf));
    expert_register_field_array(expert_register_protocol(proto_ssrec), ei, G_N_ELEMENTS(ei));
}

int dissectRecordHeader(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, proto_item* top)
{
    RecordHeaderFields& f = recordHeaderFields();
    return checkHeader(tvb, pinfo, tree, top, f.magic, f.version, f.kind, f.length, &f.malformed);
}

int beginRecord(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, int proto, int ett, const char* column,
                proto_item** top, proto_tree** subtree)
{
    col_set_str(pinfo->cinfo, COL_PROTOCOL, column);
    col_clear(pinfo->cinfo, COL_INFO);
    *top = proto_tree_add_item(tree, proto, tvb, 0, -1, ENC_NA);
    *subtree = proto_item_add_subtree(*top, ett);
    const int kind = dissectRecordHeader(tvb, pinfo, *subtree, *top);
    if (!kind)
        col_add_fstr(pinfo->cinfo, COL_INFO, "[Malformed %s record]", column);
    return kind;
}

namespace {

struct Claim {
    dissector_handle_t ours;
    dissector_handle_t before; // Wireshark's handler of the link type (user_dlt), or null
};

int dissectClaimed(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data, void* cbData)
{
    const auto* claim = static_cast<const Claim*>(cbData);
    if (isOurRecord(tvb, pinfo))
        return call_dissector_with_data(claim->ours, tvb, pinfo, tree, data);
    if (claim->before)
        return call_dissector_with_data(claim->before, tvb, pinfo, tree, data);
    return call_data_dissector(tvb, pinfo, tree);
}

} // namespace

bool isOurRecord(tvbuff_t* tvb, packet_info* pinfo)
{
    if (pinfo->rec && (pinfo->rec->presence_flags & WTAP_HAS_INTERFACE_ID)) {
        const char* description =
            epan_get_interface_description(pinfo->epan, pinfo->rec->rec_header.packet_header.interface_id);
        if (description && std::strncmp(description, SS_RECORD_IDB_PREFIX, std::strlen(SS_RECORD_IDB_PREFIX)) == 0)
            return true;
    }
    return tvb_captured_length(tvb) >= 6 && tvb_get_letohl(tvb, 0) == SS_RECORD_MAGIC &&
           tvb_get_letohs(tvb, 4) == SS_RECORD_VERSION;
}

void addRecordDissector(int linkType, dissector_t dissector, int proto, const char* name)
{
    const int encap = wtap_pcap_encap_to_wtap_encap(linkType);
    // Lives as long as the dissector table (the process): one per link type, kept where
    // the process can still reach it (a deque never moves what it holds). The chooser has
    // no protocol of its own, so a frame's protocol list is ours or Wireshark's alone.
    static std::deque<Claim> claims;
    Claim& claim = claims.emplace_back(Claim{create_dissector_handle(dissector, proto),
                                             dissector_get_uint_handle(find_dissector_table("wtap_encap"), guint32(encap))});
    dissector_add_uint("wtap_encap", guint32(encap), register_dissector_with_data(name, dissectClaimed, -1, &claim));
}

RecordValues dissectRecordBody(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField* fields,
                               std::size_t count)
{
    RecordValues values;
    walkTlvs(tvb, pinfo, tree, fields, count, values, &recordHeaderFields().malformed);
    return values;
}

} // namespace ss::dissect
