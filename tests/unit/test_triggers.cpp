// SPDX-License-Identifier: GPL-2.0-or-later
// Trigger rules (parse errors with their line, matching, templates), retention by age and
// size, Hubble flows meeting their packets, and the --ebpf-filter verdict on what events name.
#include <catch2/catch.hpp>

#include "ebpf_filter.h"
#include "flow_match.h"
#include "meta_fields.h"
#include "retention.h"
#include "trigger_rules.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using ss::events::EventFields;
using ss::events::EventSource;
using namespace ss::helper;

namespace {

int errorLine(const std::string& yaml, std::string* why = nullptr)
{
    try {
        parseTriggerRules(yaml);
    } catch (const TriggerFileError& e) {
        if (why)
            *why = e.what();
        return e.line();
    }
    return 0;
}

const char* kSeedRules = R"(triggers:
- name: suspicious-network-activity
  falco_rule: "Suspicious Network Activity"
  action: capture
  duration: 300s
  filter: "host {{ .pod_ip }}"
  pre: 30s
- name: critical
  priority: Critical
  tags: [network, mitre_command_and_control]
  action: capture
  duration: 5m
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
- name: tmp-binaries
  tetragon: {binary: /tmp/*, event: process_exec}
  action: capture
  duration: 1m
  cooldown: 10s
)";

} // namespace

TEST_CASE("the seed's ConfigMap format reads into rules")
{
    const auto rules = parseTriggerRules(kSeedRules);
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].name == "suspicious-network-activity");
    CHECK(rules[0].line == 2);
    CHECK(rules[0].duration == std::chrono::seconds(300));
    CHECK(rules[0].pre == std::chrono::seconds(30));
    CHECK(rules[0].filter == "host {{ .pod_ip }}");
    CHECK(rules[1].minPriority == 2);
    CHECK(rules[1].duration == std::chrono::seconds(300));
    CHECK(rules[1].tags.size() == 2);
    CHECK(rules[2].tetragon);
    CHECK(rules[2].tetragonBinary == "/tmp/*");
    CHECK(rules[2].cooldown == std::chrono::seconds(10));
}

TEST_CASE("a bad rules file is refused with its line and the reason")
{
    std::string why;
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  duration: soon\n", &why) == 4);
    CHECK(why.find("not a duration") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  colour: red\n", &why) == 4);
    CHECK(why.find("unknown key \"colour\"") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  action: capture\n", &why) == 2);
    CHECK(why.find("matches nothing") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  priority: Loud\n", &why) == 3);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  pre: 2h\n", &why) == 4);
    CHECK(why.find("at most 3600") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  filter: \"host {{ pod_ip }}\"\n", &why) == 4);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n- name: a\n  falco_rule: y\n", &why) == 4);
    CHECK(why.find("second trigger named a") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: [x\n", &why) > 0);
    CHECK(why.find("not YAML") != std::string::npos);
    CHECK(errorLine("triggers: 3\n") == 1);
    CHECK(errorLine("triggers:\n- name: 'a b'\n  falco_rule: x\n") == 2);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  tetragon: {binary: /tmp/x}\n") == 2);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  action: delete\n") == 2);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  tls_secrets: yes please\n", &why) == 4);
    CHECK(why.find("tls_secrets is true or false") != std::string::npos);
    CHECK(errorLine("triggers:\n- name: a\n  falco_rule: x\n  filter: host 10.0.0.1\n  tls_secrets: true\n", &why) == 2);
    CHECK(why.find("tls_secrets takes the secrets of the processes ebpf_filter selects") != std::string::npos);
    const auto tls = parseTriggerRules("triggers:\n- name: a\n  falco_rule: x\n  ebpf_filter: \"k8s.pod == {{ .pod_name }}\"\n"
                                       "  tls_secrets: true\n");
    REQUIRE(tls.size() == 1);
    CHECK(tls[0].tlsSecrets);
    CHECK_FALSE(parseTriggerRules(kSeedRules)[0].tlsSecrets); // off unless asked
    std::string many = "triggers:\n";
    for (int i = 0; i < 257; ++i)
        many += "- {name: t" + std::to_string(i) + ", falco_rule: x}\n";
    CHECK(errorLine(many, &why) > 0);
    CHECK(why.find("more than 256") != std::string::npos);
}

TEST_CASE("rules match alerts by rule, priority or higher, all tags, and Tetragon binaries")
{
    const auto rules = parseTriggerRules(kSeedRules);
    EventFields alert{{"rule", "Suspicious Network Activity"}, {"priority", "Warning"}, {"tags", "network"}};
    CHECK(ruleMatches(rules[0], EventSource::Falco, alert));
    CHECK_FALSE(ruleMatches(rules[0], EventSource::Tetragon, alert));
    CHECK_FALSE(ruleMatches(rules[1], EventSource::Falco, alert)); // Warning is below Critical
    alert["priority"] = "Emergency";
    CHECK_FALSE(ruleMatches(rules[1], EventSource::Falco, alert)); // one tag missing
    alert["tags"] = "mitre_command_and_control,network,T1071";
    CHECK(ruleMatches(rules[1], EventSource::Falco, alert));
    alert["priority"] = "critical";
    CHECK(ruleMatches(rules[1], EventSource::Falco, alert));
    alert["rule"] = "Something Else";
    CHECK_FALSE(ruleMatches(rules[0], EventSource::Falco, alert));

    EventFields exec{{"event", "process_exec"}, {"binary", "/tmp/xmrig"}};
    CHECK(ruleMatches(rules[2], EventSource::Tetragon, exec));
    CHECK_FALSE(ruleMatches(rules[2], EventSource::Falco, exec));
    exec["binary"] = "/usr/bin/curl";
    CHECK_FALSE(ruleMatches(rules[2], EventSource::Tetragon, exec));
    exec = {{"event", "process_exit"}, {"binary", "/tmp/xmrig"}};
    CHECK_FALSE(ruleMatches(rules[2], EventSource::Tetragon, exec));
}

TEST_CASE("templates take the alert's fields, and name the one that is missing or unsafe")
{
    const EventFields fields{{"pod_ip", "10.210.0.2"}, {"pod_name", "miner-7d9f"}, {"proc_cmdline", "sh -c 'x'"},
                             {"empty", ""}, {"fd.sip", "203.0.113.45"}};
    std::string missing;
    CHECK(expandTemplate("host {{ .pod_ip }} and port 53", fields, &missing) == "host 10.210.0.2 and port 53");
    CHECK(expandTemplate("k8s.pod == {{.pod_name}}", fields, &missing) == "k8s.pod == miner-7d9f");
    CHECK(expandTemplate("no template", fields, &missing) == "no template");
    CHECK(expandTemplate("dst host {{ .fd.sip }}", fields, &missing) == "dst host 203.0.113.45"); // any output field
    CHECK_FALSE(expandTemplate("host {{ .container_id }}", fields, &missing));
    CHECK(missing == "container_id");
    CHECK_FALSE(expandTemplate("host {{ .empty }}", fields, &missing));
    CHECK(missing == "empty");
    CHECK_FALSE(expandTemplate("proc.cmdline == {{ .proc_cmdline }}", fields, &missing));
    CHECK(missing.starts_with("proc_cmdline (its value"));
}

TEST_CASE("retention: the kinds, their defaults and the option")
{
    CHECK(Retention::kindOf("recorder/recorder_00001_x.pcapng") == "pcap");
    CHECK(Retention::kindOf("archive/flows_00001.pcapng") == "flows");
    CHECK(Retention::kindOf("archive/alerts_00001.pcapng") == "alerts");
    std::string why;
    const auto rules = parseRetention("pcap=2h:10M,alerts=1d", &why);
    REQUIRE(rules);
    CHECK((*rules)[0].maxAge == std::chrono::hours(2));
    CHECK((*rules)[0].maxBytes == 10u << 20);
    CHECK((*rules)[1].maxAge == std::chrono::hours(24 * 30)); // flows keep the default
    CHECK((*rules)[2].maxAge == std::chrono::hours(24));
    CHECK_FALSE(parseRetention("logs=1d", &why));
    CHECK_FALSE(parseRetention("pcap=soon", &why));
    CHECK_FALSE(parseRetention("pcap=1d:99999999999T", &why));
    CHECK_FALSE(parseRetention("pcap=-1d", &why));
}

TEST_CASE("retention deletes the oldest files past the age or the size, never one being written")
{
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("ss-retention-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "recorder");
    fs::create_directories(dir / "archive");
    const std::time_t now = 1'800'000'000;
    auto make = [&](const std::string& rel, std::size_t bytes, std::time_t mtime) {
        const fs::path p = dir / rel;
        std::ofstream(p) << std::string(bytes, 'x');
        const timespec times[2] = {{mtime, 0}, {mtime, 0}};
        REQUIRE(utimensat(AT_FDCWD, p.c_str(), times, 0) == 0);
        return p.string();
    };
    const auto oldCapture = make("old.pcapng", 100, now - 8 * 86400);
    const auto writing = make("recorder/recorder_00001_a.pcapng", 100, now - 9 * 86400);
    const auto r2 = make("recorder/recorder_00002_b.pcapng", 400, now - 300);
    const auto r3 = make("recorder/recorder_00003_c.pcapng", 400, now - 200);
    const auto r4 = make("recorder/recorder_00004_d.pcapng", 400, now - 100);
    const auto flows = make("archive/flows_00001.pcapng", 100, now - 20 * 86400);
    const auto oldAlerts = make("archive/alerts_00001.pcapng", 100, now - 91 * 86400);
    make("notes.txt", 10, now - 100 * 86400); // not ours to delete

    std::string why;
    Retention retention(dir.string(), *parseRetention("pcap=7d:1000", &why));
    const auto deleted = retention.prune({writing}, now);
    // By age: old.pcapng (8 d) and the 91-day alerts; by size: the oldest recorder file that is
    // not being written (r2), which brings pcap to 100 + 400 + 400 = 900 bytes.
    CHECK(std::set<std::string>(deleted.begin(), deleted.end()) == std::set<std::string>{oldCapture, r2, oldAlerts});
    CHECK(fs::exists(writing));
    CHECK(fs::exists(r3));
    CHECK(fs::exists(r4));
    CHECK(fs::exists(flows));
    CHECK(fs::exists(dir / "notes.txt"));
    CHECK(retention.prune({writing}, now).empty());
    fs::remove_all(dir);
}

TEST_CASE("a Hubble flow claims the nearest packet of its tuple and direction, once")
{
    using ss::events::FlowMatcher;
    using ss::events::FlowTuple;
    const FlowTuple out{"10.0.0.1", "10.0.0.2", "TCP", 40000, 80};
    const FlowTuple back{"10.0.0.2", "10.0.0.1", "TCP", 80, 40000};
    FlowMatcher m;
    m.addPacket(1, 1'000'000'000, out);
    m.addPacket(2, 1'100'000'000, back);
    m.addPacket(3, 1'400'000'000, out);
    CHECK(m.claim(out, 1'350'000'000) == 3u);
    CHECK(m.claim(out, 1'350'000'000) == 1u); // 3 is taken
    CHECK_FALSE(m.claim(out, 1'350'000'000));
    CHECK_FALSE(m.claim(back, 2'200'000'000)); // outside the window
    CHECK(m.claim(back, 1'000'000'000) == 2u);
    m.addPacket(4, 5'000'000'000, out);
    m.forgetBefore(4'000'000'000);
    CHECK(m.size() == 1);
    CHECK_FALSE(m.claim(FlowTuple{"10.0.0.1", "10.0.0.2", "UDP", 40000, 80}, 5'000'000'000));

    // An Ethernet/IPv4/TCP frame's tuple is the one Hubble prints.
    const std::uint8_t frame[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
                                  0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                                  0x9c, 0x40, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0};
    const auto t = ss::events::packetTuple(frame, sizeof frame);
    REQUIRE(t);
    CHECK(t->key() == out.key());
    CHECK_FALSE(ss::events::packetTuple(frame, 30)); // cut before the ports
}

TEST_CASE("records and comments meet --ebpf-filter in user space")
{
    using ss::bpf::EbpfFilter;
    using ss::bpf::metaOfComments;
    const EbpfFilter filter("k8s.pod == miner-7d9f and proc.name == xmrig");
    const auto meta = metaOfComments({"PID: 4242\nCmd: /tmp/xmrig\nThreadId: 4242\nThreadName: xmrig\nPodName: miner-7d9f\nPodNamespace: default"});
    CHECK(meta.pid == "4242");
    CHECK(meta.pod == "miner-7d9f");
    CHECK(filter.matches(meta));
    CHECK_FALSE(filter.matches(metaOfComments({"PID: 1\nThreadName: xmrig\nPodName: web\nPodNamespace: default"})));
    CHECK(ss::bpf::keepNamed(filter, {})); // names no process or pod: kept
}
