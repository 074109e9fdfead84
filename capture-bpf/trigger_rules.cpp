// SPDX-License-Identifier: GPL-2.0-or-later
#include "trigger_rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace ss::helper {
namespace {

constexpr std::size_t kMaxRules = 256;
constexpr std::size_t kMaxText = 64u << 10;

int lineOf(const YAML::Node& node)
{
    return node.Mark().line + 1;
}

std::string scalar(const YAML::Node& node, const std::string& key)
{
    if (!node.IsScalar())
        throw TriggerFileError(lineOf(node), key + " must be a single value");
    std::string text = node.as<std::string>();
    if (text.size() > kMaxText)
        throw TriggerFileError(lineOf(node), key + " is longer than 64 KiB");
    return text;
}

// "300s", "5m", "1h", "90" (seconds).
std::chrono::seconds duration(const YAML::Node& node, const std::string& key, std::chrono::seconds max)
{
    const std::string text = scalar(node, key);
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const unsigned long long scale = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
    if (!used || !scale || text[0] == '-')
        throw TriggerFileError(lineOf(node), key + ": \"" + text + "\" is not a duration (300s, 5m, 1h)");
    if (n > std::uint64_t(max.count()) / scale)
        throw TriggerFileError(lineOf(node), key + ": at most " + std::to_string(max.count()) + " s");
    return std::chrono::seconds(n * scale);
}

void checkTemplate(const YAML::Node& node, const std::string& key, const std::string& text)
{
    for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
        const std::size_t end = text.find("}}", at);
        std::string inner = end == std::string::npos ? std::string() : text.substr(at + 2, end - at - 2);
        inner.erase(0, inner.find_first_not_of(' '));
        inner.erase(inner.find_last_not_of(' ') + 1);
        if (end == std::string::npos || inner.size() < 2 || inner[0] != '.' ||
            inner.find_first_of(" {}") != std::string::npos)
            throw TriggerFileError(lineOf(node), key + ": a template is {{ .field }}, as in \"host {{ .pod_ip }}\"");
    }
}

TriggerRule parseRule(const YAML::Node& node)
{
    if (!node.IsMap())
        throw TriggerFileError(lineOf(node), "each trigger is a map (name:, falco_rule:, action: …)");
    TriggerRule r;
    r.line = lineOf(node);
    bool matchesSomething = false;
    std::string action = "capture"; // the only action, so it may be left out
    for (const auto& kv : node) {
        const std::string key = kv.first.as<std::string>();
        const YAML::Node& v = kv.second;
        if (key == "name") {
            r.name = scalar(v, key);
        } else if (key == "falco_rule") {
            r.falcoRule = scalar(v, key);
            matchesSomething = true;
        } else if (key == "priority") {
            const std::string p = scalar(v, key);
            r.minPriority = falcoPriority(p);
            if (!r.minPriority)
                throw TriggerFileError(lineOf(v), "priority: \"" + p + "\" is not one of Falco's (Emergency, Alert, "
                                                  "Critical, Error, Warning, Notice, Informational, Debug)");
            matchesSomething = true;
        } else if (key == "tags") {
            if (!v.IsSequence())
                throw TriggerFileError(lineOf(v), "tags is a list: [a, b]");
            for (const auto& t : v)
                r.tags.push_back(scalar(t, "a tag"));
            matchesSomething = true;
        } else if (key == "tetragon") {
            if (!v.IsMap())
                throw TriggerFileError(lineOf(v), "tetragon is a map: {binary: /tmp/*, event: process_exec}");
            for (const auto& t : v) {
                const std::string k = t.first.as<std::string>();
                if (k == "binary")
                    r.tetragonBinary = scalar(t.second, "tetragon.binary");
                else if (k == "event")
                    r.tetragonEvent = scalar(t.second, "tetragon.event");
                else
                    throw TriggerFileError(lineOf(t.first), "tetragon: unknown key \"" + k + "\" (binary, event)");
            }
            if (!r.tetragonEvent.empty() && r.tetragonEvent != "process_exec" && r.tetragonEvent != "process_exit" &&
                r.tetragonEvent != "process_kprobe")
                throw TriggerFileError(lineOf(v), "tetragon.event is process_exec, process_exit or process_kprobe");
            r.tetragon = true;
            matchesSomething = true;
        } else if (key == "action") {
            action = scalar(v, key);
        } else if (key == "duration") {
            r.duration = duration(v, key, std::chrono::hours(24));
        } else if (key == "pre") {
            r.pre = duration(v, key, std::chrono::hours(1));
        } else if (key == "cooldown") {
            r.cooldown = duration(v, key, std::chrono::hours(24));
        } else if (key == "filter") {
            r.filter = scalar(v, key);
            checkTemplate(v, key, r.filter);
        } else if (key == "ebpf_filter") {
            r.ebpfFilter = scalar(v, key);
            checkTemplate(v, key, r.ebpfFilter);
        } else if (key == "syscalls") {
            r.syscalls = scalar(v, key);
        } else if (key == "tls_secrets") {
            const std::string b = scalar(v, key);
            if (b != "true" && b != "false")
                throw TriggerFileError(lineOf(v), "tls_secrets is true or false");
            r.tlsSecrets = b == "true";
        } else {
            throw TriggerFileError(lineOf(kv.first), "unknown key \"" + key + "\"");
        }
    }
    if (r.name.empty())
        throw TriggerFileError(r.line, "a trigger needs a name");
    if (r.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
            std::string::npos ||
        r.name.size() > 64)
        throw TriggerFileError(r.line, "name \"" + r.name + "\": letters, digits, '.', '_' and '-', at most 64");
    if (action != "capture")
        throw TriggerFileError(r.line, "trigger " + r.name + ": action must be capture");
    if (!matchesSomething)
        throw TriggerFileError(r.line, "trigger " + r.name + " matches nothing: give falco_rule, priority, tags or "
                                                             "tetragon");
    if (r.tetragon && (!r.falcoRule.empty() || r.minPriority || !r.tags.empty()))
        throw TriggerFileError(r.line, "trigger " + r.name + ": a Tetragon condition and Falco ones can never "
                                                             "match the same event");
    if (r.duration.count() == 0)
        throw TriggerFileError(r.line, "trigger " + r.name + ": duration must be at least 1s");
    if (r.tlsSecrets && r.ebpfFilter.empty()) // as a client's --tls-secrets: only for selected processes
        throw TriggerFileError(r.line, "trigger " + r.name + ": tls_secrets takes the secrets of the processes "
                                                             "ebpf_filter selects: give one");
    return r;
}

std::string lower(std::string s)
{
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string field(const events::EventFields& f, const std::string& key)
{
    const auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

} // namespace

std::optional<int> falcoPriority(const std::string& name)
{
    static const char* kNames[] = {"emergency", "alert", "critical", "error", "warning", "notice", "informational",
                                   "debug"};
    const std::string n = lower(name);
    for (int i = 0; i < 8; ++i)
        if (n == kNames[i] || (i == 6 && n == "info"))
            return i;
    return std::nullopt;
}

std::vector<TriggerRule> parseTriggerRules(const std::string& yaml)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw TriggerFileError(e.mark.line + 1, "not YAML: " + e.msg);
    }
    if (!root.IsMap() || !root["triggers"])
        throw TriggerFileError(1, "the file must hold a map with a `triggers:` list");
    const YAML::Node list = root["triggers"];
    if (!list.IsSequence())
        throw TriggerFileError(lineOf(list), "triggers must be a list (- name: …)");
    if (list.size() > kMaxRules)
        throw TriggerFileError(lineOf(list), "more than 256 triggers");
    std::vector<TriggerRule> rules;
    std::set<std::string> names;
    for (const auto& node : list) {
        try {
            rules.push_back(parseRule(node));
        } catch (const YAML::Exception& e) {
            throw TriggerFileError(e.mark.line + 1, e.msg);
        }
        if (!names.insert(rules.back().name).second)
            throw TriggerFileError(rules.back().line, "a second trigger named " + rules.back().name);
    }
    return rules;
}

bool ruleMatches(const TriggerRule& rule, events::EventSource source, const events::EventFields& f)
{
    if (rule.tetragon) {
        if (source != events::EventSource::Tetragon)
            return false;
        if (!rule.tetragonEvent.empty() && field(f, "event") != rule.tetragonEvent)
            return false;
        const std::string binary = field(f, "binary");
        if (!rule.tetragonBinary.empty()) {
            if (rule.tetragonBinary.ends_with('*')
                    ? !binary.starts_with(rule.tetragonBinary.substr(0, rule.tetragonBinary.size() - 1))
                    : binary != rule.tetragonBinary)
                return false;
        }
        return true;
    }
    if (source != events::EventSource::Falco)
        return false;
    if (!rule.falcoRule.empty() && field(f, "rule") != rule.falcoRule)
        return false;
    if (rule.minPriority) {
        const auto p = falcoPriority(field(f, "priority"));
        if (!p || *p > *rule.minPriority)
            return false;
    }
    if (!rule.tags.empty()) {
        std::set<std::string> have;
        std::stringstream in(field(f, "tags"));
        for (std::string t; std::getline(in, t, ',');)
            have.insert(t);
        for (const std::string& t : rule.tags)
            if (!have.count(t))
                return false;
    }
    return true;
}

std::optional<std::string> expandTemplate(const std::string& text, const events::EventFields& fields,
                                          std::string* missing)
{
    std::string out;
    std::size_t at = 0;
    for (std::size_t open = text.find("{{"); open != std::string::npos; open = text.find("{{", at)) {
        const std::size_t close = text.find("}}", open);
        if (close == std::string::npos)
            break; // checked when the file was read
        out += text.substr(at, open - at);
        std::string key = text.substr(open + 2, close - open - 2);
        key.erase(0, key.find_first_not_of(' '));
        key.erase(key.find_last_not_of(' ') + 1);
        key.erase(0, 1); // the '.'
        const auto it = fields.find(key);
        if (it == fields.end() || it->second.empty()) {
            *missing = key;
            return std::nullopt;
        }
        if (it->second.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-") !=
            std::string::npos) {
            *missing = key + " (its value \"" + it->second.substr(0, 64) + "\" has characters a filter cannot take)";
            return std::nullopt;
        }
        out += it->second;
        at = close + 2;
    }
    return out + text.substr(at);
}

} // namespace ss::helper
