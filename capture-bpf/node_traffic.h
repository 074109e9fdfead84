// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "k8s_metadata.h"
#include "packet_capture.h"
#include "pod_source.h"

namespace ss::bpf {
class PacketCapturer;
}

namespace ss::helper {

class HelperMetrics;

// The node's traffic for `--metrics`, counted whether or not anybody captures: the packet
// programs loaded a second time in their counting role (PacketCapturer::Role::Count) on
// every interface that is up (and those that come up), and skb:kfree_skb. refresh() reads
// the kernel's totals, names each owner's cgroup by its pod (namespace and name; "" for
// traffic of no pod) and adds what is new to the metrics. A pod gone from the node for
// longer than `grace` leaves the metrics; its kernel entries are deleted.
class NodeTraffic {
public:
    // Throws EngineError (loading or attaching the programs).
    NodeTraffic(HelperMetrics& metrics, std::shared_ptr<bpf::PodSource> pods, std::chrono::seconds grace);
    ~NodeTraffic();
    NodeTraffic(const NodeTraffic&) = delete;
    NodeTraffic& operator=(const NodeTraffic&) = delete;

    void refresh(); // once a second

private:
    struct Pod {
        std::string ns, name;
        auto operator<=>(const Pod&) const = default;
    };
    Pod podOf(std::uint64_t cgroupId);
    std::string interfaceName(std::uint32_t ifindex);
    void addInterfaces();
    void forgetGonePods();
    void forgetCgroup(std::uint64_t cgroupId); // its kernel entries and what was added of them

    HelperMetrics& metrics_;
    std::shared_ptr<bpf::PodSource> pods_;
    std::shared_ptr<const bpf::PodDirectory> podDirectory_;
    std::chrono::seconds grace_;
    bpf::CgroupDirectory cgroups_;
    std::unique_ptr<bpf::PacketCapturer> counter_;
    std::map<std::uint32_t, std::string> interfaces_;
    // What was added for each kernel entry so far (the entries count up from their creation).
    struct TrafficKey {
        std::uint64_t cgroup;
        std::uint32_t ifindex;
        std::uint8_t direction, protocol;
        auto operator<=>(const TrafficKey&) const = default;
    };
    std::map<TrafficKey, ss_traffic_value> trafficSeen_;
    std::map<std::pair<std::uint64_t, std::uint32_t>, std::uint64_t> dropsSeen_; // (cgroup, reason)
    // Pods counted, and since when each has been gone (none: still here).
    std::map<Pod, std::chrono::steady_clock::time_point> goneSince_;
    std::map<std::uint64_t, Pod> cgroupPods_; // cgroups counted and their pods
    std::chrono::steady_clock::time_point lastInterfaceScan_{}, lastCgroupScan_{};
};

} // namespace ss::helper
