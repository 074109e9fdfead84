// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ss::policy {

// Kubernetes label selector (matchLabels and matchExpressions; an empty one selects all).
struct LabelSelector {
    struct Requirement {
        std::string key;
        std::string op; // In, NotIn, Exists, DoesNotExist
        std::vector<std::string> values;
    };
    std::map<std::string, std::string> matchLabels;
    std::vector<Requirement> matchExpressions;

    bool matches(const std::map<std::string, std::string>& labels) const;
};

// An IPv4 or IPv6 network ("10.0.0.0/8", "fd00::/64").
struct Cidr {
    std::vector<std::uint8_t> address; // 4 or 16 bytes
    int prefix = 0;
    static std::optional<Cidr> parse(const std::string& text);
    bool contains(const std::vector<std::uint8_t>& ip) const;
};

struct PolicyPeer {
    std::optional<LabelSelector> podSelector;
    std::optional<LabelSelector> namespaceSelector;
    std::optional<Cidr> ipBlock;
    std::vector<Cidr> except;
    std::string ipBlockText;
};

struct PolicyPort {
    std::string protocol = "TCP";
    std::optional<std::uint32_t> port; // none: every port of the protocol
    std::string namedPort;             // "http": a container port's name
    std::optional<std::uint32_t> endPort;
};

struct PolicyRule {
    std::vector<PolicyPeer> peers; // empty: every peer
    std::vector<PolicyPort> ports; // empty: every port
};

// networking.k8s.io/v1 NetworkPolicy, as far as traffic decisions go.
struct NetworkPolicy {
    std::string name;
    std::string ns = "default";
    std::string source; // "FILE.yaml#2": where it was read
    LabelSelector podSelector;
    bool ingressType = false;
    bool egressType = false;
    std::vector<PolicyRule> ingress;
    std::vector<PolicyRule> egress;
};

// A policy file that cannot be used: says which file, which document and which key.
class PolicyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Every NetworkPolicy in a YAML file (several documents, or a List's items); other kinds
// are skipped. Throws PolicyError.
std::vector<NetworkPolicy> loadPolicies(const std::string& path);
std::vector<NetworkPolicy> parsePolicies(const std::string& text, const std::string& sourceName);

} // namespace ss::policy
