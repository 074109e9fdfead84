#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Steps of the wall clock during a capture. The kernel stamps packets with the monotonic
# clock; the helper turns that into wall-clock time with the offset it reads when the
# capture starts, so a step of the wall clock (an NTP step, `date -s`) mid-capture moves
# nothing in the file: every block (packets and the closing statistics) in time order, no
# hour-long gap, the times the real ones. --duration runs on the monotonic clock too.
# This test steps this machine's clock (+1 h, then -2 h) and puts it back after the capture
# (measured against CLOCK_MONOTONIC, so it is off by microseconds); the trap puts it back on
# every exit. RUN_SERIAL: nothing else runs while the clock is wrong.
# Usage: clock_jumps.sh STRATOSHARK STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-clock-XXXXXX); chmod 755 "$run"
sock=$run/helper.sock
# The wall clock's offset from the monotonic one now: what "right" is until the end.
offset=$(python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_REALTIME) - time.clock_gettime_ns(time.CLOCK_MONOTONIC))')
restore_clock() {
    python3 -c 'import sys, time; time.clock_settime_ns(time.CLOCK_REALTIME, time.clock_gettime_ns(time.CLOCK_MONOTONIC) + int(sys.argv[1]))' "$offset"
}
step_clock() { # SECONDS (signed)
    python3 -c 'import sys, time; time.clock_settime_ns(time.CLOCK_REALTIME, time.clock_gettime_ns(time.CLOCK_REALTIME) + int(sys.argv[1]) * 10**9)' "$1"
}
real_now() { python3 -c 'import sys, time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC) + int(sys.argv[1]))' "$offset"; }
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
helper_pid=
lab_extra_cleanup='restore_clock; [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$run"'
lab_up ssj 212 "$run/www"
a=$lab_a b=$lab_b

# shellcheck source=checks.sh
. "$here/checks.sh"

step_clock 0 || { echo "cannot set the clock here (CAP_SYS_TIME)"; exit 1; }
ip netns exec "$a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

started=$(real_now)
"$ours" capture --helper "unix:$sock" -i ssja --duration 6s --output "$out/jumps.pcapng" 2>"$out/client.log" &
client=$!
for _ in $(seq 100); do grep -q 'capture on' "$out/helper.log" && break; sleep 0.1; done
# 20 datagrams a second from B for 5 s; the clock stepped forward an hour after 1.5 s and
# back two hours after 3 s (an hour behind at the end: the statistics written then would
# come before the packets if they took the wall clock).
ip netns exec "$b" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 5
while time.monotonic() < end:
    s.sendto(b"tick", ("10.212.0.1", 9))
    time.sleep(0.05)' &
traffic=$!
sleep 1.5; step_clock 3600
sleep 1.5; step_clock -7200
wait $traffic
mono_start=$(awk '{print $1}' /proc/uptime)
wait $client; rc=$?
took=$(awk -v s="$mono_start" '{printf "%.0f", $1 - s}' /proc/uptime)
ended=$(real_now)
restore_clock

check "the capture's exit status" 0 "$rc"
check "it ended on its duration" 1 "$(grep -c 'duration: ' "$out/client.log")"
check "no later than its duration (monotonic): ${took} s after the traffic" yes "$([ "$took" -le 3 ] && echo yes)"
# Every block's time (packets and interface statistics), in file order.
python3 - "$out/jumps.pcapng" "$started" "$ended" > "$out/times.txt" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
at, times, stats = 0, [], 0
while at + 12 <= len(data):
    kind, length = struct.unpack_from("<II", data, at)
    if kind in (5, 6):  # interface statistics, enhanced packet: ns resolution (our writer)
        high, low = struct.unpack_from("<II", data, at + 12)
        times.append((high << 32) | low)
        stats += kind == 5
    at += length
start, end = int(sys.argv[2]), int(sys.argv[3])
gaps = [b - a for a, b in zip(times, times[1:])]
print("ordered", all(g >= 0 for g in gaps))
print("widest-gap-under-1s", max(gaps) < 10**9)
print("within-the-real-span", all(start - 10**9 <= t <= end + 10**9 for t in times))
print("packets", len(times) - stats)
print("statistics", stats)
EOF
check "every block in time order" 1 "$(grep -c 'ordered True' "$out/times.txt")"
check "no step inside the file" 1 "$(grep -c 'widest-gap-under-1s True' "$out/times.txt")"
check "the times are the real ones" 1 "$(grep -c 'within-the-real-span True' "$out/times.txt")"
check "the statistics block is there" 1 "$(awk '$1 == "statistics" {print $2}' "$out/times.txt")"
check "the packets are there ($(awk '$1 == "packets" {print $2}' "$out/times.txt") of 100)" 1 \
      "$(awk '$1 == "packets" {print ($2 >= 90)}' "$out/times.txt")"
check "tshark reads it" 1 "$(tshark -r "$out/jumps.pcapng" -Y 'udp.dstport == 9' 2>/dev/null | wc -l | awk '{print ($1 >= 90)}')"
check "the helper lives" yes "$(kill -0 "$helper_pid" 2>/dev/null && echo yes)"

checks_done clock-jumps
