#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# GUI speed on one capture, side by side in one run (under Xvfb):
#  1. open-to-loaded wall time and peak RSS: stratoshark-gui --quit-after-load vs Wireshark 4.0
#     (a Lua listener quits it when its first pass has seen every frame), alternating runs;
#  2. stratoshark-gui --measure: time to first rows, to loaded, worst UI-thread stall while
#     loading and filtering, memory after load, filter time; next to tshark -Y on the file.
# Usage: gui-load.sh STRATOSHARK-GUI CAPTURE [RUNS] [FILTER]
set -euo pipefail
gui=$1
capture=$2
runs=${3:-3}
filter=${4:-dns.qry.name contains \"minexmr\"}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
export HOME=$work XDG_RUNTIME_DIR=$work/run TZ=UTC
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
frames=$(capinfos -M -c "$capture" | awk -F': *' '/Number of packets/ {print $2}')
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timed() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true; cat "$work/t"; }

echo "capture: $(basename "$capture"), $frames frames; $runs runs each, alternating"
: > "$work/ours"; : > "$work/ws"
have_ws=0
command -v wireshark >/dev/null && have_ws=1
for _ in $(seq "$runs"); do
    timed xvfb-run -a "$gui" --quit-after-load "$capture" >> "$work/ours"
    if [ $have_ws = 1 ]; then
        SS_FRAMES=$frames SS_STAMP=$work/stamp timed xvfb-run -a wireshark \
            -X lua_script:"$here/wireshark-first-pass.lua" -r "$capture" >> "$work/ws"
    fi
done
echo
echo "| open → loaded | wall s | peak RSS MiB |"
echo "|---|---|---|"
printf '| stratoshark-gui | %s | %.0f |\n' "$(cut -d' ' -f1 "$work/ours" | median)" \
    "$(cut -d' ' -f2 "$work/ours" | median | awk '{print $1/1024}')"
if [ $have_ws = 1 ]; then
    printf '| Wireshark 4.0 | %s | %.0f |\n' "$(cut -d' ' -f1 "$work/ws" | median)" \
        "$(cut -d' ' -f2 "$work/ws" | median | awk '{print $1/1024}')"
fi
echo
echo "stratoshark-gui --measure (filter: $filter):"
xvfb-run -a "$gui" --measure "$filter" "$capture" 2>/dev/null | sed 's/^/  /'
echo "tshark -Y on the same file (single pass, prints the matches): $(timed tshark -r "$capture" -Y "$filter" | cut -d' ' -f1) s"
rm -rf "$work"
