// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "network_policy.h"

namespace ss::policy {

// What NetworkPolicy says of one connection attempt.
struct Decision {
    bool allowed = true;
    std::string reason; // "allowed by default/web ingress[0]", "egress of default/x: no rule of default/deny-all admits it"
};

// Kubernetes' semantics: a direction is isolated for a pod once any policy of that type
// selects it, and then only what some rule of those policies admits passes; a connection
// needs both the source's egress and the destination's ingress. Addresses that are not
// pods are never isolated and match only ipBlock peers.
Decision decide(const std::vector<NetworkPolicy>& policies, const Cluster& cluster, const Ip& src, const Ip& dst,
                const std::string& protocol, std::uint16_t dstPort);

} // namespace ss::policy
