#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark import --hubble FLOWS --into CAPTURE`: each flow attaches to the packet it
# describes (same addresses, ports, transport and direction, nearest in time within 1 s), so
# `tcp && cilium.verdict == "FORWARDED"` finds packets; a flow with no packet (a DROPPED one,
# or one too far in time) stays a record of its own.
# Usage: hubble_attach.sh STRATOSHARK FIXTURES OUTDIR
set -euo pipefail
ours=$1
fixtures=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
export TZ=UTC HOME=$out
capture=$fixtures/pcap/curl-user.pcapng
failed=0
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}

# Flows in Hubble's jsonpb shape for the capture's packets 1 and 2 (at their times), one for
# packet 3's tuple 3 s after it, and a DROPPED DNS flow that never became a packet.
"$ours" -r "$capture" -T fields -e frame.time_epoch -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport \
    > "$out/packets.tsv"
python3 - "$out/packets.tsv" > "$out/flows.jsonl" <<'PY'
import datetime, json, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
def flow(row, verdict, shift=0.0, reply=False, extra=None):
    t, src, dst, sport, dport = row
    secs, frac = t.split(".")
    stamp = datetime.datetime.fromtimestamp(int(secs) + int(shift), datetime.timezone.utc)
    when = stamp.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"
    f = {"time": when, "verdict": verdict, "IP": {"source": src, "destination": dst, "ipVersion": "IPv4"},
         "l4": {"TCP": {"source_port": int(sport), "destination_port": int(dport)}},
         "source": {"namespace": "default", "pod_name": "curl-7f9c"}, "Type": "L3_L4",
         "node_name": "node-a", "reply": reply, "traffic_direction": "EGRESS", "Summary": "TCP"}
    f.update(extra or {})
    return {"flow": f, "node_name": "node-a", "time": when}
print(json.dumps(flow(rows[0], "FORWARDED")))
print(json.dumps(flow(rows[1], "FORWARDED", reply=True)))
print(json.dumps(flow(rows[2], "FORWARDED", shift=3)))
dropped = flow(rows[3], "DROPPED", extra={"drop_reason_desc": "POLICY_DENIED"})
dropped["flow"]["IP"]["destination"] = "10.96.0.10"
dropped["flow"]["l4"] = {"UDP": {"source_port": 41000, "destination_port": 53}}
print(json.dumps(dropped))
PY

"$ours" import --hubble "$out/flows.jsonl" --into "$capture" -w "$out/joined.pcapng" 2> "$out/import.log"
cat "$out/import.log"
check "the summary counts the flows attached" 1 "$(grep -c '2 Hubble flows attached to their packets' "$out/import.log")"
check "packets and records" 7 "$("$ours" -r "$out/joined.pcapng" | wc -l)"
check "tcp && cilium.verdict == FORWARDED: the two packets" \
    "10.0.2.15 139.178.84.217|139.178.84.217 10.0.2.15|" \
    "$("$ours" -r "$out/joined.pcapng" -Y 'tcp && cilium.verdict == "FORWARDED"' -T fields -e ip.src -e ip.dst \
        | tr '\t\n' ' |')"
check "the attached packet keeps its process metadata" 2 \
    "$("$ours" -r "$out/joined.pcapng" -Y 'tcp && cilium.verdict == "FORWARDED" && proc.pid' | wc -l)"
check "the flow too far in time stays a record" 1 \
    "$("$ours" -r "$out/joined.pcapng" -Y '!eth && cilium.verdict == "FORWARDED"' | wc -l)"
check "the DROPPED flow with no packet stays a record" 1 \
    "$("$ours" -r "$out/joined.pcapng" -Y '!eth && cilium.verdict == "DROPPED"' | wc -l)"
check "cilium.ip.dst is an address field: the reply packet and the DROPPED record" "2 4 " \
    "$("$ours" -r "$out/joined.pcapng" -Y 'cilium.ip.dst == 10.0.0.0/8' -T fields -e frame.number | tr '\n' ' ')"
check "a flow's pod and namespace read the same on a packet as on a record" \
    "curl-7f9c default|curl-7f9c default|curl-7f9c default|curl-7f9c default|" \
    "$("$ours" -r "$out/joined.pcapng" -Y 'cilium.verdict' -T fields -e cilium.src.pod -e cilium.src.ns | tr '\t\n' ' |')"
check "no packet lost" 5 "$("$ours" -r "$out/joined.pcapng" -Y eth | wc -l)"
echo "$failed failed"
[ "$failed" -eq 0 ]
