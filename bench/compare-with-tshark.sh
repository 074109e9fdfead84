#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Times stratoshark and tshark side by side on the same capture, alternating runs, and
# prints medians of wall time and peak RSS with our/tshark ratios (markdown table), after
# the time a bare libpcap read of the file takes; "same" says whether both printed the same
# bytes (the last run's output of each is compared), "× raw" our time over that read.
# Usage: compare-with-tshark.sh STRATOSHARK CAPTURE [RUNS]   (needs /usr/bin/time)
set -euo pipefail
ours=$1
capture=$2
runs=${3:-3}
export TZ=UTC HOME=$(mktemp -d)

cases=(
    "-q"
    "-Y 'dns.qry.name contains \"minexmr\"'"
    "-q -z conv,tcp"
    "-q -z conv,udp"
    "-q -z conv,ip"
    "-q -z endpoints,ip"
    "-q -z endpoints,tcp"
    "-q -z conv,eth -z conv,ip -z conv,ipv6 -z conv,tcp -z conv,udp -z endpoints,eth -z endpoints,ip -z endpoints,ipv6 -z endpoints,tcp -z endpoints,udp"
    "-T fields -e frame.number -e ip.src -e ip.dst"
    "-q -z io,stat,1,tcp,udp"
    "-q -z expert"
    "-q -z io,phs"
    "-q -z http,tree"
)
labels=(
    "-q (read all)"
    "-Y 'dns.qry.name contains \"minexmr\"'"
    "-q -z conv,tcp"
    "-q -z conv,udp"
    "-q -z conv,ip"
    "-q -z endpoints,ip"
    "-q -z endpoints,tcp"
    "-q -z conv,eth -z conv,ip -z conv,ipv6 -z conv,tcp -z conv,udp -z endpoints,eth -z endpoints,ip -z endpoints,ipv6 -z endpoints,tcp -z endpoints,udp"
    "-T fields -e frame.number -e ip.src -e ip.dst"
    "-q -z io,stat,1,tcp,udp"
    "-q -z expert"
    "-q -z io,phs"
    "-q -z http,tree"
)
# SS_BENCH_CASES: a regular expression keeping some cases only (e.g. 'io,|expert|tree').
if [ -n "${SS_BENCH_CASES:-}" ]; then
    for i in "${!cases[@]}"; do
        [[ ${cases[$i]} =~ $SS_BENCH_CASES ]] || unset "cases[$i]" "labels[$i]"
    done
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # measure OUTFILE PROGRAM ARGS... -> "seconds kilobytes"; a failed run stops the script
    local out=$1
    shift
    if ! /usr/bin/time -f "%e %M" -o "$HOME/time.txt" "$@" > "$out" 2>>"$HOME/stderr.txt"; then
        echo "failed: $*" >&2
        tail -3 "$HOME/stderr.txt" >&2
        exit 1
    fi
    tail -1 "$HOME/time.txt"
}

packets=$(capinfos -M -c "$capture" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}' || echo "?")
echo "capture: $(basename "$capture"), $packets packets, $(du -h "$capture" | cut -f1); $runs runs each, alternating"
echo
# The floor for the statistics (issue: "within 2x of a raw libpcap read"): libpcap reading
# every packet and writing nowhere.
: > "$HOME/raw.txt"
for _ in $(seq "$runs"); do measure /dev/null tcpdump -r "$capture" -w /dev/null >> "$HOME/raw.txt"; done
raw=$(cut -d' ' -f1 "$HOME/raw.txt" | median)
echo "raw libpcap read (tcpdump -r FILE -w /dev/null): $raw s"
echo
echo "| command | tshark s | ours s | ratio | × raw | tshark MiB | ours MiB | ratio | same |"
echo "|---|---|---|---|---|---|---|---|---|"
for i in "${!cases[@]}"; do
    args=()
    eval "args=(${cases[$i]})"
    : > "$HOME/t.txt"; : > "$HOME/o.txt"
    for _ in $(seq "$runs"); do
        measure "$HOME/t.out" tshark -r "$capture" "${args[@]}" >> "$HOME/t.txt"
        measure "$HOME/o.out" "$ours" -r "$capture" "${args[@]}" >> "$HOME/o.txt"
    done
    same=yes
    cmp -s "$HOME/t.out" "$HOME/o.out" || same=NO
    ts=$(cut -d' ' -f1 "$HOME/t.txt" | median); os=$(cut -d' ' -f1 "$HOME/o.txt" | median)
    tm=$(cut -d' ' -f2 "$HOME/t.txt" | median); om=$(cut -d' ' -f2 "$HOME/o.txt" | median)
    awk -v l="${labels[$i]}" -v ts="$ts" -v os="$os" -v tm="$tm" -v om="$om" -v raw="$raw" -v same="$same" 'BEGIN {
        printf "| `%s` | %.2f | %.2f | %.3f | %.1f | %.0f | %.0f | %.2f | %s |\n", l, ts, os, os / ts, os / (raw > 0 ? raw : 1),
               tm / 1024, om / 1024, om / tm, same }'
done
