#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Remote capture over mutual TLS against local capture and the peer baseline, on the same
# traffic: iperf3 sends 64-byte UDP datagrams at fixed rates (0: as fast as two streams go)
# from a "node" namespace over a veth to a "peer"; the node's veth is captured
#   local   stratoshark capture --helper unix:… (client on the node, the helper's Unix socket)
#   remote  stratoshark capture --helper tls://… (client in a "laptop" namespace, over a
#           second veth, TLS 1.3 with client certificates)
#   dumpcap dumpcap -w - | socat - OPENSSL:laptop (TLS with certificates to a socat in the
#           laptop namespace writing the file): what a user would build without us.
# Per mode and rate: datagrams sent per second (the capture's kernel work runs in the
# sender's context), % of them in the file, drops (ours: ring + not delivered), CPU seconds
# of the capturing processes (helper + client; dumpcap + both socats). Medians of RUNS.
# Usage: bench/remote-capture.sh [BUILD_DIR] [RUNS] [RATES…]   (root; e.g. 100000 200000 0)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
runs=${2:-3}
shift 2 2>/dev/null || shift $#
rates=("${@:-100000 200000 0}")
read -r -a rates <<< "${rates[*]}"
seconds=4 payload=64
ours=$build/app/cli/stratoshark helper=$build/capture-bpf/stratoshark-helper
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 dumpcap socat capinfos python3 openssl; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done
work=$(mktemp -d /tmp/ss-remote-bench-XXXXXX)
n=ssrb-n-$$ p=ssrb-p-$$ l=ssrb-l-$$
helper_pid=
cleanup() {
    [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null
    pkill -f "iperf3 -s -1 -p 5302" 2>/dev/null
    for ns in $n $p $l; do ip netns del $ns 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
for ns in $n $p $l; do ip netns add $ns; ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add ssrbn type veth peer name ssrbp; ip link set ssrbn netns $n; ip link set ssrbp netns $p
ip link add ssrbm type veth peer name ssrbl; ip link set ssrbm netns $n; ip link set ssrbl netns $l
ip -n $n addr add 10.211.0.1/24 dev ssrbn; ip -n $p addr add 10.211.0.2/24 dev ssrbp
ip -n $n addr add 10.211.1.1/24 dev ssrbm; ip -n $l addr add 10.211.1.2/24 dev ssrbl
for x in "$n ssrbn" "$p ssrbp" "$n ssrbm" "$l ssrbl"; do set -- $x; ip -n $1 link set $2 up; done
"$top/packaging/kubernetes/make-certs.sh" "$work/certs" --node node,10.211.1.1 --node laptop,10.211.1.2 \
    --client laptop >/dev/null 2>&1
c=$work/certs
ip netns exec $n "$helper" --socket "$work/helper.sock" --group nogroup --k8s-metadata none --node-name node \
    --listen 10.211.1.1:7443 --tls-cert "$c/node-node.pem" --tls-key "$c/node-node.key" --client-ca "$c/ca.pem" \
    2>"$work/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$work/helper.sock" ] && break; sleep 0.1; done
tls=(--tls-ca "$c/ca.pem" --tls-cert "$c/client-laptop.pem" --tls-key "$c/client-laptop.key")
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; } # clock ticks
hz=$(getconf CLK_TCK)

# one MODE RATE → "sent in_file drops cpu_seconds"
one() {
    local mode=$1 rate=$2 file=$work/cap.pcapng log=$work/client.log
    rm -f "$file"
    ip netns exec $p iperf3 -s -1 -p 5302 >/dev/null 2>&1 &
    local server=$! helper_before
    helper_before=$(cpu_of "$helper_pid")
    case $mode in
        local) ip netns exec $n /usr/bin/time -o "$work/cpu" -f '%U %S' "$ours" capture --helper "unix:$work/helper.sock" \
                   -i ssrbn --snaplen 128 --duration $((seconds + 2))s --output "$file" 2>"$log" & ;;
        remote) ip netns exec $l /usr/bin/time -o "$work/cpu" -f '%U %S' "$ours" capture --helper tls://10.211.1.1:7443 \
                    "${tls[@]}" -i ssrbn --snaplen 128 --duration $((seconds + 2))s --output "$file" 2>"$log" & ;;
        dumpcap)
            ip netns exec $l /usr/bin/time -o "$work/cpu2" -f '%U %S' socat -u \
                "OPENSSL-LISTEN:7444,reuseaddr,cert=$c/node-laptop.pem,key=$c/node-laptop.key,cafile=$c/ca.pem,verify=1" \
                "CREATE:$file" 2>/dev/null &
            sleep 0.3
            ip netns exec $n /usr/bin/time -o "$work/cpu" -f '%U %S' sh -c "dumpcap -q -i ssrbn -s 128 -a duration:$((seconds + 2)) -w - 2>'$log' |
                socat -u - 'OPENSSL:10.211.1.2:7444,cert=$c/client-laptop.pem,key=$c/client-laptop.key,cafile=$c/ca.pem,commonname=laptop'" & ;;
    esac
    local capture=$!
    sleep 1
    local streams=1
    [ "$rate" -eq 0 ] && streams=2
    local sent
    sent=$(ip netns exec $n iperf3 -c 10.211.0.2 -p 5302 -u -l $payload -b $((rate * payload * 8)) -P $streams -t $seconds --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum"]["packets"])' 2>/dev/null)
    wait $capture $server 2>/dev/null
    sleep 0.3
    local in_file drops cpu
    in_file=$(capinfos -c -M -T -r "$file" 2>/dev/null | awk -F'\t' '{print $2}')
    case $mode in
        dumpcap) drops=$(sed -n "s|.*received/dropped on interface '[^']*': [0-9]*/\([0-9]*\).*|\1|p" "$log")
                 cpu=$(cat "$work/cpu" "$work/cpu2" 2>/dev/null | awk '{s += $1 + $2} END {print s}') ;;
        *) drops=$(sed -n 's/.*bytes, \([0-9]*\) dropped\(, \([0-9]*\) not delivered\)\{0,1\}.*/\1 \3/p' "$log" | awk '{print $1 + $2}')
           cpu=$(awk -v h="$(( $(cpu_of "$helper_pid") - helper_before ))" -v hz="$hz" '{print $1 + $2 + h / hz}' "$work/cpu") ;;
    esac
    echo "${sent:-0} ${in_file:-0} ${drops:-?} ${cpu:-?}"
}

# shellcheck source=rate_lib.sh
. "$top/bench/rate_lib.sh"
echo "per mode: datagrams sent per second / % of them in the file / drops / CPU s of the capturing processes"
printf '%-8s | %-36s | %-36s | %-36s\n' rate/s local remote "dumpcap | TLS"
for rate in "${rates[@]}"; do
    cols=()
    for mode in local remote dumpcap; do
        cols+=("$(cell "$runs" "$seconds" one $mode "$rate")")
    done
    printf '%-8s | %-36s | %-36s | %-36s\n' "$([ "$rate" -eq 0 ] && echo max || echo "$rate")" "${cols[@]}"
done
