// SPDX-License-Identifier: GPL-2.0-or-later
#include "correlate.h"

#include <map>

namespace ss::timeline {

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
        stories.push_back(std::move(s));
    }
    return stories;
}

} // namespace ss::timeline
