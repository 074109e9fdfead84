#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run_fuzzer.sh FUZZER CORPUS SECONDS WORKDIR
# One libFuzzer target as a test: every input of its corpus (the seeds and each crash found
# so far, kept as regression inputs), then SECONDS of fresh fuzzing from that corpus. New
# inputs go to WORKDIR, never into the source tree; a crash fails the test and names the
# input to add to CORPUS once fixed. TARGET.dict (a dictionary) and TARGET.options (more
# libFuzzer flags, one per line) beside this script are used when there.
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3 work=$4
name=$(basename "$fuzzer")
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/new"
args=(-timeout=20 -rss_limit_mb=2560 -print_final_stats=1 "-artifact_prefix=$work/")
[ -f "$here/$name.dict" ] && args+=("-dict=$here/$name.dict")
[ -f "$here/$name.options" ] && mapfile -t -O ${#args[@]} args < <(grep -v '^#' "$here/$name.options")
[ -d "$corpus" ] || { echo "run_fuzzer.sh: no corpus $corpus" >&2; exit 1; }
echo "== $name: the corpus ($(ls "$corpus" | wc -l) inputs)"
if ! "$fuzzer" "${args[@]}" -runs=0 "$corpus" > "$work/corpus.log" 2>&1; then
    tail -60 "$work/corpus.log" >&2
    echo "run_fuzzer.sh: $name failed on an input of its corpus" >&2
    exit 1
fi
grep -E '^stat::number_of_executed_units' "$work/corpus.log" || true
echo "== $name: $seconds s of fresh fuzzing"
if ! "$fuzzer" "${args[@]}" -max_total_time="$seconds" "$work/new" "$corpus" > "$work/log" 2>&1; then
    tail -60 "$work/log" >&2
    echo "run_fuzzer.sh: $name found a crash: $(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | head -3)" >&2
    exit 1
fi
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$work/log"
