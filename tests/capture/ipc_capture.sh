#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark capture` driving stratoshark-helper over its Unix socket (docs/IPC.md), in two
# network namespaces this test creates (veth; curl in one, http.server in the other):
# a timed capture, --list-interfaces, Ctrl+C, a group member allowed, others refused,
# malformed requests that do not kill the helper, a refused filter, and a helper killed
# mid-capture leaving a valid file.
# Usage: ipc_capture.sh STRATOSHARK STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
ours=$1
helper=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-ipc-XXXXXX); chmod 755 "$run"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
helper_pid=
lab_extra_cleanup='[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$run"'
lab_up ssi 201 "$run/www"
a=$lab_a
# The helper runs in namespace A (path sockets work across namespaces); group nogroup.
# No pod names (not even from a container runtime this machine may run).
ip netns exec "$a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
sleep 0.5

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
traffic() { lab_traffic; }
# Captures the helper has started; wait_started waits until it has started one more than
# $seen, taken just before the client (a client and a helper under load or sanitizers take
# longer than a moment), then a little for the attach.
started() { grep -c ': capture on ' "$out/helper.log"; }
seen=0
wait_started() {
    for _ in $(seq 150); do
        [ "$(started)" -gt "$seen" ] && break
        sleep 0.1
    done
    sleep 0.3
}
gets() { tshark -r "$1" -Y 'http.request.method == "GET"' 2>/dev/null | wc -l; }

# 1. a timed capture
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --duration 3s --output "$out/timed.pcapng" 2>"$out/timed.log" &
client=$!
wait_started; traffic; wait $client; rc=$?
[ $rc -eq 0 ] && ok || bad "timed capture exit $rc: $(cat "$out/timed.log")"
[ "$(gets "$out/timed.pcapng")" -eq 3 ] && ok || bad "timed capture: $(gets "$out/timed.pcapng") GETs, want 3"
grep -q "duration: " "$out/timed.log" && ok || bad "timed capture summary: $(cat "$out/timed.log")"
tshark -r "$out/timed.pcapng" -q 2>/dev/null && ok || bad "timed capture: tshark cannot read the file"

# 1b. syscalls through the socket, merged with the packets
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --syscalls connect --duration 2s --output "$out/sc.pcapng" 2>"$out/sc.log" &
client=$!
wait_started; traffic; wait $client
n=$("$ours" -r "$out/sc.pcapng" -Y 'syscall.name == "connect" && proc.name == "curl"' 2>/dev/null | wc -l)
[ "$n" -ge 3 ] && ok || bad "syscalls through the socket: $n curl connects: $(cat "$out/sc.log")"
"$ours" capture --helper "unix:$sock" -i ssia --syscalls nosuchcall --duration 1s --output "$out/sc2.pcapng" 2>"$out/sc2.log"
grep -q 'nosuchcall' "$out/sc2.log" && ok || bad "unknown syscall not refused: $(cat "$out/sc2.log")"

# 2. interfaces of the helper's host
"$ours" capture --helper "unix:$sock" --list-interfaces > "$out/list.txt" 2>&1
grep -q "ssia" "$out/list.txt" && ok || bad "list interfaces: $(cat "$out/list.txt")"

# 3. Ctrl+C ends the capture cleanly, the file complete
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --output "$out/interrupted.pcapng" 2>"$out/interrupted.log" &
client=$!
wait_started; traffic; sleep 0.3; kill -INT $client; wait $client; rc=$?
[ $rc -eq 0 ] && grep -q "stopped: " "$out/interrupted.log" && ok || bad "Ctrl+C exit $rc: $(cat "$out/interrupted.log")"
[ "$(gets "$out/interrupted.pcapng")" -eq 3 ] && ok || bad "Ctrl+C capture lost packets"

# 4. a member of the helper's group may capture; another user is refused
# Unprivileged users run a copy of the client from the world-readable scratch folder and
# write there: the build tree may sit below a folder only root can enter.
mkdir -p "$run/unprivileged"; chmod 777 "$run/unprivileged"
cp "$ours" "$run/stratoshark"; chmod 755 "$run/stratoshark"
setpriv --reuid=65534 --regid=65534 --clear-groups "$run/stratoshark" capture --helper "unix:$sock" -i ssia --count 1 \
    --duration 2s --output "$run/unprivileged/member.pcapng" 2>"$out/member.log"
rc=$?; [ $rc -eq 0 ] && [ -s "$run/unprivileged/member.pcapng" ] && ok || bad "group member refused (exit $rc): $(cat "$out/member.log")"
setpriv --reuid=65534 --regid=65533 --clear-groups "$run/stratoshark" capture --helper "unix:$sock" -i ssia --duration 1s \
    --output "$run/unprivileged/stranger.pcapng" 2>"$out/stranger.log"
rc=$?; [ $rc -ne 0 ] && grep -qiE "permission denied|refused" "$out/stranger.log" && ok || bad "stranger not refused (exit $rc): $(cat "$out/stranger.log")"
# The socket's mode stops a stranger first; with a socket anyone may open (a mistaken
# mode), the helper's own check (SO_PEERCRED) refuses, and says so in its log.
chmod 666 "$sock"
setpriv --reuid=65534 --regid=65533 --clear-groups "$run/stratoshark" capture --helper "unix:$sock" -i ssia --duration 1s \
    --output "$run/unprivileged/stranger2.pcapng" 2>"$out/stranger2.log"
rc=$?; [ $rc -ne 0 ] && grep -q "may not capture" "$out/stranger2.log" && ok || bad "stranger on an open socket (exit $rc): $(cat "$out/stranger2.log")"
chmod 660 "$sock"
grep -q "uid 65534 (pid [0-9]*): refused (PERMISSION_DENIED)" "$out/helper.log" && ok || bad "refusal not in the helper's log"

# 5. malformed requests get an error or a closed connection; the helper lives on
python3 - "$sock" > "$out/malformed.log" 2>&1 <<'PY'
import socket, struct, sys
for payload in (struct.pack("<I", 5) + b"\xff\xff\xff\xff\xff",      # not a protobuf message
                struct.pack("<I", 0xffffffff),                      # absurd length
                b"\x01"):                                            # cut-off header
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(payload)
    s.shutdown(socket.SHUT_WR)
    print(len(s.recv(4096)), "bytes back")
    s.close()
PY
kill -0 "$helper_pid" 2>/dev/null && ok || bad "helper died on malformed requests"
"$ours" capture --helper "unix:$sock" --list-interfaces >/dev/null 2>&1 && ok || bad "helper unusable after malformed requests"

# 6. filters: tcpdump syntax runs in the kernel; a pod filter needs pod metadata, which
# this helper was not given; a metadata filter that does not parse is refused with where
"$ours" capture --helper "unix:$sock" -i ssia --ebpf-filter 'k8s.pod == "x"' --duration 1s --output "$out/filter.pcapng" 2>"$out/filter.log"
rc=$?; [ $rc -ne 0 ] && grep -q "need pod names.*--k8s-metadata" "$out/filter.log" && ok || bad "pod filter without metadata not refused: $(cat "$out/filter.log")"
"$ours" capture --helper "unix:$sock" -i ssia --ebpf-filter 'proc.name == curl and (tcp.port == 80' --duration 1s --output "$out/filter.pcapng" 2>"$out/filter.log"
rc=$?; [ $rc -ne 0 ] && grep -q '"tcp.port" cannot be filtered in the kernel' "$out/filter.log" && ok || bad "bad metadata filter: $(cat "$out/filter.log")"
# … unless the user allows it in user space: everything captured, the expression applied
# as a display filter at the end (epan, our proc.* fields included)
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --ebpf-filter 'proc.name == "curl" && tcp.port == 8080' --allow-userspace-filter \
    --duration 2s --output "$out/userspace.pcapng" 2>"$out/userspace.log" &
client=$!
wait_started; traffic; wait $client; rc=$?
n_all=$("$ours" -r "$out/userspace.pcapng" 2>/dev/null | wc -l)
n_match=$("$ours" -r "$out/userspace.pcapng" -Y 'proc.name == "curl" && tcp.port == 8080' 2>/dev/null | wc -l)
[ $rc -eq 0 ] && [ "$n_all" -gt 0 ] && [ "$n_all" -eq "$n_match" ] && grep -q "filtering here at the end" "$out/userspace.log" \
    && [ -z "$(ls "$out"/userspace.pcapng.unfiltered-* 2>/dev/null)" ] && ok ||
    bad "user-space fallback (exit $rc): $n_match of $n_all match; $(cat "$out/userspace.log")"
"$ours" capture --helper "unix:$sock" -i ssia --ebpf-filter 'proc.name == ' --allow-userspace-filter --duration 1s \
    --output "$out/badfallback.pcapng" 2>"$out/badfallback.log"
rc=$?; [ $rc -eq 2 ] && grep -q -- '--ebpf-filter "proc.name == ":' "$out/badfallback.log" && ok || bad "bad fallback filter (exit $rc): $(cat "$out/badfallback.log")"
"$ours" capture --helper "unix:$sock" -i ssia --filter "tcp port" --duration 1s --output "$out/badfilter.pcapng" 2>"$out/badfilter.log"
rc=$?; [ $rc -ne 0 ] && grep -q 'filter "tcp port"' "$out/badfilter.log" && ok || bad "bad tcpdump filter: $(cat "$out/badfilter.log")"
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --filter "tcp port 8080" --duration 2s --output "$out/tcp.pcapng" 2>"$out/tcp.log" &
client=$!
wait_started; traffic; wait $client
n_all=$("$ours" -r "$out/tcp.pcapng" 2>/dev/null | wc -l); n_tcp=$("$ours" -r "$out/tcp.pcapng" -Y 'tcp.port == 8080' 2>/dev/null | wc -l)
[ "$n_all" -gt 0 ] && [ "$n_all" -eq "$n_tcp" ] && ok || bad "--filter through the socket: $n_tcp of $n_all match"
"$ours" capture --helper "unix:$sock" -i nosuch0 --duration 1s --output "$out/x.pcapng" 2>"$out/nosuch.log"
grep -q 'no interface "nosuch0"' "$out/nosuch.log" && ok || bad "unknown interface: $(cat "$out/nosuch.log")"

# 7. the helper killed mid-capture: the client reports it, the file is valid to its last block
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssia --output "$out/killed.pcapng" 2>"$out/killed.log" &
client=$!
wait_started; traffic; sleep 0.5; kill -9 "$helper_pid"; wait "$helper_pid" 2>/dev/null; helper_pid=
wait $client; rc=$?
[ $rc -ne 0 ] && grep -q 'closed mid-capture' "$out/killed.log" && ok || bad "client did not say the helper died: $(cat "$out/killed.log")"
tshark -r "$out/killed.pcapng" -q 2>"$out/killed-read.log" && ok || bad "file after helper kill unreadable: $(cat "$out/killed-read.log")"
[ "$(gets "$out/killed.pcapng")" -eq 3 ] && ok || bad "file after helper kill: $(gets "$out/killed.pcapng") GETs"

# 8. socket activation, as packaging/systemd/stratoshark-helper.socket starts it
if command -v systemd-socket-activate >/dev/null; then
    sock2=$run/activated.sock
    ip netns exec "$a" systemd-socket-activate -l "$sock2" "$helper" --group nogroup 2>"$out/activated.log" &
    helper_pid=$!
    for _ in $(seq 50); do [ -S "$sock2" ] && break; sleep 0.1; done
    "$ours" capture --helper "unix:$sock2" --list-interfaces > "$out/activated-list.txt" 2>&1
    grep -q ssia "$out/activated-list.txt" && ok || bad "socket-activated helper: $(cat "$out/activated-list.txt" "$out/activated.log")"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
