#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the real GUI under Xvfb on a capture, lets it drive itself through its states and save
# a PNG of each into OUTDIR (look at them: that is what a user sees).
# Usage: screenshots.sh STRATOSHARK-GUI CAPTURE OUTDIR
set -euo pipefail
gui=$1
capture=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
export HOME="$out/home" XDG_RUNTIME_DIR="$out/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
timeout 120 xvfb-run -a -s "-screen 0 1400x1000x24" "$gui" --screenshots "$out" "$capture"
failed=0
shots="1-packet-selected 2-filter-applied 3-conversations-tcp 4-follow-tcp-stream toolbar find-packet
    packet-list-menu time-format-menu expert-info protocol-hierarchy endpoints io-graph timeline request-latency
    export-specified-packets column-preferences preferences coloring-rules profiles"
small="toolbar packet-list-menu time-format-menu" # a strip or a menu: fewer pixels than a window
for shot in $shots; do
    f="$out/$shot.png"
    # A real screenshot of text-filled widgets is tens of KB; a blank one is a few hundred bytes.
    min=10000
    case " $small " in *" $shot "*) min=2000 ;; esac
    if [ ! -s "$f" ] || [ "$(stat -c %s "$f")" -lt $min ]; then
        echo "missing or blank: $f"; failed=$((failed + 1))
    fi
done
total=$(echo $shots | wc -w)
echo "$((total - failed)) passed, $failed failed"
[ $failed -eq 0 ]
