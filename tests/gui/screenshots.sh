#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the real GUI under Xvfb on a capture, lets it drive itself to four states and save a
# PNG of each into OUTDIR (look at them: that is what a user sees).
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
for shot in 1-packet-selected 2-filter-applied 3-conversations-tcp 4-follow-tcp-stream; do
    f="$out/$shot.png"
    # A real screenshot of text-filled widgets is tens of KB; a blank one is a few hundred bytes.
    if [ ! -s "$f" ] || [ "$(stat -c %s "$f")" -lt 10000 ]; then
        echo "missing or blank: $f"; failed=$((failed + 1))
    fi
done
echo "$((4 - failed)) passed, $failed failed"
[ $failed -eq 0 ]
