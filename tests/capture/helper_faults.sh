#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What any client the helper's socket lets in can throw at it, each once a way to kill the
# root helper or to hold it (docs/IPC.md "Limits"). For each: the answer, and the helper
# alive and serving afterwards.
#  - an --ebpf-filter of 65,000 "!" (stack), 1,000 "port N" terms (libpcap's optimizer);
#  - 200 idle connections (threads), also under a task limit of 40 (thread creation fails);
#  - a client that sends nothing, one that sends a byte a second;
#  - "lo\0x" as an interface, a duration of 2^63 ms, a newline in the Hello;
#  - a capture whose client hangs up goes on into the spool: bounded, listed, stopped, and
#    two at once get their own files;
#  - a client that stops reading (SIGSTOP) at full rate: the capture ends on time, the
#    helper's memory stays bounded, what it could not deliver is counted in the file;
#  - a killed helper's TC programs: removed by the next helper;
#  - the helper's privileges once started; fetching anything but a spooled file;
#  - an interface deleted mid-capture;
#  - kernel buffers past what the helper allows in all (--max-buffer-total).
# Usage: helper_faults.sh STRATOSHARK STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-faults-XXXXXX); chmod 755 "$run"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
helper_pid= cg=
lab_extra_cleanup='[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; [ -n "$cg" ] && rmdir "$cg" 2>/dev/null; rm -rf "$run"'
lab_up ssf 202 "$run/www"
a=$lab_a

start_helper() { # LOG [options]: a helper in namespace A on $sock
    local log=$1; shift
    rm -f "$sock"
    ip netns exec "$a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none "$@" 2>"$log" &
    helper_pid=$!
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
}
stop_helper() { kill "$helper_pid" 2>/dev/null; wait "$helper_pid" 2>/dev/null; helper_pid=; }
# Alive and serving (sessions of clients that just left may hold their slots a moment).
alive() {
    for _ in 1 2 3 4 5; do
        kill -0 "$helper_pid" 2>/dev/null || return
        "$ours" capture --helper "unix:$sock" --list-interfaces 2>/dev/null | grep -q ssfa && { echo yes; return; }
        sleep 0.5
    done
}

passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
py() { PYTHONPATH=$here python3 - "$sock" "$@"; }

start_helper "$out/helper.log" -v

# 0. what the running helper holds (privileges.cpp): six capabilities in every set (none
# inheritable or ambient), no_new_privs, a seccomp filter; and it still captures (every
# check below runs against it). 0xc000081005: chown, dac_read_search, net_admin,
# sys_ptrace, perfmon, bpf.
status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$helper_pid/status"; }
check "the helper's capabilities" "$(status CapEff) $(status CapPrm) $(status CapBnd) $(status CapInh) $(status CapAmb)" \
      "000000c000081005 000000c000081005 000000c000081005 0000000000000000 0000000000000000"
check "no_new_privs and a seccomp filter" "$(status NoNewPrivs) $(status Seccomp)" "1 2"
# Started as the systemd unit starts it: only the unit's bounding set (what it needs before it
# restricts itself), no_new_privs already set. It starts and serves.
stop_helper
unit_caps=$(awk -F= '$1 == "CapabilityBoundingSet" {print tolower($2)}' "$here/../../packaging/systemd/stratoshark-helper.service")
bounding=-all$(for c in $unit_caps; do printf ',+%s' "${c#cap_}"; done)
rm -f "$sock"
ip netns exec "$a" setpriv --no-new-privs --bounding-set "$bounding" --inh-caps -all \
    "$helper" --socket "$sock" --group nogroup --k8s-metadata none 2>"$out/helper-unit-caps.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
check "serves under the unit's bounding set ($bounding)" "$(alive)" yes
check "and keeps its six" "$(status CapEff)" 000000c000081005
stop_helper
start_helper "$out/helper.log" -v

# 1. filters that once took the helper down or held its CPU
check "65,000 negations refused" "$(py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello()); s.read()
s.send(c.start_capture(metadata_filter="!" * 65000 + "proc.name == curl", duration_ms=1000))
print(c.ERROR_CODES.get(s.error()[0]))
PY
)" BAD_FILTER
check "deep parentheses refused" "$(py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello()); s.read()
s.send(c.start_capture(metadata_filter="(" * 100 + "proc.name == curl" + ")" * 100, duration_ms=1000))
code, text = s.error(); print(c.ERROR_CODES.get(code), "nested deeper than 32" in text)
PY
)" "BAD_FILTER True"
"$ours" capture --helper "unix:$sock" -i ssfa --filter "$(seq -s ' or ' -f 'port %g' 1000 1999)" --duration 1s \
    --output "$out/ports.pcapng" 2>"$out/ports.log"
check "1,000 port terms refused by their length" "$? $(grep -c 'longer than 4096 characters' "$out/ports.log")" "2 1"
# 330 terms fit in 4 KiB and cost libpcap ~10 s of CPU: stopped by the compiler's limits.
start=$(date +%s)
"$ours" capture --helper "unix:$sock" -i ssfa --filter "$(seq -s ' or ' -f 'port %g' 1 330)" --duration 1s \
    --output "$out/ports.pcapng" 2>"$out/ports330.log"
rc=$? took=$(( $(date +%s) - start ))
check "330 port terms refused in time (${took}s)" "$rc $(grep -c 'too complex' "$out/ports330.log") $([ $took -le 12 ] && echo fast)" "2 1 fast"
check "alive after the filters" "$(alive)" yes

# 2. hostile request fields, said once
check "interface with a NUL" "$(py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello()); s.read()
s.send(c.start_capture(interfaces=["lo\0x"], duration_ms=1000))
print(c.ERROR_CODES.get(s.error()[0]))
PY
)" NO_SUCH_INTERFACE
check "duration of 2^63 ms" "$(py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello()); s.read()
s.send(c.start_capture(interfaces=["lo"], duration_ms=2**63))
code, text = s.error(); print(c.ERROR_CODES.get(code), "366 days" in text)
PY
)" "BAD_REQUEST True"
py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello(client="evil\nstratoshark-helper: uid 0: capture on everything")); s.read()
PY
check "a newline in the Hello cannot forge log lines" "$(grep -c '^stratoshark-helper: uid 0: capture on everything' "$out/helper.log")" 0
check "… it is shown escaped" "$(grep -c 'evil\\nstratoshark-helper' "$out/helper.log")" 1

# 3. silence and slowness: refused within the time allowed
check "no Hello: TIMEOUT" "$(py <<'PY'
import sys, time, ipc_client as c
s = c.Client(sys.argv[1], timeout=20); t = time.time(); e = s.error()
print(c.ERROR_CODES.get(e[0]) if e else "closed", int(time.time() - t) <= 7)
PY
)" "TIMEOUT True"
check "a byte a second: TIMEOUT" "$(py <<'PY'
import sys, time, ipc_client as c
s = c.Client(sys.argv[1], timeout=20); message = c.frame(c.hello()); t = time.time()
try:
    for b in message:
        s.sock.sendall(bytes([b])); time.sleep(1)
except (BrokenPipeError, ConnectionResetError):
    pass
e = s.error()
print(c.ERROR_CODES.get(e[0]) if e else "closed", int(time.time() - t) <= 8)
PY
)" "TIMEOUT True"

# 4. many connections: bounded, in all and (for non-root) per user; never fatal
check "200 idle connections: the extra ones told BUSY" "$(py <<'PY'
import sys, time, ipc_client as c
held, busy = [], 0
for _ in range(200):
    s = c.Client(sys.argv[1]); held.append(s)
time.sleep(0.5)
for s in held[128:]:
    e = s.error(); busy += e is not None and c.ERROR_CODES.get(e[0]) == "BUSY"
print(busy)
PY
)" 72
check "alive after 200 connections" "$(alive)" yes
grep -q '^TasksMax=' "$here/../../packaging/systemd/stratoshark-helper.service"
check "the unit bounds the helper's tasks" "$?" 0
# Under a task limit thread creation fails: those clients go, the helper stays.
stop_helper
cg=/sys/fs/cgroup/pids/ss-faults-$$
if mkdir "$cg" 2>/dev/null; then
    echo 40 > "$cg/pids.max"
    start_helper "$out/helper-tasks.log"
    echo "$helper_pid" > "$cg/cgroup.procs"
    for p in $(pgrep -P "$helper_pid"); do echo "$p" > "$cg/cgroup.procs"; done
    py <<'PY' >/dev/null 2>&1
import sys, time, ipc_client as c
held = [c.Client(sys.argv[1]) for _ in range(100)]
time.sleep(1)
PY
    sleep 0.5
    check "under a task limit of 40, 100 clients" "$(alive)" yes
    check "… the helper said why it refused some" "$(grep -c 'refused (BUSY): no thread for it' "$out/helper-tasks.log" | awk '{print ($1 > 0)}')" 1
    stop_helper
    rmdir "$cg" 2>/dev/null; cg=
fi

# 5. the spool: bounded in time, listed, stopped by its owner, a file each
start_helper "$out/helper-spool.log" --spool "$run/spool" --spool-max-duration 3 --spool-max-captures 2
for n in 1 2; do
    "$ours" capture --helper "unix:$sock" -i ssfa --duration 60s --output "$out/gone$n.pcapng" 2>/dev/null &
    eval "client$n=$!"
done
sleep 1; kill -9 "$client1" "$client2"; wait "$client1" "$client2" 2>/dev/null
sleep 0.5
"$ours" capture --helper "unix:$sock" --list-spooled > "$out/spooled.txt" 2>&1
check "two spooled captures, two files" "$(grep -c 'running' "$out/spooled.txt") $(ls "$run/spool" | sort -u | wc -l)" "2 2"
name=$(awk 'NR==1 {print $1}' "$out/spooled.txt")
"$ours" capture --helper "unix:$sock" --stop-spooled "$name" > "$out/stop.txt" 2>&1
check "stopped by its owner" "$?" 0
sleep 4
check "both ended: one stopped, one at the spool's time limit" \
      "$(grep -c 'capture ended (stopped (spooled)' "$out/helper-spool.log") $(grep -c 'capture ended (spool time limit' "$out/helper-spool.log")" "1 1"
for f in "$run"/spool/*.pcapng; do tshark -r "$f" -q >/dev/null 2>&1 || echo "unreadable $f"; done > "$out/spool-read.txt"
check "spool files readable" "$(cat "$out/spool-read.txt")" ""
"$ours" capture --helper "unix:$sock" --stop-spooled "../../etc/passwd" > "$out/stop-bad.txt" 2>&1
check "stopping what is not a spooled capture" "$? $(grep -c NOT_FOUND "$out/stop-bad.txt")" "2 1"
# Fetching reads only the spool: no other folder, no way out by "..", no link followed.
ln -s /etc/shadow "$run/spool/shadow.pcapng"
for bad in ../../etc/passwd /etc/passwd recorder/../../../etc/passwd.pcapng "archive/../../x.pcapng" shadow.pcapng; do
    rm -f "$out/fetched-bad"
    "$ours" capture --helper "unix:$sock" --fetch-spool "$bad" --output "$out/fetched-bad" > "$out/fetch-bad.txt" 2>&1
    check "fetching $bad refused" "$? $(grep -c 'no spooled file' "$out/fetch-bad.txt") $(cat "$out/fetched-bad" 2>/dev/null | wc -c)" "2 1 0"
done
rm -f "$run/spool/shadow.pcapng"

# 6. a client that stops reading while the helper streams at full rate
lab_in_a python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); end = time.time() + 4; data = b"x" * 1400
while time.time() < end:
    s.sendto(data, ("'"$lab_server"'", 9))' 2>/dev/null &
blaster=$!
"$ours" capture --helper "unix:$sock" -i ssfa --duration 3s --output "$out/stopped.pcapng" 2>"$out/stopped.log" &
client=$!
sleep 0.5; kill -STOP $client
peak=0
for _ in $(seq 12); do
    rss=$(awk '/VmRSS/ {print $2}' /proc/$helper_pid/status); [ "$rss" -gt "$peak" ] && peak=$rss; sleep 0.25
done
# (a client slow to start, under sanitizers say, may add a few seconds; before the fix it ran
# 20 s past its duration)
for _ in $(seq 20); do
    ended=$(grep -c 'capture ended (duration)' "$out/helper-spool.log")
    [ "$ended" -ge 1 ] && break
    sleep 0.25
done
kill -CONT $client; wait $client; rc=$?; wait $blaster 2>/dev/null
check "the capture ended on time while its client was stopped" "$ended" 1
# ASan keeps freed memory in quarantine (256 MB) and adds its shadow: a higher bound there.
bound=400000; grep -q __asan_init "$helper" && bound=900000
check "the helper's memory stayed bounded (${peak} kB, under $bound)" "$([ "$peak" -lt $bound ] && echo yes)" yes
check "the client got its end (exit $rc)" "$rc" 0
undelivered=$(grep -o '[0-9]* not delivered' "$out/helper-spool.log" | tail -1 | cut -d' ' -f1)
isb_drop=$(python3 - "$out/stopped.pcapng" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(); at = total = 0
while at + 12 <= len(d):
    t, n = struct.unpack_from("<II", d, at)
    if t == 5:
        body = d[at + 20:at + n - 4]; o = 0
        while o + 4 <= len(body):
            code, size = struct.unpack_from("<HH", body, o)
            if code == 0: break
            if code == 5: total += struct.unpack_from("<Q", body, o + 4)[0]
            o += 4 + ((size + 3) & ~3)
    at += n
print(total)
PY
)
check "what it could not deliver is counted in the file ($undelivered)" "$([ "${undelivered:-0}" -gt 0 ] && [ "$isb_drop" -ge "$undelivered" ] && echo yes)" yes
check "the client says so" "$(grep -c 'not delivered (this client was too slow)' "$out/stopped.log")" 1
stop_helper

# 7. a killed helper's programs do not stay attached
ip netns exec "$a" "$helper" capture -i ssfa -w "$out/killed.pcapng" 2>/dev/null &
direct=$!
sleep 1.5; kill -9 $direct; wait $direct 2>/dev/null
check "left attached by the killed helper" "$(ip netns exec "$a" tc filter show dev ssfa ingress | grep -c stratoshark_tci)" 1
start_helper "$out/helper-stale.log"
check "removed by the next helper" "$(ip netns exec "$a" tc filter show dev ssfa ingress | grep -c stratoshark_tci) $(grep -c 'removed a stale' "$out/helper-stale.log")" "0 2"

# 8. an interface deleted mid-capture: the capture ends with the cause, what was captured is
# in a readable file, the helper serves on
ip -n "$a" link add ssfx type veth peer name ssfy
ip -n "$a" addr add 10.99.0.1/24 dev ssfx
ip -n "$a" link set ssfx up; ip -n "$a" link set ssfy up
timeout 30 "$ours" capture --helper "unix:$sock" -i ssfx --duration 20s --output "$out/deleted.pcapng" 2>"$out/deleted.log" &
client=$!
sleep 1
lab_in_a python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(20): s.sendto(b"x" * 100, ("10.99.0.255", 9))' 2>/dev/null
sleep 0.5
ip -n "$a" link del ssfx
start=$(date +%s)
wait $client; rc=$?
took=$(( $(date +%s) - start ))
check "the capture ended soon after its interface went (${took} s)" "$([ $took -le 5 ] && [ $rc -ne 124 ] && echo yes)" yes
check "a failed end: exit status 2, as dumpcap's when its adapter goes" "$rc" 2
check "it said why" "$(grep -ci 'ssfx' "$out/deleted.log" | awk '{print ($1 > 0)}')" 1
check "what was captured is readable" "$(tshark -r "$out/deleted.pcapng" -Y udp 2>/dev/null | wc -l | awk '{print ($1 >= 20)}')" 1
check "alive after the interface went" "$(alive)" yes
stop_helper

# 9. kernel buffers: dumpcap's 2 MiB unless asked, rounded up to a power of two, bounded in
# all (--max-buffer-total): past it a request is refused (BUSY) until a capture gives its back
start_helper "$out/helper-buffers.log" --max-buffer-total 5MiB
check "a buffer past 1 GiB" "$(py <<'PY'
import sys, ipc_client as c
s = c.Client(sys.argv[1]); s.send(c.hello()); s.read()
s.send(c.start_capture(interfaces=["lo"], duration_ms=1000, buffer_bytes=2**40))
code, text = s.error(); print(c.ERROR_CODES.get(code), "1 GiB" in text)
PY
)" "BAD_REQUEST True"
"$ours" capture --helper "unix:$sock" -i ssfa -B 3 --duration 4s --output "$out/big-buffer.pcapng" 2>"$out/big-buffer.log" &
big=$!
for _ in $(seq 50); do grep -q 'buffer 4 MiB' "$out/helper-buffers.log" && break; sleep 0.1; done
"$ours" capture --helper "unix:$sock" -i ssfa --duration 1s --output "$out/refused.pcapng" 2>"$out/refused.log"
check "3 MiB asked: 4 MiB taken; then 2 MiB more refused (BUSY)" "$? $(grep -c 'max-buffer-total' "$out/refused.log")" "2 1"
"$ours" capture --helper "unix:$sock" -i ssfa -B 2 --duration 1s --output "$out/fits.pcapng" 2>"$out/fits.log"
check "… and so is -B 2 beside it" "$?" 2
"$ours" capture --helper "unix:$sock" -i ssfa -B 1 --duration 1s --output "$out/fits.pcapng" 2>"$out/fits.log"
check "… but 1 MiB fits" "$?" 0
wait $big
check "the 4 MiB capture ran to its end" "$?" 0
"$ours" capture --helper "unix:$sock" -i ssfa --duration 1s --output "$out/default.pcapng" 2>"$out/default.log"
check "given back when it ended: the default fits again" "$? $(grep -c 'buffer 2 MiB' "$out/helper-buffers.log")" "0 1"
check "alive at the end" "$(alive)" yes
stop_helper

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
