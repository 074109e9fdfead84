// SPDX-License-Identifier: GPL-2.0-or-later
// Cilium/Hubble flow records (LINKTYPE_USER2): "eBPF Cilium Metadata" — flow ID, verdict,
// drop reason, identities, pods, L4 and L7 — with an expert warning on DROPPED.
#include "packet-ss-flow.h"

#include "packet-ss-common.h"
#include "packet-ss-related.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ss::dissect {
namespace {

int proto_cilium = -1;
int hf_uuid = -1, hf_verdict = -1, hf_drop_reason = -1, hf_direction = -1, hf_src_identity = -1,
    hf_dst_identity = -1, hf_src_pod = -1, hf_src_ns = -1, hf_dst_pod = -1, hf_dst_ns = -1, hf_src_labels = -1,
    hf_dst_labels = -1, hf_src_workload = -1, hf_dst_workload = -1, hf_src_ip = -1, hf_dst_ip = -1, hf_src_ip6 = -1,
    hf_dst_ip6 = -1, hf_l4 = -1,
    hf_src_port = -1, hf_dst_port = -1, hf_tcp_flags = -1, hf_l7 = -1, hf_http_method = -1, hf_http_url = -1,
    hf_http_code = -1, hf_latency = -1, hf_dns_query = -1, hf_dns_rcode = -1, hf_egress_denied = -1,
    hf_ingress_denied = -1, hf_type = -1, hf_summary = -1;
int ett_cilium = -1, ett_cilium_packet = -1;
expert_field ei_dropped = EI_INIT;

const TagField kFields[] = {
    {SS_TAG_FL_UUID, &hf_uuid, ValueKind::String},
    {SS_TAG_FL_VERDICT, &hf_verdict, ValueKind::String},
    {SS_TAG_FL_DROP_REASON, &hf_drop_reason, ValueKind::String},
    {SS_TAG_FL_DIRECTION, &hf_direction, ValueKind::String},
    {SS_TAG_FL_SRC_IDENTITY, &hf_src_identity, ValueKind::U32},
    {SS_TAG_FL_DST_IDENTITY, &hf_dst_identity, ValueKind::U32},
    {SS_TAG_FL_SRC_POD, &hf_src_pod, ValueKind::String},
    {SS_TAG_FL_SRC_NAMESPACE, &hf_src_ns, ValueKind::String},
    {SS_TAG_FL_DST_POD, &hf_dst_pod, ValueKind::String},
    {SS_TAG_FL_DST_NAMESPACE, &hf_dst_ns, ValueKind::String},
    {SS_TAG_FL_SRC_LABELS, &hf_src_labels, ValueKind::String},
    {SS_TAG_FL_DST_LABELS, &hf_dst_labels, ValueKind::String},
    {SS_TAG_FL_SRC_WORKLOAD, &hf_src_workload, ValueKind::String},
    {SS_TAG_FL_DST_WORKLOAD, &hf_dst_workload, ValueKind::String},
    {SS_TAG_FL_SRC_IP, &hf_src_ip, ValueKind::Address, &hf_src_ip6},
    {SS_TAG_FL_DST_IP, &hf_dst_ip, ValueKind::Address, &hf_dst_ip6},
    {SS_TAG_FL_L4, &hf_l4, ValueKind::String},
    {SS_TAG_FL_SRC_PORT, &hf_src_port, ValueKind::U32},
    {SS_TAG_FL_DST_PORT, &hf_dst_port, ValueKind::U32},
    {SS_TAG_FL_TCP_FLAGS, &hf_tcp_flags, ValueKind::String},
    {SS_TAG_FL_L7_TYPE, &hf_l7, ValueKind::String},
    {SS_TAG_FL_HTTP_METHOD, &hf_http_method, ValueKind::String},
    {SS_TAG_FL_HTTP_URL, &hf_http_url, ValueKind::String},
    {SS_TAG_FL_HTTP_CODE, &hf_http_code, ValueKind::U32},
    {SS_TAG_FL_LATENCY, &hf_latency, ValueKind::U64},
    {SS_TAG_FL_DNS_QUERY, &hf_dns_query, ValueKind::String},
    {SS_TAG_FL_DNS_RCODE, &hf_dns_rcode, ValueKind::U32},
    {SS_TAG_FL_EGRESS_DENIED_BY, &hf_egress_denied, ValueKind::String},
    {SS_TAG_FL_INGRESS_DENIED_BY, &hf_ingress_denied, ValueKind::String},
    {SS_TAG_FL_TYPE, &hf_type, ValueKind::String},
    {SS_TAG_FL_SUMMARY, &hf_summary, ValueKind::String},
};

std::string endpoint(const RecordValues& v, std::uint16_t ns, std::uint16_t pod, std::uint16_t ip, std::uint16_t port)
{
    std::string out = v.text(pod).empty() ? v.text(ip) : v.text(ns) + "/" + v.text(pod);
    if (port && v.has(port))
        out += ":" + std::to_string(v.number(port));
    return out.empty() ? "?" : out;
}

int dissectFlow(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*)
{
    proto_item* top;
    proto_tree* sub;
    if (beginRecord(tvb, pinfo, tree, proto_cilium, ett_cilium, "Cilium", &top, &sub) != SS_KIND_FLOW)
        return tvb_captured_length(tvb);
    const RecordValues v = dissectRecordBody(tvb, pinfo, sub, kFields, G_N_ELEMENTS(kFields));
    noteFlowRecord(pinfo, v);
    const std::string verdict = v.text(SS_TAG_FL_VERDICT);
    std::string info = verdict + " " +
                       endpoint(v, SS_TAG_FL_SRC_NAMESPACE, SS_TAG_FL_SRC_POD, SS_TAG_FL_SRC_IP, SS_TAG_FL_SRC_PORT) +
                       " → " +
                       endpoint(v, SS_TAG_FL_DST_NAMESPACE, SS_TAG_FL_DST_POD, SS_TAG_FL_DST_IP, SS_TAG_FL_DST_PORT);
    if (!v.text(SS_TAG_FL_L4).empty())
        info += " " + v.text(SS_TAG_FL_L4);
    if (!v.text(SS_TAG_FL_TCP_FLAGS).empty())
        info += " [" + v.text(SS_TAG_FL_TCP_FLAGS) + "]";
    if (!v.text(SS_TAG_FL_HTTP_METHOD).empty())
        info += " " + v.text(SS_TAG_FL_HTTP_METHOD) + " " + v.text(SS_TAG_FL_HTTP_URL);
    if (v.has(SS_TAG_FL_HTTP_CODE))
        info += " " + std::to_string(v.number(SS_TAG_FL_HTTP_CODE));
    if (!v.text(SS_TAG_FL_DNS_QUERY).empty())
        info += " DNS " + v.text(SS_TAG_FL_DNS_QUERY);
    if (!v.text(SS_TAG_FL_DROP_REASON).empty())
        info += " (" + v.text(SS_TAG_FL_DROP_REASON) + ")";
    if (verdict == "DROPPED")
        expert_add_info_format(pinfo, top, &ei_dropped, "Flow dropped: %s",
                               v.text(SS_TAG_FL_DROP_REASON).empty() ? "no reason given"
                                                                     : v.text(SS_TAG_FL_DROP_REASON).c_str());
    col_add_str(pinfo->cinfo, COL_INFO, info.c_str());
    col_add_str(pinfo->cinfo, COL_DEF_SRC,
                endpoint(v, SS_TAG_FL_SRC_NAMESPACE, SS_TAG_FL_SRC_POD, SS_TAG_FL_SRC_IP, 0).c_str());
    col_add_str(pinfo->cinfo, COL_DEF_DST,
                endpoint(v, SS_TAG_FL_DST_NAMESPACE, SS_TAG_FL_DST_POD, SS_TAG_FL_DST_IP, 0).c_str());
    proto_item_append_text(top, ": %s", info.c_str());
    return tvb_captured_length(tvb);
}

// The Cilium* comment keys of a packet a Hubble flow was attached to (docs/FORMAT.md §1).
struct CommentKey {
    const char* key;
    int* hf;
    ValueKind kind;
    int* hf6;
};
const CommentKey kCommentKeys[] = {
    {"CiliumFlowId", &hf_uuid, ValueKind::String, nullptr},
    {"CiliumVerdict", &hf_verdict, ValueKind::String, nullptr},
    {"CiliumDropReason", &hf_drop_reason, ValueKind::String, nullptr},
    {"CiliumDirection", &hf_direction, ValueKind::String, nullptr},
    {"CiliumSrcIdentity", &hf_src_identity, ValueKind::U32, nullptr},
    {"CiliumDstIdentity", &hf_dst_identity, ValueKind::U32, nullptr},
    {"CiliumSrcPod", &hf_src_pod, ValueKind::String, nullptr},
    {"CiliumSrcNamespace", &hf_src_ns, ValueKind::String, nullptr},
    {"CiliumDstPod", &hf_dst_pod, ValueKind::String, nullptr},
    {"CiliumDstNamespace", &hf_dst_ns, ValueKind::String, nullptr},
    {"CiliumSrcLabels", &hf_src_labels, ValueKind::String, nullptr},
    {"CiliumDstLabels", &hf_dst_labels, ValueKind::String, nullptr},
    {"CiliumSrcIp", &hf_src_ip, ValueKind::Address, &hf_src_ip6},
    {"CiliumDstIp", &hf_dst_ip, ValueKind::Address, &hf_dst_ip6},
    {"CiliumL7", &hf_l7, ValueKind::String, nullptr},
    {"CiliumHttpMethod", &hf_http_method, ValueKind::String, nullptr},
    {"CiliumHttpUrl", &hf_http_url, ValueKind::String, nullptr},
    {"CiliumHttpCode", &hf_http_code, ValueKind::U32, nullptr},
    {"CiliumDnsQuery", &hf_dns_query, ValueKind::String, nullptr},
    {"CiliumType", &hf_type, ValueKind::String, nullptr},
    {"CiliumSummary", &hf_summary, ValueKind::String, nullptr},
};

} // namespace

bool isFlowCommentKey(std::string_view key)
{
    for (const auto& k : kCommentKeys)
        if (key == k.key)
            return true;
    return false;
}

void addFlowComments(proto_tree* tree, packet_info* pinfo, tvbuff_t* tvb,
                     const std::vector<std::pair<std::string_view, std::string_view>>& lines)
{
    proto_item* top = proto_tree_add_item(tree, proto_cilium, tvb, 0, 0, ENC_NA);
    proto_tree* sub = proto_item_add_subtree(top, ett_cilium_packet);
    std::string verdict, reason;
    for (const auto& [key, value] : lines)
        for (const auto& k : kCommentKeys) {
            if (key != k.key)
                continue;
            const std::string text(value);
            if (k.kind == ValueKind::U32)
                proto_tree_add_uint(sub, *k.hf, tvb, 0, 0, guint32(g_ascii_strtoull(text.c_str(), nullptr, 10)));
            else if (k.kind == ValueKind::Address)
                addAddress(sub, *k.hf, *k.hf6, tvb, 0, 0, text);
            else
                proto_tree_add_string(sub, *k.hf, tvb, 0, 0, text.c_str());
            if (k.hf == &hf_verdict)
                verdict = text;
            if (k.hf == &hf_drop_reason)
                reason = text;
        }
    proto_item_append_text(top, ": %s", verdict.c_str());
    if (verdict == "DROPPED")
        expert_add_info_format(pinfo, top, &ei_dropped, "Flow dropped: %s", reason.empty() ? "no reason given" : reason.c_str());
}

void registerFlow()
{
    auto s = [](int* hf, const char* name, const char* abbrev) {
        return hf_register_info{hf, {name, abbrev, FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}};
    };
    auto u = [](int* hf, const char* name, const char* abbrev, ftenum type) {
        return hf_register_info{hf, {name, abbrev, type, BASE_DEC, nullptr, 0, nullptr, HFILL}};
    };
    static hf_register_info hf[] = {
        s(&hf_uuid, "Flow ID", "cilium.flow_id"),
        s(&hf_verdict, "Verdict", "cilium.verdict"),
        s(&hf_drop_reason, "Drop reason", "cilium.drop_reason"),
        s(&hf_direction, "Traffic direction", "cilium.direction"),
        u(&hf_src_identity, "Source identity", "cilium.identity.src", FT_UINT32),
        u(&hf_dst_identity, "Destination identity", "cilium.identity.dst", FT_UINT32),
        s(&hf_src_pod, "Source pod", "cilium.src.pod"),
        s(&hf_src_ns, "Source namespace", "cilium.src.ns"),
        s(&hf_dst_pod, "Destination pod", "cilium.dst.pod"),
        s(&hf_dst_ns, "Destination namespace", "cilium.dst.ns"),
        s(&hf_src_labels, "Source labels", "cilium.src.labels"),
        s(&hf_dst_labels, "Destination labels", "cilium.dst.labels"),
        s(&hf_src_workload, "Source workload", "cilium.src.workload"),
        s(&hf_dst_workload, "Destination workload", "cilium.dst.workload"),
        {&hf_src_ip, {"Source IP", "cilium.ip.src", FT_IPv4, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_dst_ip, {"Destination IP", "cilium.ip.dst", FT_IPv4, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_src_ip6, {"Source IP", "cilium.ipv6.src", FT_IPv6, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_dst_ip6, {"Destination IP", "cilium.ipv6.dst", FT_IPv6, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        s(&hf_l4, "L4 protocol", "cilium.l4"),
        u(&hf_src_port, "Source port", "cilium.port.src", FT_UINT32),
        u(&hf_dst_port, "Destination port", "cilium.port.dst", FT_UINT32),
        s(&hf_tcp_flags, "TCP flags", "cilium.tcp.flags"),
        s(&hf_l7, "L7 protocol", "cilium.l7"),
        s(&hf_http_method, "HTTP method", "cilium.http.method"),
        s(&hf_http_url, "HTTP URL", "cilium.http.url"),
        u(&hf_http_code, "HTTP status code", "cilium.http.code", FT_UINT32),
        u(&hf_latency, "Latency (ns)", "cilium.latency", FT_UINT64),
        s(&hf_dns_query, "DNS query", "cilium.dns.query"),
        u(&hf_dns_rcode, "DNS rcode", "cilium.dns.rcode", FT_UINT32),
        s(&hf_egress_denied, "Egress denied by", "cilium.policy.egress_denied_by"),
        s(&hf_ingress_denied, "Ingress denied by", "cilium.policy.ingress_denied_by"),
        s(&hf_type, "Flow type", "cilium.type"),
        s(&hf_summary, "Summary", "cilium.summary"),
    };
    static int* ett[] = {&ett_cilium, &ett_cilium_packet};
    static ei_register_info ei[] = {
        {&ei_dropped, {"cilium.dropped", PI_SECURITY, PI_WARN, "Flow dropped", EXPFILL}},
    };
    proto_cilium = proto_register_protocol("eBPF Cilium Metadata", "Cilium", "cilium");
    proto_register_field_array(proto_cilium, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_cilium), ei, G_N_ELEMENTS(ei));
}

void handoffFlow()
{
    addRecordDissector(SS_LINKTYPE_FLOW, dissectFlow, proto_cilium, "ssrec.cilium");
}

} // namespace ss::dissect
