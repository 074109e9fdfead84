// SPDX-License-Identifier: GPL-2.0-or-later
#include "cluster.h"

#include "network_policy.h"
#include "read_file.h"

#include <arpa/inet.h>

#include <sstream>

#include <nlohmann/json.hpp>

namespace ss::policy {
namespace {

constexpr std::size_t kMaxFileBytes = 64 << 20;

std::map<std::string, std::string> labelsOf(const nlohmann::json& meta)
{
    std::map<std::string, std::string> out;
    if (meta.contains("labels") && meta["labels"].is_object())
        for (const auto& [k, v] : meta["labels"].items())
            if (v.is_string())
                out[k] = v.get<std::string>();
    return out;
}

std::string stringAt(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

} // namespace

Ip parseIp(const std::string& text)
{
    std::uint8_t buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1)
        return Ip(buf, buf + 4);
    if (inet_pton(AF_INET6, text.c_str(), buf) == 1)
        return Ip(buf, buf + 16);
    return {};
}

std::string ipText(const Ip& ip)
{
    char buf[INET6_ADDRSTRLEN] = "";
    if (ip.size() == 4)
        inet_ntop(AF_INET, ip.data(), buf, sizeof buf);
    else if (ip.size() == 16)
        inet_ntop(AF_INET6, ip.data(), buf, sizeof buf);
    return buf;
}

void Cluster::loadKubectlJson(const std::string& path)
{
    const auto text = readSmallFile(path, kMaxFileBytes + 1);
    if (!text)
        throw PolicyError(path + ": cannot be read");
    if (text->size() > kMaxFileBytes)
        throw PolicyError(path + ": larger than 64 MiB");
    const auto doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw PolicyError(path + ": not a JSON object (expected kubectl get pods,namespaces -A -o json)");
    std::vector<nlohmann::json> items;
    if (doc.contains("items") && doc["items"].is_array())
        items.assign(doc["items"].begin(), doc["items"].end());
    else
        items.push_back(doc);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        const std::string kind = stringAt(item, "kind");
        const auto meta = item.is_object() && item.contains("metadata") ? item["metadata"] : nlohmann::json();
        const std::string name = stringAt(meta, "name");
        if (kind == "Namespace") {
            if (name.empty())
                throw PolicyError(path + ": items[" + std::to_string(i) + "]: a Namespace without a name");
            setNamespaceLabels(name, labelsOf(meta));
            continue;
        }
        if (kind != "Pod")
            continue;
        Pod pod;
        pod.name = name;
        pod.ns = stringAt(meta, "namespace").empty() ? "default" : stringAt(meta, "namespace");
        if (pod.name.empty())
            throw PolicyError(path + ": items[" + std::to_string(i) + "]: a Pod without a name");
        pod.labels = labelsOf(meta);
        const auto status = item.contains("status") ? item["status"] : nlohmann::json();
        if (status.is_object() && status.contains("podIPs") && status["podIPs"].is_array())
            for (const auto& a : status["podIPs"])
                if (Ip ip = parseIp(stringAt(a, "ip")); !ip.empty())
                    pod.ips.push_back(ip);
        if (pod.ips.empty())
            if (Ip ip = parseIp(stringAt(status, "podIP")); !ip.empty())
                pod.ips.push_back(ip);
        const auto spec = item.contains("spec") ? item["spec"] : nlohmann::json();
        if (spec.is_object() && spec.contains("containers") && spec["containers"].is_array())
            for (const auto& c : spec["containers"])
                if (c.is_object() && c.contains("ports") && c["ports"].is_array())
                    for (const auto& p : c["ports"]) {
                        const std::string portName = stringAt(p, "name");
                        if (portName.empty() || !p.contains("containerPort") || !p["containerPort"].is_number_unsigned())
                            continue;
                        const std::string proto = stringAt(p, "protocol").empty() ? "TCP" : stringAt(p, "protocol");
                        pod.namedPorts[portName] = {proto, p["containerPort"].get<std::uint16_t>()};
                    }
        addPod(std::move(pod));
    }
}

void Cluster::addPod(Pod pod)
{
    for (const Ip& ip : pod.ips)
        byIp_[ip] = pods_.size();
    pods_.push_back(std::move(pod));
}

void Cluster::learnPod(const std::string& ns, const std::string& name,
                       const std::map<std::string, std::string>& labels, const Ip& ip)
{
    if (name.empty() || ip.empty() || byIp_.count(ip))
        return;
    for (std::size_t i = 0; i < pods_.size(); ++i)
        if (pods_[i].name == name && pods_[i].ns == ns) {
            pods_[i].ips.push_back(ip);
            byIp_[ip] = i;
            if (pods_[i].labels.empty())
                pods_[i].labels = labels;
            return;
        }
    byIp_[ip] = pods_.size();
    pods_.push_back(Pod{name, ns.empty() ? "default" : ns, labels, {ip}, {}});
}

void Cluster::setNamespaceLabels(const std::string& ns, const std::map<std::string, std::string>& labels)
{
    namespaces_[ns] = labels;
}

const Pod* Cluster::podByIp(const Ip& ip) const
{
    const auto it = byIp_.find(ip);
    return it == byIp_.end() ? nullptr : &pods_[it->second];
}

std::map<std::string, std::string> Cluster::namespaceLabels(const std::string& ns) const
{
    std::map<std::string, std::string> labels;
    if (const auto it = namespaces_.find(ns); it != namespaces_.end())
        labels = it->second;
    labels["kubernetes.io/metadata.name"] = ns;
    return labels;
}

std::map<std::string, std::string> parseLabelList(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(" \t\"[]");
        const auto e = item.find_last_not_of(" \t\"[]");
        if (b == std::string::npos)
            continue;
        item = item.substr(b, e - b + 1);
        if (item.rfind("k8s:", 0) == 0)
            item.erase(0, 4);
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            continue;
        const std::string key = item.substr(0, eq);
        if (key.rfind("io.kubernetes.", 0) == 0 || key.rfind("io.cilium.", 0) == 0)
            continue;
        out[key] = item.substr(eq + 1);
    }
    return out;
}

} // namespace ss::policy
