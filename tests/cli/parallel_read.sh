#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Dissection in parallel by flow (app/cli/parallel_read.h) against tshark:
#  1. with two workers forced (STRATOSHARK_WORKERS=2), fixtures of every kind print exactly
#     what tshark prints for a set of display filters, summary lines and -T fields, with the
#     same exit status — whether the workers ran or the read stayed in one process (the
#     golden matrix runs its -Y cases on every fixture the default way);
#  2. the workers do run where they should (nothing on stderr), and a filter on a field that
#     depends on other flows keeps the read in one process, saying why;
#  3. `-z io,phs` and `-z expert` (with and without -q, levels, tap filters, -Y, several at
#     once) counted by the workers and merged print tshark's tables: the same counts, in the
#     order first seen.
# Usage: parallel_read.sh STRATOSHARK FIXTURES SAMPLE OUTDIR
set -u
ours=$1 fixtures=$2 sample=$3 out=$4
mkdir -p "$out"
export TZ=UTC LC_ALL=C.UTF-8 HOME="$out/home" STRATOSHARK_WORKERS=2
mkdir -p "$HOME"
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

filters=("" "dns" "tcp.analysis.flags || icmp || icmpv6" "http || tls.handshake")
# The many-flow slice and the sample (workers run), a retransmission sample, a tunnel, a
# compressed file and a null-link capture (one process), a damaged file.
captures=("$fixtures"/slices/node-mix.pcapng "$sample" "$fixtures"/pcap/ssh.pcap "$fixtures"/pcap/tcp.pcapng
          "$fixtures"/pcap/vxlan.pcap "$fixtures"/pcap/dns_tcp.pcap.gz "$fixtures"/pcap/quic_handshake.pcap
          "$fixtures"/pcap/damaged-lengths.pcap)
compared=0
same_as_tshark() { # WHAT ARGS...: our output and exit status equal tshark's
    local what=$1
    shift
    "$ours" "$@" > "$out/ours.txt" 2> /dev/null
    local a=$?
    tshark "$@" > "$out/tshark.txt" 2> /dev/null
    local b=$?
    if ! cmp -s "$out/ours.txt" "$out/tshark.txt" || [ $a -ne $b ]; then
        fail "$what: differs from tshark (exit $a vs $b)"
        diff "$out/tshark.txt" "$out/ours.txt" | head -6
    fi
    compared=$((compared + 1))
}
same_as_one_process() { # WHAT ARGS...: two workers print what one process prints
    local what=$1
    shift
    "$ours" "$@" > "$out/ours.txt" 2> /dev/null
    local a=$?
    STRATOSHARK_WORKERS=1 "$ours" "$@" > "$out/one.txt" 2> /dev/null
    local b=$?
    if ! cmp -s "$out/ours.txt" "$out/one.txt" || [ $a -ne $b ]; then
        fail "$what: two workers differ from one process (exit $a vs $b)"
        diff "$out/one.txt" "$out/ours.txt" | head -6
    fi
    compared=$((compared + 1))
}
for capture in "${captures[@]}"; do
    for f in "${filters[@]}"; do
        args=(-r "$capture")
        [ -n "$f" ] && args+=(-Y "$f")
        same_as_tshark "$(basename "$capture") -Y '$f'" "${args[@]}"
    done
    same_as_tshark "$(basename "$capture") -T fields" -r "$capture" -T fields -e frame.number \
        -e frame.time_relative -e ip.src -e tcp.srcport -e _ws.col.Info
    # io,phs lists our record and metadata layers ("proc") that stock tshark lacks: against
    # one process of ours (equal to tshark with our plugin in the golden matrix).
    same_as_one_process "$(basename "$capture") -q -z io,phs -z io,phs,udp" -r "$capture" -q -z io,phs -z io,phs,udp
    same_as_one_process "$(basename "$capture") -Y tcp -z io,phs" -r "$capture" -Y tcp -z io,phs
    same_as_tshark "$(basename "$capture") -q -z expert" -r "$capture" -q -z expert
    same_as_tshark "$(basename "$capture") -z expert,note,tcp -z expert,chat" -r "$capture" \
        -z expert,note,tcp -z expert,chat
    same_as_one_process "$(basename "$capture") -q -z expert,warn -z io,phs,ip" -r "$capture" -q -z expert,warn -z io,phs,ip
done
for capture in "$fixtures"/slices/node-mix.pcapng "$sample"; do
    same_as_tshark "$(basename "$capture") -q -z io,phs -z io,phs,udp" -r "$capture" -q -z io,phs -z io,phs,udp
    same_as_tshark "$(basename "$capture") -Y dns -z io,phs" -r "$capture" -Y dns -z io,phs
done
echo "ok: $compared outputs compared with tshark, two workers asked for"

workers_ran() { # CAPTURE FILTER
    "$ours" -r "$1" -Y "$2" > /dev/null 2> "$out/ran.err"
    if [ -s "$out/ran.err" ]; then
        fail "two workers did not run for $(basename "$1") -Y '$2': $(cat "$out/ran.err")"
    else
        echo "ok: two workers ran for $(basename "$1") -Y '$2'"
    fi
}
workers_ran "$fixtures/slices/node-mix.pcapng" "dns"
workers_ran "$sample" "tcp"
# -q -z io,phs prints no packet: the workers are counted as the processes it forks. Under
# the sanitizer build, LeakSanitizer cannot run under ptrace (and forks a tracer of its own):
# off for these two runs; every other run here checks leaks.
no_lsan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ASAN_OPTIONS=$no_lsan strace -f -qq -e trace=clone,clone3,fork,vfork -e signal=none -o "$out/forks.txt" \
    "$ours" -r "$fixtures/slices/node-mix.pcapng" -q -z io,phs > /dev/null 2> "$out/ran.err"
forks=$(grep -E "clone|fork" "$out/forks.txt" | grep -vc CLONE_THREAD)
[ ! -s "$out/ran.err" ] && [ "$forks" -eq 2 ] && echo "ok: two workers counted -z io,phs" ||
    fail "io,phs: $forks processes forked: $(cat "$out/ran.err")"
ASAN_OPTIONS=$no_lsan strace -f -qq -e trace=clone,clone3,fork,vfork -e signal=none -o "$out/forks.txt" \
    "$ours" -r "$fixtures/slices/node-mix.pcapng" -q -z expert,note > /dev/null 2> "$out/ran.err"
forks=$(grep -E "clone|fork" "$out/forks.txt" | grep -vc CLONE_THREAD)
[ ! -s "$out/ran.err" ] && [ "$forks" -eq 2 ] && echo "ok: two workers counted -z expert" ||
    fail "expert: $forks processes forked: $(cat "$out/ran.err")"
"$ours" -r "$fixtures/slices/node-mix.pcapng" -z io,phs,tcp.stream==1 > /dev/null 2> "$out/one.err"
grep -q "one process: the options need one sequence of packets" "$out/one.err" &&
    echo "ok: an io,phs filter on a stream number keeps the read in one process" || fail "io,phs,tcp.stream: $(cat "$out/one.err")"
"$ours" -r "$fixtures/slices/node-mix.pcapng" -Y "tcp.stream == 3" > "$out/one.txt" 2> "$out/one.err"
grep -q "one process: the display filter names a field that depends on other flows" "$out/one.err" &&
    echo "ok: tcp.stream keeps the read in one process" || fail "tcp.stream: $(cat "$out/one.err")"
tshark -r "$fixtures/slices/node-mix.pcapng" -Y "tcp.stream == 3" > "$out/one-tshark.txt" 2> /dev/null
cmp -s "$out/one.txt" "$out/one-tshark.txt" || fail "tcp.stream == 3 differs from tshark"
# Ports are judged in pairs, as epan's UDP dispatches a datagram (lower port first): DNS
# from port 37008 (TZSP's) runs in workers and prints what tshark prints; a datagram
# between 37008 and a port no dissector claims would reach TZSP (a tunnel): one process.
python3 - "$out" <<'PY'
import struct, sys
def frame(src, dst, sport, dport, payload):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
query = bytes.fromhex("123401000001000000000000076578616d706c6503636f6d0000010001")
answer = bytes.fromhex("123481800001000100000000076578616d706c6503636f6d0000010001c00c000100010000003c00045db8d822")
client, server = [10, 0, 0, 1], [10, 0, 0, 53]
for name, frames in (("dns-37008", [frame(client, server, 37008, 53, query), frame(server, client, 53, 37008, answer),
                                   frame(client, server, 40000, 53, query), frame(server, client, 53, 40000, answer)]),
                     ("tzsp-37008", [frame(client, server, 37008, 40001, bytes([1, 0, 0, 1, 1]) + bytes(40))])):
    with open("%s/%s.pcap" % (sys.argv[1], name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, data in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(data), len(data)) + data)
PY
workers_ran "$out/dns-37008.pcap" "dns"
same_as_tshark "dns-37008.pcap -Y dns" -r "$out/dns-37008.pcap" -Y dns
"$ours" -r "$out/tzsp-37008.pcap" > /dev/null 2> "$out/tzsp.err"
grep -q "one process: UDP port 37008 goes to a tunnel" "$out/tzsp.err" &&
    echo "ok: UDP 37008 with an unclaimed port keeps the read in one process" || fail "tzsp-37008: $(cat "$out/tzsp.err")"
same_as_tshark "tzsp-37008.pcap" -r "$out/tzsp-37008.pcap"
# The workers' output is merged in frame order: the frame numbers printed only go up.
"$ours" -r "$fixtures/slices/node-mix.pcapng" -T fields -e frame.number > "$out/numbers.txt" 2> /dev/null
sort -n -c "$out/numbers.txt" && [ "$(wc -l < "$out/numbers.txt")" -eq 2817 ] &&
    echo "ok: 2817 frames merged in order" || fail "frames out of order or missing"
echo "$failed failed"
[ $failed -eq 0 ]
