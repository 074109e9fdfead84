#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packets that only pass through: a router namespace R between A and B, the capture in R
# (as on a node's side of a pod's veth). A server in B; a client in A whose socket the
# helper never saw made (created before the capture, and it sends no data), so only the
# server's end of the connection is known. The connection's packets on both of R's
# interfaces, both directions, name the server; and a packet delivered to a namespace is
# never given to its sender (the client's SYN, arriving at B's own veth, has the listener
# as owner, not the client). A second "pod" C listens on the same 0.0.0.0:8080 (after B,
# so its record is the newest): the shared wildcard key must name nobody rather than C.
# Usage: transit.sh STRATOSHARK-HELPER STRATOSHARK OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
a=sstr-a-$$ r=sstr-r-$$ b=sstr-b-$$ c=sstr-c-$$ pids=
cleanup() { kill $pids 2>/dev/null; for ns in $a $r $b $c; do ip netns del $ns 2>/dev/null; done; return 0; }
trap cleanup EXIT
for ns in $a $r $b $c; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add sstra type veth peer name sstar; ip link add sstrb type veth peer name sstbr
ip link set sstra netns $a; ip link set sstar netns $r; ip link set sstbr netns $r; ip link set sstrb netns $b
ip -n $a addr add 10.207.1.2/24 dev sstra; ip -n $r addr add 10.207.1.1/24 dev sstar
ip -n $r addr add 10.207.2.1/24 dev sstbr; ip -n $b addr add 10.207.2.2/24 dev sstrb
for dev in "$a sstra" "$r sstar" "$r sstbr" "$b sstrb"; do set -- $dev; ip -n $1 link set $2 up; done
ip link add sstrc type veth peer name sstcr; ip link set sstrc netns $c; ip link set sstcr netns $r
ip -n $r addr add 10.207.3.1/24 dev sstcr; ip -n $c addr add 10.207.3.2/24 dev sstrc
ip -n $r link set sstcr up; ip -n $c link set sstrc up
ip -n $a route add default via 10.207.1.1; ip -n $b route add default via 10.207.2.1
ip -n $c route add default via 10.207.3.1
ip netns exec $r sysctl -qw net.ipv4.ip_forward=1
for ns in $a $r $b $c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
# The server in B, recorded from its listen() on.
# The client's socket exists before the helpers start; it connects once told to.
mkfifo "$out/go"
ip netns exec $a python3 -c '
import socket, sys
s = socket.socket()
open(sys.argv[1]).read()                      # wait for the capture
s.connect(("10.207.2.2", 8080))
s.close()' "$out/go" &
pids="$pids $!"
sleep 0.3
nsenter --net=/run/netns/$r "$helper" capture -i sstar -i sstbr --duration 4 -w "$out/router.pcapng" 2>"$out/router.log" &
helpers=$!
nsenter --net=/run/netns/$b "$helper" capture -i sstrb --duration 4 -w "$out/server-side.pcapng" 2>"$out/server-side.log" &
helpers="$helpers $!"
for _ in $(seq 50); do [ "$(grep -c capturing "$out/router.log" "$out/server-side.log" | grep -c ':1')" -eq 2 ] && break; sleep 0.1; done
ip netns exec $b python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 &
server=$!
pids="$pids $server"
ip netns exec $c python3 -m http.server 8080 --bind 0.0.0.0 >/dev/null 2>&1 &
other=$!
pids="$pids $other"
for ns in $b $c; do # both servers listening before the clients go
    for _ in $(seq 100); do ip netns exec $ns ss -Hltn "sport = :8080" | grep -q . && break; sleep 0.1; done
done
echo go > "$out/go"
wait $helpers
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
owners() { "$ours" -r "$1" -Y "tcp.port == 8080 && frame.interface_name == \"$2\"" -T fields -e proc.pid 2>/dev/null | sort -u | sed "s/^$/none/; s/^$server$/server/; s/^$other$/other-pod/" | paste -sd' '; }
# The handshake comes before the server's first receive, and the wildcard listener key is
# shared with C: in the kernel those packets have no owner, and when they are written
# (100 ms later) the connection's own key names the server, where the packet's local end
# is the server's; never C.
check "router, client side" "$(owners "$out/router.pcapng" sstar)" "server"
check "router, server side" "$(owners "$out/router.pcapng" sstbr)" "none server"
check "the connection is there" "$("$ours" -r "$out/router.pcapng" -Y 'tcp.flags.syn == 1 && tcp.port == 8080' 2>/dev/null | wc -l)" 4
check "in transit, the server's end found" "$("$ours" -r "$out/router.pcapng" -Y "tcp.flags.fin == 1 && proc.pid == $server && frame.interface_name == \"sstbr\"" 2>/dev/null | wc -l)" 1
check "delivered to B: the server, not the sender" "$(owners "$out/server-side.pcapng" sstrb)" "server"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
