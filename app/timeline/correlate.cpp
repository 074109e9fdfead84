// SPDX-License-Identifier: GPL-2.0-or-later
#include "correlate.h"

#include <algorithm>
#include <functional>
#include <map>

namespace ss::timeline {
namespace {

constexpr int kMaxParentDepth = 16;

bool isExec(const Entry& e)
{
    return e.kind == "Tetragon" && e.pid && e.summary.rfind("exec ", 0) == 0;
}

bool isExit(const Entry& e)
{
    return e.kind == "Tetragon" && e.pid && e.summary.rfind("exit ", 0) == 0;
}

// The window's execs plus the alert process's ancestry, linked by parent pid.
std::vector<ProcessNode> processTree(const std::vector<Entry>& timeline, const AlertStory& s, std::uint64_t until)
{
    std::map<std::uint32_t, Entry> execs; // pid → its latest exec up to `until`
    for (const Entry& e : s.processes)
        if (isExec(e))
            execs[e.pid] = e;
    std::uint32_t pid = s.alert.pid;
    for (int depth = 0; pid && depth < kMaxParentDepth; ++depth) {
        const Entry* found = nullptr;
        for (const Entry& e : timeline)
            if (isExec(e) && e.pid == pid && e.timeNs <= until)
                found = &e;
        if (!found)
            break;
        execs[pid] = *found;
        if (found->ppid == pid)
            break;
        pid = found->ppid;
    }
    if (s.alert.pid && !execs.count(s.alert.pid)) { // the alert's process, its exec not seen
        Entry e = s.alert;
        e.summary = "(exec not in the capture)";
        execs[s.alert.pid] = e;
    }
    std::map<std::uint32_t, ProcessNode> nodes;
    for (const auto& [p, e] : execs) {
        ProcessNode n;
        n.exec = e;
        n.alerted = p == s.alert.pid;
        for (const Entry& x : s.processes)
            n.exited = n.exited || (isExit(x) && x.pid == p && x.timeNs >= e.timeNs);
        nodes[p] = std::move(n);
    }
    // Attach children bottom-up: a node whose parent is in the set goes under it.
    std::function<ProcessNode(std::uint32_t, int)> build = [&](std::uint32_t p, int depth) {
        ProcessNode n = nodes[p];
        if (depth < kMaxParentDepth)
            for (const auto& [child, c] : nodes)
                if (c.exec.ppid == p && child != p)
                    n.children.push_back(build(child, depth + 1));
        std::sort(n.children.begin(), n.children.end(),
                  [](const ProcessNode& a, const ProcessNode& b) { return a.exec.timeNs < b.exec.timeNs; });
        return n;
    };
    std::vector<ProcessNode> roots;
    for (const auto& [p, n] : nodes)
        if (!nodes.count(n.exec.ppid) || n.exec.ppid == p)
            roots.push_back(build(p, 0));
    std::sort(roots.begin(), roots.end(),
              [](const ProcessNode& a, const ProcessNode& b) { return a.exec.timeNs < b.exec.timeNs; });
    return roots;
}

} // namespace

std::vector<AlertStory> correlate(const std::vector<Entry>& timeline, const PodAddresses& podAddresses,
                                  std::uint64_t windowNs)
{
    // Every DNS answer in the file names its addresses (the last answer wins).
    std::map<std::string, std::string> nameOf;
    for (const Entry& e : timeline)
        if (e.kind == "DNS")
            for (const auto& a : e.addresses)
                nameOf[a] = e.name;
    std::vector<AlertStory> stories;
    for (const Entry& alert : timeline) {
        if (alert.kind != "Falco")
            continue;
        AlertStory s;
        s.alert = alert;
        std::set<std::string> mine; // the pod's addresses
        for (const auto& [pod, address] : podAddresses)
            if (!alert.pod.empty() && pod == alert.pod)
                mine.insert(address);
        const std::uint64_t from = alert.timeNs > windowNs ? alert.timeNs - windowNs : 0;
        const std::uint64_t to = alert.timeNs + windowNs;
        for (const Entry& e : timeline) {
            if (&e == &alert || e.timeNs < from || e.timeNs > to)
                continue;
            const bool samePod = !alert.pod.empty() && e.pod == alert.pod;
            const bool sameProcess = !alert.process.empty() && e.process == alert.process;
            const bool podTraffic = mine.count(e.client) || mine.count(e.server);
            if (!samePod && !sameProcess && !podTraffic)
                continue;
            if (e.kind == "Tetragon") {
                s.processes.push_back(e);
            } else if (e.kind == "TCP" || e.kind == "UDP") {
                s.connections.push_back(e);
                const bool outward = mine.empty() || mine.count(e.client);
                const std::string& peer = outward ? e.server : e.client;
                const auto name = nameOf.find(peer);
                s.serverNames.push_back(name == nameOf.end() ? std::string() : name->second);
                s.bytesOut += outward ? e.sent : e.received;
            } else if (e.kind == "DNS") {
                s.dns.push_back(e);
            } else if (e.kind == "Syscall") {
                s.failedSyscalls.push_back(e);
            } else if (e.kind == "Cilium") {
                s.verdicts.push_back(e);
            } else if (e.kind == "Falco") {
                s.otherAlerts.push_back(e);
            }
        }
        s.processTree = processTree(timeline, s, to);
        stories.push_back(std::move(s));
    }
    return stories;
}

} // namespace ss::timeline
