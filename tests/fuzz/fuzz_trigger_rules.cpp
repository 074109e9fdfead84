// SPDX-License-Identifier: GPL-2.0-or-later
// `--triggers FILE`: the rules parser (YAML, bounded: rules, template sizes, durations) and,
// for every rule it accepts, matching and template expansion against an alert whose field
// values come from the input too. An expanded filter may hold only what a filter can take
// safely (letters, digits and . _ : / - from the alert): anything else aborts.
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "trigger_rules.h"

namespace {

bool safe(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || std::string("._:/-").find(c) != std::string::npos;
}

void checkExpansion(const std::string& text, const ss::events::EventFields& fields)
{
    std::string missing;
    const auto out = ss::helper::expandTemplate(text, fields, &missing);
    if (!out)
        return;
    // A character the template does not have and a filter cannot take safely can only have
    // come from the alert.
    for (const auto& [key, value] : fields)
        for (char c : value)
            if (!safe(c) && text.find(c) == std::string::npos && out->find(c) != std::string::npos) {
                std::fprintf(stderr, "an unsafe character of %s expanded into: %s\n", key.c_str(), out->c_str());
                std::abort();
            }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);
    // The rules, then after a line "---alert---" the alert's fields as key=value lines.
    const std::size_t cut = input.find("\n---alert---\n");
    const std::string yaml = input.substr(0, cut);
    ss::events::EventFields fields{{"pod_name", "web-1"}, {"pod_ip", "10.0.0.7"}, {"namespace", "default"}};
    if (cut != std::string::npos) {
        std::size_t at = cut + 13;
        while (at < input.size()) {
            const std::size_t end = std::min(input.find('\n', at), input.size());
            const std::string line = input.substr(at, end - at);
            const std::size_t eq = line.find('=');
            if (eq != std::string::npos)
                fields[line.substr(0, eq)] = line.substr(eq + 1);
            at = end + 1;
        }
    }
    std::vector<ss::helper::TriggerRule> rules;
    try {
        rules = ss::helper::parseTriggerRules(yaml);
    } catch (const ss::helper::TriggerFileError&) {
        return 0;
    }
    for (const auto& rule : rules) {
        for (auto source : {ss::events::EventSource::Falco, ss::events::EventSource::Tetragon})
            ss::helper::ruleMatches(rule, source, fields);
        checkExpansion(rule.filter, fields);
        checkExpansion(rule.ebpfFilter, fields);
    }
    return 0;
}
