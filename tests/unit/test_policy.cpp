// SPDX-License-Identifier: GPL-2.0-or-later
// Kubernetes NetworkPolicy semantics, as the API reference and the network-policies concept
// page state them, on hand-made pods.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "cluster.h"
#include "network_policy.h"
#include "policy_engine.h"

using namespace ss::policy;

namespace {

struct Lab {
    Cluster cluster;
    Lab()
    {
        cluster.learnPod("shop", "frontend", {{"app", "frontend"}}, parseIp("10.1.0.2"));
        cluster.learnPod("shop", "backend", {{"app", "backend"}, {"tier", "api"}}, parseIp("10.1.0.3"));
        cluster.learnPod("shop", "db", {{"app", "db"}}, parseIp("10.1.0.4"));
        cluster.learnPod("tools", "debug", {{"app", "debug"}}, parseIp("10.2.0.5"));
        cluster.setNamespaceLabels("tools", {{"team", "ops"}});
    }
    Decision check(const std::string& yaml, const char* src, const char* dst, std::uint16_t port,
                   const char* proto = "TCP")
    {
        return decide(parsePolicies(yaml, "test.yaml"), cluster, parseIp(src), parseIp(dst), proto, port);
    }
};

const char* const kBackendFromFrontend = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    ports:
    - {protocol: TCP, port: 8080}
)";

} // namespace

TEST_CASE("no policy selects a pod: everything is allowed", "[policy]")
{
    Lab lab;
    CHECK(lab.check("", "10.1.0.2", "10.1.0.3", 8080).allowed);
}

TEST_CASE("a selected pod admits only what a rule allows", "[policy]")
{
    Lab lab;
    CHECK(lab.check(kBackendFromFrontend, "10.1.0.2", "10.1.0.3", 8080).allowed);
    const Decision wrongPort = lab.check(kBackendFromFrontend, "10.1.0.2", "10.1.0.3", 9090);
    CHECK_FALSE(wrongPort.allowed);
    CHECK(wrongPort.reason.find("shop/backend-ingress") != std::string::npos);
    CHECK_FALSE(lab.check(kBackendFromFrontend, "10.1.0.4", "10.1.0.3", 8080).allowed);   // db → backend
    CHECK_FALSE(lab.check(kBackendFromFrontend, "203.0.113.9", "10.1.0.3", 8080).allowed); // external
    CHECK_FALSE(lab.check(kBackendFromFrontend, "10.1.0.2", "10.1.0.3", 8080, "UDP").allowed);
    // A podSelector peer without namespaceSelector means the policy's own namespace.
    lab.cluster.learnPod("tools", "frontend", {{"app", "frontend"}}, parseIp("10.2.0.6"));
    CHECK_FALSE(lab.check(kBackendFromFrontend, "10.2.0.6", "10.1.0.3", 8080).allowed);
    // Pods the policy does not select stay open.
    CHECK(lab.check(kBackendFromFrontend, "203.0.113.9", "10.1.0.4", 5432).allowed);
}

TEST_CASE("default deny: an empty podSelector and no rules", "[policy]")
{
    Lab lab;
    const char* denyIngress = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
)";
    CHECK_FALSE(lab.check(denyIngress, "10.1.0.2", "10.1.0.4", 5432).allowed);
    CHECK(lab.check(denyIngress, "10.1.0.2", "203.0.113.9", 443).allowed); // egress untouched
    const char* denyEgress = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
)";
    CHECK_FALSE(lab.check(denyEgress, "10.1.0.2", "203.0.113.9", 443).allowed);
    CHECK(lab.check(denyEgress, "203.0.113.9", "10.1.0.2", 443).allowed);
}

TEST_CASE("policyTypes default to Ingress, plus Egress when egress rules exist", "[policy]")
{
    Lab lab;
    const char* egressOnly = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-only, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  egress:
  - ports: [{protocol: UDP, port: 53}]
)";
    CHECK(lab.check(egressOnly, "10.1.0.2", "10.96.0.10", 53, "UDP").allowed);
    CHECK_FALSE(lab.check(egressOnly, "10.1.0.2", "10.1.0.3", 8080).allowed);
    // Ingress is isolated too (the default type), with no ingress rule.
    CHECK_FALSE(lab.check(egressOnly, "10.1.0.3", "10.1.0.2", 80).allowed);
}

TEST_CASE("ipBlock with except, and a port range with endPort", "[policy]")
{
    Lab lab;
    const char* mining = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: block-crypto-mining, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0, except: [198.51.100.0/24]}
    ports:
    - {protocol: TCP, port: 443}
    - {protocol: TCP, port: 8000, endPort: 8100}
  - to:
    - namespaceSelector: {}
)";
    CHECK(lab.check(mining, "10.1.0.2", "203.0.113.9", 443).allowed);
    CHECK_FALSE(lab.check(mining, "10.1.0.2", "198.51.100.7", 443).allowed); // the pool's network
    CHECK(lab.check(mining, "10.1.0.2", "203.0.113.9", 8050).allowed);
    CHECK_FALSE(lab.check(mining, "10.1.0.2", "203.0.113.9", 3333).allowed); // stratum
    CHECK(lab.check(mining, "10.1.0.2", "10.2.0.5", 3333).allowed);           // any pod, any port
}

TEST_CASE("namespaceSelector and podSelector in one peer must both match", "[policy]")
{
    Lab lab;
    const char* ops = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-ops, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector:
        matchExpressions:
        - {key: app, operator: In, values: [debug, admin]}
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
      podSelector: {matchExpressions: [{key: tier, operator: Exists}]}
)";
    CHECK(lab.check(ops, "10.2.0.5", "10.1.0.4", 5432).allowed);  // tools/debug
    CHECK(lab.check(ops, "10.1.0.3", "10.1.0.4", 5432).allowed);  // shop/backend has tier
    CHECK_FALSE(lab.check(ops, "10.1.0.2", "10.1.0.4", 5432).allowed); // shop/frontend: no tier
    lab.cluster.learnPod("tools", "shell", {{"app", "shell"}}, parseIp("10.2.0.7"));
    CHECK_FALSE(lab.check(ops, "10.2.0.7", "10.1.0.4", 5432).allowed);
}

TEST_CASE("named ports resolve on the destination pod", "[policy]")
{
    Lab lab;
    const char* named = R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - ports: [{port: http}]
)";
    CHECK_FALSE(lab.check(named, "10.1.0.2", "10.1.0.3", 8080).allowed); // no port named http known
    Lab withPorts;
    withPorts.cluster = Cluster();
    withPorts.cluster.learnPod("shop", "frontend", {{"app", "frontend"}}, parseIp("10.1.0.2"));
    withPorts.cluster.addPod(Pod{"backend", "shop", {{"app", "backend"}}, {parseIp("10.1.0.3")}, {{"http", {"TCP", 8080}}}});
    CHECK(withPorts.check(named, "10.1.0.2", "10.1.0.3", 8080).allowed);
    CHECK_FALSE(withPorts.check(named, "10.1.0.2", "10.1.0.3", 9090).allowed);
    CHECK_FALSE(withPorts.check(named, "10.1.0.2", "10.1.0.3", 8080, "UDP").allowed);
}

TEST_CASE("bad policies are refused with the place of the fault", "[policy]")
{
    auto refused = [](const std::string& yaml) {
        try {
            parsePolicies(yaml, "bad.yaml");
        } catch (const PolicyError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(refused("kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\nspec: {}\n")
              .find("bad.yaml#1.spec: podSelector is required") != std::string::npos);
    CHECK(refused("kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\n"
                  "spec: {podSelector: {}, ingress: [{ports: [{port: 70000}]}]}\n")
              .find("spec.ingress[0].ports[0].port") != std::string::npos);
    CHECK(refused("kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\n"
                  "spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}\n")
              .find("ipBlock.cidr") != std::string::npos);
    CHECK(refused("kind: NetworkPolicy\napiVersion: networking.k8s.io/v1beta1\n").find("apiVersion") !=
          std::string::npos);
    CHECK(refused("[unclosed").find("not YAML") != std::string::npos);
    // Other kinds are not ours to judge: skipped, not refused.
    CHECK(parsePolicies("kind: Deployment\napiVersion: apps/v1\n", "d.yaml").empty());
}
