#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --filter (tcpdump syntax) runs in the kernel: two helpers capture the same veth at once,
# one everything, one "tcp port 8080"; the filtered file holds exactly the packets of the
# full one that the expression selects. A bad expression gets libpcap's message.
# Usage: filter.sh STRATOSHARK-HELPER STRATOSHARK OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
lab_up ssf 202 "$out/www"
a=$lab_a
ip netns exec "$a" "$helper" capture -i ssfa --duration 60 -w "$out/all.pcapng" 2>"$out/all.log" &
all=$!
ip netns exec "$a" "$helper" capture -i ssfa --filter "tcp port 8080" --duration 60 -w "$out/filtered.pcapng" 2>"$out/filtered.log" &
filtered=$!
# Scratch memory, ALU with X and the packet length: TCP segments carrying data, big frames.
ip netns exec "$a" "$helper" capture -i ssfa --duration 60 -w "$out/data.pcapng" 2>"$out/data.log" \
    --filter "tcp port 8080 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)" &
data=$!
ip netns exec "$a" "$helper" capture -i ssfa --filter "greater 200" --duration 60 -w "$out/big.pcapng" 2>"$out/big.log" &
big=$!
# Traffic once all four are attached (on a loaded machine one may take seconds to start),
# then each is stopped as a user stops it (SIGINT): they all saw the same packets.
for _ in $(seq 100); do
    [ "$(cat "$out"/{all,filtered,data,big}.log 2>/dev/null | grep -c 'capturing on')" = 4 ] && break
    sleep 0.2
done
lab_traffic
ip netns exec "$a" bash -c 'echo x > /dev/udp/10.202.0.2/9999' 2>/dev/null
sleep 0.5
kill -INT $all $filtered $data $big
wait $all $filtered $data $big
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
view() { "$ours" -r "$1" -T fields -e frame.packet_flags_direction -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags "${@:2}" 2>/dev/null; }
check "filtered = all, filtered afterwards" "$(view "$out/filtered.pcapng" | md5sum)" "$(view "$out/all.pcapng" -Y 'tcp.port == 8080' | md5sum)"
check "something was filtered out" "$("$ours" -r "$out/all.pcapng" -Y 'udp || arp' 2>/dev/null | wc -l | awk '{print ($1 > 0)}')" 1
check "both helpers captured to the end" "$(grep -c 'Parent Qdisc' "$out/all.log" "$out/filtered.log" | awk -F: '{s += $2} END {print s}')" 0
check "TCP segments with data" "$(view "$out/data.pcapng" | md5sum)" "$(view "$out/all.pcapng" -Y 'tcp.port == 8080 && tcp.len > 0' | md5sum)"
check "frames of 200 bytes or more" "$(view "$out/big.pcapng" | md5sum)" "$(view "$out/all.pcapng" -Y 'frame.len >= 200' | md5sum)"
check "HTTP requests kept" "$("$ours" -r "$out/filtered.pcapng" -Y 'http.request' 2>/dev/null | wc -l)" 3
"$helper" capture -i lo --filter "tcp port" --duration 1 -w "$out/bad.pcapng" 2>"$out/bad.log"
rc=$?
check "bad expression refused" "$rc $(grep -c -- '--filter "tcp port": ' "$out/bad.log")" "2 1"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
