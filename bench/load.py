#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic for the large benchmark capture, inside make-large-capture.sh's namespace:
DNS queries to dnsmasq (about 1.5 % of names contain "minexmr"), HTTP GETs (200 and 404)
to python's http.server, a TCP bulk transfer with a small MSS, and UDP datagrams."""
import http.client
import random
import socket
import struct
import sys
import threading

HOST = "127.0.0.1"
random.seed(7)


def dns_query(name, qid):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def dns_load(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    window = 32
    sent = 0
    while sent < count:
        batch = min(window, count - sent)
        for i in range(batch):
            n = sent + i
            name = ("pool%d.minexmr.com" % n) if n % 67 == 0 else ("host%d.svc.example.test" % n)
            s.sendto(dns_query(name, n & 0xFFFF), (HOST, 53))
        for _ in range(batch):
            try:
                s.recv(2048)
            except socket.timeout:
                break
        sent += batch


def http_load(count):
    for i in range(count):
        c = http.client.HTTPConnection(HOST, 8080, timeout=5)
        c.request("GET", "/api/users" if i % 10 else "/api/data")
        c.getresponse().read()
        c.close()


def bulk_tcp(total, flows=1, mss=536):
    """`flows` TCP transfers of `total` bytes each, one after the other, with a small MSS."""
    srv = socket.socket()
    srv.bind((HOST, 9100))
    srv.listen(flows)

    def sink():
        for _ in range(flows):
            conn, _ = srv.accept()
            while conn.recv(1 << 16):
                pass
            conn.close()

    t = threading.Thread(target=sink)
    t.start()
    chunk = b"B" * 65536
    for _ in range(flows):
        c = socket.socket()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
        c.connect((HOST, 9100))
        for _ in range(total // len(chunk)):
            c.sendall(chunk)
        c.close()
    t.join()
    srv.close()


def udp_load(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(count):
        s.sendto(b"metric %d" % i, (HOST, 9200))


if __name__ == "__main__":
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    bulk_tcp(int(150e6 * scale))
    udp_load(int(60000 * scale))
    http_load(int(3000 * scale))
    dns_load(int(250000 * scale))
