#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Drops are never silent: a tiny ring buffer (--ring-bytes 8192) under a burst of UDP
# packets must drop, and then every packet the kernel program saw is either in the file or
# counted as dropped — in the helper's summary and in the interface's Interface Statistics
# Block (isb_ifrecv, isb_ifdrop).
# Usage: drops.sh STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
helper=$1
out=$2
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
lab_up ssd 203 "$out/www"
lab_in_a "$helper" capture -i ssda --ring-bytes 8192 --duration 3 -w "$out/drops.pcapng" 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do grep -q capturing "$out/helper.log" && break; sleep 0.1; done
lab_in_a python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20000):
    s.sendto(b"x" * 200, ("10.203.0.2", 9999))
'
wait $helper_pid
cat "$out/helper.log"
read -r written seen dropped < <(sed -n 's/.*: \([0-9]*\) packets written, \([0-9]*\) seen by the kernel programs, \([0-9]*\) dropped/\1 \2 \3/p' "$out/helper.log")
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
check "the burst overflowed the ring" "$([ "${dropped:-0}" -gt 0 ] && echo yes)" yes
check "written + dropped = seen" "$((written + dropped))" "$seen"
isb=$(python3 - "$out/drops.pcapng" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off = 0
while off + 12 <= len(data):
    btype, blen = struct.unpack_from("<II", data, off)
    if btype == 5:  # Interface Statistics Block
        opt = off + 20
        vals = {}
        while opt + 4 <= off + blen - 4:
            code, olen = struct.unpack_from("<HH", data, opt)
            if code == 0:
                break
            if olen == 8:
                vals[code] = struct.unpack_from("<Q", data, opt + 4)[0]
            opt += 4 + ((olen + 3) & ~3)
        print(vals.get(4, -1), vals.get(5, -1))
    off += blen
PY
)
check "ISB received, dropped" "$isb" "$written $dropped"
check "the file holds what was written" "$(tshark -r "$out/drops.pcapng" 2>/dev/null | wc -l)" "$written"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
