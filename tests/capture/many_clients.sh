#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Forty clients at once on one helper, each with its own filter, while one sender sends as
# fast as it can: 16 local clients as root and 16 as another user on the Unix socket, 8
# remote ones over mutual TLS from another namespace. Every client's file must hold its
# packets or say, in its interface statistics block, how many were dropped: for each,
# packets written + drops counted = packets sent to its port (the sender's count), and the
# file is readable by tshark. The helper lives, and its memory stays bounded. Prints each
# group's share (packets delivered / sent): the fair-share figures in docs/RELIABILITY.md.
# Usage: many_clients.sh STRATOSHARK STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-many-XXXXXX); chmod 755 "$run"
mkdir -m 1777 "$run/files"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
helper_pid=
lab_extra_cleanup='[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; pkill -f "$run/files" 2>/dev/null; rm -rf "$run"'
lab_up ssn 213 "$run/www"
a=$lab_a b=$lab_b

# shellcheck source=checks.sh
. "$here/checks.sh"

certs=$run/certs
"$top/packaging/kubernetes/make-certs.sh" "$certs" --node node-a,10.213.0.1 --client alice >/dev/null 2>&1 ||
    { echo "make-certs.sh failed"; exit 1; }
ip netns exec "$a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none --listen 10.213.0.1:7443 \
    --tls-cert "$certs/node-node-a.pem" --tls-key "$certs/node-node-a.key" --client-ca "$certs/ca.pem" \
    --allow-client alice 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
# ARP resolved first: no datagram of the test waits for it (or is dropped) before the hook.
ip netns exec "$a" bash -c 'echo x > /dev/udp/10.213.0.2/9'; sleep 0.3

local_root=16 local_user=16 remote=8
clients=$((local_root + local_user + remote))
# The sender: whole rounds over the ports for SECONDS, as fast as one Python process goes;
# each port gets the same number of datagrams. Prints the rounds.
send() {
    ip netns exec "$a" python3 - "$clients" "$1" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ports = [31000 + i for i in range(int(sys.argv[1]))]
payload, rounds, end = b"x" * 64, 0, time.monotonic() + float(sys.argv[2])
while True:
    for p in ports:
        s.sendto(payload, ("10.213.0.2", p))
    rounds += 1
    if rounds % 32 == 0 and time.monotonic() >= end:
        break
print(rounds)
EOF
}
# The sender alone first (no capture attached), for the figure: what the captures cost it.
alone=$(send 2)
pids=()
for i in $(seq 0 $((clients - 1))); do
    port=$((31000 + i))
    filter="udp dst port $port"
    # SS_MANY_ALL_PORTS=1: every client captures every port (each packet goes to forty rings:
    # the load that makes the helper drop, with SS_MANY_BUFFER small).
    [ -n "${SS_MANY_ALL_PORTS:-}" ] && filter="udp dst portrange 31000-$((31000 + clients - 1))"
    args=(capture -i ssna --filter "$filter" --duration 60s --output "$run/files/c$i.pcapng")
    # SS_MANY_BUFFER=SIZE: every client asks for that kernel buffer (-B; small ones make the
    # helper drop, for the fair-share-under-drops figure); unset: the default.
    [ -n "${SS_MANY_BUFFER:-}" ] && args+=(-B "$SS_MANY_BUFFER")
    if [ "$i" -lt "$local_root" ]; then
        "$ours" "${args[@]}" --helper "unix:$sock" 2>"$out/c$i.log" &
    elif [ "$i" -lt $((local_root + local_user)) ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$ours" "${args[@]}" --helper "unix:$sock" 2>"$out/c$i.log" &
    else
        ip netns exec "$b" "$ours" "${args[@]}" --helper tls://10.213.0.1:7443 --tls-ca "$certs/ca.pem" \
            --tls-cert "$certs/client-alice.pem" --tls-key "$certs/client-alice.key" 2>"$out/c$i.log" &
    fi
    pids+=($!)
done
for _ in $(seq 300); do
    [ "$(grep -c 'capture on' "$out/helper.log")" -ge "$clients" ] && break
    sleep 0.1
done
check "all $clients captures started" "$clients" "$(grep -c 'capture on' "$out/helper.log")"

rounds=$(send 4)
sleep 1
kill -INT "${pids[@]}" 2>/dev/null
statuses=()
for p in "${pids[@]}"; do wait "$p"; statuses+=($?); done
hwm=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$helper_pid/status")
echo "sent $rounds datagrams to each of $clients ports ($((rounds * clients / 4)) a second; $((alone * clients / 2)) a second with no capture); helper peak RSS ${hwm} kB"

check "every client's exit status" "0 " "$(printf '%s\n' "${statuses[@]}" | sort -u | tr '\n' ' ')"
# Per file: packets written, and the interface statistics block's received and dropped.
each=$rounds; [ -n "${SS_MANY_ALL_PORTS:-}" ] && each=$((rounds * clients)) # sent to each client's filter
python3 - "$run/files" "$clients" "$each" "$local_root" "$local_user" > "$out/shares.txt" <<'EOF'
import os, struct, sys
folder, clients, sent, root, user = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def read(path):
    data = open(path, "rb").read()
    at, packets, recv, drop = 0, 0, None, None
    while at + 12 <= len(data):
        kind, length = struct.unpack_from("<II", data, at)
        if length < 12:
            break
        if kind == 6:
            packets += 1
        elif kind == 5:  # isb_ifrecv (4), isb_ifdrop (5)
            o = at + 20
            while o + 4 <= at + length - 4:
                code, size = struct.unpack_from("<HH", data, o)
                if code == 0:
                    break
                if code in (4, 5) and size == 8:
                    value = struct.unpack_from("<Q", data, o + 4)[0]
                    recv, drop = (value, drop) if code == 4 else (recv, value)
                o += 4 + (size + 3) // 4 * 4
        at += length
    return packets, recv, drop
groups = {"local root": [], "local uid 65534": [], "remote TLS": []}
for i in range(clients):
    packets, recv, drop = read(os.path.join(folder, f"c{i}.pcapng"))
    group = "local root" if i < root else "local uid 65534" if i < root + user else "remote TLS"
    accounted = recv is not None and drop is not None and packets == recv and packets + drop == sent
    print(f"client {i} {group}: {packets} written, statistics {recv} received {drop} dropped, accounted {accounted}")
    groups[group].append(packets / sent if sent else 0)
everyone = [s for g in groups.values() for s in g]
jain = sum(everyone) ** 2 / (len(everyone) * sum(s * s for s in everyone)) if any(everyone) else 0
for name, shares in groups.items():
    shares.sort()
    print(f"share {name}: min {shares[0]:.3f} median {shares[len(shares) // 2]:.3f} max {shares[-1]:.3f}")
print(f"fairness (Jain's index over all clients) {jain:.3f}")
EOF
grep '^share\|^fairness' "$out/shares.txt"
check "every client's packets written or counted dropped" "$clients" "$(grep -c 'accounted True' "$out/shares.txt")"
check "tshark reads the files whole" "0 0 0 " \
      "$(for i in 0 $((local_root)) $((clients - 1)); do tshark -r "$run/files/c$i.pcapng" -q >/dev/null 2>&1; echo -n "$? "; done)"
check "the helper lives" 1 "$("$ours" capture --helper "unix:$sock" --list-interfaces 2>/dev/null | grep -c ssna)"
# Each capture maps its ring twice (the kernel's pages, counted in RSS): 4 MiB at the default
# 2 MiB, plus what the helper holds for the client (bounded by SessionLimits::queuedBytes).
# Measured 415 MB for forty; with the 16 MiB rings of before, 1.49 GB.
check "its memory stayed bounded (peak ${hwm} kB for $clients captures)" yes \
      "$([ "$hwm" -lt $(( (150 + clients * 10) * 1024 )) ] && echo yes)"
grep -h 'packets, ' "$out"/c*.log | head -3

checks_done many-clients
