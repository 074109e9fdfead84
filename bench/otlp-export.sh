#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Spans per second from a file: `stratoshark export otlp -r CAPTURE` into a local OTLP/HTTP
# sink (answers 200, keeps nothing), beside tshark reading the same file for the same fields
# (HTTP requests and responses, DNS queries and answers, TCP streams) with -T fields: the
# dissection both need, so that the ratio shows what making and sending spans adds.
# Alternating runs; medians of wall time; spans/s from our own summary line.
# Usage: bench/otlp-export.sh STRATOSHARK CAPTURE [RUNS]
#   (a capture with HTTP and DNS: bench/make-large-capture.sh makes one)
set -uo pipefail
ours=$1 capture=$2 runs=${3:-3}
for tool in tshark python3; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done
work=$(mktemp -d /tmp/ss-otlp-bench-XXXXXX)
sink=
cleanup() { [ -n "$sink" ] && kill "$sink" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
python3 - 14399 > "$work/sink.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink)
print("listening", flush=True)
server.serve_forever()
PY
sink=$!
for _ in $(seq 50); do grep -q listening "$work/sink.log" && break; sleep 0.1; done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ours_times=() tshark_times=() spans=
for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$ours" export otlp -r "$capture" --endpoint http://127.0.0.1:14399 2>"$work/ours.log" || { cat "$work/ours.log"; exit 1; }
    ours_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
    spans=$(sed -n 's/.*: \([0-9]*\) spans exported.*/\1/p' "$work/ours.log")
    start=$(date +%s.%N)
    tshark -r "$capture" -Y 'http.request || http.response || dns || tcp.flags.syn == 1' -T fields -e frame.number \
        -e tcp.stream -e http.request.method -e http.request.uri -e http.response.code -e http.time -e dns.qry.name \
        -e dns.time >/dev/null 2>&1
    tshark_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
o=$(printf '%s\n' "${ours_times[@]}" | median)
t=$(printf '%s\n' "${tshark_times[@]}" | median)
echo "capture: $capture ($(capinfos -c -M "$capture" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}') packets)"
echo "spans: $spans ($(sed -n 's/.*(\(.*made\)).*/\1/p' "$work/ours.log"))"
printf 'export otlp: %.2f s (%.0f spans/s)   tshark -T fields, same fields: %.2f s   ratio ours/tshark %.2f\n' \
    "$o" "$(echo "$spans / $o" | bc -l)" "$t" "$(echo "$o / $t" | bc -l)"
