#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark-helper --otlp URL --otlp-metrics HOST:PORT`: live network spans. The helper
# (namespace A of a veth lab) runs its span companion (`stratoshark export otlp -i any` through
# its own socket, as nobody); curl fetches pages from B. Checks:
#   - the HTTP spans reach a receiver compiled from the official opentelemetry-proto, with the
#     process that made them (curl) and kind CLIENT; their DNS and TCP spans too;
#   - the companion's own exports to the collector, and scrapes of its histogram, are not spans;
#   - the HTTP durations as a Prometheus histogram (read by Prometheus' own client parser):
#     stratoshark_http_request_duration_seconds{method="GET",status_code="200"} counts them;
#   - the companion runs as nobody, and ends with the helper.
# Usage: helper_otlp.sh STRATOSHARK STRATOSHARK-HELPER PROTO_DIR OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 protos=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/py" "$out/spans" "$out/spool"
# shellcheck source=../capture/veth_lab.sh
. "$here/../capture/veth_lab.sh"
# shellcheck source=../capture/checks.sh
. "$here/../capture/checks.sh"
# shellcheck source=../capture/prometheus_lab.sh
. "$here/../capture/prometheus_lab.sh"
(cd "$protos" && protoc -I . --python_out="$out/py" $(find opentelemetry -name '*.proto')) ||
    { echo "protoc failed"; exit 1; }
pids=
# The companion runs as nobody: the CLI and the helper's socket where nobody can reach them,
# as an installed CLI and /run/stratoshark are (a clone may live in a root-only folder).
exporter=$(mktemp -d /tmp/ss-exporter-XXXXXX); chmod 755 "$exporter"; cp "$ours" "$exporter/stratoshark"
lab_extra_cleanup='kill $pids 2>/dev/null; rm -rf "$exporter"'
lab_up ssh 215 "$out/www"
prometheus_netns=$lab_a # no Prometheus here: scrape and value read the companion's /metrics
ip netns exec "$lab_b" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
    --listen-address="$lab_server" --address=/web.test/10.215.0.2 --pid-file= 2>/dev/null &
pids="$pids $!"
ip netns exec "$lab_a" /usr/bin/python3 "$here/otlp_receiver.py" 14318 "$out/spans" "$out/py" >"$out/receiver.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do grep -q listening "$out/receiver.log" && break; sleep 0.1; done
ip netns exec "$lab_a" "$helper" --socket "$exporter/helper.sock" --spool "$out/spool" --k8s-metadata none \
    --otlp http://127.0.0.1:14318 --otlp-metrics 127.0.0.1:9470 --otlp-exporter "$exporter/stratoshark" >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 100); do
    ip netns exec "$lab_a" curl -sf -o /dev/null http://127.0.0.1:9470/metrics && break; sleep 0.1
done
sleep 1.5 # the companion's capture has started
companion=$(pgrep -P "$helper_pid" -f 'export otlp' | head -1)
check "the companion runs as nobody" nobody "$(ps -o user= -p "${companion:-1}" | tr -d ' ')"
# A scrape of the companion's own histogram while it captures: not a span, not counted.
ip netns exec "$lab_a" curl -sf -o /dev/null http://127.0.0.1:9470/metrics
for page in index.html index.html missing.html; do
    ip netns exec "$lab_a" curl -s -o /dev/null "http://$lab_server:8080/$page"
done
ip netns exec "$lab_a" dig +short +tries=1 +time=2 "@$lab_server" web.test A >/dev/null
sleep 3 # a batch goes within a second of its first span
scrape 127.0.0.1:9470
/usr/bin/python3 - "$out/spans/spans.jsonl" > "$out/verdicts.txt" <<'PY'
import json, sys
try:
    spans = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    spans = []
def val(s, k):
    v = s["attributes"].get(k)
    return None if v is None else list(v.values())[0]
http = [s for s in spans if val(s, "http.request.method")]
def ok(name, cond): print(("ok" if cond else "FAIL") + "\t" + name)
ok("three HTTP spans arrived live (%d)" % len(http), len(http) == 3)
ok("…with their statuses", sorted(val(s, "http.response.status_code") for s in http) == ["200", "200", "404"])
ok("…made by curl, seen from the client", all(val(s, "process.executable.name") == "curl"
    and s["kind"] == "SPAN_KIND_CLIENT" for s in http))
ok("…children of their connections' spans", all(s["parent_span_id"] for s in http))
ok("the DNS query's span", [val(s, "dns.question.name") for s in spans if val(s, "dns.question.name")] == ["web.test"])
ok("TCP connections' spans (closed ones)", sum(1 for s in spans if s["name"] == "TCP connection") >= 3)
ok("none of the exports to the collector", not any(val(s, "server.port") == "14318" for s in spans))
PY
while IFS=$'\t' read -r verdict name; do
    if [ "$verdict" = ok ]; then check "$name" 1 1; else check "$name" 1 0; fi
done < "$out/verdicts.txt"
check "the HTTP durations' histogram: GET 200 twice" 2 \
    "$(value 'stratoshark_http_request_duration_seconds_count{method="GET",status_code="200"}')"
check "…with OpenTelemetry's buckets" 1 \
    "$(grep 'stratoshark_http_request_duration_seconds_bucket{' "$out/metrics.txt" | grep 'status_code="404"' | grep -c 'le="0.005"')"
kill "$helper_pid"; wait "$helper_pid" 2>/dev/null
sleep 0.5
check "the companion ends with the helper" "" "$(ps -o pid= -p "${companion:-1}" 2>/dev/null | tr -d ' ')"
checks_done "helper otlp"
