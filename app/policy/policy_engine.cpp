// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy_engine.h"

namespace ss::policy {
namespace {

std::string podName(const Pod& p)
{
    return p.ns + "/" + p.name;
}

// Does `peer` (of a policy in namespace policyNs) describe the endpoint (pod or bare address)?
bool peerMatches(const PolicyPeer& peer, const std::string& policyNs, const Cluster& cluster, const Pod* pod,
                 const Ip& ip)
{
    if (peer.ipBlock) {
        if (!peer.ipBlock->contains(ip))
            return false;
        for (const auto& e : peer.except)
            if (e.contains(ip))
                return false;
        return true;
    }
    if (!pod)
        return false; // selectors name pods only
    if (peer.namespaceSelector) {
        if (!peer.namespaceSelector->matches(cluster.namespaceLabels(pod->ns)))
            return false;
    } else if (pod->ns != policyNs) {
        return false;
    }
    return !peer.podSelector || peer.podSelector->matches(pod->labels);
}

// Does `port` admit protocol/number on a connection to `target` (for named ports)?
bool portMatches(const PolicyPort& port, const std::string& protocol, std::uint16_t number, const Pod* target)
{
    if (port.protocol != protocol)
        return false;
    if (!port.namedPort.empty()) {
        if (!target)
            return false;
        const auto it = target->namedPorts.find(port.namedPort);
        return it != target->namedPorts.end() && it->second.first == protocol && it->second.second == number;
    }
    if (!port.port)
        return true;
    const std::uint32_t last = port.endPort ? *port.endPort : *port.port;
    return number >= *port.port && number <= last;
}

struct Side {
    bool isolated = false;
    std::string admittedBy; // "ns/policy ingress[2]"
    std::vector<std::string> selecting;
};

// One direction of one pod: which policies isolate it, which rule (if any) admits the peer.
// Named ports are the destination's: the pod itself for ingress, the peer for egress.
Side evaluate(const std::vector<NetworkPolicy>& policies, const Cluster& cluster, const Pod& pod, bool ingress,
              const Pod* peerPod, const Ip& peerIp, const std::string& protocol, std::uint16_t dstPort)
{
    const Pod* target = ingress ? &pod : peerPod;
    Side side;
    for (const auto& p : policies) {
        if (p.ns != pod.ns || !(ingress ? p.ingressType : p.egressType) || !p.podSelector.matches(pod.labels))
            continue;
        side.isolated = true;
        side.selecting.push_back(p.ns + "/" + p.name);
        const auto& rules = ingress ? p.ingress : p.egress;
        for (std::size_t i = 0; i < rules.size() && side.admittedBy.empty(); ++i) {
            const PolicyRule& r = rules[i];
            bool peerOk = r.peers.empty();
            for (const auto& peer : r.peers)
                peerOk = peerOk || peerMatches(peer, p.ns, cluster, peerPod, peerIp);
            bool portOk = r.ports.empty();
            for (const auto& port : r.ports)
                portOk = portOk || portMatches(port, protocol, dstPort, target);
            if (peerOk && portOk)
                side.admittedBy = p.ns + "/" + p.name + (ingress ? " ingress[" : " egress[") + std::to_string(i) + "]";
        }
    }
    return side;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

Decision decide(const std::vector<NetworkPolicy>& policies, const Cluster& cluster, const Ip& src, const Ip& dst,
                const std::string& protocol, std::uint16_t dstPort)
{
    const Pod* from = cluster.podByIp(src);
    const Pod* to = cluster.podByIp(dst);
    Decision d;
    std::vector<std::string> why;
    // The source's egress, then the destination's ingress.
    const auto judge = [&](const Pod* pod, bool ingress, const Pod* peer, const Ip& peerIp) {
        if (!pod)
            return;
        const char* direction = ingress ? "ingress" : "egress";
        const Side s = evaluate(policies, cluster, *pod, ingress, peer, peerIp, protocol, dstPort);
        if (s.isolated && s.admittedBy.empty()) {
            d.allowed = false;
            why.push_back(std::string(direction) + " of " + podName(*pod) + " is limited by " + joined(s.selecting) +
                          " and no rule admits it");
        } else if (s.isolated) {
            why.push_back(std::string(direction) + " allowed by " + s.admittedBy);
        }
    };
    judge(from, false, to, dst);
    judge(to, true, from, src);
    if (why.empty())
        why.push_back(from || to ? "no policy selects either pod" : "neither address is a known pod");
    for (const auto& w : why)
        d.reason += (d.reason.empty() ? "" : "; ") + w;
    return d;
}

} // namespace ss::policy
