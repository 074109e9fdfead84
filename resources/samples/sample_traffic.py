#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""TCP traffic for the bundled sample: a receiver that stalls (zero window) and a listener
whose accept queue is full (the kernel drops a SYN and the client retransmits it).
Runs inside the private network namespace that make-sample.sh creates; loopback only."""
import socket
import threading
import time

HOST = "127.0.0.1"


def zero_window(port=9000, payload=256 * 1024):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # tiny window
    srv.bind((HOST, port))
    srv.listen(1)

    def receiver():
        conn, _ = srv.accept()
        time.sleep(1.5)  # stall: the advertised window drops to zero
        got = 0
        while got < payload:
            chunk = conn.recv(65536)
            if not chunk:
                break
            got += len(chunk)
        conn.close()

    t = threading.Thread(target=receiver)
    t.start()
    cli = socket.create_connection((HOST, port))
    cli.sendall(b"stratoshark-sample " * (payload // 19) + b"x" * (payload % 19))
    cli.shutdown(socket.SHUT_WR)
    t.join()
    cli.close()
    srv.close()


def syn_retransmission(port=9001):
    srv = socket.socket()
    srv.bind((HOST, port))
    srv.listen(0)  # an accept queue of one
    first = socket.create_connection((HOST, port), timeout=5)  # fills the queue

    def drain():
        time.sleep(0.5)  # the late SYN has been dropped by now; make room before its retry
        conn, _ = srv.accept()
        conn.close()

    t = threading.Thread(target=drain)
    t.start()
    late = socket.create_connection((HOST, port), timeout=5)  # first SYN dropped, retransmitted at 1 s
    t.join()
    time.sleep(0.2)
    late.close()
    first.close()
    srv.close()


def udp_echo(port=9002):
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind((HOST, port))
    cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(3):
        cli.sendto(b"telemetry %d" % i, (HOST, port))
        data, addr = srv.recvfrom(2048)
        srv.sendto(data.upper(), addr)
        cli.recvfrom(2048)
    cli.close()
    srv.close()


if __name__ == "__main__":
    zero_window()
    syn_retransmission()
    udp_echo()
