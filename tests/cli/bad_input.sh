#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input on the command line: one clear message naming the file or filter and the
# cause, tshark's exit code, and for a damaged file every packet before the damage.
# Usage: bad_input.sh STRATOSHARK OUTDIR
set -u
ours=$1
out=$2
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../fixtures/pcap
export HOME="$out/home" TZ=UTC
mkdir -p "$HOME"
passed=0
failed=0

expect() { # expect LABEL WANT_EXIT STDERR_PATTERN -- ARGS...
    local label=$1 want=$2 pattern=$3
    shift 4
    "$ours" "$@" >"$out/stdout" 2>"$out/stderr"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        echo "FAIL [$label] exit $rc, want $want"; cat "$out/stderr"; failed=$((failed + 1)); return
    fi
    if ! grep -q -- "$pattern" "$out/stderr"; then
        echo "FAIL [$label] stderr lacks '$pattern':"; cat "$out/stderr"; failed=$((failed + 1)); return
    fi
    if grep -qi "assert\|Segmentation\|Aborted" "$out/stderr"; then
        echo "FAIL [$label] crashed"; failed=$((failed + 1)); return
    fi
    passed=$((passed + 1))
}

expect "missing file" 2 'The file "/nonexistent.pcap" doesn.t exist.' -- -r /nonexistent.pcap
chmod 000 "$out" 2>/dev/null
printf 'hello\n' > "$out/text.txt" 2>/dev/null
chmod 755 "$out"
printf '\x7f\x7f\x7f\x7f%.0s' $(seq 64) > "$out/garbage.bin"
expect "unknown format" 2 "garbage.bin\" isn't a capture file" -- -r "$out/garbage.bin"
expect "directory" 2 'is a directory' -- -r "$out"
if [ "$(id -u)" -eq 0 ]; then
    cp "$fixtures/dns_udp.pcap" "$out/unreadable.pcap"; chmod 000 "$out/unreadable.pcap"
    # root reads anything; check as an unprivileged user
    if command -v setpriv >/dev/null; then
        chmod 755 "$out" "$(dirname "$ours")"
        setpriv --reuid=65534 --regid=65534 --clear-groups "$ours" -r "$out/unreadable.pcap" >/dev/null 2>"$out/stderr"
        if [ $? -eq 2 ] && grep -q "don't have permission to read the file" "$out/stderr"; then
            passed=$((passed + 1)); else echo "FAIL [unreadable]"; cat "$out/stderr"; failed=$((failed + 1)); fi
    fi
fi
expect "bad filter" 2 '"1.2.3" is not a valid hostname or IPv4 address.' -- -r "$fixtures/dns_udp.pcap" -Y 'ip.src == 1.2.3'
expect "bad filter caret" 2 '              ^~~~~' -- -r "$fixtures/dns_udp.pcap" -Y 'ip.src == 1.2.3'
[ -s "$out/stdout" ] && { echo "FAIL [bad filter] printed packets"; failed=$((failed + 1)); }
expect "unknown field" 2 'must be a field or function, not nosuch.field' -- -r "$fixtures/dns_udp.pcap" -Y 'nosuch.field == 1'
expect "bad read filter" 2 'Unexpected end of filter expression' -- -2 -r "$fixtures/dns_udp.pcap" -R 'tcp.port =='
expect "unknown option" 1 'unrecognized option' -- --bogus -r "$fixtures/dns_udp.pcap"
expect "unknown -T" 1 'Invalid -T parameter' -- -r "$fixtures/dns_udp.pcap" -T nosuch
expect "invalid field" 1 'Some fields aren.t valid' -- -r "$fixtures/dns_udp.pcap" -T fields -e nosuch.field
expect "unknown pref" 1 'specifies unknown preference' -- -r "$fixtures/dns_udp.pcap" -o nosuch.pref:1
expect "bad -z" 1 'Invalid -z argument' -- -r "$fixtures/dns_udp.pcap" -z nosuch,1
expect "bad follow mode" 1 'follow - Invalid display mode.' -- -r "$fixtures/dns_udp.pcap" -z follow,tcp,nosuch,0
expect "unwritable -w" 2 'nonexistent-dir/out.pcapng' -- -r "$fixtures/dns_udp.pcap" -w /nonexistent-dir/out.pcapng

# A capture cut inside its 4th record: the three before print exactly as tshark prints
# them, then the error names the file; exit 2.
head -c 300 "$fixtures/ssh.pcap" > "$out/cut.pcap"
expect "truncated" 2 'cut.pcap" appears to have been cut short in the middle of a packet.' -- -r "$out/cut.pcap"
tshark -r "$out/cut.pcap" > "$out/tshark.txt" 2>/dev/null
if cmp -s "$out/stdout" "$out/tshark.txt" && [ "$(wc -l < "$out/stdout")" -eq 3 ]; then
    passed=$((passed + 1)); else echo "FAIL [truncated] packets before the damage differ"; failed=$((failed + 1)); fi
# the same with statistics: the report covers what was read
expect "truncated conv" 2 'cut short' -- -r "$out/cut.pcap" -q -z conv,tcp
grep -q "^202.108.87.165:62146" "$out/stdout" && passed=$((passed + 1)) || { echo "FAIL [truncated conv] no report"; failed=$((failed + 1)); }
# and -w keeps the packets read before the damage
expect "truncated -w" 2 'cut short' -- -r "$out/cut.pcap" -w "$out/cut-out.pcapng"
[ "$(tshark -r "$out/cut-out.pcapng" 2>/dev/null | wc -l)" -eq 3 ] && passed=$((passed + 1)) || { echo "FAIL [truncated -w] lost packets"; failed=$((failed + 1)); }

# Corrupt bytes inside a pcapng block: a clear error, never a crash.
# The 6th block's total length is made absurd (pcapng blocks: type u32, length u32, ...).
python3 - "$fixtures/tcp.pcapng" "$out/corrupt.pcapng" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
off = 0
for _ in range(5):
    off += struct.unpack_from("<I", data, off + 4)[0]
struct.pack_into("<I", data, off + 4, 0x7fffff00)
open(sys.argv[2], "wb").write(data)
PY
expect "corrupt pcapng" 2 'corrupt.pcapng' -- -r "$out/corrupt.pcapng"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
