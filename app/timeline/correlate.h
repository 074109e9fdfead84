// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "timeline_tap.h"

namespace ss::timeline {

// One process of an alert's process tree: its exec event, whether it exited in the window,
// and the processes it started.
struct ProcessNode {
    Entry exec;
    bool exited = false;
    bool alerted = false; // the alert's own process
    std::vector<ProcessNode> children;
};

// What happened around one alert in its pod: the alert, then the entries of the same pod (or
// process) within the window, sorted into what an analyst reads first.
struct AlertStory {
    Entry alert;
    std::vector<Entry> processes;   // Tetragon process events
    // The execs of the window and the alert process's parent chain (from anywhere in the
    // file), as a tree by parent pid; the alert's process is marked.
    std::vector<ProcessNode> processTree;
    std::vector<Entry> connections; // TCP and UDP, with the server's DNS name where known
    std::vector<std::string> serverNames; // parallel to connections: "malicious-server.com" or ""
    std::vector<Entry> dns;
    std::vector<Entry> failedSyscalls;
    std::vector<Entry> verdicts;    // Cilium, other than FORWARDED
    std::vector<Entry> otherAlerts;
    std::uint64_t bytesOut = 0;     // sent by the pod's side of its connections
};

// Addresses that belong to a pod ("shop/web-1" → its IPs), for traffic without metadata.
using PodAddresses = std::vector<std::pair<std::string, std::string>>; // (pod, address)

// One story per Falco alert, in time order. `windowNs` is how far before and after the
// alert an entry still counts (default ±60 s).
std::vector<AlertStory> correlate(const std::vector<Entry>& timeline, const PodAddresses& podAddresses,
                                  std::uint64_t windowNs = 60'000'000'000ull);

} // namespace ss::timeline
