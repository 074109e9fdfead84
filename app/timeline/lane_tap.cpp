// SPDX-License-Identifier: GPL-2.0-or-later
#include "lane_tap.h"

#include "ss_records.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <numeric>

namespace ss::timeline {
namespace {

const char* const kFields[] = {"k8s.ns",          "k8s.pod",          "proc.name",           "proc.pid",
                               "falco.priority",  "falco.rule",       "tetragon.event",      "tetragon.binary",
                               "syscall.name",    "syscall.errno",    "cilium.verdict",      "cilium.src.pod",
                               "cilium.src.namespace", "cilium.dst.pod", "cilium.dst.namespace", "cilium.drop_reason"};

const char* const kNoPod = "(no pod)";

bool isRecord(packet_info* pinfo)
{
    const int encap = pinfo->rec->rec_header.packet_header.pkt_encap;
    return encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SYSCALL) ||
           encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_FLOW) ||
           encap == wtap_pcap_encap_to_wtap_encap(SS_LINKTYPE_SECURITY);
}

void sortLane(Lane& lane)
{
    if (!std::is_sorted(lane.packetNs.begin(), lane.packetNs.end())) {
        std::vector<std::size_t> order(lane.packetNs.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return lane.packetNs[a] < lane.packetNs[b]; });
        std::vector<std::int64_t> ns;
        std::vector<std::uint32_t> frames;
        for (const std::size_t i : order) {
            ns.push_back(lane.packetNs[i]);
            frames.push_back(lane.packetFrames[i]);
        }
        lane.packetNs = std::move(ns);
        lane.packetFrames = std::move(frames);
    }
    std::stable_sort(lane.marks.begin(), lane.marks.end(), [](const Mark& a, const Mark& b) { return a.ns < b.ns; });
}

} // namespace

int falcoPriority(const std::string& name)
{
    static const char* const names[] = {"emergency", "alert", "critical", "error", "warning", "notice",
                                        "informational", "debug"};
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (int i = 0; i < 8; ++i)
        if (lower == names[i] || (i == 6 && lower == "info"))
            return i;
    return 5;
}

std::size_t Lane::packetsBetween(std::int64_t fromNs, std::int64_t toNs) const
{
    if (toNs <= fromNs)
        return 0;
    const auto a = std::lower_bound(packetNs.begin(), packetNs.end(), fromNs);
    const auto b = std::lower_bound(a, packetNs.end(), toNs);
    return std::size_t(b - a);
}

LaneTap::LaneTap(const std::string& filter)
    : FieldTap(std::vector<const char*>(std::begin(kFields), std::end(kFields)), filter)
{
}

void LaneTap::onFrame(packet_info* pinfo, epan_dissect_t* edt)
{
    const std::int64_t ns = std::int64_t(pinfo->abs_ts.secs) * 1000000000 + pinfo->abs_ts.nsecs;
    if (!any_ || ns < first_)
        first_ = ns;
    if (!any_ || ns > last_)
        last_ = ns;
    any_ = true;
    std::string ns_ = text(edt, "k8s.ns"), pod = text(edt, "k8s.pod");
    if (pod.empty()) { // a flow record: the pod that sent it, else the one it went to
        pod = text(edt, "cilium.src.pod");
        ns_ = text(edt, "cilium.src.namespace");
        if (pod.empty()) {
            pod = text(edt, "cilium.dst.pod");
            ns_ = text(edt, "cilium.dst.namespace");
        }
    }
    const std::string podName = pod.empty() ? kNoPod : (ns_.empty() ? pod : ns_ + "/" + pod);
    const std::string procName = text(edt, "proc.name");
    const std::string process = procName.empty() ? std::string() : procName + "[" + text(edt, "proc.pid") + "]";
    Pod& p = pods_[podName];
    p.lane.name = podName;
    Lane* lanes[2] = {&p.lane, nullptr};
    if (!process.empty()) {
        lanes[1] = &p.processes[process];
        lanes[1]->name = process;
    }
    const bool record = isRecord(pinfo);
    Mark m;
    m.ns = ns;
    m.frame = pinfo->num;
    bool marked = true;
    if (const std::string rule = text(edt, "falco.rule"); !rule.empty()) {
        m.kind = Mark::Kind::Alert;
        m.priority = falcoPriority(text(edt, "falco.priority"));
        m.label = text(edt, "falco.priority") + ": " + rule;
    } else if (const std::string event = text(edt, "tetragon.event"); !event.empty()) {
        m.kind = event == "process_exec" ? Mark::Kind::Exec : event == "process_exit" ? Mark::Kind::Exit : Mark::Kind::Alert;
        m.priority = 5;
        m.label = event + " " + text(edt, "tetragon.binary");
    } else if (const std::string call = text(edt, "syscall.name"); !call.empty()) {
        const bool failed = !text(edt, "syscall.errno").empty() && number(edt, "syscall.errno") != 0;
        marked = failed;
        m.kind = Mark::Kind::FailedSyscall;
        m.label = call + " failed";
    } else if (const std::string verdict = text(edt, "cilium.verdict"); !verdict.empty()) {
        m.kind = verdict == "DROPPED" ? Mark::Kind::Dropped : Mark::Kind::Verdict;
        m.label = verdict + (text(edt, "cilium.drop_reason").empty() ? "" : " " + text(edt, "cilium.drop_reason"));
    } else {
        marked = false;
    }
    for (Lane* lane : lanes) {
        if (!lane)
            continue;
        if (!record) {
            lane->packetNs.push_back(ns);
            lane->packetFrames.push_back(pinfo->num);
        }
        if (marked)
            lane->marks.push_back(m);
    }
}

std::vector<PodLanes> LaneTap::lanes() const
{
    std::vector<PodLanes> out;
    for (const auto& [name, pod] : pods_) {
        PodLanes p;
        p.pod = pod.lane;
        sortLane(p.pod);
        for (const auto& [procName, lane] : pod.processes) {
            p.processes.push_back(lane);
            sortLane(p.processes.back());
        }
        out.push_back(std::move(p));
    }
    std::stable_partition(out.begin(), out.end(), [](const PodLanes& p) { return p.pod.name != kNoPod; });
    return out;
}

} // namespace ss::timeline
