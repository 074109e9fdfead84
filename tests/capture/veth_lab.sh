# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the capture tests: two network namespaces this test creates, joined by a veth
# pair — A (10.X.0.1, interface ${lab_prefix}a) with the client and the capture, B
# (10.X.0.2) with python's http.server on :8080 — no IPv6 autoconfiguration chatter, and
# everything removed on exit (plus whatever the test lists in lab_extra_cleanup).
# Usage: lab_up PREFIX SUBNET_BYTE WWW_DIR   e.g. lab_up ssva 200 "$out/www"
lab_a= lab_b= lab_http_pid= lab_extra_cleanup=
lab_cleanup() {
    [ -n "$lab_http_pid" ] && kill "$lab_http_pid" 2>/dev/null
    eval "$lab_extra_cleanup" || true
    [ -n "$lab_a" ] && ip netns del "$lab_a" 2>/dev/null
    [ -n "$lab_b" ] && ip netns del "$lab_b" 2>/dev/null
    return 0
}
trap lab_cleanup EXIT

lab_up() {
    local prefix=$1 net=$2 www=$3
    [ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
    lab_a=$prefix-a-$$ lab_b=$prefix-b-$$
    lab_if=${prefix}a
    lab_server=10.$net.0.2
    ip netns add "$lab_a"; ip netns add "$lab_b"
    ip link add "${prefix}a" type veth peer name "${prefix}b"
    ip link set "${prefix}a" netns "$lab_a"; ip link set "${prefix}b" netns "$lab_b"
    ip -n "$lab_a" addr add "10.$net.0.1/24" dev "${prefix}a"
    ip -n "$lab_b" addr add "$lab_server/24" dev "${prefix}b"
    for ns in "$lab_a" "$lab_b"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip -n "$ns" link set lo up
    done
    ip -n "$lab_a" link set "${prefix}a" up; ip -n "$lab_b" link set "${prefix}b" up
    mkdir -p "$www"; echo "hello from b" > "$www/index.html"
    ip netns exec "$lab_b" python3 -m http.server 8080 --bind "$lab_server" --directory "$www" >/dev/null 2>&1 &
    lab_http_pid=$!
    lab_wait_listen "$lab_b" 8080
}

# NETNS PORT [t|u]: wait (≤ 10 s) until a server listens on PORT (TCP, or UDP with u) there.
lab_wait_listen() {
    local ns=$1 port=$2 proto=${3:-t}
    for _ in $(seq 100); do
        ip netns exec "$ns" ss -Hl"$proto"n "sport = :$port" | grep -q . && return 0
        sleep 0.1
    done
    echo "nothing listens on port $port in $ns"; return 1
}

lab_in_a() { ip netns exec "$lab_a" "$@"; }

# Three HTTP GETs from A to B.
lab_traffic() {
    for _ in 1 2 3; do lab_in_a curl -s -o /dev/null --max-time 5 "http://$lab_server:8080/index.html"; done
}
