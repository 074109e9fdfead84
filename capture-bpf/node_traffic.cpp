// SPDX-License-Identifier: GPL-2.0-or-later
#include "node_traffic.h"

#include "error.h"
#include "helper_metrics.h"
#include "interfaces.h"
#include "packet_capturer.h"

#include <net/if.h>

#include <cstdio>
#include <set>

namespace ss::helper {
namespace {

constexpr std::uint32_t kCountRingBytes = 4096; // the counting programs copy nothing

const char* protocolName(std::uint8_t protocol)
{
    switch (protocol) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1:
    case 58: return "icmp";
    default: return "other";
    }
}

} // namespace

NodeTraffic::NodeTraffic(HelperMetrics& metrics, std::shared_ptr<bpf::PodSource> pods, std::chrono::seconds grace)
    : metrics_(metrics), pods_(std::move(pods)), grace_(grace)
{
    counter_ = std::make_unique<bpf::PacketCapturer>(
        bpf::upInterfaces(), 0, [](const ss_packet_event&, const std::uint8_t*) {}, std::vector<bpf::ClassicInsn>{},
        kCountRingBytes, bpf::PacketCapturer::Prepare{}, std::vector<bpf::ExcludedEndpoint>{},
        bpf::PacketCapturer::Role::Count);
    lastInterfaceScan_ = std::chrono::steady_clock::now();
}

NodeTraffic::~NodeTraffic() = default;

void NodeTraffic::addInterfaces()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - lastInterfaceScan_ < std::chrono::seconds(1))
        return;
    lastInterfaceScan_ = now;
    for (const bpf::PacketCapturer::Interface& i : bpf::upInterfaces()) {
        if (counter_->hasInterface(i.ifindex))
            continue;
        try {
            counter_->addInterface(i);
        } catch (const EngineError& e) { // gone again: the others go on
            std::fprintf(stderr, "stratoshark-helper: metrics: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(),
                         e.what());
        }
    }
}

NodeTraffic::Pod NodeTraffic::podOf(std::uint64_t cgroupId)
{
    if (cgroupId == 0)
        return {};
    const bpf::CgroupDirectory::Entry* entry = cgroups_.find(cgroupId);
    if (!entry || entry->identity.podUid.empty() || !podDirectory_)
        return {};
    const bpf::KubernetesView view = bpf::describe(entry->identity, *podDirectory_);
    return {view.ns, view.pod};
}

std::string NodeTraffic::interfaceName(std::uint32_t ifindex)
{
    const auto it = interfaces_.find(ifindex);
    if (it != interfaces_.end())
        return it->second;
    char name[IF_NAMESIZE] = {};
    std::string found = if_indextoname(ifindex, name) ? name : "if" + std::to_string(ifindex);
    interfaces_[ifindex] = found;
    return found;
}

void NodeTraffic::refresh()
{
    addInterfaces();
    if (pods_)
        podDirectory_ = pods_->current().pods;
    std::set<Pod> present;
    for (const auto& [key, total] : counter_->traffic()) {
        const TrafficKey k{key.cgroup_id, key.ifindex, key.direction, key.protocol};
        auto [seen, fresh] = trafficSeen_.try_emplace(k, ss_traffic_value{});
        const auto [pod, known] = cgroupPods_.try_emplace(key.cgroup_id, Pod{});
        if (!known || (pod->second.name.empty() && key.cgroup_id))
            pod->second = podOf(key.cgroup_id); // asked again until its pod is known
        if (!pod->second.name.empty())
            present.insert(pod->second);
        const ss_traffic_value delta{total.packets - seen->second.packets, total.bytes - seen->second.bytes,
                                     total.retransmissions - seen->second.retransmissions};
        seen->second = total;
        if (delta.packets == 0 && delta.retransmissions == 0)
            continue;
        metrics_.addTraffic({pod->second.ns, pod->second.name}, key.direction == SS_DIR_INGRESS ? "ingress" : "egress",
                            interfaceName(key.ifindex), protocolName(key.protocol), delta.packets, delta.bytes,
                            delta.retransmissions);
    }
    for (const auto& [key, total] : counter_->drops()) {
        std::uint64_t& seen = dropsSeen_[{key.cgroup_id, key.reason}];
        if (total == seen)
            continue;
        const Pod pod = podOf(key.cgroup_id);
        metrics_.addKernelDrops(counter_->dropReason(key.reason), {pod.ns, pod.name}, total - seen);
        seen = total;
    }
    metrics_.setUncounted(counter_->uncounted());
    for (const Pod& pod : present)
        goneSince_.try_emplace(pod);
    forgetGonePods();
}

// A pod is gone when none of its cgroups is left on the node, or it has left the pod list.
void NodeTraffic::forgetGonePods()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - lastCgroupScan_ >= std::chrono::seconds(5)) {
        cgroups_.rescan();
        lastCgroupScan_ = now;
    }
    // The kernel's entries of cgroups of no pod that are gone (a host service's scope).
    for (auto c = cgroupPods_.begin(); c != cgroupPods_.end();) {
        if (c->first && c->second.name.empty() && !cgroups_.entries().count(c->first)) {
            forgetCgroup(c->first);
            c = cgroupPods_.erase(c);
        } else {
            ++c;
        }
    }
    // The pods with a cgroup still on the node, and those the pod list still has.
    std::set<Pod> withCgroups, listed;
    for (const auto& [cgroup, owner] : cgroupPods_)
        if (cgroups_.entries().count(cgroup))
            withCgroups.insert(owner);
    if (podDirectory_)
        for (const bpf::PodInfo* p : podDirectory_->all())
            listed.insert({p->ns, p->name});
    for (auto it = goneSince_.begin(); it != goneSince_.end();) {
        const Pod& pod = it->first;
        const bool here = withCgroups.count(pod) && (!podDirectory_ || listed.count(pod));
        if (here) {
            it->second = {};
            ++it;
            continue;
        }
        if (it->second == std::chrono::steady_clock::time_point{})
            it->second = now;
        if (now - it->second < grace_) {
            ++it;
            continue;
        }
        metrics_.forgetPod({pod.ns, pod.name});
        for (auto c = cgroupPods_.begin(); c != cgroupPods_.end();) {
            if (c->second == pod) {
                forgetCgroup(c->first);
                c = cgroupPods_.erase(c);
            } else {
                ++c;
            }
        }
        it = goneSince_.erase(it);
    }
}

void NodeTraffic::forgetCgroup(std::uint64_t cgroupId)
{
    for (auto t = trafficSeen_.begin(); t != trafficSeen_.end();)
        t = t->first.cgroup == cgroupId ? trafficSeen_.erase(t) : std::next(t);
    for (auto d = dropsSeen_.begin(); d != dropsSeen_.end();)
        d = d->first.first == cgroupId ? dropsSeen_.erase(d) : std::next(d);
    counter_->forgetCgroup(cgroupId);
}

} // namespace ss::helper
