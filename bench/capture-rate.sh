#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packets per second captured without drops: ours (stratoshark-helper, eBPF TC) vs dumpcap
# and tcpdump (AF_PACKET), one after another on the same traffic: iperf3 sending small UDP
# datagrams at fixed rates over a veth pair between two namespaces this script creates
# (and on loopback inside one). For each rate and tool: datagrams sent per second (the
# capture's cost shows here too: TC programs and AF_PACKET copies run in the sender's
# context), how many of them are in the file, the drops the tool itself reported, and the
# capturing process's CPU time. Rate 0: as fast as two iperf3 streams go. Medians of RUNS.
# SNAPLEN (default 128) is every tool's snap length: SNAPLEN=262144 measures whole packets,
# the default of all three.
# Usage: [SNAPLEN=N] bench/capture-rate.sh [HELPER] [RUNS] [RATES…]   (root; e.g. 100000 0)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
helper=${1:-$here/build/capture-bpf/stratoshark-helper}
runs=${2:-3}
shift 2 2>/dev/null || shift $#
rates=("${@:-100000 200000 0}")
read -r -a rates <<< "${rates[*]}"
seconds=4 payload=64 snap=${SNAPLEN:-128}
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 dumpcap tcpdump capinfos python3; do command -v $tool >/dev/null || { echo "needs $tool (packaging/dev-setup.sh installs it)"; exit 1; }; done
work=$(mktemp -d /tmp/ss-rate-XXXXXX)
a=ssrate-a-$$ b=ssrate-b-$$
cleanup() { pkill -f "iperf3 -s -1 -p 5301" 2>/dev/null; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip link add ssrta type veth peer name ssrtb
ip link set ssrta netns $a; ip link set ssrtb netns $b
ip -n $a addr add 10.210.0.1/24 dev ssrta; ip -n $b addr add 10.210.0.2/24 dev ssrtb
for ns in $a $b; do ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n $a link set ssrta up; ip -n $b link set ssrtb up

# one TOOL IFACE DEST RATE → "sent in_file tool_drops cpu_seconds"
one() {
    local tool=$1 iface=$2 dest=$3 rate=$4 server_ns=$5 file=$work/cap.pcapng log=$work/tool.log
    rm -f "$file"
    ip netns exec "$server_ns" iperf3 -s -1 -p 5301 >/dev/null 2>&1 &
    local server=$!
    case $tool in
        ours) ip netns exec $a /usr/bin/time -o "$work/cpu" -f '%U %S' "$helper" capture -i "$iface" --snaplen "$snap" --duration $((seconds + 2)) -w "$file" 2>"$log" & ;;
        dumpcap) ip netns exec $a /usr/bin/time -o "$work/cpu" -f '%U %S' dumpcap -q -i "$iface" -s "$snap" -a duration:$((seconds + 2)) -w "$file" 2>"$log" & ;;
        # timeout signals its process group: tcpdump stops, time (which ignores SIGINT) reports
        tcpdump) ip netns exec $a timeout -s INT $((seconds + 2)) /usr/bin/time -o "$work/cpu" -f '%U %S' tcpdump -q -i "$iface" -s "$snap" -w "$file" 2>"$log" & ;;
    esac
    local capture=$!
    sleep 1
    local bits=$((rate * payload * 8)) streams=1
    [ "$rate" -eq 0 ] && streams=2
    local sent
    sent=$(ip netns exec $a iperf3 -c "$dest" -p 5301 -u -l $payload -b "$bits" -P $streams -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum"]["packets"])' 2>/dev/null)
    wait $capture $server 2>/dev/null
    local in_file drops
    # every packet in the file (capinfos reads no further than the block headers): the
    # datagrams plus iperf3's control connection and ARP, a few dozen at most
    in_file=$(capinfos -c -M -T -r "$file" 2>/dev/null | awk -F'\t' '{print $2}')
    case $tool in
        ours) drops=$(sed -n 's/.* \([0-9]*\) dropped$/\1/p' "$log") ;;
        dumpcap) drops=$(sed -n "s|.*received/dropped on interface '[^']*': [0-9]*/\([0-9]*\).*|\1|p" "$log") ;;
        tcpdump) drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$log") ;;
    esac
    echo "${sent:-0} $in_file ${drops:-?} $(awk '{print $1 + $2}' "$work/cpu" 2>/dev/null || echo '?')"
}

# shellcheck source=rate_lib.sh
. "$here/bench/rate_lib.sh"
echo "per tool: datagrams sent per second / % of them in the file / drops the tool reported / CPU s of the capture process"
printf '%-6s %-8s | %-36s | %-36s | %-36s\n' iface rate/s ours dumpcap tcpdump
for where in veth lo; do
    if [ $where = veth ]; then iface=ssrta dest=10.210.0.2 server_ns=$b; else iface=lo dest=127.0.0.1 server_ns=$a; fi
    for rate in "${rates[@]}"; do
        cols=()
        for tool in ours dumpcap tcpdump; do
            cols+=("$(cell "$runs" "$seconds" one $tool $iface $dest "$rate" $server_ns)")
        done
        printf '%-6s %-8s | %-36s | %-36s | %-36s\n' $where "$([ "$rate" -eq 0 ] && echo max || echo "$rate")" "${cols[@]}"
    done
done
