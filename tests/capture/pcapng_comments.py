#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prints every opt_comment of a little-endian pcapng file, one line each, with its block:
"SHB: …", "IDB 0: …", "EPB 12: …" (the packet's number), "ISB 1: …" (the interface)."""
import struct
import sys

FIXED = {0x0A0D0D0A: 16, 1: 8, 5: 12}
data = open(sys.argv[1], "rb").read()
at = packet = 0
interfaces = 0
while at + 12 <= len(data):
    kind, length = struct.unpack_from("<II", data, at)
    if length < 12 or at + length > len(data):
        break
    body = data[at + 8:at + length - 4]
    if kind == 6:
        packet += 1
        fixed = 20 + ((struct.unpack_from("<I", body, 12)[0] + 3) & ~3)
        label = f"EPB {packet}"
    elif kind in FIXED:
        fixed = FIXED[kind]
        label = {0x0A0D0D0A: "SHB", 1: f"IDB {interfaces}", 5: f"ISB {struct.unpack_from('<I', body, 0)[0] if body else 0}"}[kind]
        if kind == 1:
            interfaces += 1
    else:
        at += length
        continue
    o = fixed
    while o + 4 <= len(body):
        code, size = struct.unpack_from("<HH", body, o)
        if code == 0:
            break
        if code == 1:
            print(f"{label}: {body[o + 4:o + 4 + size].decode('utf-8', 'replace')}".replace("\n", " | "))
        o += 4 + ((size + 3) & ~3)
    at += length
