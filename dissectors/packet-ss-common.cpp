// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet-ss-common.h"

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

void addRecordDissector(int linkType, dissector_t dissector, int proto)
{
    dissector_add_uint("wtap_encap", wtap_pcap_encap_to_wtap_encap(linkType), create_dissector_handle(dissector, proto));
}

RecordValues dissectRecordBody(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const TagField* fields,
                               std::size_t count)
{
    RecordValues values;
    walkTlvs(tvb, pinfo, tree, fields, count, values, &recordHeaderFields().malformed);
    return values;
}

} // namespace ss::dissect
