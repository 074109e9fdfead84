#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden outputs of our dissectors on the real fixtures (expected-*.txt beside this script).
# Usage: check.sh STRATOSHARK OUTDIR          compare
#        check.sh STRATOSHARK OUTDIR --update rewrite the expected files (review the diff!)
set -euo pipefail
ours=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
export TZ=UTC HOME=$out
"$here/make_records_capture.sh" "$ours" "$out/records.pcapng"
"$ours" -r "$out/records.pcapng" > "$out/summary.txt"
"$ours" -r "$out/records.pcapng" -V > "$out/verbose.txt"
"$ours" -r "$out/records.pcapng" -T fields -E header=y -e frame.number -e proc.name -e proc.pid -e k8s.pod \
    -e syscall.errno -e cilium.verdict -e cilium.drop_reason -e falco.priority -e tetragon.event > "$out/fields.txt"
failed=0
for f in summary verbose fields; do
    if [ "${3:-}" = "--update" ]; then
        cp "$out/$f.txt" "$here/expected-$f.txt"
    elif ! diff -u "$here/expected-$f.txt" "$out/$f.txt" > "$out/$f.diff"; then
        echo "DIFF $f:"; head -20 "$out/$f.diff"; failed=$((failed + 1))
    fi
done
echo "$((3 - failed)) passed, $failed failed"
[ $failed -eq 0 ]
