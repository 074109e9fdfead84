#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Dissection in parallel by flow (app/cli/parallel_read.h) against tshark:
#  1. with two workers forced (STRATOSHARK_WORKERS=2), fixtures of every kind print exactly
#     what tshark prints for a set of display filters, summary lines and -T fields, with the
#     same exit status — whether the workers ran or the read stayed in one process (the
#     golden matrix runs its -Y cases on every fixture the default way);
#  2. the workers do run where they should (nothing on stderr), and a filter on a field that
#     depends on other flows keeps the read in one process, saying why.
# Usage: parallel_read.sh STRATOSHARK FIXTURES SAMPLE OUTDIR
set -u
ours=$1 fixtures=$2 sample=$3 out=$4
mkdir -p "$out"
export TZ=UTC LC_ALL=C.UTF-8 HOME="$out/home" STRATOSHARK_WORKERS=2
mkdir -p "$HOME"
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

filters=("" "dns" "tcp.analysis.flags || icmp || icmpv6" "http || tls.handshake")
# The many-flow slice and the sample (workers run), a retransmission sample, a tunnel, a
# compressed file and a null-link capture (one process), a damaged file.
captures=("$fixtures"/slices/node-mix.pcapng "$sample" "$fixtures"/pcap/ssh.pcap "$fixtures"/pcap/tcp.pcapng
          "$fixtures"/pcap/vxlan.pcap "$fixtures"/pcap/dns_tcp.pcap.gz "$fixtures"/pcap/quic_handshake.pcap
          "$fixtures"/pcap/damaged-lengths.pcap)
compared=0
same_as_tshark() { # WHAT ARGS...: our output and exit status equal tshark's
    local what=$1
    shift
    "$ours" "$@" > "$out/ours.txt" 2> /dev/null
    local a=$?
    tshark "$@" > "$out/tshark.txt" 2> /dev/null
    local b=$?
    if ! cmp -s "$out/ours.txt" "$out/tshark.txt" || [ $a -ne $b ]; then
        fail "$what: differs from tshark (exit $a vs $b)"
        diff "$out/tshark.txt" "$out/ours.txt" | head -6
    fi
    compared=$((compared + 1))
}
for capture in "${captures[@]}"; do
    for f in "${filters[@]}"; do
        args=(-r "$capture")
        [ -n "$f" ] && args+=(-Y "$f")
        same_as_tshark "$(basename "$capture") -Y '$f'" "${args[@]}"
    done
    same_as_tshark "$(basename "$capture") -T fields" -r "$capture" -T fields -e frame.number \
        -e frame.time_relative -e ip.src -e tcp.srcport -e _ws.col.Info
done
echo "ok: $compared outputs compared with tshark, two workers asked for"

workers_ran() { # CAPTURE FILTER
    "$ours" -r "$1" -Y "$2" > /dev/null 2> "$out/ran.err"
    if [ -s "$out/ran.err" ]; then
        fail "two workers did not run for $(basename "$1") -Y '$2': $(cat "$out/ran.err")"
    else
        echo "ok: two workers ran for $(basename "$1") -Y '$2'"
    fi
}
workers_ran "$fixtures/slices/node-mix.pcapng" "dns"
workers_ran "$sample" "tcp"
"$ours" -r "$fixtures/slices/node-mix.pcapng" -Y "tcp.stream == 3" > "$out/one.txt" 2> "$out/one.err"
grep -q "one process: the display filter names a field that depends on other flows" "$out/one.err" &&
    echo "ok: tcp.stream keeps the read in one process" || fail "tcp.stream: $(cat "$out/one.err")"
tshark -r "$fixtures/slices/node-mix.pcapng" -Y "tcp.stream == 3" > "$out/one-tshark.txt" 2> /dev/null
cmp -s "$out/one.txt" "$out/one-tshark.txt" || fail "tcp.stream == 3 differs from tshark"
# The workers' output is merged in frame order: the frame numbers printed only go up.
"$ours" -r "$fixtures/slices/node-mix.pcapng" -T fields -e frame.number > "$out/numbers.txt" 2> /dev/null
sort -n -c "$out/numbers.txt" && [ "$(wc -l < "$out/numbers.txt")" -eq 2817 ] &&
    echo "ok: 2817 frames merged in order" || fail "frames out of order or missing"
echo "$failed failed"
[ $failed -eq 0 ]
