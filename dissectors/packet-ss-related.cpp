// SPDX-License-Identifier: GPL-2.0-or-later
#include "packet-ss-related.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>
#include <vector>

extern "C" {
#include <epan/address.h>
#include <epan/to_str.h>
}

namespace ss::dissect {
namespace {

int proto_related = -1;
int hf_alert = -1, hf_exec = -1, hf_syscall = -1, hf_verdict = -1;
int ett_related = -1;
expert_field ei_alert = EI_INIT;
guint windowSeconds = 60;   // alerts, process events and flows: ± this many seconds
guint syscallWindowMs = 1000; // system calls of the packet's process: ± this many ms

constexpr std::size_t kMaxPerKind = 8;  // links shown per kind; the rest are counted
constexpr int kMaxParentDepth = 8;      // how far up the parent chain exec links go

struct Event {
    double time;
    std::uint32_t frame;
    std::string text;
};

// Indexes of one key's events, kept sorted by time (records arrive almost in order).
struct Series {
    std::vector<std::uint32_t> ids;
    bool sorted = true;
};

// Everything indexed for the open capture; reset when epan starts a new file.
struct Index {
    std::vector<Event> events;
    std::unordered_map<std::string, Series> alertsByPod; // "ns/pod"
    std::unordered_map<std::uint32_t, Series> alertsByPid;
    std::unordered_map<std::uint32_t, Series> processByPid; // exec and exit
    std::unordered_map<std::uint32_t, Series> syscallsByPid;
    std::unordered_map<std::string, Series> flowsByTuple;
    std::unordered_map<std::string, std::string> podByAddress; // from flow records
    std::unordered_map<std::uint32_t, std::uint32_t> parentOf;
    bool empty() const { return events.empty(); }
};

Index& index()
{
    static Index instance;
    return instance;
}

void resetIndex()
{
    index() = Index();
}

double seconds(const nstime_t& t)
{
    return double(t.secs) + double(t.nsecs) / 1e9;
}

template <typename Key>
void add(std::unordered_map<Key, Series>& map, const Key& key, std::uint32_t id)
{
    Series& s = map[key];
    const auto& events = index().events;
    if (!s.ids.empty() && events[s.ids.back()].time > events[id].time)
        s.sorted = false;
    s.ids.push_back(id);
}

std::uint32_t addEvent(packet_info* pinfo, std::string text)
{
    auto& events = index().events;
    events.push_back(Event{seconds(pinfo->abs_ts), pinfo->num, std::move(text)});
    return std::uint32_t(events.size() - 1);
}

// The ids of `map[key]`'s events within [t - before, t + after], nearest first.
template <typename Key>
std::vector<std::uint32_t> near(std::unordered_map<Key, Series>& map, const Key& key, double t, double before,
                                double after)
{
    const auto found = map.find(key);
    if (found == map.end())
        return {};
    Series& s = found->second;
    const auto& events = index().events;
    auto byTime = [&](std::uint32_t a, std::uint32_t b) {
        return events[a].time != events[b].time ? events[a].time < events[b].time : events[a].frame < events[b].frame;
    };
    if (!s.sorted) {
        std::stable_sort(s.ids.begin(), s.ids.end(), byTime);
        s.sorted = true;
    }
    auto first = std::lower_bound(s.ids.begin(), s.ids.end(), t - before,
                                  [&](std::uint32_t id, double v) { return events[id].time < v; });
    std::vector<std::uint32_t> out;
    for (auto it = first; it != s.ids.end() && events[*it].time <= t + after; ++it)
        out.push_back(*it);
    std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::fabs(events[a].time - t) < std::fabs(events[b].time - t);
    });
    return out;
}

std::string podKey(const std::string& ns, const std::string& pod)
{
    return pod.empty() ? std::string() : ns + "/" + pod;
}

// The text form epan gives an IPv4/IPv6 address, so record and packet addresses compare.
std::string canonicalAddress(const std::string& text)
{
    guint32 v4 = 0;
    ws_in6_addr v6{};
    address a;
    if (ws_inet_pton4(text.c_str(), &v4))
        set_address(&a, AT_IPv4, 4, &v4);
    else if (ws_inet_pton6(text.c_str(), &v6))
        set_address(&a, AT_IPv6, 16, &v6);
    else
        return {};
    char* s = address_to_str(nullptr, &a);
    std::string out(s);
    wmem_free(nullptr, s);
    return out;
}

// "TCP|a:1|b:2" with the endpoints ordered, so both directions share a key.
std::string tupleKey(const std::string& l4, const std::string& a, std::uint32_t aPort, const std::string& b,
                     std::uint32_t bPort)
{
    const bool ports = l4 == "TCP" || l4 == "UDP" || l4 == "SCTP";
    std::string x = a + (ports ? ":" + std::to_string(aPort) : "");
    std::string y = b + (ports ? ":" + std::to_string(bPort) : "");
    if (y < x)
        std::swap(x, y);
    return (ports ? l4 : std::string("IP")) + "|" + x + "|" + y;
}

const char* l4Name(port_type type)
{
    switch (type) {
    case PT_TCP: return "TCP";
    case PT_UDP: return "UDP";
    case PT_SCTP: return "SCTP";
    default: return "IP";
    }
}

std::string addressText(packet_info* pinfo, const address& a)
{
    if (a.type != AT_IPv4 && a.type != AT_IPv6)
        return {};
    return address_to_str(pinfo->pool, &a);
}

bool isRecordFrame(packet_info* pinfo)
{
    // wtap's link-type table is searched linearly: look our three up once.
    static const int encaps[] = {wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SYSCALL),
                                 wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_FLOW),
                                 wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SECURITY)};
    const int encap = pinfo->rec->rec_header.packet_header.pkt_encap;
    return encap == encaps[0] || encap == encaps[1] || encap == encaps[2];
}

// Adds up to kMaxPerKind links of one kind, nearest first (the tree's title counts them all).
void addLinks(proto_tree* tree, tvbuff_t* tvb, int hf, const std::vector<std::uint32_t>& ids, double t)
{
    const auto& events = index().events;
    std::size_t shown = 0;
    for (const std::uint32_t id : ids) {
        if (shown == kMaxPerKind)
            break;
        const Event& e = events[id];
        proto_item* item = proto_tree_add_uint(tree, hf, tvb, 0, 0, e.frame);
        const double dt = e.time - t;
        proto_item_append_text(item, " (%s, %.3f s %s)", e.text.c_str(), std::fabs(dt), dt < 0 ? "before" : "after");
        proto_item_set_generated(item);
        ++shown;
    }
}

void merge(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more)
{
    for (const std::uint32_t id : more)
        if (std::find(into.begin(), into.end(), id) == into.end())
            into.push_back(id);
}

} // namespace

void noteSecurityRecord(packet_info* pinfo, const RecordValues& v, bool tetragon)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    Index& idx = index();
    const std::uint32_t pid = std::uint32_t(v.number(SS_TAG_PID));
    const std::string event = v.text(SS_TAG_SE_EVENT);
    if (tetragon && (event == "process_exec" || event == "process_exit")) {
        if (!pid)
            return;
        const std::string what = event == "process_exec" ? "exec" : "exit";
        std::string text = what + " " + v.text(SS_TAG_SE_BINARY);
        if (!v.text(SS_TAG_SE_ARGUMENTS).empty())
            text += " " + v.text(SS_TAG_SE_ARGUMENTS);
        add(idx.processByPid, pid, addEvent(pinfo, text + " [" + std::to_string(pid) + "]"));
        if (v.has(SS_TAG_PPID))
            idx.parentOf[pid] = std::uint32_t(v.number(SS_TAG_PPID));
        return;
    }
    std::string text = tetragon ? "Tetragon " + event + " " + v.text(SS_TAG_SE_BINARY) +
                                      (v.text(SS_TAG_SE_FUNCTION).empty() ? "" : " " + v.text(SS_TAG_SE_FUNCTION))
                                : "Falco " + v.text(SS_TAG_SE_PRIORITY) + ": " + v.text(SS_TAG_SE_RULE);
    const std::uint32_t id = addEvent(pinfo, std::move(text));
    if (const std::string pod = podKey(v.text(SS_TAG_NAMESPACE), v.text(SS_TAG_POD)); !pod.empty())
        add(idx.alertsByPod, pod, id);
    if (pid)
        add(idx.alertsByPid, pid, id);
}

void noteSyscallRecord(packet_info* pinfo, const RecordValues& v, const std::string& summary)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    const std::uint32_t pid = std::uint32_t(v.number(SS_TAG_PID));
    if (!pid)
        return;
    Index& idx = index();
    const std::string name = v.text(SS_TAG_SC_NAME);
    const bool ok = v.number(SS_TAG_SC_ERRNO) == 0;
    if (ok && (name == "execve" || name == "execveat" || name == "exit" || name == "exit_group")) {
        const bool exec = name[1] == 'x' && name[2] == 'e';
        add(idx.processByPid, pid,
            addEvent(pinfo, (exec ? "exec " + v.text(SS_TAG_SC_PATH) : std::string("exit")) + " [" +
                                std::to_string(pid) + "]"));
        if (exec && v.has(SS_TAG_PPID))
            idx.parentOf[pid] = std::uint32_t(v.number(SS_TAG_PPID));
    }
    add(idx.syscallsByPid, pid, addEvent(pinfo, summary));
}

void noteFlowRecord(packet_info* pinfo, const RecordValues& v)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    Index& idx = index();
    const std::string src = canonicalAddress(v.text(SS_TAG_FL_SRC_IP));
    const std::string dst = canonicalAddress(v.text(SS_TAG_FL_DST_IP));
    if (src.empty() || dst.empty())
        return;
    std::string text = v.text(SS_TAG_FL_VERDICT);
    if (!v.text(SS_TAG_FL_DROP_REASON).empty())
        text += " " + v.text(SS_TAG_FL_DROP_REASON);
    add(idx.flowsByTuple,
        tupleKey(v.text(SS_TAG_FL_L4), src, std::uint32_t(v.number(SS_TAG_FL_SRC_PORT)), dst,
                 std::uint32_t(v.number(SS_TAG_FL_DST_PORT))),
        addEvent(pinfo, "Cilium " + text));
    if (const std::string pod = podKey(v.text(SS_TAG_FL_SRC_NAMESPACE), v.text(SS_TAG_FL_SRC_POD)); !pod.empty())
        idx.podByAddress[src] = pod;
    if (const std::string pod = podKey(v.text(SS_TAG_FL_DST_NAMESPACE), v.text(SS_TAG_FL_DST_POD)); !pod.empty())
        idx.podByAddress[dst] = pod;
}

void addRelatedEvents(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, const PacketIdentity& who)
{
    Index& idx = index();
    if (idx.empty() && who.attachedFlow.empty())
        return; // a capture without our records: nothing to link, at the cost of one test
    if (!pinfo->rec || isRecordFrame(pinfo))
        return;
    if (!who.attachedFlow.empty() && !PINFO_FD_VISITED(pinfo)) {
        const std::string src = addressText(pinfo, pinfo->net_src);
        const std::string dst = addressText(pinfo, pinfo->net_dst);
        if (!src.empty() && !dst.empty())
            add(idx.flowsByTuple, tupleKey(l4Name(pinfo->ptype), src, pinfo->srcport, dst, pinfo->destport),
                addEvent(pinfo, "Cilium " + who.attachedFlow));
    }
    if (idx.empty())
        return;
    const double t = seconds(pinfo->abs_ts);
    const double w = windowSeconds;
    const std::string src = addressText(pinfo, pinfo->net_src);
    const std::string dst = addressText(pinfo, pinfo->net_dst);

    // Alerts: about the packet's process, its pod, or the pods its addresses belong to.
    std::vector<std::uint32_t> alerts;
    if (who.pid)
        merge(alerts, near(idx.alertsByPid, who.pid, t, w, w));
    std::unordered_set<std::string> pods;
    if (const std::string pod = podKey(who.ns, who.pod); !pod.empty())
        pods.insert(pod);
    for (const std::string* a : {&src, &dst})
        if (const auto found = idx.podByAddress.find(*a); !a->empty() && found != idx.podByAddress.end())
            pods.insert(found->second);
    for (const std::string& pod : pods)
        merge(alerts, near(idx.alertsByPod, pod, t, w, w));

    // Process events of the process and of its parents (exec before the packet, exit
    // within the window after it).
    std::vector<std::uint32_t> process;
    std::uint32_t pid = who.pid;
    std::uint32_t parent = who.ppid;
    for (int depth = 0; pid && depth < kMaxParentDepth; ++depth) {
        merge(process, near(idx.processByPid, pid, t, 1e12, w));
        const auto up = idx.parentOf.find(pid);
        const std::uint32_t next = parent ? parent : (up == idx.parentOf.end() ? 0 : up->second);
        parent = 0;
        if (next == pid)
            break;
        pid = next;
    }
    std::vector<std::uint32_t> syscalls;
    if (who.pid)
        syscalls = near(idx.syscallsByPid, who.pid, t, syscallWindowMs / 1000.0, syscallWindowMs / 1000.0);
    std::vector<std::uint32_t> flows;
    if (!src.empty() && !dst.empty()) {
        flows = near(idx.flowsByTuple, tupleKey(l4Name(pinfo->ptype), src, pinfo->srcport, dst, pinfo->destport), t,
                     w, w);
        // A flow this packet carries is shown as its own cilium.* fields, not as a link.
        flows.erase(std::remove_if(flows.begin(), flows.end(),
                                   [&](std::uint32_t id) { return idx.events[id].frame == pinfo->num; }),
                    flows.end());
    }
    if (alerts.empty() && process.empty() && syscalls.empty() && flows.empty())
        return;

    std::stable_sort(alerts.begin(), alerts.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::fabs(idx.events[a].time - t) < std::fabs(idx.events[b].time - t);
    });
    proto_item* top = proto_tree_add_item(tree, proto_related, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_tree* sub = proto_item_add_subtree(top, ett_related);
    addLinks(sub, tvb, hf_alert, alerts, t);
    addLinks(sub, tvb, hf_exec, process, t);
    addLinks(sub, tvb, hf_syscall, syscalls, t);
    addLinks(sub, tvb, hf_verdict, flows, t);
    proto_item_append_text(top, ": %zu alert%s, %zu process event%s, %zu system call%s, %zu flow%s", alerts.size(),
                           alerts.size() == 1 ? "" : "s", process.size(), process.size() == 1 ? "" : "s",
                           syscalls.size(), syscalls.size() == 1 ? "" : "s", flows.size(), flows.size() == 1 ? "" : "s");
    if (!alerts.empty()) {
        const Event& e = idx.events[alerts.front()];
        const double dt = e.time - t;
        expert_add_info_format(pinfo, top, &ei_alert, "%s in frame %u, %.3f s %s this packet", e.text.c_str(),
                               e.frame, std::fabs(dt), dt < 0 ? "before" : "after");
    }
}

void registerRelated()
{
    auto link = [](int* hf, const char* name, const char* abbrev, const char* blurb) {
        return hf_register_info{
            hf, {name, abbrev, FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, blurb, HFILL}};
    };
    static hf_register_info hf[] = {
        link(&hf_alert, "Alert in frame", "ss.related.alert",
             "A Falco alert or Tetragon policy event about this packet's pod or process"),
        link(&hf_exec, "Process event in frame", "ss.related.exec",
             "The exec or exit of this packet's process or of one of its parents"),
        link(&hf_syscall, "System call in frame", "ss.related.syscall",
             "A system call of this packet's process near it"),
        link(&hf_verdict, "Cilium flow in frame", "ss.related.verdict",
             "A Cilium/Hubble flow record of this packet's addresses and ports"),
    };
    static int* ett[] = {&ett_related};
    static ei_register_info ei[] = {
        {&ei_alert, {"ss.related.alert_near", PI_SECURITY, PI_WARN, "An alert concerns this packet's pod or process",
                     EXPFILL}},
    };
    proto_related = proto_register_protocol("Related events", "Related", "ss.related");
    proto_register_field_array(proto_related, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_related), ei, G_N_ELEMENTS(ei));
    module_t* prefs = prefs_register_protocol(proto_related, nullptr);
    prefs_register_uint_preference(prefs, "window", "Window for alerts, process events and flows (s)",
                                   "A record this many seconds before or after a packet is related to it", 10,
                                   &windowSeconds);
    prefs_register_uint_preference(prefs, "syscall_window", "Window for system calls (ms)",
                                   "A system call of the packet's process this many milliseconds before or after it "
                                   "is related to it",
                                   10, &syscallWindowMs);
    register_init_routine(resetIndex);
    register_cleanup_routine(resetIndex);
}

} // namespace ss::dissect
