#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The GUI during a live capture at a fixed rate: iperf3 sends 64-byte UDP datagrams over a
# veth between two namespaces this script makes while stratoshark-gui --measure-live
# captures it through a helper (offscreen), and prints the packets listed, the worst stall
# of the UI thread (a 10 ms heartbeat's lateness; target ≤ 100 ms) and resident memory at
# start and end (what it grows by per packet). Medians of RUNS.
# Usage: bench/gui-live.sh [BUILD_DIR] [RATE] [SECONDS] [RUNS]   (root)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
rate=${2:-100000} seconds=${3:-10} runs=${4:-3}
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
work=$(mktemp -d /tmp/ss-gui-live-XXXXXX)
a=ssgl-a-$$ b=ssgl-b-$$ helper_pid=
cleanup() { [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; pkill -f "iperf3 -s -1 -p 5306" 2>/dev/null; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip link add ssgla type veth peer name ssglb
ip link set ssgla netns $a; ip link set ssglb netns $b
ip -n $a addr add 10.215.0.1/24 dev ssgla; ip -n $b addr add 10.215.0.2/24 dev ssglb
for ns in $a $b; do ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n $a link set ssgla up; ip -n $b link set ssglb up
ip netns exec $a "$build/capture-bpf/stratoshark-helper" --socket "$work/helper.sock" --group nogroup \
    --k8s-metadata none 2>"$work/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$work/helper.sock" ] && break; sleep 0.1; done
export HOME=$work/home XDG_RUNTIME_DIR=$work/xdg QT_QPA_PLATFORM=offscreen STRATOSHARK_HELPER=unix:$work/helper.sock
export STRATOSHARK_TARGETS=$work/targets.conf
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
: > "$work/all"
for _ in $(seq "$runs"); do
    ip netns exec $b iperf3 -s -1 -p 5306 >/dev/null 2>&1 &
    ip netns exec $a "$build/ui/stratoshark-gui" --measure-live ssgla --measure-seconds $((seconds + 2)) > "$work/run" 2>"$work/gui.log" &
    gui=$!
    sleep 1.5
    sent=$(ip netns exec $a iperf3 -c 10.215.0.2 -p 5306 -u -l 64 -b $((rate * 64 * 8)) -t "$seconds" --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum"]["packets"])' 2>/dev/null)
    wait $gui
    echo "sent ${sent:-0}" >> "$work/run"
    cat "$work/run" >> "$work/all"
done
for key in sent frames worst_stall_ms rss_start_mib rss_end_mib rss_growth_bytes_per_packet; do
    printf '%-28s %s\n' "$key" "$(awk -v k=$key '$1 == k {print $2}' "$work/all" | median)"
done
