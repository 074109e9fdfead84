#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Related events on every packet (ss.related.*): ptcpdump's curl capture (process metadata
# on each packet) with a Falco alert about curl's process, Tetragon execs of curl and its
# parent, and a Hubble flow of curl's connection (tests/fixtures/related/) imported into it. Each packet of the
# connection links the alert, both execs and the flow; a packet of another process links
# none; one pass links only earlier records, two passes link both ways; the window
# preference narrows the alerts; stock tshark with our plugin prints the same. And
# `stratoshark correlate` puts the alert's process in its process tree.
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
events=$fixtures/related
"$ours" import --falco "$events/alert.json" --falco "$events/far-alert.json" --tetragon "$events/exec.json" \
    --hubble "$events/flow.json" --into "$capture" -w "$out/story.pcapng" 2> "$out/import.log" \
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

# correlate's process tree: the alert's process under its parent, found by the parent chain
# although the parent's exec happened in another pod's record and outside the alert's pod.
"$ours" correlate -r "$out/story.pcapng" > "$out/correlate.txt"
check "correlate: the process tree" 2 \
    "$(sed -n '1,/^  Processes:/p' "$out/correlate.txt" | grep -c -e '^    bash\[18840\]  exec /usr/bin/bash' \
        -e "^      └ curl\[99722\]  exec /usr/bin/curl .*← the alert's process")"
"$ours" correlate -r "$out/story.pcapng" -T json > "$out/correlate.json"
check "correlate -T json: process_tree" "18840 99722 True" "$(python3 -c '
import json, sys
tree = json.load(open(sys.argv[1]))[0]["process_tree"]
print(tree[0]["pid"], tree[0]["children"][0]["pid"], tree[0]["children"][0]["alert_process"])' "$out/correlate.json")"

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
