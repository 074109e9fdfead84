#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes a real TLS session and the capture of it, with no network and no root: Python's ssl
# (OpenSSL 3) runs a client and a server in one process over memory BIOs, the client logs
# its secrets (SSLKEYLOGFILE format), and the bytes each side sent become the TCP segments
# of a pcap (handshake, one HTTP/1.1 request and response, FIN).
# Usage: tls_session.py OUTDIR NAME TLSVERSION(1.2|1.3) URI
# Writes OUTDIR/NAME.pcap and OUTDIR/NAME.keys (a certificate is made in OUTDIR once).
import os
import ssl
import struct
import subprocess
import sys

out, name, version, uri = sys.argv[1:5]
cert, key = os.path.join(out, "server.crt"), os.path.join(out, "server.key")
if not os.path.exists(cert):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=lab.test"],
                   check=True, capture_output=True)
keys = os.path.join(out, name + ".keys")
if os.path.exists(keys):
    os.remove(keys)
tls = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2

server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_ctx.load_cert_chain(cert, key)
client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client_ctx.check_hostname = False
client_ctx.verify_mode = ssl.CERT_NONE
for ctx in (server_ctx, client_ctx):
    ctx.minimum_version = ctx.maximum_version = tls
if tls == ssl.TLSVersion.TLSv1_2:  # an AEAD suite with ephemeral keys, as curl would pick
    client_ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
client_ctx.keylog_filename = keys

c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
client = client_ctx.wrap_bio(c_in, c_out, server_side=False, server_hostname="lab.test")
server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
segments = []  # (from client?, bytes), in the order they were sent


def pump():
    moved = False
    for src, dst, from_client in ((c_out, s_in, True), (s_out, c_in, False)):
        data = src.read()
        if data:
            segments.append((from_client, data))
            dst.write(data)
            moved = True
    return moved


def step(obj):
    try:
        obj.do_handshake()
        return True
    except ssl.SSLWantReadError:
        return False


done_c = done_s = False
for _ in range(20):
    done_c = done_c or step(client)
    pump()
    done_s = done_s or step(server)
    pump()
    if done_c and done_s:
        break
assert done_c and done_s, "handshake did not finish"

client.write(("GET %s HTTP/1.1\r\nHost: lab.test\r\nUser-Agent: tls-session\r\n\r\n" % uri).encode())
pump()
request = b""
while b"\r\n\r\n" not in request:
    request += server.read(4096)
body = b"inside TLS\n"
server.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
pump()
assert client.read(4096).startswith(b"HTTP/1.1 200 OK")
pump()

# The TCP connection carrying it: 10.1.0.1:40001 -> 10.1.0.2:443.
cli_ip, srv_ip, cli_port, srv_port = bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2]), 40001, 443
seq = {True: 1000, False: 5000}
frames = []


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp(from_client, flags, payload=b""):
    src, dst = (cli_ip, srv_ip) if from_client else (srv_ip, cli_ip)
    sport, dport = (cli_port, srv_port) if from_client else (srv_port, cli_port)
    ack = seq[not from_client] if flags & 0x10 else 0
    header = struct.pack("!HHIIBBHHH", sport, dport, seq[from_client], ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(header) + len(payload))
    header = header[:16] + struct.pack("!H", checksum(pseudo + header + payload)) + header[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(header) + len(payload), len(frames) + 1, 0x4000, 64, 6, 0,
                     src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    mac_c, mac_s = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
    eth = (mac_s + mac_c if from_client else mac_c + mac_s) + b"\x08\x00"
    frames.append(eth + ip + header + payload)
    seq[from_client] += len(payload) + (1 if flags & 0x03 else 0)


tcp(True, 0x02)
tcp(False, 0x12)
tcp(True, 0x10)
for from_client, data in segments:
    for at in range(0, len(data), 1400):
        tcp(from_client, 0x18, data[at:at + 1400])
    tcp(not from_client, 0x10)
tcp(True, 0x11)
tcp(False, 0x11)
tcp(True, 0x10)

with open(os.path.join(out, name + ".pcap"), "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for i, frame in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000, i * 1000, len(frame), len(frame)) + frame)
