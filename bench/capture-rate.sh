#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packets per second captured without drops: ours (stratoshark-helper, eBPF TC) vs dumpcap
# and tcpdump (AF_PACKET), one after another on the same traffic: iperf3 sending small UDP
# datagrams at fixed rates over a veth pair between two namespaces this script creates
# (and on loopback inside one). For each rate and tool: datagrams sent, how many of them
# are in the file, and the drops the tool itself reported. Medians of RUNS runs.
# Usage: bench/capture-rate.sh [HELPER] [RUNS] [RATES…]   (root; e.g. 50000 100000 200000)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
helper=${1:-$here/build/capture-bpf/stratoshark-helper}
runs=${2:-3}
shift 2 2>/dev/null || shift $#
rates=("${@:-50000 100000 200000 400000}")
read -r -a rates <<< "${rates[*]}"
seconds=4 payload=64
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 dumpcap tcpdump capinfos; do command -v $tool >/dev/null || { echo "needs $tool (packaging/dev-setup.sh installs it)"; exit 1; }; done
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

# one TOOL IFACE DEST RATE → "sent in_file tool_drops"
one() {
    local tool=$1 iface=$2 dest=$3 rate=$4 server_ns=$5 file=$work/cap.pcapng log=$work/tool.log
    rm -f "$file"
    ip netns exec "$server_ns" iperf3 -s -1 -p 5301 >/dev/null 2>&1 &
    local server=$!
    case $tool in
        ours) ip netns exec $a "$helper" capture -i "$iface" --snaplen 128 --duration $((seconds + 2)) -w "$file" 2>"$log" & ;;
        dumpcap) ip netns exec $a dumpcap -q -i "$iface" -s 128 -a duration:$((seconds + 2)) -w "$file" 2>"$log" & ;;
        tcpdump) ip netns exec $a timeout -s INT $((seconds + 2)) tcpdump -q -i "$iface" -s 128 -w "$file" 2>"$log" & ;;
    esac
    local capture=$!
    sleep 1
    local bits=$((rate * payload * 8))
    local sent
    sent=$(ip netns exec $a iperf3 -c "$dest" -p 5301 -u -l $payload -b "$bits" -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum"]["packets"])' 2>/dev/null)
    wait $capture $server 2>/dev/null
    local in_file drops
    in_file=$(tshark -r "$file" -Y "udp.dstport == 5301 && udp.length == $((payload + 8))" 2>/dev/null | wc -l)
    case $tool in
        ours) drops=$(sed -n 's/.* \([0-9]*\) dropped$/\1/p' "$log") ;;
        dumpcap) drops=$(sed -n "s|.*received/dropped on interface '[^']*': [0-9]*/\([0-9]*\).*|\1|p" "$log") ;;
        tcpdump) drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$log") ;;
    esac
    echo "${sent:-0} $in_file ${drops:-?}"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%-8s %-9s %9s | %-28s | %-28s | %-28s\n' iface rate/s sent "ours captured (drops)" "dumpcap captured (drops)" "tcpdump captured (drops)"
for where in veth lo; do
    if [ $where = veth ]; then iface=ssrta dest=10.210.0.2 server_ns=$b; else iface=lo dest=127.0.0.1 server_ns=$a; fi
    for rate in "${rates[@]}"; do
        line=$(printf '%-8s %-9s' $where "$rate")
        sent_all=()
        cols=()
        for tool in ours dumpcap tcpdump; do
            ratios=() drops=() sents=()
            for _ in $(seq "$runs"); do
                read -r sent got dropped < <(one $tool $iface $dest "$rate" $server_ns)
                sents+=("$sent"); drops+=("$dropped")
                ratios+=("$(awk -v g="$got" -v s="$sent" 'BEGIN {printf "%.4f", s ? g / s : 0}')")
            done
            sent_all+=("$(printf '%s\n' "${sents[@]}" | median)")
            cols+=("$(printf '%6.2f%% of sent (%s)' "$(printf '%s\n' "${ratios[@]}" | median | awk '{print $1 * 100}')" "$(printf '%s\n' "${drops[@]}" | median)")")
        done
        printf '%s %9s | %-28s | %-28s | %-28s\n' "$line" "${sent_all[0]}" "${cols[@]}"
    done
done
