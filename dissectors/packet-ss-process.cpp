// SPDX-License-Identifier: GPL-2.0-or-later
// Packets keep their own link type; what is known about the process, container and pod
// that sent or received them travels in packet comments as "Key: Value" lines (docs/
// FORMAT.md) — the keys ptcpdump writes, plus ours. This post-dissector turns those lines
// into fields under a "Process / Kubernetes" subtree.
#include "packet-ss-process.h"

#include "packet-ss-common.h"
#include "packet-ss-flow.h"
#include "packet-ss-related.h"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ss::dissect {
namespace {

int proto_proc = -1;
int proto_container = -1;
int proto_k8s = -1;

int hf_proc_pid = -1;
int hf_proc_tid = -1;
int hf_proc_name = -1;
int hf_proc_exe = -1;
int hf_proc_cmdline = -1;
int hf_proc_ppid = -1;
int hf_proc_pname = -1;
int hf_proc_pexe = -1;
int hf_proc_pcmdline = -1;
int hf_proc_thread = -1;
int hf_proc_uid = -1;
int hf_proc_cgroup_id = -1;
int hf_container_id = -1;
int hf_container_name = -1;
int hf_container_image = -1;
int hf_k8s_pod = -1;
int hf_k8s_ns = -1;
int hf_k8s_pod_uid = -1;
int hf_k8s_pod_labels = -1;
int hf_k8s_node = -1;
int hf_proc_label = -1; // "curl[1234]": the GUI's Process column
int hf_k8s_label = -1;  // "default/web-1": the GUI's Pod column
int hf_k8s_json = -1;

int ett_proc = -1;

const TagField kProcessFields[] = {
    {SS_TAG_PID, &hf_proc_pid, ValueKind::U32},
    {SS_TAG_TID, &hf_proc_tid, ValueKind::U32},
    {SS_TAG_COMM, &hf_proc_name, ValueKind::String},
    {SS_TAG_EXE, &hf_proc_exe, ValueKind::String},
    {SS_TAG_CMDLINE, &hf_proc_cmdline, ValueKind::String},
    {SS_TAG_PPID, &hf_proc_ppid, ValueKind::U32},
    {SS_TAG_PCOMM, &hf_proc_pname, ValueKind::String},
    {SS_TAG_UID, &hf_proc_uid, ValueKind::U32},
    {SS_TAG_CGROUP_ID, &hf_proc_cgroup_id, ValueKind::U64},
    {SS_TAG_CONTAINER_ID, &hf_container_id, ValueKind::String},
    {SS_TAG_CONTAINER_NAME, &hf_container_name, ValueKind::String},
    {SS_TAG_CONTAINER_IMAGE, &hf_container_image, ValueKind::String},
    {SS_TAG_POD, &hf_k8s_pod, ValueKind::String},
    {SS_TAG_NAMESPACE, &hf_k8s_ns, ValueKind::String},
    {SS_TAG_POD_UID, &hf_k8s_pod_uid, ValueKind::String},
    {SS_TAG_POD_LABELS, &hf_k8s_pod_labels, ValueKind::String},
    {SS_TAG_NODE, &hf_k8s_node, ValueKind::String},
    {SS_TAG_JSON, &hf_k8s_json, ValueKind::String},
    {SS_TAG_TRUNCATED, &recordHeaderFields().truncated, ValueKind::U32},
};

// Comment keys: ptcpdump's (PID, Cmd, Args, ThreadId, ThreadName, UserId, ParentPID,
// ParentCmd, ParentArgs, Container*, Pod*) and ours (CgroupId, Node).
enum class Key { Int, Str, Name };
struct CommentKey {
    const char* key;
    int* hf;
    Key kind;
};
const CommentKey kCommentKeys[] = {
    {"PID", &hf_proc_pid, Key::Int},          {"ThreadId", &hf_proc_tid, Key::Int},
    {"Cmd", &hf_proc_exe, Key::Name},         {"Args", &hf_proc_cmdline, Key::Str},
    {"ThreadName", &hf_proc_thread, Key::Str}, {"UserId", &hf_proc_uid, Key::Int},
    {"ParentPID", &hf_proc_ppid, Key::Int},   {"ParentCmd", &hf_proc_pexe, Key::Name},
    {"ParentArgs", &hf_proc_pcmdline, Key::Str}, {"CgroupId", &hf_proc_cgroup_id, Key::Int},
    {"ContainerId", &hf_container_id, Key::Str}, {"ContainerName", &hf_container_name, Key::Str},
    {"ContainerImage", &hf_container_image, Key::Str}, {"PodName", &hf_k8s_pod, Key::Str},
    {"PodNamespace", &hf_k8s_ns, Key::Str},   {"PodUID", &hf_k8s_pod_uid, Key::Str},
    {"PodLabels", &hf_k8s_pod_labels, Key::Str}, {"Node", &hf_k8s_node, Key::Str},
};

bool isCommentKey(std::string_view key)
{
    for (const auto& k : kCommentKeys)
        if (key == k.key)
            return true;
    return false;
}

std::string_view basename(std::string_view path)
{
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Adds the fields of one "Key: Value" line; returns whether the key was one of ours.
bool addCommentLine(proto_tree* tree, packet_info* pinfo, tvbuff_t* tvb, std::string_view line, std::string* summary)
{
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos)
        return false;
    const std::string_view key = line.substr(0, colon);
    const std::string value(line.substr(colon + 2));
    for (const auto& k : kCommentKeys) {
        if (key != k.key)
            continue;
        proto_item* item = nullptr;
        switch (k.kind) {
        case Key::Int: {
            const guint64 n = g_ascii_strtoull(value.c_str(), nullptr, 10);
            item = *k.hf == hf_proc_cgroup_id ? proto_tree_add_uint64(tree, *k.hf, tvb, 0, 0, n)
                                              : proto_tree_add_uint(tree, *k.hf, tvb, 0, 0, guint32(n));
            break;
        }
        case Key::Name: {
            // Cmd/ParentCmd are executable paths; the process name is their last part.
            item = proto_tree_add_string(tree, *k.hf, tvb, 0, 0, value.c_str());
            const std::string name(basename(value));
            proto_item* nameItem =
                proto_tree_add_string(tree, *k.hf == hf_proc_exe ? hf_proc_name : hf_proc_pname, tvb, 0, 0, name.c_str());
            proto_item_set_generated(nameItem);
            if (*k.hf == hf_proc_exe && summary->empty())
                *summary = name;
            break;
        }
        case Key::Str:
            item = proto_tree_add_string(tree, *k.hf, tvb, 0, 0, value.c_str());
            if (*k.hf == hf_k8s_pod)
                *summary += (summary->empty() ? "" : ", pod ") + value;
            break;
        }
        (void)item;
        (void)pinfo;
        return true;
    }
    return false;
}

// What the metadata lines say about the process and pod, for the related-events links.
void noteIdentity(std::string_view key, std::string_view value, PacketIdentity& who)
{
    if (key == "PID")
        who.pid = std::uint32_t(g_ascii_strtoull(std::string(value).c_str(), nullptr, 10));
    else if (key == "ParentPID")
        who.ppid = std::uint32_t(g_ascii_strtoull(std::string(value).c_str(), nullptr, 10));
    else if (key == "PodName")
        who.pod = value;
    else if (key == "Cmd") // the executable's path: its base name is the process name
        who.name = value.substr(value.rfind('/') == std::string_view::npos ? 0 : value.rfind('/') + 1);
    else if (key == "PodNamespace")
        who.ns = value;
}

// Adds the packet's process/pod fields; fills `who` from them.
void addPacketMetadata(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, PacketIdentity& who)
{
    const guint comments = wtap_block_count_option(pinfo->rec->block, OPT_COMMENT);
    if (comments == 0)
        return;
    // The lines with our keys. A packet whose only line is "Node:" (no process known, but
    // the node that saw it) gets k8s.node alone, not a "proc" tree: `proc` means a process.
    std::vector<std::string_view> lines;
    std::vector<std::pair<std::string_view, std::string_view>> flow; // a Hubble flow's Cilium* lines
    bool process = false;
    for (guint i = 0; i < comments; ++i) {
        char* text = nullptr;
        if (wtap_block_get_nth_string_option_value(pinfo->rec->block, OPT_COMMENT, i, &text) != WTAP_OPTTYPE_SUCCESS)
            continue;
        std::string_view rest(text);
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            const std::string_view line = rest.substr(0, nl);
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
            const auto colon = line.find(": ");
            if (colon != std::string_view::npos && isFlowCommentKey(line.substr(0, colon))) {
                flow.emplace_back(line.substr(0, colon), line.substr(colon + 2));
                continue;
            }
            if (colon == std::string_view::npos || !isCommentKey(line.substr(0, colon)))
                continue;
            lines.push_back(line);
            noteIdentity(line.substr(0, colon), line.substr(colon + 2), who);
            process = process || line.substr(0, colon) != "Node";
        }
    }
    if (!flow.empty()) {
        addFlowComments(tree, pinfo, tvb, flow);
        for (const auto& [key, value] : flow)
            if (key == "CiliumVerdict" || key == "CiliumDropReason")
                who.attachedFlow += (who.attachedFlow.empty() ? "" : " ") + std::string(value);
    }
    if (lines.empty())
        return;
    proto_item* top = nullptr;
    proto_tree* into = tree;
    std::string summary;
    if (process) {
        top = proto_tree_add_item(tree, proto_proc, tvb, 0, 0, ENC_NA);
        into = proto_item_add_subtree(top, ett_proc);
    }
    for (const std::string_view line : lines)
        addCommentLine(into, pinfo, tvb, line, &summary);
    if (top && !summary.empty())
        proto_item_append_text(top, ": %s", summary.c_str());
    // Hidden, generated: one field each for the packet list's Process and Pod columns (a
    // custom column shows one field; these read "name[pid]" and "namespace/pod").
    if (!who.name.empty() && who.pid) {
        const std::string label = who.name + "[" + std::to_string(who.pid) + "]";
        proto_item* item = proto_tree_add_string(into, hf_proc_label, tvb, 0, 0, label.c_str());
        proto_item_set_generated(item);
        proto_item_set_hidden(item);
    }
    if (!who.pod.empty()) {
        const std::string label = who.ns.empty() ? who.pod : who.ns + "/" + who.pod;
        proto_item* item = proto_tree_add_string(into, hf_k8s_label, tvb, 0, 0, label.c_str());
        proto_item_set_generated(item);
        proto_item_set_hidden(item);
    }
}

int dissectPacketMetadata(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*)
{
    if (!pinfo->rec || !pinfo->rec->block || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return 0;
    PacketIdentity who;
    addPacketMetadata(tvb, pinfo, tree, who);
    addRelatedEvents(tvb, pinfo, tree, who);
    return 0; // a post-dissector consumes nothing
}

} // namespace

const TagField* processField(std::uint16_t tag)
{
    for (const auto& f : kProcessFields)
        if (f.tag == tag)
            return &f;
    return nullptr;
}

void registerProcess()
{
    static hf_register_info hfProc[] = {
        {&hf_proc_pid, {"Process ID", "proc.pid", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_tid, {"Thread ID", "proc.tid", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_name, {"Process name", "proc.name", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_exe, {"Executable", "proc.exe", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_cmdline, {"Command line", "proc.cmdline", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_ppid, {"Parent process ID", "proc.ppid", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_pname, {"Parent process name", "proc.pname", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_pexe, {"Parent executable", "proc.pexe", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_pcmdline, {"Parent command line", "proc.pcmdline", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_thread, {"Thread name", "proc.thread", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_uid, {"User ID", "proc.uid", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_cgroup_id, {"Cgroup ID", "proc.cgroup_id", FT_UINT64, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_json, {"Source event (JSON)", "proc.source_json", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_proc_label, {"Process", "proc.label", FT_STRING, BASE_NONE, nullptr, 0,
                          "Process name and ID, as name[pid] (the Process column)", HFILL}},
    };
    static hf_register_info hfContainer[] = {
        {&hf_container_id, {"Container ID", "container.id", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_container_name, {"Container name", "container.name", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_container_image, {"Container image", "container.image", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
    };
    static hf_register_info hfK8s[] = {
        {&hf_k8s_pod, {"Pod", "k8s.pod", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_ns, {"Namespace", "k8s.ns", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_pod_uid, {"Pod UID", "k8s.pod.uid", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_pod_labels, {"Pod labels", "k8s.pod.labels", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_node, {"Node", "k8s.node", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_k8s_label, {"Namespace/Pod", "k8s.label", FT_STRING, BASE_NONE, nullptr, 0,
                         "Namespace and pod, as namespace/pod (the Pod column)", HFILL}},
    };
    static int* ett[] = {&ett_proc};
    proto_proc = proto_register_protocol("Process / Kubernetes", "Process", "proc");
    proto_container = proto_register_protocol("Container", "Container", "container");
    proto_k8s = proto_register_protocol("Kubernetes", "Kubernetes", "k8s");
    proto_register_field_array(proto_proc, hfProc, G_N_ELEMENTS(hfProc));
    proto_register_field_array(proto_container, hfContainer, G_N_ELEMENTS(hfContainer));
    proto_register_field_array(proto_k8s, hfK8s, G_N_ELEMENTS(hfK8s));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
}

void handoffProcess()
{
    register_postdissector(create_dissector_handle(dissectPacketMetadata, proto_proc));
}

} // namespace ss::dissect
