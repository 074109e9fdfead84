#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The helper's TC capture on a veth pair between two network namespaces this test creates:
# curl in one, python's http.server in the other. Asserts: every packet the interface
# counted (/proc/net/dev, in the namespace) is in the file, both directions are marked, the
# three HTTP requests and responses are there, tshark reads the file, drops are recorded.
# Every TCP packet, in both directions, is attributed to the curl that owns the connection
# (the helper's owner map, read through stratoshark's proc.* fields).
# Usage: tc_capture.sh STRATOSHARK-HELPER OUTDIR [STRATOSHARK]   (root)
set -euo pipefail
helper=$1
out=$2
ours=${3:-}
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
helper_pid=
lab_extra_cleanup='[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null'
lab_up ssv 200 "$out/www"
a=$lab_a
counters() { ip netns exec "$a" awk '$1 == "ssva:" {print $3 + $11}' /proc/net/dev; }
ip netns exec "$a" "$helper" capture -i ssva -w "$out/veth.pcapng" 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do grep -q capturing "$out/helper.log" && break; sleep 0.1; done
before=$(counters)
lab_traffic
sleep 0.5
after=$(counters)
kill -INT "$helper_pid"; wait "$helper_pid"; helper_pid=
cat "$out/helper.log"

passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got $2, want $3"; failed=$((failed + 1)); fi; }
read_fields() { tshark -r "$out/veth.pcapng" "$@" 2>/dev/null; }
check "packets = interface counters" "$(read_fields -T fields -e frame.number | wc -l)" "$((after - before))"
check "HTTP requests" "$(read_fields -Y 'http.request.method == "GET"' | wc -l)" 3
check "HTTP responses" "$(read_fields -Y 'http.response.code == 200' | wc -l)" 3
check "outbound marked" "$(read_fields -Y 'frame.packet_flags_direction == 2 && ip.src == 10.200.0.1' | wc -l)" \
      "$(read_fields -Y 'ip.src == 10.200.0.1' | wc -l)"
check "inbound marked" "$(read_fields -Y 'frame.packet_flags_direction == 1 && ip.src == 10.200.0.2' | wc -l)" \
      "$(read_fields -Y 'ip.src == 10.200.0.2' | wc -l)"
check "interface name" "$(read_fields -T fields -e frame.interface_name -c 1)" ssva
check "drop statistics written" "$(tshark -r "$out/veth.pcapng" -q -z io,stat,0 2>/dev/null >/dev/null; capinfos -M "$out/veth.pcapng" | grep -c 'Number of stat entries = 1')" 1
if [ -n "$ours" ]; then
    fields() { "$ours" -r "$out/veth.pcapng" "$@" 2>/dev/null; }
    check "TCP packets attributed to curl" "$(fields -Y 'tcp && proc.name == "curl"' | wc -l)" "$(fields -Y tcp | wc -l)"
    check "incoming TCP attributed to the receiver" \
          "$(fields -Y 'tcp && frame.packet_flags_direction == 1 && proc.name == "curl"' | wc -l)" \
          "$(fields -Y 'tcp && frame.packet_flags_direction == 1' | wc -l)"
    check "one process per connection" \
          "$(fields -Y tcp -T fields -e tcp.stream -e proc.pid | sort -u | wc -l)" \
          "$(fields -Y tcp -T fields -e tcp.stream | sort -u | wc -l)"
    check "command line" "$(fields -Y tcp -T fields -e proc.cmdline | sort -u)" \
          "curl -s -o /dev/null --max-time 5 http://10.200.0.2:8080/index.html"
    check "no owner for ARP" "$(fields -Y 'arp && proc' | wc -l)" 0
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
