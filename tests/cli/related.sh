#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Related events on every packet (ss.related.*): ptcpdump's curl capture (process metadata
# on each packet) with a Falco alert about curl's process, Tetragon execs of curl and its
# parent, and a Hubble flow of curl's connection imported into it. Each packet of the
# connection links the alert, both execs and the flow; a packet of another process links
# none; one pass links only earlier records, two passes link both ways; the window
# preference narrows the alerts; stock tshark with our plugin prints the same.
# Usage: related.sh STRATOSHARK PLUGIN.so FIXTURES OUTDIR
set -uo pipefail
ours=$1
plugin=$2
fixtures=$3
out=$4
rm -rf "$out"
mkdir -p "$out"
export TZ=UTC HOME=$out
failed=0
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}
capture=$fixtures/pcap/curl-user.pcapng
"$ours" -r "$capture" -T fields -e frame.time_epoch -e proc.pid -e proc.ppid -e ip.src -e tcp.srcport -e ip.dst \
    -e tcp.dstport > "$out/packets.tsv"
python3 - "$fixtures" "$out" <<'PY'
import datetime, json, sys
fixtures, out = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(out + "/packets.tsv")]
first, last = float(rows[0][0]), float(rows[-1][0])
pid, ppid, src, sport, dst, dport = int(rows[0][1]), int(rows[0][2]), rows[0][3], rows[0][4], rows[0][5], rows[0][6]
def stamp(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
alert = json.load(open(fixtures + "/falco/critical-alert.json"))
alert["time"] = stamp(first + 0.2)
alert["output_fields"]["proc.pid"] = pid
alert["output_fields"]["proc.name"] = "curl"
json.dump(alert, open(out + "/alert.json", "w"))
far = dict(alert, time=stamp(last + 40), rule="Later alert about the same process")
json.dump(far, open(out + "/far-alert.json", "w"))
execs = []
for n, (p, parent, binary, delta) in enumerate([(ppid, 1, "/usr/bin/bash", -5.0), (pid, ppid, "/usr/bin/curl", -0.1)]):
    e = json.load(open(fixtures + "/tetragon/privileged-pod-nsenter.json"))
    e["time"] = stamp(first + delta)
    proc = e["process_exec"]["process"]
    proc["pid"], proc["binary"], proc["arguments"] = p, binary, "https://example.org"
    e["process_exec"].setdefault("parent", {})["pid"] = parent
    execs.append(json.dumps(e))
open(out + "/exec.json", "w").write("\n".join(execs) + "\n")
flow = {"flow": {"time": stamp(first + 0.3), "verdict": "DROPPED", "drop_reason_desc": "POLICY_DENIED",
        "IP": {"source": src, "destination": dst, "ipVersion": "IPv4"},
        "l4": {"TCP": {"source_port": int(sport), "destination_port": int(dport)}},
        "source": {"namespace": "shop", "pod_name": "frontend-abc123"}, "destination": {"identity": 2},
        "Type": "L3_L4", "traffic_direction": "EGRESS"}, "time": stamp(first + 0.3)}
open(out + "/flow.json", "w").write(json.dumps(flow) + "\n")
PY
"$ours" import --falco "$out/alert.json" --falco "$out/far-alert.json" --tetragon "$out/exec.json" \
    --hubble "$out/flow.json" --into "$capture" -w "$out/story.pcapng" 2> "$out/import.log" \
    || { cat "$out/import.log"; exit 1; }
frame_of() { "$ours" -r "$out/story.pcapng" -Y "$1" -T fields -e frame.number | head -1; }
alert=$(frame_of 'falco.rule contains "Stratum"')
far=$(frame_of 'falco.rule contains "Later"')
flow=$(frame_of cilium.verdict)
exec_curl=$(frame_of 'tetragon.binary == "/usr/bin/curl"')
exec_bash=$(frame_of 'tetragon.binary == "/usr/bin/bash"')
packets=$("$ours" -r "$out/story.pcapng" -Y 'tcp' -T fields -e frame.number | wc -l)
fields="-T fields -E aggregator=, -e frame.number -e ss.related.alert -e ss.related.exec -e ss.related.verdict"
"$ours" -r "$out/story.pcapng" -2 -Y tcp $fields > "$out/two-pass.tsv"
check "two passes: every packet links both alerts, nearest first" "$packets" \
    "$(cut -f2 "$out/two-pass.tsv" | grep -c "^$alert,$far$")"
check "two passes: every packet links curl's exec and its parent's" "$packets" \
    "$(cut -f3 "$out/two-pass.tsv" | grep -c "^$exec_curl,$exec_bash$")"
check "two passes: every other packet of the connection links the flow attached to frame $flow" \
    "$((packets - 1))" "$(cut -f4 "$out/two-pass.tsv" | grep -c "^$flow$")"
check "the alert 40 s after the last packet is within the default 60 s" "$packets" \
    "$("$ours" -r "$out/story.pcapng" -2 -Y "ss.related.alert == $far" -T fields -e frame.number | wc -l)"
check "-o ss.related.window:30 leaves it out" 0 \
    "$("$ours" -r "$out/story.pcapng" -2 -o ss.related.window:30 -Y "ss.related.alert == $far" \
        -T fields -e frame.number | wc -l)"
"$ours" -r "$out/story.pcapng" -Y tcp $fields > "$out/one-pass.tsv"
check "one pass: packets before the alert do not link it" 1 \
    "$(awk -F'\t' -v a="$alert" '$1 < a && $2 == "" {n++} END {print (n > 0)}' "$out/one-pass.tsv")"
check "one pass: packets after the alert link it" 1 \
    "$(awk -F'\t' -v a="$alert" '$1 > a && $2 != a {bad++} $1 > a {n++} END {print (n > 0 && !bad)}' "$out/one-pass.tsv")"
check "expert entry names the alert" "$packets" \
    "$("$ours" -r "$out/story.pcapng" -2 -Y tcp -T fields -e _ws.expert.message | grep -c "Falco Critical: Detect crypto miners using the Stratum protocol in frame $alert")"
check "the tree: links with what they point at" 1 \
    "$("$ours" -r "$out/story.pcapng" -2 -V -Y "frame.number == $(frame_of tcp)" | grep -c "Cilium flow in frame: $flow (Cilium DROPPED POLICY_DENIED, ")"
check "records themselves link nothing" 0 \
    "$("$ours" -r "$out/story.pcapng" -2 -Y 'ss.related && ssrec.magic' | wc -l)"

# Stock tshark 4.0 with our plugin: identical in one and in two passes. tshark run as root
# ignores WIRESHARK_PLUGIN_DIR, so it runs as nobody in a world-readable scratch folder.
scratch=$(mktemp -d /tmp/ss-related-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/plugins/4.0/epan"
cp "$plugin" "$scratch/plugins/4.0/epan/"
cp "$out/story.pcapng" "$scratch/"
chmod -R a+rX "$scratch"
as_nobody=()
[ "$(id -u)" -eq 0 ] && as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
for pass in "" "-2"; do
    "${as_nobody[@]}" env HOME="$scratch" WIRESHARK_PLUGIN_DIR="$scratch/plugins" tshark -r "$scratch/story.pcapng" \
        $pass -Y tcp $fields -e _ws.expert.message > "$out/tshark$pass.tsv" 2> "$out/tshark$pass.err"
    "$ours" -r "$out/story.pcapng" $pass -Y tcp $fields -e _ws.expert.message > "$out/ours$pass.tsv"
    check "stock tshark + plugin prints the same (${pass:-one pass})" "" \
        "$(diff "$out/tshark$pass.tsv" "$out/ours$pass.tsv" | head -3)"
done
echo "$failed failed"
[ $failed -eq 0 ]
