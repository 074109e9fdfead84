#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark correlate`: the public Falco alert and Tetragon exec re-timed into the bundled
# sample's traffic and re-homed to one pod whose address (from a kubectl-shaped pods file) is
# the sample's 127.0.0.1; the story around the alert must hold the exec, the DNS answers, the
# connections named by those answers and the bytes the pod sent.
# Usage: correlate.sh STRATOSHARK FIXTURES SAMPLE OUTDIR
set -uo pipefail
ours=$1
fixtures=$2
sample=$3
out=$4
rm -rf "$out"
mkdir -p "$out"
export TZ=UTC HOME=$out
failed=0
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}

first=$("$ours" -r "$sample" -c 1 -T fields -e frame.time_epoch)
python3 - "$fixtures" "$first" "$out" <<'PY'
import datetime, json, sys
fixtures, first, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def stamp(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
alert = json.load(open(fixtures + "/falco/critical-alert.json"))
alert["time"] = stamp(first + 1.0)
json.dump(alert, open(out + "/alert.json", "w"))
exec_ = json.load(open(fixtures + "/tetragon/privileged-pod-nsenter.json"))
exec_["time"] = stamp(first + 0.5)
exec_["process_exec"]["process"]["pod"]["namespace"] = "shop"
exec_["process_exec"]["process"]["pod"]["name"] = "frontend-abc123"
open(out + "/exec.json", "w").write(json.dumps(exec_) + "\n")
pods = {"apiVersion": "v1", "kind": "List", "items": [
    {"kind": "Pod", "metadata": {"name": "frontend-abc123", "namespace": "shop", "labels": {"app": "frontend"}},
     "status": {"podIP": "127.0.0.1"}}]}
json.dump(pods, open(out + "/pods.json", "w"))
PY
"$ours" import --falco "$out/alert.json" --tetragon "$out/exec.json" --into "$sample" -w "$out/story.pcapng" \
    2> "$out/import.log" || { cat "$out/import.log"; exit 1; }
"$ours" correlate -r "$out/story.pcapng" --pods "$out/pods.json" > "$out/story.txt"; rc=$?
cat "$out/story.txt"
check "exit 0" 0 "$rc"
check "the alert heads its story with pod and process" 1 \
    "$(head -1 "$out/story.txt" | grep -c 'Critical: Detect crypto miners using the Stratum protocol  (pod shop/frontend-abc123, process xmrig\[4242\])')"
check "the exec in the pod" 1 \
    "$(sed -n '/^  Processes:/,/^  [A-Z]/p' "$out/story.txt" | grep -c 'exec /usr/bin/nsenter -t 1 -m -u -n -i -p bash')"
check "the exec in the process tree" 1 \
    "$(sed -n '/^  Process tree:/,/^  Processes:/p' "$out/story.txt" | grep -c 'exec /usr/bin/nsenter -t 1 -m -u -n -i -p bash')"
check "DNS answers" 3 "$(sed -n '/^  DNS:/,/^  [A-Z]/p' "$out/story.txt" | grep -c ' → ')"
check "connections named by the DNS answer for their server" \
    "$(tshark -r "$sample" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)" \
    "$(grep -c 'TCP 127.0.0.1:.*(api.shop.test)' "$out/story.txt")"

"$ours" correlate -r "$out/story.pcapng" --pods "$out/pods.json" -T json > "$out/story.json"
# tshark's count of what the clients sent: TCP payload from each stream's SYN side, UDP
# payload from each flow's first sender (DNS aside: answers are not connections).
tshark -r "$sample" -Y 'tcp || (udp && !dns)' -T fields -e tcp.stream -e tcp.srcport -e tcp.len \
    -e tcp.flags.syn -e tcp.flags.ack -e udp.srcport -e udp.dstport -e udp.length 2>/dev/null > "$out/sent.tsv"
sent=$(python3 - "$out/sent.tsv" <<'PY'
import sys
clients, flows, total = {}, {}, 0
for line in open(sys.argv[1]):
    stream, sport, length, syn, ack, usport, udport, ulen = (line.rstrip("\n").split("\t") + [""] * 8)[:8]
    if stream:
        if syn in ("1", "True") and ack in ("0", "False"):
            clients.setdefault(stream, sport)
        if clients.get(stream) == sport:
            total += int(length or 0)
    elif usport:
        key = tuple(sorted((usport, udport)))
        flows.setdefault(key, usport)
        if flows[key] == usport:
            total += int(ulen) - 8
print(total)
PY
)
check "bytes out: what the pod's side sent, as tshark counts it" "$sent" \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["bytes_out"])' "$out/story.json")"

"$ours" correlate -r "$out/story.pcapng" --pods "$out/pods.json" --window 0.1 -T json > "$out/narrow.json"
check "a narrow window keeps only what is near the alert" "0 0" \
    "$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))[0]
print(len(s["processes"]), len(s["dns"]))' "$out/narrow.json")"
"$ours" correlate -r "$sample" > "$out/none.txt"; rc=$?
check "no alert: said, exit 0" "0 1" "$rc $(grep -c 'No alerts' "$out/none.txt")"
"$ours" correlate -r "$sample" --window -3 > /dev/null 2>&1; rc=$?
check "a bad window: exit 1" 1 "$rc"

echo "$failed failed"
[ "$failed" -eq 0 ]
