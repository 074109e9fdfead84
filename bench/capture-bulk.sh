#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Whole packets at bulk rates: one iperf3 TCP stream over a veth pair (GSO/GRO super-packets
# of up to 64 KiB pass TC) while nothing, ours, dumpcap or tcpdump captures it with the snap
# length they all default to (262,144). Per tool: the stream's throughput, the TCP payload
# bytes in the file as a share of those sent (whole packets: ~100 %), drops, CPU seconds of
# the capturing process. Medians of RUNS.
# Usage: bench/capture-bulk.sh [HELPER] [RUNS]   (root)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
helper=${1:-$here/build/capture-bpf/stratoshark-helper}
runs=${2:-3}
seconds=3
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 dumpcap tcpdump tshark python3; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done
work=$(mktemp -d /tmp/ss-bulk-XXXXXX)
a=ssbulk-a-$$ b=ssbulk-b-$$
cleanup() { pkill -f "iperf3 -s -1 -p 5304" 2>/dev/null; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip link add ssbka type veth peer name ssbkb
ip link set ssbka netns $a; ip link set ssbkb netns $b
ip -n $a addr add 10.212.0.1/24 dev ssbka; ip -n $b addr add 10.212.0.2/24 dev ssbkb
for ns in $a $b; do ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n $a link set ssbka up; ip -n $b link set ssbkb up

# one TOOL → "gbits payload_share drops cpu"
one() {
    local tool=$1 file=$work/cap.pcapng log=$work/tool.log
    rm -f "$file" "$work/cpu"
    ip netns exec $b iperf3 -s -1 -p 5304 >/dev/null 2>&1 &
    local server=$! capture=
    case $tool in
        none) ;;
        ours) ip netns exec $a /usr/bin/time -o "$work/cpu" -f '%U %S' "$helper" capture -i ssbka --duration $((seconds + 2)) -w "$file" 2>"$log" & capture=$! ;;
        dumpcap) ip netns exec $a /usr/bin/time -o "$work/cpu" -f '%U %S' dumpcap -q -i ssbka -a duration:$((seconds + 2)) -w "$file" 2>"$log" & capture=$! ;;
        tcpdump) ip netns exec $a timeout -s INT $((seconds + 2)) /usr/bin/time -o "$work/cpu" -f '%U %S' tcpdump -q -i ssbka -w "$file" 2>"$log" & capture=$! ;;
    esac
    sleep 1
    local result
    result=$(ip netns exec $a iperf3 -c 10.212.0.2 -p 5304 -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; e = json.load(sys.stdin)["end"]; print(e["sum_sent"]["bits_per_second"] / 1e9, e["sum_sent"]["bytes"])' 2>/dev/null)
    [ -n "$capture" ] && wait $capture
    wait $server 2>/dev/null
    local gbits sent share=- drops=- cpu=-
    read -r gbits sent <<< "$result"
    if [ "$tool" != none ]; then
        # Payload bytes of the data stream (client → server) in the file, against what iperf3 sent.
        share=$(tshark -r "$file" -Y 'tcp.dstport == 5304 && tcp.len > 0' -T fields -e tcp.len 2>/dev/null |
            awk -v s="$sent" '{n += $1} END {printf "%.2f", s ? 100 * n / s : 0}')
        case $tool in
            ours) drops=$(sed -n 's/.* \([0-9]*\) dropped$/\1/p' "$log") ;;
            dumpcap) drops=$(sed -n "s|.*received/dropped on interface '[^']*': [0-9]*/\([0-9]*\).*|\1|p" "$log") ;;
            tcpdump) drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$log") ;;
        esac
        cpu=$(awk '{print $1 + $2}' "$work/cpu")
    fi
    echo "${gbits:-0} $share ${drops:-?} $cpu"
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "one TCP stream over veth, snap length 262144: Gbit/s / % of the payload in the file / drops / CPU s"
for tool in none ours dumpcap tcpdump; do
    g=() s=() d=() c=()
    for _ in $(seq "$runs"); do
        read -r gbits share drops cpu < <(one $tool)
        g+=("$gbits"); s+=("$share"); d+=("$drops"); c+=("$cpu")
    done
    printf '%-8s %6.2f Gbit/s  %7s %%  %6s drops  %5s s\n' $tool "$(printf '%s\n' "${g[@]}" | median)" \
        "$(printf '%s\n' "${s[@]}" | median)" "$(printf '%s\n' "${d[@]}" | median)" "$(printf '%s\n' "${c[@]}" | median)"
done
