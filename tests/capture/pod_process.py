#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# What a compromised pod's process does in the trigger stories, as one process (so every
# packet and syscall has the same owner): optionally a failed mount(2), then a DNS query for
# NAME to SERVER (UDP, built here: the test's namespaces have no resolv.conf of their own),
# then — once GO_FILE exists (the test posts the alert first) — a TCP connection to the
# answer's address, an HTTP GET and the reply read.
#   pod_process.py SERVER NAME PORT GO_FILE [--mount TARGET] [--pid-file F]
import ctypes
import os
import random
import socket
import struct
import sys
import time

server, name, port, go_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
opts = dict(zip(sys.argv[5::2], sys.argv[6::2]))
if "--pid-file" in opts:
    with open(opts["--pid-file"], "w") as f:
        f.write(str(os.getpid()))

if "--mount" in opts:  # fails: the target does not exist
    libc = ctypes.CDLL(None, use_errno=True)
    rc = libc.mount(b"/etc", opts["--mount"].encode(), b"none", ctypes.c_ulong(4096), None)  # MS_BIND
    print("mount:", rc, os.strerror(ctypes.get_errno()), flush=True)
    time.sleep(0.3)

query_id = random.randrange(65536)
question = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
query = struct.pack(">HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.settimeout(3)
udp.sendto(query, (server, 53))
reply, _ = udp.recvfrom(512)
udp.close()
# The first answer's A record: after the header and the question echoed back.
at = 12 + len(question)
rtype, _, _, rdlength = struct.unpack(">HHIH", reply[at + 2:at + 12])
if rtype != 1 or rdlength != 4:
    sys.exit("no A record for " + name)
address = socket.inet_ntoa(reply[at + 12:at + 16])
print(name, "is", address, flush=True)

deadline = time.time() + 20
while not os.path.exists(go_file) and time.time() < deadline:
    time.sleep(0.05)
with socket.create_connection((address, port), timeout=5) as tcp:
    tcp.sendall(b"GET /index.html HTTP/1.0\r\nHost: " + name.encode() + b"\r\n\r\n")
    while tcp.recv(4096):
        pass
print("connected to", address, port, flush=True)
