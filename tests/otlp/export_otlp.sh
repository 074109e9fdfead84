#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark export otlp`: spans from a capture of real traffic, received by an OTLP/HTTP
# receiver that decodes with the official opentelemetry-proto definitions (protoc
# --python_out; tests/fixtures/opentelemetry-proto). The capture (the helper on a veth lab):
# curl fetching pages from python's http.server (three on one HTTP/1.1 connection, one
# missing page)
# and dig asking dnsmasq. Checks:
#   - HTTP spans = tshark's `-Y http.request` count, DNS spans = queries, TCP spans = streams;
#   - current semantic-convention names and values (method, path, status, server, client,
#     transport, peer, process), none of the old ones;
#   - each HTTP span a child of its connection's span (same trace), inside it in time, and as
#     long as tshark's http.time for its response; kind CLIENT (captured at the client);
#   - a collector answering 503 twice then 200: every span arrives once, gzip-encoded;
#   - OTEL_EXPORTER_OTLP_ENDPOINT is honoured; --no-gzip sends plain protobuf;
#   - a collector refusing (400): exit status 2, the spans counted as failed.
# Usage: export_otlp.sh STRATOSHARK STRATOSHARK-HELPER PROTO_DIR OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 protos=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/py"
# shellcheck source=../capture/veth_lab.sh
. "$here/../capture/veth_lab.sh"
# shellcheck source=../capture/checks.sh
. "$here/../capture/checks.sh"
(cd "$protos" && protoc -I . --python_out="$out/py" $(find opentelemetry -name '*.proto')) ||
    { echo "protoc failed"; exit 1; }
pids=
lab_extra_cleanup='kill $pids 2>/dev/null'
lab_up sso 214 "$out/www"
echo page > "$out/www/b.html"
# HTTP/1.1 on 8081: curl keeps one connection for several requests.
ip netns exec "$lab_b" /usr/bin/python3 -m http.server 8081 --protocol HTTP/1.1 --bind "$lab_server" \
    --directory "$out/www" >/dev/null 2>&1 &
pids="$pids $!"
ip netns exec "$lab_b" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
    --listen-address="$lab_server" --address=/web.test/10.214.0.2 --pid-file= 2>/dev/null &
pids="$pids $!"
lab_wait_listen "$lab_b" 8081; lab_wait_listen "$lab_b" 53 u
ip netns exec "$lab_a" "$helper" capture -i "$lab_if" --duration 6 -w "$out/traffic.pcapng" 2>"$out/capture.log" &
capture=$!
sleep 1.5
url=http://$lab_server:8080
lab_in_a curl -s -o /dev/null -o /dev/null -o /dev/null "http://$lab_server:8081/index.html" \
    "http://$lab_server:8081/b.html" "http://$lab_server:8081/index.html"
lab_in_a curl -s -o /dev/null "$url/missing.html"
lab_in_a curl -s -o /dev/null "$url/b.html?x=1"
lab_in_a dig +short +tries=1 +time=2 "@$lab_server" web.test A >/dev/null
lab_in_a dig +short +tries=1 +time=2 "@$lab_server" other.test AAAA >/dev/null
wait $capture
cap=$out/traffic.pcapng

# The collector and the exports run in namespace A: its loopback is the test's own.
receive() { # NAME [ARGS…]: a receiver on A's port 14318 writing into $out/NAME
    mkdir -p "$out/$1"; local name=$1; shift
    ip netns exec "$lab_a" /usr/bin/python3 "$here/otlp_receiver.py" 14318 "$out/$name" "$out/py" "$@" \
        >"$out/$name.log" 2>&1 &
    receiver=$!
    for _ in $(seq 50); do grep -q listening "$out/$name.log" 2>/dev/null && break; sleep 0.1; done
}
# A collector that answers 503 twice, then 200.
receive flaky --fail 2
lab_in_a "$ours" export otlp -r "$cap" --endpoint http://127.0.0.1:14318/ 2>"$out/export.log"
rc=$?
kill $receiver; wait $receiver 2>/dev/null
cat "$out/export.log"
check "export ends well" 0 "$rc"
check "after two 503s" "503 503 200" "$(/usr/bin/python3 -c 'import json, sys
print(" ".join(str(json.loads(l)["answer"]) for l in open(sys.argv[1])))' "$out/flaky/requests.jsonl")"
check "…said: 2 retries, nothing failed" 1 "$(grep -c ' 2 retries, 0 dropped, 0 failed' "$out/export.log")"
check "gzip, protobuf, /v1/traces" "gzip application/x-protobuf /v1/traces" "$(/usr/bin/python3 -c 'import json, sys
r = json.loads(open(sys.argv[1]).readlines()[-1]); print(r["content_encoding"], r["content_type"], r["path"])' "$out/flaky/requests.jsonl")"

requests=$(tshark -r "$cap" -Y http.request 2>/dev/null | wc -l)
queries=$(tshark -r "$cap" -Y 'dns.flags.response == 0' 2>/dev/null | wc -l)
streams=$(tshark -r "$cap" -T fields -e tcp.stream 2>/dev/null | sort -u | grep -c .)
tshark -r "$cap" -Y http.response -T fields -e http.request_in -e http.time 2>/dev/null > "$out/http-times.tsv"
check_ge "the capture has HTTP requests" 5 "$requests"
/usr/bin/python3 - "$out/flaky/spans.jsonl" "$requests" "$queries" "$streams" "$out/http-times.tsv" > "$out/verdicts.txt" <<'PY'
import json, sys
spans = [json.loads(l) for l in open(sys.argv[1])]
requests, queries, streams = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
times = sorted(round(float(l.split("\t")[1]) * 1e6) for l in open(sys.argv[5]) if l.strip())
def val(s, k):
    v = s["attributes"].get(k)
    return None if v is None else list(v.values())[0]
http = [s for s in spans if val(s, "http.request.method")]
dns = [s for s in spans if val(s, "dns.question.name")]
tcp = [s for s in spans if s["name"] == "TCP connection"]
ids = {s["span_id"]: s for s in spans}
def ok(name, cond): print(("ok" if cond else "FAIL") + "\t" + name)
ok("every span once (unique ids)", len(ids) == len(spans))
ok("HTTP spans = -Y http.request (%d, %d)" % (len(http), requests), len(http) == requests)
ok("DNS spans = queries (%d, %d)" % (len(dns), queries), len(dns) == queries)
ok("TCP spans = streams (%d, %d)" % (len(tcp), streams), len(tcp) == streams)
ok("HTTP: a child of its connection, same trace", all(
    s["parent_span_id"] in ids and ids[s["parent_span_id"]]["name"] == "TCP connection"
    and ids[s["parent_span_id"]]["trace_id"] == s["trace_id"] for s in http))
ok("HTTP: inside its connection in time", all(
    int(ids[s["parent_span_id"]]["start_time_unix_nano"]) <= int(s["start_time_unix_nano"])
    <= int(s["end_time_unix_nano"]) <= int(ids[s["parent_span_id"]]["end_time_unix_nano"]) for s in http))
durations = sorted(round((int(s["end_time_unix_nano"]) - int(s["start_time_unix_nano"])) / 1e3) for s in http)
ok("HTTP: durations = tshark's http.time", durations == times)
ok("HTTP: kind CLIENT", all(s["kind"] == "SPAN_KIND_CLIENT" for s in http))
ok("HTTP: method, path, status", sorted((val(s, "http.request.method"), val(s, "url.path"),
    val(s, "http.response.status_code")) for s in http) == sorted(
    [("GET", "/index.html", "200")] * 2 + [("GET", "/b.html", "200")] * 2 + [("GET", "/missing.html", "404")]))
ok("HTTP: the query apart", sorted(val(s, "url.query") or "" for s in http) == ["", "", "", "", "x=1"])
ok("HTTP: a 404 is an error for its client", all((s.get("status", {}).get("code") == "STATUS_CODE_ERROR")
    == (val(s, "http.response.status_code") == "404") for s in http))
ok("HTTP: server and client", all(val(s, "server.address") == "10.214.0.2" and val(s, "server.port") in ("8080", "8081")
    and val(s, "client.address") == "10.214.0.1" and val(s, "network.peer.address") == "10.214.0.2"
    and val(s, "network.transport") == "tcp" for s in http))
ok("HTTP: the process (curl)", all(val(s, "process.executable.name") == "curl"
    and int(val(s, "process.pid")) > 1 for s in http))
ok("none of the old names", not any(k in s["attributes"] for s in spans
    for k in ("http.method", "http.status_code", "http.url", "net.peer.ip", "net.peer.port", "http.target")))
ok("DNS: names asked", sorted(val(s, "dns.question.name") for s in dns) == ["other.test", "web.test"])
ok("DNS: UDP to the server's port 53", all(val(s, "network.transport") == "udp" and val(s, "server.port") == "53"
    for s in dns))
ok("TCP: one connection has three requests", sorted(
    sum(1 for h in http if h["parent_span_id"] == t["span_id"]) for t in tcp) == [1, 1, 3])
ok("the resource: service.name", all(s["resource"].get("service.name") == {"stringValue": "stratoshark"}
    for s in spans))
PY
while IFS=$'\t' read -r verdict name; do
    if [ "$verdict" = ok ]; then check "$name" 1 1; else check "$name" 1 0; fi
done < "$out/verdicts.txt"

# OTEL_EXPORTER_OTLP_ENDPOINT, and --no-gzip.
receive env
lab_in_a env OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318 "$ours" export otlp -r "$cap" --no-gzip 2>"$out/export-env.log"
rc=$?
kill $receiver; wait $receiver 2>/dev/null
check "OTEL_EXPORTER_OTLP_ENDPOINT: sent there" "0 $(wc -l < "$out/flaky/spans.jsonl")" "$rc $(wc -l < "$out/env/spans.jsonl")"
check "--no-gzip: plain protobuf" None "$(/usr/bin/python3 -c 'import json, sys
print(json.loads(open(sys.argv[1]).readline())["content_encoding"])' "$out/env/requests.jsonl")"
# -Y: spans of the packets it keeps.
receive filtered
lab_in_a "$ours" export otlp -r "$cap" -Y 'udp.port == 53' --endpoint http://127.0.0.1:14318 2>"$out/export-filtered.log"
kill $receiver; wait $receiver 2>/dev/null
check "-Y 'udp.port == 53': the DNS spans only" "$queries" "$(wc -l < "$out/filtered/spans.jsonl")"
# A collector that refuses: nothing retried, exit 2, counted.
receive refusing --fail 1000 --status 400
lab_in_a "$ours" export otlp -r "$cap" --endpoint http://127.0.0.1:14318 2>"$out/export-refused.log"
rc=$?
kill $receiver; wait $receiver 2>/dev/null
check "a 400: exit status 2" 2 "$rc"
check "…one request, not retried" 1 "$(wc -l < "$out/refusing/requests.jsonl")"
check "…the spans counted as failed, the answer said" 1 "$(grep -c ' failed; last error: HTTP 400' "$out/export-refused.log")"
"$ours" export otlp -r "$out/no-such.pcapng" --endpoint http://127.0.0.1:14318 2>"$out/export-missing.log"
check "a missing file: exit status 2" 2 $?
"$ours" export otlp -r "$cap" -Y 'http.request ==' 2>"$out/export-badfilter.log"
check "a bad filter: refused (1), named" "1 1" "$? $(grep -c 'http.request ==' "$out/export-badfilter.log")"
checks_done "export otlp"
