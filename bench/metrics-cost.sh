#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What `stratoshark-helper --metrics` costs the traffic it counts (the counting TC programs
# on every interface, the TCP retransmission tracker and skb:kfree_skb): the sender's rate
# over a veth pair between two namespaces this script creates, without the helper and with
# it counting (no capture running), in alternating rounds:
#   - small UDP datagrams (64 bytes) as fast as two iperf3 streams go: datagrams sent per second;
#   - one TCP stream (iperf3): Gbit/s.
# Medians of RUNS; the ratio is with / without.
# Usage: bench/metrics-cost.sh [HELPER] [RUNS]   (root)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
helper=${1:-$here/build/capture-bpf/stratoshark-helper}
runs=${2:-5}
seconds=4
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 python3 curl; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done
work=$(mktemp -d /tmp/ss-metrics-cost-XXXXXX)
a=ssmc-a-$$ b=ssmc-b-$$ helper_pid=
cleanup() { [ -n "$helper_pid" ] && kill $helper_pid 2>/dev/null; pkill -f "iperf3 -s -p 5306" 2>/dev/null; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip link add ssmca type veth peer name ssmcb
ip link set ssmca netns $a; ip link set ssmcb netns $b
ip -n $a addr add 10.213.0.1/24 dev ssmca; ip -n $b addr add 10.213.0.2/24 dev ssmcb
for ns in $a $b; do ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n $a link set ssmca up; ip -n $b link set ssmcb up
ip netns exec $b iperf3 -s -p 5306 >/dev/null 2>&1 &

counting() { # on|off
    if [ "$1" = on ] && [ -z "$helper_pid" ]; then
        ip netns exec $a "$helper" --socket "$work/helper.sock" --k8s-metadata none --metrics 127.0.0.1:9477 \
            >"$work/helper.log" 2>&1 &
        helper_pid=$!
        for _ in $(seq 50); do ip netns exec $a curl -sf -o /dev/null http://127.0.0.1:9477/metrics && break; sleep 0.1; done
    elif [ "$1" = off ] && [ -n "$helper_pid" ]; then
        kill $helper_pid; wait $helper_pid 2>/dev/null; helper_pid=
    fi
}
udp() {
    ip netns exec $a iperf3 -c 10.213.0.2 -p 5306 -u -l 64 -b 0 -P 2 -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]["sum"]; print(int(e["packets"] / e["seconds"]))'
}
tcp() {
    ip netns exec $a iperf3 -c 10.213.0.2 -p 5306 -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_sent"]["bits_per_second"] / 1e9))'
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A results
for _ in $(seq "$runs"); do
    for mode in off on; do
        counting $mode
        results[udp_$mode]+="$(udp) "
        results[tcp_$mode]+="$(tcp) "
    done
done
ip netns exec $a curl -s http://127.0.0.1:9477/metrics > "$work/metrics.txt" 2>/dev/null
counting off
for what in udp tcp; do
    off=$(printf '%s\n' ${results[${what}_off]} | median)
    on=$(printf '%s\n' ${results[${what}_on]} | median)
    unit=$([ $what = udp ] && echo "datagrams/s" || echo "Gbit/s")
    printf '%-4s without: %12s %s   with --metrics: %12s   ratio %s\n' $what "$off" "$unit" "$on" \
        "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.3f", b ? a / b : 0}')"
done
