#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The flight recorder's cost at the capture benchmark's rates (bench/capture-rate.sh): iperf3
# sends 64-byte UDP datagrams at fixed rates (0: as fast as two streams go) over a veth pair
# between two namespaces for 4 s while the node keeps a rolling window of everything:
#   ours     stratoshark-helper --flight-recorder 1G (every interface of the namespace,
#            whole packets, process comments, the default syscalls; rotating pcapng files)
#   dumpcap  dumpcap -b filesize:SIZE/16 -b files:16 (a ring of the same size, whole packets
#            on the veth: what a user would run to keep the last N bytes)
# Per tool and rate, medians of RUNS: datagrams sent per second, % of them recorded, drops,
# MB written per second, CPU seconds of the recording process during the traffic, its peak
# resident memory (VmHWM, MiB).
# Usage: bench/recorder.sh [BUILD_DIR] [RUNS] [RATES…]   (root; e.g. 100000 200000 0)
# TRAFFIC_SECONDS=60 RECORDER_MIB=64: longer, through a window that rotates and deletes
# (memory must stay flat: compare the peak with the 4-s runs).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
runs=${2:-3}
shift 2 2>/dev/null || shift $#
rates=("${@:-100000 200000 0}")
read -r -a rates <<< "${rates[*]}"
helper=$build/capture-bpf/stratoshark-helper
seconds=${TRAFFIC_SECONDS:-4} payload=64 size_mib=${RECORDER_MIB:-1024}
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in iperf3 dumpcap capinfos python3; do command -v $tool >/dev/null || { echo "needs $tool (packaging/dev-setup.sh installs it)"; exit 1; }; done
work=$(mktemp -d /tmp/ss-recorder-bench-XXXXXX)
ns_a=ssrec-a-$$ ns_b=ssrec-b-$$
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    pkill -f "iperf3 -s -1 -p 5303" 2>/dev/null
    ip netns del $ns_a 2>/dev/null; ip netns del $ns_b 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
ip netns add $ns_a; ip netns add $ns_b
ip link add ssreca type veth peer name ssrecb
ip link set ssreca netns $ns_a; ip link set ssrecb netns $ns_b
ip -n $ns_a addr add 10.212.0.1/24 dev ssreca; ip -n $ns_b addr add 10.212.0.2/24 dev ssrecb
for ns in $ns_a $ns_b; do ip -n $ns link set lo up; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n $ns_a link set ssreca up; ip -n $ns_b link set ssrecb up
hz=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# one TOOL RATE → "sent recorded drops bytes cpu_seconds peak_kib"
one() {
    local tool=$1 rate=$2 log=$work/tool.log
    rm -rf "$work/spool" "$work/ring"; mkdir -p "$work/spool" "$work/ring"
    case $tool in
        ours) ip netns exec $ns_a "$helper" --socket "$work/h.sock" --spool "$work/spool" --group nogroup \
                  --k8s-metadata none --node-name bench --flight-recorder ${size_mib}M 2>"$log" &
              pid=$!
              for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done ;;
        dumpcap) ip netns exec $ns_a dumpcap -q -i ssreca -b filesize:$((size_mib * 1024 / 16)) -b files:16 -w "$work/ring/ring.pcapng" \
                     2>"$log" &
                 pid=$! ;;
    esac
    sleep 1.5
    ip netns exec $ns_b iperf3 -s -1 -p 5303 >/dev/null 2>&1 &
    local server=$! before sent after peak
    sleep 0.3
    before=$(cpu_of "$pid")
    local bits=$((rate * payload * 8)) streams=1
    [ "$rate" -eq 0 ] && streams=2
    sent=$(ip netns exec $ns_a iperf3 -c 10.212.0.2 -p 5303 -u -l $payload -b "$bits" -P $streams -t $seconds --json \
           2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum"]["packets"])' 2>/dev/null)
    sleep 1
    after=$(cpu_of "$pid")
    peak=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null; wait "$server" 2>/dev/null
    pid=
    local recorded drops bytes
    case $tool in
        ours) read -r recorded drops bytes < <(sed -n 's/.*flight recorder: \([0-9]*\) packets (\([0-9]*\) dropped.* \([0-9]*\) bytes written.*/\1 \2 \3/p' "$log" | tail -1) ;;
        dumpcap) recorded=$(capinfos -c -M -T -r "$work"/ring/*.pcapng 2>/dev/null | awk -F'\t' '{n += $2} END {print n}')
                 drops=$(sed -n "s|.*received/dropped on interface '[^']*': [0-9]*/\([0-9]*\).*|\1|p" "$log")
                 bytes=$(cat "$work"/ring/*.pcapng | wc -c) ;;
    esac
    [ -n "${VERBOSE:-}" ] && echo "$tool $rate: sent $sent recorded $recorded drops $drops bytes $bytes" >&2
    echo "${sent:-0} ${recorded:-0} ${drops:-?} ${bytes:-0} $(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}') ${peak:-0}"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
cell() { # TOOL RATE → medians
    local sents=() pcts=() drops=() rates=() cpus=() peaks=() s r d b c p
    for _ in $(seq "$runs"); do
        read -r s r d b c p < <(one "$1" "$2")
        sents+=("$((s / seconds))"); drops+=("$d"); cpus+=("$c"); peaks+=("$((p / 1024))")
        pcts+=("$(awk -v r="$r" -v s="$s" 'BEGIN {printf "%.2f", s ? 100 * r / s : 0}')")
        rates+=("$(awk -v b="$b" -v t="$seconds" 'BEGIN {printf "%.1f", b / t / 1e6}')")
    done
    printf '%7s/s %7s%% %5s drops %6s MB/s %5s s %5s MiB' "$(printf '%s\n' "${sents[@]}" | median)" \
        "$(printf '%s\n' "${pcts[@]}" | median)" "$(printf '%s\n' "${drops[@]}" | median)" \
        "$(printf '%s\n' "${rates[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" \
        "$(printf '%s\n' "${peaks[@]}" | median)"
}
echo "per tool: datagrams sent/s, % of them recorded, drops, MB/s written, CPU s, peak RSS (medians of $runs)"
printf '%-8s | %-62s | %-62s\n' rate/s ours dumpcap
for rate in "${rates[@]}"; do
    printf '%-8s | %s | %s\n' "$([ "$rate" -eq 0 ] && echo max || echo "$rate")" "$(cell ours "$rate")" \
        "$(cell dumpcap "$rate")"
done
