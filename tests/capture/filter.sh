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
a=ss-flt-a-$$ b=ss-flt-b-$$
cleanup() {
    [ -n "${http_pid:-}" ] && kill "$http_pid" 2>/dev/null
    ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null
    return 0
}
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
ip link add ssfa type veth peer name ssfb
ip link set ssfa netns "$a"; ip link set ssfb netns "$b"
ip -n "$a" addr add 10.202.0.1/24 dev ssfa; ip -n "$b" addr add 10.202.0.2/24 dev ssfb
for ns in "$a" "$b"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n "$ns" link set lo up; done
ip -n "$a" link set ssfa up; ip -n "$b" link set ssfb up
mkdir -p "$out/www"; echo hi > "$out/www/index.html"
ip netns exec "$b" python3 -m http.server 8080 --bind 10.202.0.2 --directory "$out/www" >/dev/null 2>&1 &
http_pid=$!
sleep 1
ip netns exec "$a" "$helper" capture -i ssfa --duration 3 -w "$out/all.pcapng" 2>"$out/all.log" &
all=$!
ip netns exec "$a" "$helper" capture -i ssfa --filter "tcp port 8080" --duration 3 -w "$out/filtered.pcapng" 2>"$out/filtered.log" &
filtered=$!
sleep 0.8
for _ in 1 2 3; do ip netns exec "$a" curl -s -o /dev/null --max-time 5 http://10.202.0.2:8080/index.html; done
ip netns exec "$a" bash -c 'echo x > /dev/udp/10.202.0.2/9999' 2>/dev/null
wait $all $filtered
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
view() { "$ours" -r "$1" -T fields -e frame.packet_flags_direction -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags "${@:2}" 2>/dev/null; }
check "filtered = all, filtered afterwards" "$(view "$out/filtered.pcapng" | md5sum)" "$(view "$out/all.pcapng" -Y 'tcp.port == 8080' | md5sum)"
check "something was filtered out" "$("$ours" -r "$out/all.pcapng" -Y 'udp || arp' 2>/dev/null | wc -l | awk '{print ($1 > 0)}')" 1
check "both helpers captured to the end" "$(grep -c 'Parent Qdisc' "$out/all.log" "$out/filtered.log" | awk -F: '{s += $2} END {print s}')" 0
check "HTTP requests kept" "$("$ours" -r "$out/filtered.pcapng" -Y 'http.request' 2>/dev/null | wc -l)" 3
"$helper" capture -i lo --filter "tcp port" --duration 1 -w "$out/bad.pcapng" 2>"$out/bad.log"
rc=$?
check "bad expression refused" "$rc $(grep -c 'compile capture filter' "$out/bad.log")" "2 1"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
