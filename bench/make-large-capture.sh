#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes the benchmark capture (>= 1 M packets by default) from real loopback traffic in a
# private network namespace. Usage: make-large-capture.sh OUT.pcapng [SCALE]   (root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
scale=${2:-1}
ns=ss-bench-$$
work=$(mktemp -d)
cleanup() {
    [ -n "${dumpcap_pid:-}" ] && kill "$dumpcap_pid" 2>/dev/null || true
    [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null || true
    [ -n "${http_pid:-}" ] && kill "$http_pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
in_ns() { ip netns exec "$ns" "$@"; }

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link set lo mtu 1500
in_ns ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
mkdir -p "$work/www/api"
printf '[{"id":1,"name":"alice"},{"id":2,"name":"bob"}]\n' > "$work/www/api/users"

ip netns exec "$ns" dumpcap -q -B 256 -i lo -w "$work/raw.pcapng" 2>"$work/dumpcap.log" &
dumpcap_pid=$!
for _ in $(seq 50); do grep -q "Capturing on" "$work/dumpcap.log" 2>/dev/null && break; sleep 0.1; done
in_ns dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --cache-size=0 \
    --listen-address=127.0.0.1 --bind-interfaces --port=53 --pid-file="$work/dnsmasq.pid" \
    --user=root --address=/minexmr.com/127.0.0.66 --address=/example.test/127.0.0.1 >/dev/null 2>&1 &
ip netns exec "$ns" python3 -m http.server 8080 --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
http_pid=$!
sleep 1
in_ns python3 "$here/load.py" "$scale"
sleep 1
kill "$dumpcap_pid"; wait "$dumpcap_pid" 2>/dev/null || true
dumpcap_pid=
cp "$work/raw.pcapng" "$out"
echo "wrote $out: $(stat -c %s "$out") bytes"
