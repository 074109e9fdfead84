#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic that looks like a node's, for make-large-capture.sh --mix node: thousands of
short flows over IPv4 and IPv6 where load.py has one bulk flow. Inside the lab's namespace:
  - HTTPS: TLS 1.2 and 1.3 handshakes (a server of its own, a certificate made by
    make-large-capture.sh), one GET each, over 127.0.0.1 and ::1;
  - HTTP/1.1 with keep-alive (20 requests a connection) and with `Connection: close`;
  - DNS over UDP (dnsmasq on 127.0.0.1 and ::1) and over TCP (a connection per query,
    two-byte length prefix, as a resolver retries a truncated answer);
  - a few bulk TCP transfers and UDP datagrams.
Usage: load_node.py CERT KEY [SCALE]   (SCALE 1: about 1 M packets)"""
import http.client
import http.server
import random
import socket
import ssl
import struct
import sys
import threading

from load import bulk_tcp, dns_query  # beside this file

random.seed(11)
V4, V6 = "127.0.0.1", "::1"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says close
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

    def do_GET(self):
        body = (b'{"items":[%d]}\n' % random.randrange(1000)) * (1 + len(self.path) % 5)
        self.send_response(200 if not self.path.endswith("missing") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server6(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_servers(cert, key):
    servers = [serve(http.server.ThreadingHTTPServer((V4, 8081), Handler)), serve(Server6((V6, 8081), Handler))]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    for server in (http.server.ThreadingHTTPServer((V4, 8443), Handler), Server6((V6, 8443), Handler)):
        server.socket = context.wrap_socket(server.socket, server_side=True)
        servers.append(serve(server))
    return servers


def https_load(count):
    contexts = []
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        c.check_hostname = False
        c.verify_mode = ssl.CERT_NONE
        c.minimum_version = c.maximum_version = version
        contexts.append(c)
    for i in range(count):
        host = V6 if i % 3 == 0 else V4
        conn = http.client.HTTPSConnection(host, 8443, timeout=5, context=contexts[i % 2])
        conn.request("GET", "/v1/orders/%d" % i, headers={"Connection": "close"})
        conn.getresponse().read()
        conn.close()


def http_load(connections, per_connection, close):
    for i in range(connections):
        host = V6 if i % 4 == 0 else V4
        conn = http.client.HTTPConnection(host, 8081, timeout=5)
        for j in range(per_connection):
            path = "/api/items/%d" % j if j % 9 else "/api/missing"
            conn.request("GET", path, headers={"Connection": "close"} if close else {})
            conn.getresponse().read()
            if close:
                conn.close()
                conn = http.client.HTTPConnection(host, 8081, timeout=5)
        conn.close()


def dns_name(n):
    return ("pool%d.minexmr.com" % n) if n % 67 == 0 else ("svc%d.ns%d.cluster.local" % (n % 500, n % 40))


def dns_udp(count):
    # A new socket (a new source port) for each query, as a pod's stub resolver does: each
    # lookup is its own UDP flow, which is what a node's capture holds (and what parallel
    # dissection by flow spreads over the workers).
    window, sent = 32, 0
    while sent < count:
        host = V6 if (sent // window) % 5 == 0 else V4
        family = socket.AF_INET6 if host == V6 else socket.AF_INET
        batch = min(window, count - sent)
        sockets = [socket.socket(family, socket.SOCK_DGRAM) for _ in range(batch)]
        for i, s in enumerate(sockets):
            s.settimeout(1.0)
            s.sendto(dns_query(dns_name(sent + i), (sent + i) & 0xFFFF), (host, 53))
        for s in sockets:
            try:
                s.recv(2048)
            except socket.timeout:
                pass
            s.close()
        sent += batch


def dns_tcp(count):
    for n in range(count):
        host = V6 if n % 5 == 0 else V4
        s = socket.create_connection((host, 53), timeout=5)
        query = dns_query(dns_name(n), n & 0xFFFF)
        s.sendall(struct.pack(">H", len(query)) + query)
        size = struct.unpack(">H", s.recv(2))[0]
        while size > 0:
            size -= len(s.recv(size))
        s.close()


def udp(count):
    s4, s6 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    for i in range(count):
        sock, host = (s6, V6) if i % 4 == 0 else (s4, V4)
        sock.sendto(b"metric %d" % i, (host, 9200 + i % 50))


if __name__ == "__main__":
    cert, key = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    start_servers(cert, key)
    n = lambda x: max(1, int(x * scale))
    https_load(n(6000))
    http_load(n(1500), 20, close=False)
    http_load(n(300), 20, close=True)
    dns_tcp(n(8000))
    dns_udp(n(250000))
    bulk_tcp(4 << 20, flows=n(8), mss=1200)
    udp(n(40000))
