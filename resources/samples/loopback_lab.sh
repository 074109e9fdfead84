# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by make-sample.sh and bench/make-large-capture.sh: a private network namespace
# whose loopback looks like an Ethernet NIC (MTU 1500, no offloads), dumpcap on it, and
# the servers the traffic talks to (dnsmasq on 127.0.0.1:53, python's http.server on
# 127.0.0.1:8080 serving /api/users). Everything is torn down on exit. Needs root.

lab_ns=ss-lab-$$
lab_dir=$(mktemp -d)
lab_dumpcap_pid=
lab_http_pid=

lab_cleanup() {
    [ -n "$lab_dumpcap_pid" ] && kill "$lab_dumpcap_pid" 2>/dev/null
    [ -f "$lab_dir/dnsmasq.pid" ] && kill "$(cat "$lab_dir/dnsmasq.pid")" 2>/dev/null
    [ -n "$lab_http_pid" ] && kill "$lab_http_pid" 2>/dev/null
    ip netns del "$lab_ns" 2>/dev/null
    rm -rf "$lab_dir"
    return 0
}
trap lab_cleanup EXIT

lab_in() { ip netns exec "$lab_ns" "$@"; }

lab_start() { # lab_start [DUMPCAP OPTIONS...]
    ip netns add "$lab_ns"
    ip -n "$lab_ns" link set lo up
    ip -n "$lab_ns" link set lo mtu 1500
    lab_in ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
    # started directly (not through lab_in) so that $! is dumpcap itself
    ip netns exec "$lab_ns" dumpcap -q "$@" -i lo -w "$lab_dir/raw.pcapng" 2>"$lab_dir/dumpcap.log" &
    lab_dumpcap_pid=$!
    for _ in $(seq 50); do grep -q "Capturing on" "$lab_dir/dumpcap.log" 2>/dev/null && break; sleep 0.1; done

    mkdir -p "$lab_dir/www/api"
    printf '[{"id":1,"name":"alice"},{"id":2,"name":"bob"}]\n' > "$lab_dir/www/api/users"
    lab_in dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --cache-size=0 \
        --listen-address=127.0.0.1 --bind-interfaces --port=53 --pid-file="$lab_dir/dnsmasq.pid" \
        --user=root --address=/minexmr.com/127.0.0.66 --address=/shop.test/127.0.0.1 \
        --address=/example.test/127.0.0.1 >/dev/null 2>&1 &
    ip netns exec "$lab_ns" python3 -m http.server 8080 --bind 127.0.0.1 --directory "$lab_dir/www" >/dev/null 2>&1 &
    lab_http_pid=$!
    sleep 1
}

lab_finish() { # lab_finish OUT.pcapng: stops the capture cleanly and keeps the file
    sleep 1
    kill "$lab_dumpcap_pid"
    wait "$lab_dumpcap_pid" 2>/dev/null || true
    lab_dumpcap_pid=
    cp "$lab_dir/raw.pcapng" "$1"
    echo "wrote $1 ($(stat -c %s "$1") bytes)"
}
