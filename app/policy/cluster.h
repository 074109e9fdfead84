// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ss::policy {

using Ip = std::vector<std::uint8_t>; // 4 or 16 bytes
Ip parseIp(const std::string& text);  // empty when not an address
std::string ipText(const Ip& ip);

struct Pod {
    std::string name;
    std::string ns;
    std::map<std::string, std::string> labels;
    std::vector<Ip> ips;
    // Named container ports: name → (protocol, number).
    std::map<std::string, std::pair<std::string, std::uint16_t>> namedPorts;
};

// The pods and namespaces a policy decision needs: from `kubectl get pods,namespaces -A -o
// json` (a List of Pod and Namespace items), or learnt from a capture's own records.
class Cluster {
public:
    // Throws PolicyError naming the file and the item that cannot be used.
    void loadKubectlJson(const std::string& path);
    // A pod seen in a capture (k8s.* metadata, Hubble endpoints); the first word on a pod wins.
    void addPod(Pod pod);
    void learnPod(const std::string& ns, const std::string& name, const std::map<std::string, std::string>& labels,
                  const Ip& ip);
    void setNamespaceLabels(const std::string& ns, const std::map<std::string, std::string>& labels);

    const Pod* podByIp(const Ip& ip) const;
    // A namespace's labels, with kubernetes.io/metadata.name as Kubernetes sets it.
    std::map<std::string, std::string> namespaceLabels(const std::string& ns) const;
    std::size_t podCount() const { return pods_.size(); }
    const std::vector<Pod>& pods() const { return pods_; }

private:
    std::vector<Pod> pods_;
    std::map<Ip, std::size_t> byIp_;
    std::map<std::string, std::map<std::string, std::string>> namespaces_;
};

// Labels as Hubble and our k8s.pod.labels print them: "k8s:app=web,k8s:tier=db" or
// "app=web, tier=db"; Cilium's "k8s:" source prefix and its io.kubernetes.* keys dropped.
std::map<std::string, std::string> parseLabelList(const std::string& text);

} // namespace ss::policy
