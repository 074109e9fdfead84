#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Traffic of known size for the metrics test, from one process (one owner):
#   pod_traffic.py udp HOST PORT RATE SECONDS   UDP datagrams at RATE a second; prints how many were sent
#   pod_traffic.py tcp HOST PORT RATE SECONDS   a TCP upload of RATE bytes a second, in 16 KiB writes
#   pod_traffic.py sink-udp HOST PORT           receives UDP and throws it away
#   pod_traffic.py sink-tcp HOST PORT           accepts TCP connections, reads and throws away
import socket
import sys
import threading
import time

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])

if mode == "sink-udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        s.recv(65536)

if mode == "sink-tcp":
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(8)

    def drain(c):
        while c.recv(1 << 20):
            pass
        c.close()

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=drain, args=(conn,), daemon=True).start()

rate, seconds = float(sys.argv[4]), float(sys.argv[5])
start = time.monotonic()
sent = 0
if mode == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, port))
    while (now := time.monotonic() - start) < seconds:
        due = int(now * rate) + 1
        while sent < due:
            s.send(b"x" * 100)
            sent += 1
        time.sleep(1 / rate)
    print(sent)
elif mode == "tcp":
    s = socket.create_connection((host, port))
    chunk = b"y" * 16384
    while (now := time.monotonic() - start) < seconds:
        while sent < now * rate:
            s.sendall(chunk)
            sent += len(chunk)
        time.sleep(0.005)
    s.shutdown(socket.SHUT_WR)
    s.close()
    print(sent)
