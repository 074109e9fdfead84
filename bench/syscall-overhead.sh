#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What the capture costs the workload it watches, in a namespace this script creates:
#  1. a syscall-bound loop (openat + close of /dev/null, 200,000 times: openat is in the
#     default set and is recorded, close only passes the tracepoints), and a loop of a call
#     that is not recorded (getppid), without capture and with `--syscalls default`;
#  2. HTTP throughput: curl fetching a 20 MB file 10 times over a veth pair from
#     python's http.server, without capture and with packets + default syscalls.
# hyperfine runs each RUNS times, in 3 rounds that alternate no capture / capture; the
# ratios are capture / no capture of the medians.
# Usage: bench/syscall-overhead.sh [HELPER] [RUNS]   (root)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
helper=${1:-$here/build/capture-bpf/stratoshark-helper}
runs=${2:-5}
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
for tool in hyperfine cc curl python3; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done
work=$(mktemp -d /tmp/ss-overhead-XXXXXX); chmod 755 "$work"
a=sso-a-$$ b=sso-b-$$ helper_pid= server_pid=
cleanup() { kill $helper_pid $server_pid 2>/dev/null; wait 2>/dev/null; ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip link add ssova type veth peer name ssovb
ip link set ssova netns $a; ip link set ssovb netns $b
ip -n $a addr add 10.212.0.1/24 dev ssova; ip -n $b addr add 10.212.0.2/24 dev ssovb
for ns in $a $b; do ip -n $ns link set lo up; done
ip -n $a link set ssova up; ip -n $b link set ssovb up
cat > "$work/loop.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char** argv)
{
    const int n = 200000;
    if (argc > 1 && strcmp(argv[1], "getppid") == 0) {
        for (int i = 0; i < n; ++i)
            getppid();
        return 0;
    }
    for (int i = 0; i < n; ++i)
        close(openat(AT_FDCWD, "/dev/null", O_RDONLY));
    return 0;
}
C
cc -O2 -o "$work/loop" "$work/loop.c"
mkdir -p "$work/www"; head -c 20000000 /dev/urandom > "$work/www/big.bin"
ip netns exec $b python3 -m http.server 8080 --bind 10.212.0.2 --directory "$work/www" >/dev/null 2>&1 &
server_pid=$!
sleep 1
fetch="for i in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null http://10.212.0.2:8080/big.bin; done"

median() { # hyperfine JSON → median seconds
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
measure() { # NAME COMMAND → median seconds in $work/NAME.json
    ip netns exec $a hyperfine --warmup 1 --runs "$runs" --export-json "$work/$1.json" "$2" >/dev/null 2>&1
    median "$work/$1.json"
}
with_capture() { # ARGS… : starts the helper in namespace A
    ip netns exec $a "$helper" capture "$@" --duration 3600 -w "$work/cap.pcapng" 2>"$work/helper.log" &
    helper_pid=$!
    for _ in $(seq 50); do grep -q capturing "$work/helper.log" && break; sleep 0.1; done
}
stop_capture() { kill -INT $helper_pid; wait $helper_pid 2>/dev/null; helper_pid=; }

# Rounds alternate no capture / capture, so that drift (caches, the other core's load)
# falls on both sides; each figure is the median of the rounds' hyperfine medians.
rounds=3
loop0=() loop1=() ppid0=() ppid1=() http0=() http1=()
for round in $(seq $rounds); do
    loop0+=("$(measure loop0 "$work/loop")")
    ppid0+=("$(measure ppid0 "$work/loop getppid")")
    with_capture -i lo --syscalls default
    loop1+=("$(measure loop1 "$work/loop")")
    ppid1+=("$(measure ppid1 "$work/loop getppid")")
    stop_capture
    records=$("$here/build/app/cli/stratoshark" -r "$work/cap.pcapng" -Y 'syscall.name == "openat" && proc.name == "loop"' 2>/dev/null | wc -l)
    record_drops=$(sed -n 's/.*syscall records written, \([0-9]*\) dropped$/\1/p' "$work/helper.log")
    http0+=("$(measure http0 "$fetch")")
    with_capture -i ssova --syscalls default
    http1+=("$(measure http1 "$fetch")")
    stop_capture
    drops=$(sed -n 's/.* \([0-9]*\) dropped$/\1/p' "$work/helper.log")
done
mid() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
loop0=$(mid "${loop0[@]}") loop1=$(mid "${loop1[@]}") ppid0=$(mid "${ppid0[@]}") ppid1=$(mid "${ppid1[@]}")
http0=$(mid "${http0[@]}") http1=$(mid "${http1[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
printf '%-46s %10s %10s %7s\n' workload "no capture" capture ratio
printf '%-46s %9.3fs %9.3fs %6sx\n' "openat+close x200k (openat recorded)" "$loop0" "$loop1" "$(ratio "$loop1" "$loop0")"
printf '%-46s %9.3fs %9.3fs %6sx\n' "getppid x200k (not recorded)" "$ppid0" "$ppid1" "$(ratio "$ppid1" "$ppid0")"
printf '%-46s %9.3fs %9.3fs %6sx\n' "curl 10 x 20 MB over veth (packets+syscalls)" "$http0" "$http1" "$(ratio "$http1" "$http0")"
echo "last round: the loop's openat records in the file: $records of $((200000 * (runs + 1))) calls; records dropped: ${record_drops:-?}; packets dropped during HTTP: ${drops:-?}"
