#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# N TLS handshakes (and one small record each way) between an OpenSSL 3 client and server
# in this process, over memory BIOs: the work the helper's TLS probes add to (bench/tls-probe-overhead.sh).
# Usage: tls_handshakes.py CERT KEY N [1.2|1.3]
import ssl
import sys

cert, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
version = ssl.TLSVersion.TLSv1_2 if len(sys.argv) > 4 and sys.argv[4] == "1.2" else ssl.TLSVersion.TLSv1_3
server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_ctx.load_cert_chain(cert, key)
client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client_ctx.check_hostname = False
client_ctx.verify_mode = ssl.CERT_NONE
for ctx in (server_ctx, client_ctx):
    ctx.minimum_version = ctx.maximum_version = version


def step(obj):
    try:
        obj.do_handshake()
        return True
    except ssl.SSLWantReadError:
        return False


for _ in range(n):
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname="lab.test")
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    done_c = done_s = False
    while not (done_c and done_s):
        done_c = done_c or step(client)
        s_in.write(c_out.read())
        done_s = done_s or step(server)
        c_in.write(s_out.read())
    client.write(b"ping")
    s_in.write(c_out.read())
    assert server.read(4) == b"ping"
