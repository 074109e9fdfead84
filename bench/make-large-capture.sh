#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes a benchmark capture from real loopback traffic in a private network namespace.
#   make-large-capture.sh OUT.pcapng [SCALE]              (root)
#     load.py: DNS, HTTP, one bulk TCP flow, UDP; >= 1 M packets with SCALE 1.1
#   make-large-capture.sh --mix node OUT.pcapng [SCALE]   (root)
#     load_node.py: what a node looks like, thousands of flows over IPv4 and IPv6 (HTTPS
#     with TLS 1.2 and 1.3, HTTP keep-alive and Connection: close, DNS over UDP and TCP,
#     a few bulk flows, UDP); about 1 M packets with SCALE 1
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mix=default
if [ "${1:-}" = "--mix" ]; then
    mix=${2:?usage: make-large-capture.sh [--mix default|node] OUT.pcapng [SCALE]}
    shift 2
fi
out=${1:?usage: make-large-capture.sh [--mix default|node] OUT.pcapng [SCALE]}
# shellcheck source=../resources/samples/loopback_lab.sh
. "$here/../resources/samples/loopback_lab.sh"

case $mix in
default)
    lab_start -B 256
    lab_in python3 "$here/load.py" "${2:-1.1}"
    ;;
node)
    lab_start -B 256
    trap '[ -f "$lab_dir/dnsmasq6.pid" ] && kill "$(cat "$lab_dir/dnsmasq6.pid")" 2>/dev/null; lab_cleanup' EXIT
    # DNS over IPv6 too: a second dnsmasq, on ::1, with the same answers.
    lab_in dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --cache-size=0 \
        --listen-address=::1 --bind-interfaces --port=53 --pid-file="$lab_dir/dnsmasq6.pid" --user=root \
        --address=/minexmr.com/127.0.0.66 --address=/cluster.local/127.0.0.1 >/dev/null 2>&1 &
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=bench.test \
        -keyout "$lab_dir/key.pem" -out "$lab_dir/cert.pem" >/dev/null 2>&1
    sleep 0.5
    lab_in python3 "$here/load_node.py" "$lab_dir/cert.pem" "$lab_dir/key.pem" "${2:-1}"
    kill "$(cat "$lab_dir/dnsmasq6.pid")" 2>/dev/null || true
    ;;
*)
    echo "make-large-capture.sh: --mix is default or node, not \"$mix\"" >&2
    exit 2
    ;;
esac
lab_finish "$out"
