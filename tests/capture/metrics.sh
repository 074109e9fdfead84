#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark-helper --metrics`: the node's /metrics, read by Prometheus' own Python client
# parser (python3-prometheus-client), while Falco alerts (POSTed as http_output does),
# Tetragon events (the stand-in gRPC server) and trigger rules happen:
#   - alerts by rule, priority, namespace and pod; Tetragon events by type;
#   - triggered captures by trigger and result (started, extended, cooldown);
#   - the sources' received/unparsable counters and their connection;
#   - the flight recorder's packets and bytes; clients; spool bytes; the node's traffic
#     (packets, retransmissions of an upload B loses some of, kernel drops);
#   - at most --metrics-max-series label sets per metric, the rest under "_other" and counted;
#   - Hubble's flow labels with --metrics-labels (and a label not among them refused);
#   - the span companion's HTTP durations (--otlp-metrics) beside them;
#   - a real Prometheus (Debian's) scrapes both and evaluates resources/prometheus's rules,
#     and every query of resources/grafana's dashboard returns data from it;
#   - a port already taken: the helper says so and does not start.
# Usage: metrics.sh STRATOSHARK STRATOSHARK-HELPER SOURCE-STAND-IN FIXTURES OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 standin=$3 fixtures=$4 out=$5
rules=$(cd "$(dirname "$0")/../.." && pwd)/resources/prometheus/stratoshark-rules.yml
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/spool"
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
# shellcheck source=checks.sh
. "$here/checks.sh"
# shellcheck source=prometheus_lab.sh
. "$here/prometheus_lab.sh"
pids=
# The span companion runs as nobody: the CLI and the helper's socket where nobody can reach
# them, as an installed CLI and /run/stratoshark are (a clone may live in a root-only folder).
exporter=$(mktemp -d /tmp/ss-exporter-XXXXXX); chmod 755 "$exporter"; cp "$ours" "$exporter/stratoshark"
lab_extra_cleanup='kill $pids 2>/dev/null; rm -rf "$exporter"'
lab_up ssm 209 "$out/www"
a=/run/netns/$lab_a
for kind in tetragon hubble; do
    : > "$out/$kind.jsonl"
    "$standin" $kind "unix:$out/$kind.sock" "$out/$kind.jsonl" >"$out/$kind-stand-in.log" 2>&1 &
    pids="$pids $!"
    for _ in $(seq 50); do grep -q listening "$out/$kind-stand-in.log" && break; sleep 0.1; done
done
printf 'triggers:\n- name: miners\n  falco_rule: Detect Crypto Miners\n  duration: 3s\n  cooldown: 60s\n' > "$out/triggers.yaml"
nsenter --net="$a" "$helper" --socket "$exporter/helper.sock" --spool "$out/spool" --node-name node-1 \
    --k8s-metadata none --falco-listen 127.0.0.1:2807 --tetragon "unix:$out/tetragon.sock" --hubble "unix:$out/hubble.sock" \
    --flight-recorder 16M --triggers "$out/triggers.yaml" --metrics 127.0.0.1:9465 --metrics-max-series 3 \
    --otlp http://127.0.0.1:14399 --otlp-metrics 127.0.0.1:9467 --otlp-exporter "$exporter/stratoshark" \
    --metrics-labels source_namespace,source_pod,destination_pod \
    >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 50); do [ -S "$exporter/helper.sock" ] && break; sleep 0.1; done
sleep 1
alert() { # RULE POD [PRIORITY]
    ip netns exec "$lab_a" curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary \
        "$(python3 "$here/fresh_events.py" falco "$fixtures/falco/critical-alert.json" rule="$1" pod="$2" ns=shop \
           priority="${3:-Critical}")" http://127.0.0.1:2807/
}
# A real Prometheus scraping the helper and the span companion every second, with our alert rules loaded.
prometheus_up "$lab_a" "$out" "$rules" 127.0.0.1:9465 127.0.0.1:9467

alert "Detect Crypto Miners" web-1
alert "Detect Crypto Miners" web-1
sleep 6 # the trigger's 3 s (extended by the repeat), and its end seen
alert "Detect Crypto Miners" web-1 # within the cooldown
alert "Mount Sensitive Paths" db-0 Error
python3 "$here/fresh_events.py" tetragon "$fixtures/tetragon/events.json" binary=/tmp/x >> "$out/tetragon.jsonl"
echo '{"stand_in": "empty"}' >> "$out/tetragon.jsonl" # an event without a body: not understood
python3 "$here/fresh_events.py" hubble "$fixtures/hubble/cilium-docs-export-rst-dropped-flows.jsonl" src=10.209.0.1 \
    sport=40999 dst=10.99.0.9 dport=80 verdict=DROPPED pod=web-1 ns=shop >> "$out/hubble.jsonl"
"$ours" capture --helper "unix:$exporter/helper.sock" -i "$lab_if" --duration 6 --output "$out/c.pcapng" 2>"$out/capture.log" &
capture_pid=$!
ip netns exec "$lab_a" curl -s -o /dev/null "http://$lab_server:8080/index.html"
# An upload that B loses 4 % of: retransmissions and kernel drops for the dashboard's panels.
ip netns exec "$lab_b" /usr/bin/python3 "$here/pod_traffic.py" sink-tcp "$lab_server" 5001 & pids="$pids $!"
ip netns exec "$lab_b" nft add table inet loss
ip netns exec "$lab_b" nft add chain inet loss pre '{ type filter hook prerouting priority -300; }'
ip netns exec "$lab_b" nft add rule inet loss pre tcp dport 5001 numgen random mod 25 == 0 drop
sleep 0.3
ip netns exec "$lab_a" /usr/bin/python3 "$here/pod_traffic.py" tcp "$lab_server" 5001 2000000 3 >/dev/null
ip netns exec "$lab_b" nft delete table inet loss
sleep 1.5 # one refresh of the counters taken from elsewhere (each second)
scrape 127.0.0.1:9465
check "Prometheus' parser reads it all" 1 "$(/usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
print(1 if len(list(text_string_to_metric_families(open(sys.argv[1]).read()))) > 5 else 0)' "$out/metrics.txt")"
check "Falco alerts by rule, priority, namespace, pod" 3 \
    "$(value 'stratoshark_falco_alerts_total{rule="Detect Crypto Miners",priority="Critical",namespace="shop",pod="web-1"}')"
check "another rule" 1 "$(value 'stratoshark_falco_alerts_total{rule="Mount Sensitive Paths",priority="Error",pod="db-0"}')"
check "Tetragon events by type" 1 "$(value 'stratoshark_tetragon_events_total{type="process_exec"}')"
check "triggered captures: started" 1 "$(value 'stratoshark_triggered_captures_total{trigger="miners",result="started"}')"
check "…extended by the repeat" 1 "$(value 'stratoshark_triggered_captures_total{trigger="miners",result="extended"}')"
check "…refused in the cooldown" 1 "$(value 'stratoshark_triggered_captures_total{trigger="miners",result="cooldown"}')"
check "the Falco source: received" 4 "$(value 'stratoshark_source_events_total{source="falco 127.0.0.1:2807",outcome="received"}')"
check_ge "the Tetragon source: unparsable counted" 1 \
    "$(value "stratoshark_source_events_total{source=\"tetragon unix:$out/tetragon.sock\",outcome=\"unparsable\"}")"
check "the Tetragon source connected" 1 "$(value "stratoshark_source_connected{source=\"tetragon unix:$out/tetragon.sock\"}")"
check "one client capturing, and the span companion (--otlp)" 2 "$(value 'stratoshark_clients')"
check "capture sessions: the client's and the companion's" 2 "$(value 'stratoshark_capture_sessions{kind="client"}')"
check "…the recorder" 1 "$(value 'stratoshark_capture_sessions{kind="recorder"}')"
check "the recorder's ring fill, a ratio" 1 "$(/usr/bin/python3 -c 'import sys; v = sys.argv[1]
print(1 if v and 0 <= float(v) <= 1 else 0)' "$(value 'stratoshark_ring_fill_ratio{ring="recorder"}')")"
check "the recorder's ring drops by interface" 0 \
    "$(value "stratoshark_packets_dropped_total{source=\"recorder\",reason=\"ring_full\",interface=\"$lab_if\"}")"
check_ge "the recorder's packets" 6 "$(value 'stratoshark_recorder_packets_total')"
check_ge "the recorder's bytes" 1000 "$(value 'stratoshark_recorder_written_bytes_total')"
check_ge "spool bytes" 1000 "$(value 'stratoshark_spool_bytes')"
check "the node" 1 "$(value 'stratoshark_helper_info{node="node-1"}')"
check_ge "the node's traffic: packets of no pod" 100 "$(value 'stratoshark_packets_total{pod="",direction="egress",protocol="tcp"}')"
check_ge "…retransmissions" 1 "$(value 'stratoshark_tcp_retransmissions_total{pod=""}')"
check_ge "…the kernel's drops (the rest of them folded: --metrics-max-series 3)" 1 \
    "$(value 'stratoshark_packets_dropped_total{source="kernel"}')"
check "Hubble flows by verdict" 1 "$(value 'stratoshark_hubble_flows_total{verdict="DROPPED"}')"
check "…with Hubble's flow labels (--metrics-labels)" 1 \
    "$(value 'stratoshark_hubble_flows_total{verdict="DROPPED",source_namespace="shop",source_pod="web-1",destination_pod=""}')"
check "a DROPPED flow is a drop of its pod, with Hubble's reason" 1 \
    "$(value 'stratoshark_packets_dropped_total{source="hubble",namespace="shop",pod="web-1"}')"
check "…the reason set" 1 "$(grep -c 'stratoshark_packets_dropped_total{.*reason="[A-Z_]\+".*source="hubble"' "$out/metrics.txt")"
wait $capture_pid
sleep 1.5 # a scrape after the last of them
check "Prometheus scraped our endpoints" 2 "$(promql 'sum(up{job="stratoshark"})')"
check "Prometheus has the alerts' count" 3 \
    "$(promql 'stratoshark_falco_alerts_total{rule="Detect Crypto Miners",pod="web-1"}')"
check "…and the triggers'" 1 "$(promql 'sum(stratoshark_triggered_captures_total{result="cooldown"})')"
check "our alert rules load and evaluate in it" "10 ok" "$(ip netns exec "$lab_a" curl -s http://127.0.0.1:9466/api/v1/rules |
    python3 -c 'import json, sys
rules = [r for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]]
print(len(rules), "ok" if all(r["health"] == "ok" for r in rules) else "not ok")')"
check "StratosharkCriticalFalcoAlert fires on the Critical alert" 1 \
    "$(promql 'count(ALERTS{alertname="StratosharkCriticalFalcoAlert",pod="web-1",alertstate="firing"})')"
# Every query of the Grafana dashboard (panels and variables) returns data from this Prometheus.
dashboard=$(dirname "$rules")/../grafana/stratoshark.json
python3 - "$dashboard" > "$out/dashboard-queries.txt" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["schemaVersion"] >= 38, "Grafana 10's JSON model"
names = {v["name"]: v for v in d["templating"]["list"]}
assert names["datasource"]["type"] == "datasource" and names["datasource"]["query"] == "prometheus"
def concrete(expr):
    expr = expr.replace("$__rate_interval", "5s")
    return re.sub(r"\$(job|instance|namespace|pod)\b", ".*", expr)
for v in d["templating"]["list"]:
    if v["type"] == "query":  # label_values(METRIC, LABEL) → group by (LABEL) (METRIC)
        m = re.fullmatch(r"label_values\((.*), *(\w+)\)", v["query"]["query"])
        print("variable " + v["name"] + "\tgroup by (" + m.group(2) + ") (" + concrete(m.group(1)) + ")")
for p in d["panels"]:
    assert p["datasource"]["uid"] == "${datasource}", p["title"]
    for t in p["targets"]:
        print(p["title"] + " " + t["refId"] + "\t" + concrete(t["expr"]))
PY
empty=
while IFS=$'\t' read -r what query; do
    [ -n "$(promql "$query")" ] || empty="$empty [$what]"
done < "$out/dashboard-queries.txt"
check "the dashboard's $(wc -l < "$out/dashboard-queries.txt") queries all return data" "" "$empty"

# Cardinality: at most 3 label sets per metric (--metrics-max-series 3); two already used.
for pod in p1 p2 p3; do alert "Noisy" "$pod" Warning; done
scrape 127.0.0.1:9465
check "past the limit: counted under _other" 2 \
    "$(value 'stratoshark_falco_alerts_total{rule="_other",priority="_other",namespace="_other",pod="_other"}')"
check "and the folding counted" 2 "$(value 'stratoshark_metrics_folded_total{metric="stratoshark_falco_alerts_total"}')"
check "three series and _other" 4 "$(grep -c '^stratoshark_falco_alerts_total{' "$out/metrics.txt")"

# A label that is not Hubble's: refused, named.
"$helper" --socket "$out/third.sock" --k8s-metadata none --metrics 127.0.0.1:9469 --metrics-labels source_pod,src_ip \
    >"$out/third.log" 2>&1
check "--metrics-labels src_ip: refused (1), named" "1 1" "$? $(grep -c '"src_ip"' "$out/third.log")"
# A port already taken: refused, named.
nsenter --net="$a" timeout 10 "$helper" --socket "$out/second.sock" --k8s-metadata none \
    --metrics 127.0.0.1:9465 >"$out/second.log" 2>&1
rc=$?
check "a taken port stops a second helper" 1 "$([ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo 1)"
check "naming the step and the address" 1 "$(grep -c 'listen --metrics "127.0.0.1:9465"' "$out/second.log")"
kill -0 "$helper_pid" 2>/dev/null; check "the first helper lives" 0 $?
checks_done "metrics"
