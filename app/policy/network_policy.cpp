// SPDX-License-Identifier: GPL-2.0-or-later
#include "network_policy.h"

#include "read_file.h"

#include <arpa/inet.h>

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace ss::policy {
namespace {

constexpr std::size_t kMaxFileBytes = 16 << 20;
constexpr std::size_t kMaxDocuments = 10000;

[[noreturn]] void fail(const std::string& where, const std::string& what)
{
    throw PolicyError(where + ": " + what);
}

std::string scalar(const YAML::Node& node, const std::string& where)
{
    if (!node.IsScalar())
        fail(where, "expected a string");
    return node.as<std::string>();
}

LabelSelector parseSelector(const YAML::Node& node, const std::string& where)
{
    LabelSelector s;
    if (!node || node.IsNull())
        return s;
    if (!node.IsMap())
        fail(where, "expected a label selector (matchLabels, matchExpressions)");
    if (const auto labels = node["matchLabels"]; labels && !labels.IsNull()) {
        if (!labels.IsMap())
            fail(where + ".matchLabels", "expected a map of labels");
        for (const auto& kv : labels)
            s.matchLabels[scalar(kv.first, where + ".matchLabels")] = scalar(kv.second, where + ".matchLabels");
    }
    if (const auto exprs = node["matchExpressions"]; exprs && !exprs.IsNull()) {
        if (!exprs.IsSequence())
            fail(where + ".matchExpressions", "expected a list");
        for (std::size_t i = 0; i < exprs.size(); ++i) {
            const std::string at = where + ".matchExpressions[" + std::to_string(i) + "]";
            LabelSelector::Requirement r;
            r.key = scalar(exprs[i]["key"], at + ".key");
            r.op = scalar(exprs[i]["operator"], at + ".operator");
            if (r.op != "In" && r.op != "NotIn" && r.op != "Exists" && r.op != "DoesNotExist")
                fail(at + ".operator", "\"" + r.op + "\" is not In, NotIn, Exists or DoesNotExist");
            if (const auto values = exprs[i]["values"]; values && values.IsSequence())
                for (const auto& v : values)
                    r.values.push_back(scalar(v, at + ".values"));
            if ((r.op == "In" || r.op == "NotIn") && r.values.empty())
                fail(at + ".values", "must not be empty for " + r.op);
            s.matchExpressions.push_back(std::move(r));
        }
    }
    return s;
}

PolicyPeer parsePeer(const YAML::Node& node, const std::string& where)
{
    if (!node.IsMap())
        fail(where, "expected a peer (podSelector, namespaceSelector or ipBlock)");
    PolicyPeer p;
    if (node["podSelector"])
        p.podSelector = parseSelector(node["podSelector"], where + ".podSelector");
    if (node["namespaceSelector"])
        p.namespaceSelector = parseSelector(node["namespaceSelector"], where + ".namespaceSelector");
    if (const auto block = node["ipBlock"]) {
        if (p.podSelector || p.namespaceSelector)
            fail(where, "ipBlock cannot be combined with podSelector or namespaceSelector");
        p.ipBlockText = scalar(block["cidr"], where + ".ipBlock.cidr");
        p.ipBlock = Cidr::parse(p.ipBlockText);
        if (!p.ipBlock)
            fail(where + ".ipBlock.cidr", "\"" + p.ipBlockText + "\" is not a CIDR");
        if (const auto except = block["except"]; except && except.IsSequence())
            for (const auto& e : except) {
                const std::string text = scalar(e, where + ".ipBlock.except");
                auto cidr = Cidr::parse(text);
                if (!cidr)
                    fail(where + ".ipBlock.except", "\"" + text + "\" is not a CIDR");
                p.except.push_back(*cidr);
            }
    }
    if (!p.podSelector && !p.namespaceSelector && !p.ipBlock)
        fail(where, "a peer needs podSelector, namespaceSelector or ipBlock");
    return p;
}

std::uint32_t portNumber(const std::string& text, const std::string& where)
{
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
        fail(where, "\"" + text + "\" is not a port");
    const unsigned long n = std::stoul(text);
    if (n < 1 || n > 65535)
        fail(where, "port " + text + " is outside 1-65535");
    return static_cast<std::uint32_t>(n);
}

PolicyPort parsePort(const YAML::Node& node, const std::string& where)
{
    if (!node.IsMap())
        fail(where, "expected a port (protocol, port, endPort)");
    PolicyPort p;
    if (node["protocol"])
        p.protocol = scalar(node["protocol"], where + ".protocol");
    if (p.protocol != "TCP" && p.protocol != "UDP" && p.protocol != "SCTP")
        fail(where + ".protocol", "\"" + p.protocol + "\" is not TCP, UDP or SCTP");
    if (const auto port = node["port"]; port && !port.IsNull()) {
        const std::string text = scalar(port, where + ".port");
        if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0])))
            p.port = portNumber(text, where + ".port");
        else
            p.namedPort = text;
    }
    if (const auto end = node["endPort"]; end && !end.IsNull()) {
        if (!p.port)
            fail(where + ".endPort", "needs a numeric port");
        p.endPort = portNumber(scalar(end, where + ".endPort"), where + ".endPort");
        if (*p.endPort < *p.port)
            fail(where + ".endPort", "is below port");
    }
    return p;
}

std::vector<PolicyRule> parseRules(const YAML::Node& node, const char* peersKey, const std::string& where)
{
    std::vector<PolicyRule> rules;
    if (!node || node.IsNull())
        return rules;
    if (!node.IsSequence())
        fail(where, "expected a list of rules");
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        PolicyRule rule;
        if (!node[i].IsNull() && !node[i].IsMap())
            fail(at, "expected a rule");
        if (const auto peers = node[i][peersKey]; peers && !peers.IsNull()) {
            if (!peers.IsSequence())
                fail(at + "." + peersKey, "expected a list");
            for (std::size_t k = 0; k < peers.size(); ++k)
                rule.peers.push_back(parsePeer(peers[k], at + "." + peersKey + "[" + std::to_string(k) + "]"));
        }
        if (const auto ports = node[i]["ports"]; ports && !ports.IsNull()) {
            if (!ports.IsSequence())
                fail(at + ".ports", "expected a list");
            for (std::size_t k = 0; k < ports.size(); ++k)
                rule.ports.push_back(parsePort(ports[k], at + ".ports[" + std::to_string(k) + "]"));
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

NetworkPolicy parsePolicy(const YAML::Node& doc, const std::string& where)
{
    NetworkPolicy p;
    p.source = where;
    const auto meta = doc["metadata"];
    if (!meta || !meta.IsMap())
        fail(where, "metadata is missing");
    p.name = scalar(meta["name"], where + ".metadata.name");
    if (meta["namespace"])
        p.ns = scalar(meta["namespace"], where + ".metadata.namespace");
    const auto spec = doc["spec"];
    if (!spec || !spec.IsMap())
        fail(where, "spec is missing");
    if (!spec["podSelector"])
        fail(where + ".spec", "podSelector is required");
    p.podSelector = parseSelector(spec["podSelector"], where + ".spec.podSelector");
    p.ingress = parseRules(spec["ingress"], "from", where + ".spec.ingress");
    p.egress = parseRules(spec["egress"], "to", where + ".spec.egress");
    if (const auto types = spec["policyTypes"]; types && !types.IsNull()) {
        if (!types.IsSequence())
            fail(where + ".spec.policyTypes", "expected a list");
        for (const auto& t : types) {
            const std::string type = scalar(t, where + ".spec.policyTypes");
            if (type == "Ingress")
                p.ingressType = true;
            else if (type == "Egress")
                p.egressType = true;
            else
                fail(where + ".spec.policyTypes", "\"" + type + "\" is not Ingress or Egress");
        }
    } else {
        // Kubernetes' default: always Ingress, Egress when egress rules are given.
        p.ingressType = true;
        p.egressType = spec["egress"].IsDefined() && !spec["egress"].IsNull();
    }
    return p;
}

void collect(const YAML::Node& doc, const std::string& where, std::vector<NetworkPolicy>& out)
{
    if (!doc || doc.IsNull())
        return;
    if (!doc.IsMap())
        fail(where, "expected a Kubernetes object");
    const std::string kind = doc["kind"] ? scalar(doc["kind"], where + ".kind") : "";
    if (kind == "List" || kind == "NetworkPolicyList") {
        const auto items = doc["items"];
        if (items && items.IsSequence())
            for (std::size_t i = 0; i < items.size(); ++i)
                collect(items[i], where + ".items[" + std::to_string(i) + "]", out);
        return;
    }
    if (kind != "NetworkPolicy")
        return;
    const std::string api = doc["apiVersion"] ? scalar(doc["apiVersion"], where + ".apiVersion") : "";
    if (api != "networking.k8s.io/v1")
        fail(where + ".apiVersion", "\"" + api + "\" is not networking.k8s.io/v1");
    out.push_back(parsePolicy(doc, where));
}

} // namespace

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const
{
    for (const auto& [k, v] : matchLabels) {
        const auto it = labels.find(k);
        if (it == labels.end() || it->second != v)
            return false;
    }
    for (const auto& r : matchExpressions) {
        const auto it = labels.find(r.key);
        const bool has = it != labels.end();
        const bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
        if ((r.op == "In" && !in) || (r.op == "NotIn" && in) || (r.op == "Exists" && !has) ||
            (r.op == "DoesNotExist" && has))
            return false;
    }
    return true;
}

std::optional<Cidr> Cidr::parse(const std::string& text)
{
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos)
        return std::nullopt;
    const std::string addr = text.substr(0, slash);
    const std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    Cidr c;
    c.prefix = std::stoi(bits);
    std::uint8_t buf[16];
    if (inet_pton(AF_INET, addr.c_str(), buf) == 1 && c.prefix <= 32)
        c.address.assign(buf, buf + 4);
    else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1 && c.prefix <= 128)
        c.address.assign(buf, buf + 16);
    else
        return std::nullopt;
    return c;
}

bool Cidr::contains(const std::vector<std::uint8_t>& ip) const
{
    if (ip.size() != address.size())
        return false;
    int bits = prefix;
    for (std::size_t i = 0; i < ip.size() && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((ip[i] & mask) != (address[i] & mask))
            return false;
    }
    return true;
}

std::vector<NetworkPolicy> parsePolicies(const std::string& text, const std::string& sourceName)
{
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
        throw PolicyError(sourceName + ": not YAML: " + e.what());
    }
    if (docs.size() > kMaxDocuments)
        throw PolicyError(sourceName + ": more than " + std::to_string(kMaxDocuments) + " documents");
    std::vector<NetworkPolicy> out;
    try {
        for (std::size_t i = 0; i < docs.size(); ++i)
            collect(docs[i], sourceName + "#" + std::to_string(i + 1), out);
    } catch (const YAML::Exception& e) {
        throw PolicyError(sourceName + ": " + e.what());
    }
    return out;
}

std::vector<NetworkPolicy> loadPolicies(const std::string& path)
{
    const auto text = readSmallFile(path, kMaxFileBytes + 1);
    if (!text)
        throw PolicyError(path + ": cannot be read");
    if (text->size() > kMaxFileBytes)
        throw PolicyError(path + ": larger than 16 MiB");
    return parsePolicies(*text, path);
}

} // namespace ss::policy
