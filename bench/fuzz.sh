#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/fuzz.sh TARGET SECONDS [JOBS]
# Runs one libFuzzer target (tests/fuzz/TARGET.cpp) for SECONDS from its corpus, in a build
# made with -DSTRATOSHARK_FUZZ=ON (and usually -DSTRATOSHARK_SANITIZE=address,undefined):
#   CC=clang CXX=clang++ cmake -B build-fuzz -DSTRATOSHARK_FUZZ=ON -DSTRATOSHARK_SANITIZE=address,undefined
#   cmake --build build-fuzz --target TARGET
# New inputs go to $FUZZ_WORK/TARGET (default: a folder under /tmp), crashes beside them;
# prints the executions, the rate and the coverage at the end (the figures docs/RELIABILITY.md
# keeps). $STRATOSHARK_FUZZ_BUILD names the build folder (default: build-fuzz); $FUZZ_RUNS, if
# set, ends the run after that many executions (SECONDS still bounds it), as for the
# 10-million-execution runs, which use a build without sanitizers (rates in RELIABILITY).
set -euo pipefail
target=${1:?usage: bench/fuzz.sh TARGET SECONDS [JOBS]}
seconds=${2:?usage: bench/fuzz.sh TARGET SECONDS [JOBS]}
jobs=${3:-1}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${STRATOSHARK_FUZZ_BUILD:-$top/build-fuzz}
fuzzer=$build/tests/fuzz/$target
[ -x "$fuzzer" ] || { echo "fuzz.sh: no $fuzzer (build it with -DSTRATOSHARK_FUZZ=ON)" >&2; exit 2; }
work=${FUZZ_WORK:-/tmp/stratoshark-fuzz}/$target
mkdir -p "$work/new"
args=(-timeout=20 -rss_limit_mb=2560 -print_final_stats=1 "-artifact_prefix=$work/" -max_total_time="$seconds")
[ -f "$top/tests/fuzz/$target.dict" ] && args+=("-dict=$top/tests/fuzz/$target.dict")
[ -f "$top/tests/fuzz/$target.options" ] && mapfile -t -O ${#args[@]} args < <(grep -v '^#' "$top/tests/fuzz/$target.options")
[ -n "${FUZZ_RUNS:-}" ] && args+=("-runs=$FUZZ_RUNS")
if [ "$jobs" -gt 1 ]; then
    args+=(-fork="$jobs")
fi
start=$(date +%s)
set +e
"$fuzzer" "${args[@]}" "$work/new" "$top/tests/fuzz/corpus/$target" > "$work/log" 2>&1
status=$?
set -e
end=$(date +%s)
execs=$(grep -E '^stat::number_of_executed_units' "$work/log" | awk '{s+=$2} END {print s+0}')
cov=$(grep -oE 'cov: [0-9]+' "$work/log" | tail -1 | awk '{print $2}')
echo "$target: $execs executions in $((end - start)) s ($((execs / (end - start > 0 ? end - start : 1)))/s), coverage ${cov:-?} edges, exit $status"
if [ "$status" -ne 0 ]; then
    tail -40 "$work/log"
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null || true
fi
exit "$status"
