#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark timeline`: the joined chronology of records and traffic. Alerts, process events
# and verdicts come from the public fixtures (imported as records); DNS answers and connection
# summaries are checked against tshark's own fields on the bundled sample.
# Usage: timeline.sh STRATOSHARK FIXTURES SAMPLE OUTDIR
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

"$ours" import --falco "$fixtures/falco/critical-alert.json" --tetragon "$fixtures/tetragon/privileged-pod-nsenter.json" \
    --tetragon "$fixtures/tetragon/events.json" --hubble "$fixtures/hubble/cilium-docs-export-rst-dropped-flows.jsonl" \
    -w "$out/events.pcapng" 2> "$out/import.log"
"$ours" timeline -r "$out/events.pcapng" > "$out/events.txt"; rc=$?
cat "$out/events.txt"
check "records: exit 0" 0 "$rc"
check "the nsenter exec, in its pod, first" \
    "2022-01-19 11:16:29.378  Tetragon default/privileged-pod         nsenter[19009]         exec /usr/bin/nsenter -t 1 -m -u -n -i -p bash" \
    "$(head -1 "$out/events.txt")"
check "the policy drop" 1 "$(grep -c 'Cilium .*DROPPED default/xwing:44916 → default/deathstar-7848d6c4d5-th9v2:80 TCP \[SYN\] (POLICY_DENIED)' "$out/events.txt")"
check "the Falco alert, last, with pod and process" 1 \
    "$(tail -1 "$out/events.txt" | grep -c 'Falco    shop/frontend-abc123 .* xmrig\[4242\] .*Critical: Detect crypto miners using the Stratum protocol')"
check "one line per record" "$("$ours" -r "$out/events.pcapng" | wc -l)" "$(wc -l < "$out/events.txt")"
check "-Y keeps one pod" 1 "$("$ours" timeline -r "$out/events.pcapng" -Y 'k8s.pod == "privileged-pod"' | wc -l)"

"$ours" timeline -r "$fixtures/records/syscalls.pcapng" > "$out/syscalls.txt"
check "only failed syscalls (2 of 3)" "2 0" \
    "$(grep -c '^.*Syscall .*failed' "$out/syscalls.txt") $(grep -c openat "$out/syscalls.txt")"

"$ours" timeline -r "$sample" -T json > "$out/sample.json"; rc=$?
check "sample: exit 0" 0 "$rc"
python3 - "$out/sample.json" > "$out/sample.summary" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
times = [float(e["time"]) for e in d]
print("sorted", times == sorted(times))
print("tcp", sum(1 for e in d if e["kind"] == "TCP"))
for e in d:
    if e["kind"] == "DNS":
        print("dns", e["summary"])
    if e["kind"] == "TCP" and e["summary"].split(" — ")[0].endswith(":9000"):
        print("bulk", e["summary"].split(" — ")[1].split(",")[0], e["filter"])
PY
cat "$out/sample.summary"
check "entries in time order" "sorted True" "$(grep sorted "$out/sample.summary")"
check "one TCP entry per tcp.stream" \
    "tcp $(tshark -r "$sample" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)" \
    "$(grep '^tcp ' "$out/sample.summary")"
expected_dns=$(tshark -r "$sample" -Y 'dns.flags.response == 1' -T fields -E aggregator=', ' -e dns.qry.name -e dns.a \
    2>/dev/null | awk -F'\t' '{print "dns " $1 " → " ($2 == "" ? "no address" : $2)}')
check "DNS answers as tshark reads them" "$expected_dns" "$(grep '^dns ' "$out/sample.summary")"
stream=$(grep '^bulk ' "$out/sample.summary" | sed 's/.*tcp.stream == //')
client_port=$(tshark -r "$sample" -Y "tcp.stream == $stream && tcp.flags.syn == 1 && tcp.flags.ack == 0" -T fields \
    -e tcp.srcport 2>/dev/null | head -1)
sent=$(tshark -r "$sample" -Y "tcp.stream == $stream && tcp.srcport == $client_port" -T fields -e tcp.len 2>/dev/null \
    | awk '{s += $1} END {printf "%.0f kB", s / 1000}')
check "bytes sent on the bulk connection, as tshark sums tcp.len" "bulk $sent sent" \
    "$(grep '^bulk ' "$out/sample.summary" | sed 's/ tcp.stream.*//')"

"$ours" timeline -r "$out/none.pcapng" > /dev/null 2> "$out/none.err"; rc=$?
check "a missing file: non-zero exit and a message" "yes 1" "$([ "$rc" -ne 0 ] && echo yes) $(grep -c 'none.pcapng' "$out/none.err")"
"$ours" timeline -r "$sample" -Y 'tcp.port ==' > /dev/null 2> "$out/badfilter.err"; rc=$?
check "a bad filter: non-zero exit" "yes" "$([ "$rc" -ne 0 ] && echo yes)"

echo "$failed failed"
[ "$failed" -eq 0 ]
