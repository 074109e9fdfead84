// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "event_import.h"

namespace ss::helper {

// One rule of `--triggers FILE`, the seed's ConfigMap format (docs/TRIGGERS.md):
//   triggers:
//   - name: suspicious-network-activity
//     falco_rule: "Suspicious Network Activity"  # and/or priority: Critical (that or higher),
//     tags: [network]                             #   tags (all of them), tetragon: {binary: /tmp/*, event: process_exec}
//     action: capture
//     duration: 300s
//     filter: "host {{ .pod_ip }}"                # tcpdump syntax; and/or ebpf_filter: "k8s.pod == {{ .pod_name }}"
//     pre: 30s                                    # from the flight recorder
//     syscalls: default                           # as --syscalls (default: default)
//     tls_secrets: true                           # as --tls-secrets (needs ebpf_filter; default: false)
//     cooldown: 60s                               # after a capture of this trigger and pod ends
struct TriggerRule {
    std::string name;
    int line = 0; // where it starts in the file
    // What it matches (every condition given must hold).
    std::string falcoRule;
    std::optional<int> minPriority; // Falco's: Emergency 0 … Debug 7; "Critical": 0..2
    std::vector<std::string> tags;
    std::string tetragonBinary; // exact, or a prefix ending in '*'
    std::string tetragonEvent;  // process_exec, process_exit, process_kprobe; "": any
    bool tetragon = false;
    // What it does.
    std::chrono::seconds duration{60}, pre{0}, cooldown{60};
    std::string filter, ebpfFilter, syscalls = "default";
    bool tlsSecrets = false; // the selected processes' TLS secrets into the file (docs/TLS.md)
};

// A rules file that cannot be used: the line and the reason.
class TriggerFileError : public std::runtime_error {
public:
    TriggerFileError(int line, const std::string& why)
        : std::runtime_error("line " + std::to_string(line) + ": " + why), line_(line)
    {
    }
    int line() const { return line_; }

private:
    int line_;
};

// Throws TriggerFileError. Bounds: 256 rules, 64 KiB of text per template, durations ≤ 24 h,
// pre ≤ 1 h.
std::vector<TriggerRule> parseTriggerRules(const std::string& yaml);

bool ruleMatches(const TriggerRule& rule, events::EventSource source, const events::EventFields& fields);

// Fills `{{ .key }}` from the alert's fields. nullopt with *missing = the key the alert does
// not have, or whose value a filter cannot take safely (only letters, digits and . _ : / -).
std::optional<std::string> expandTemplate(const std::string& text, const events::EventFields& fields,
                                          std::string* missing);

// Falco's priority names, case-insensitive; nullopt for others.
std::optional<int> falcoPriority(const std::string& name);

} // namespace ss::helper
