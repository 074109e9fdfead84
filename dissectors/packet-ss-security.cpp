// SPDX-License-Identifier: GPL-2.0-or-later
// Security events (LINKTYPE_USER3): Falco alerts and Tetragon events, with the rule or
// event and the process and pod at a glance in Info, expert info by priority.
#include "packet-ss-security.h"

#include "packet-ss-common.h"
#include "packet-ss-related.h"

#include <cstring>
#include <string>

namespace ss::dissect {
namespace {

int proto_falco = -1, proto_tetragon = -1;
int hf_rule = -1, hf_priority = -1, hf_output = -1, hf_tags = -1, hf_source = -1, hf_hostname = -1, hf_field = -1;
int hf_event = -1, hf_binary = -1, hf_args = -1, hf_parent_binary = -1, hf_function = -1, hf_exit_status = -1,
    hf_signal = -1, hf_kprobe_arg = -1;
int ett_falco = -1, ett_tetragon = -1;
expert_field ei_falco_error = EI_INIT, ei_falco_warn = EI_INIT, ei_falco_note = EI_INIT, ei_falco_chat = EI_INIT;
expert_field ei_tetragon = EI_INIT;

const TagField kFalcoFields[] = {
    {SS_TAG_SE_RULE, &hf_rule, ValueKind::String},       {SS_TAG_SE_PRIORITY, &hf_priority, ValueKind::String},
    {SS_TAG_SE_OUTPUT, &hf_output, ValueKind::String},   {SS_TAG_SE_TAGS, &hf_tags, ValueKind::String},
    {SS_TAG_SE_SOURCE, &hf_source, ValueKind::String},   {SS_TAG_SE_HOSTNAME, &hf_hostname, ValueKind::String},
    {SS_TAG_SE_FIELD, &hf_field, ValueKind::String},
};
const TagField kTetragonFields[] = {
    {SS_TAG_SE_EVENT, &hf_event, ValueKind::String},
    {SS_TAG_SE_BINARY, &hf_binary, ValueKind::String},
    {SS_TAG_SE_ARGUMENTS, &hf_args, ValueKind::String},
    {SS_TAG_SE_PARENT_BINARY, &hf_parent_binary, ValueKind::String},
    {SS_TAG_SE_FUNCTION, &hf_function, ValueKind::String},
    {SS_TAG_SE_EXIT_STATUS, &hf_exit_status, ValueKind::U32},
    {SS_TAG_SE_SIGNAL, &hf_signal, ValueKind::String},
    {SS_TAG_SE_KPROBE_ARG, &hf_kprobe_arg, ValueKind::String},
};

std::string where(const RecordValues& v)
{
    std::string out;
    if (!v.text(SS_TAG_COMM).empty())
        out = v.text(SS_TAG_COMM) + (v.has(SS_TAG_PID) ? "[" + std::to_string(v.number(SS_TAG_PID)) + "]" : "");
    if (!v.text(SS_TAG_POD).empty())
        out += (out.empty() ? "pod " : " in pod ") + v.text(SS_TAG_NAMESPACE) + "/" + v.text(SS_TAG_POD);
    return out;
}

expert_field* falcoExpert(const std::string& priority)
{
    static const char* const errors[] = {"Emergency", "Alert", "Critical", "Error"};
    for (const char* p : errors)
        if (g_ascii_strcasecmp(priority.c_str(), p) == 0)
            return &ei_falco_error;
    if (g_ascii_strcasecmp(priority.c_str(), "Warning") == 0)
        return &ei_falco_warn;
    if (g_ascii_strcasecmp(priority.c_str(), "Debug") == 0)
        return &ei_falco_chat;
    return &ei_falco_note; // Notice, Informational
}

int dissectSecurity(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*)
{
    const bool tetragon = tvb_captured_length(tvb) >= 8 && tvb_get_letohs(tvb, 6) == SS_KIND_TETRAGON;
    const int proto = tetragon ? proto_tetragon : proto_falco;
    proto_item* top;
    proto_tree* sub;
    const int kind = beginRecord(tvb, pinfo, tree, proto, tetragon ? ett_tetragon : ett_falco,
                                 tetragon ? "Tetragon" : "Falco", &top, &sub);
    if (kind != SS_KIND_FALCO && kind != SS_KIND_TETRAGON)
        return tvb_captured_length(tvb);
    std::string info;
    if (tetragon) {
        const RecordValues v = dissectRecordBody(tvb, pinfo, sub, kTetragonFields, G_N_ELEMENTS(kTetragonFields));
        noteSecurityRecord(pinfo, v, true);
        info = v.text(SS_TAG_SE_EVENT) + " " + v.text(SS_TAG_SE_BINARY);
        if (!v.text(SS_TAG_SE_ARGUMENTS).empty())
            info += " " + v.text(SS_TAG_SE_ARGUMENTS);
        if (!v.text(SS_TAG_SE_FUNCTION).empty())
            info += " " + v.text(SS_TAG_SE_FUNCTION);
        if (const std::string w = where(v); !w.empty())
            info += " — " + w;
        expert_add_info_format(pinfo, top, &ei_tetragon, "%s", info.c_str());
    } else {
        const RecordValues v = dissectRecordBody(tvb, pinfo, sub, kFalcoFields, G_N_ELEMENTS(kFalcoFields));
        noteSecurityRecord(pinfo, v, false);
        info = v.text(SS_TAG_SE_PRIORITY) + ": " + v.text(SS_TAG_SE_RULE);
        if (const std::string w = where(v); !w.empty())
            info += " — " + w;
        expert_add_info_format(pinfo, top, falcoExpert(v.text(SS_TAG_SE_PRIORITY)), "%s", info.c_str());
    }
    col_add_str(pinfo->cinfo, COL_INFO, info.c_str());
    proto_item_append_text(top, ": %s", info.c_str());
    return tvb_captured_length(tvb);
}

} // namespace

void registerSecurity()
{
    auto s = [](int* hf, const char* name, const char* abbrev) {
        return hf_register_info{hf, {name, abbrev, FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}};
    };
    static hf_register_info hfFalco[] = {
        s(&hf_rule, "Rule", "falco.rule"),         s(&hf_priority, "Priority", "falco.priority"),
        s(&hf_output, "Output", "falco.output"),   s(&hf_tags, "Tags", "falco.tags"),
        s(&hf_source, "Source", "falco.source"),   s(&hf_hostname, "Hostname", "falco.hostname"),
        s(&hf_field, "Output field", "falco.field"),
    };
    static hf_register_info hfTetragon[] = {
        s(&hf_event, "Event type", "tetragon.event"),
        s(&hf_binary, "Binary", "tetragon.binary"),
        s(&hf_args, "Arguments", "tetragon.args"),
        s(&hf_parent_binary, "Parent binary", "tetragon.parent.binary"),
        s(&hf_function, "Kprobe function", "tetragon.function"),
        {&hf_exit_status, {"Exit status", "tetragon.exit_status", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        s(&hf_signal, "Signal", "tetragon.signal"),
        s(&hf_kprobe_arg, "Kprobe argument", "tetragon.kprobe.arg"),
    };
    static int* ett[] = {&ett_falco, &ett_tetragon};
    static ei_register_info eiFalco[] = {
        {&ei_falco_error, {"falco.alert.error", PI_SECURITY, PI_ERROR, "Falco alert", EXPFILL}},
        {&ei_falco_warn, {"falco.alert.warning", PI_SECURITY, PI_WARN, "Falco alert", EXPFILL}},
        {&ei_falco_note, {"falco.alert.note", PI_SECURITY, PI_NOTE, "Falco alert", EXPFILL}},
        {&ei_falco_chat, {"falco.alert.chat", PI_SECURITY, PI_CHAT, "Falco alert", EXPFILL}},
    };
    static ei_register_info eiTetragon[] = {
        {&ei_tetragon, {"tetragon.event.info", PI_SECURITY, PI_NOTE, "Tetragon event", EXPFILL}},
    };
    proto_falco = proto_register_protocol("Falco Alert", "Falco", "falco");
    proto_tetragon = proto_register_protocol("Tetragon Event", "Tetragon", "tetragon");
    proto_register_field_array(proto_falco, hfFalco, G_N_ELEMENTS(hfFalco));
    proto_register_field_array(proto_tetragon, hfTetragon, G_N_ELEMENTS(hfTetragon));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_falco), eiFalco, G_N_ELEMENTS(eiFalco));
    expert_register_field_array(expert_register_protocol(proto_tetragon), eiTetragon, G_N_ELEMENTS(eiTetragon));
}

void handoffSecurity()
{
    addRecordDissector(SS_LINKTYPE_SECURITY, dissectSecurity, proto_falco, "ssrec.security");
}

} // namespace ss::dissect
