#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Times stratoshark and tshark side by side on the same capture, alternating runs, and
# prints medians of wall time and peak RSS with our/tshark ratios (markdown table), after
# the time a bare libpcap read of the file takes.
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

measure() { # measure PROGRAM ARGS... -> "seconds kilobytes"; a failed run stops the script
    if ! /usr/bin/time -f "%e %M" -o "$HOME/time.txt" "$@" > /dev/null 2>>"$HOME/stderr.txt"; then
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
for _ in $(seq "$runs"); do measure tcpdump -r "$capture" -w /dev/null >> "$HOME/raw.txt"; done
echo "raw libpcap read (tcpdump -r FILE -w /dev/null): $(cut -d' ' -f1 "$HOME/raw.txt" | median) s"
echo
echo "| command | tshark s | ours s | ratio | tshark MiB | ours MiB | ratio |"
echo "|---|---|---|---|---|---|---|"
for i in "${!cases[@]}"; do
    args=()
    eval "args=(${cases[$i]})"
    : > "$HOME/t.txt"; : > "$HOME/o.txt"
    for _ in $(seq "$runs"); do
        measure tshark -r "$capture" "${args[@]}" >> "$HOME/t.txt"
        measure "$ours" -r "$capture" "${args[@]}" >> "$HOME/o.txt"
    done
    ts=$(cut -d' ' -f1 "$HOME/t.txt" | median); os=$(cut -d' ' -f1 "$HOME/o.txt" | median)
    tm=$(cut -d' ' -f2 "$HOME/t.txt" | median); om=$(cut -d' ' -f2 "$HOME/o.txt" | median)
    awk -v l="${labels[$i]}" -v ts="$ts" -v os="$os" -v tm="$tm" -v om="$om" 'BEGIN {
        printf "| `%s` | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f |\n", l, ts, os, os / ts, tm / 1024, om / 1024, om / tm }'
done
