#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# "Why was this request slow?" reproduced: in a veth lab this test creates, an API server
# (namespace A, captured by the helper, so its packets carry its process) answers
# /api/data only after sending a query to a database (namespace B) that stops reading its
# socket for 1.5 s, with a small receive buffer: the database advertises a zero window and
# the request takes > 1.5 s. `stratoshark latency` must name that zero window, on the API
# server's other connection, through the process attribution; /api/fast is not slow. Then
# the same connection idle for 1 s before a 1 MB response (slow start after idle), and a
# client writing headers and body apart (Nagle meets the server's delayed ACK), and a TLS
# server slow to answer the ClientHello.
# Usage: latency_lab.sh STRATOSHARK-HELPER STRATOSHARK OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
helper_pid= api_pid= db_pid= tls_pid=
lab_extra_cleanup='for p in $helper_pid $api_pid $db_pid $tls_pid; do kill "$p" 2>/dev/null; done'
lab_up sslt 203 "$out/www"
api=10.203.0.1 db=$lab_server
cat > "$out/db.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window fills fast
s.bind((sys.argv[1], 5432)); s.listen(1)
print("listening", flush=True)
conn, _ = s.accept()
time.sleep(1.5)                                          # the database stops reading
need = int(sys.argv[2]); got = 0
while got < need:
    data = conn.recv(65536)
    if not data:
        break
    got += len(data)
conn.sendall(b"ok %d\n" % got); conn.close()
PY
cat > "$out/api.py" <<'PY'
import http.server, os, socket, sys
DB, SIZE = sys.argv[2], int(sys.argv[3])
class Api(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"                        # keep-alive: several requests a connection
    def do_POST(self):                                   # echo
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        body = b'{"fast": true}\n'
        if self.path == "/api/big":
            body = b"x" * (1 << 20)
        if self.path == "/api/data":
            with socket.create_connection((DB, 5432)) as c:
                c.sendall(b"Q" * SIZE)                   # blocks while the database does not read
                body = b'{"rows": "' + c.recv(64).strip() + b'"}\n'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
print(os.getpid(), flush=True)
http.server.HTTPServer((sys.argv[1], 8080), Api).serve_forever()
PY
size=262144
ip netns exec "$lab_b" python3 "$out/db.py" "$db" "$size" > "$out/db.log" 2>&1 &
db_pid=$!
ip netns exec "$lab_a" python3 "$out/api.py" "$api" "$db" "$size" > "$out/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 50); do grep -q listening "$out/db.log" && [ -s "$out/api.log" ] && break; sleep 0.1; done
ip netns exec "$lab_a" "$helper" capture -i "$lab_if" -w "$out/lab.pcapng" 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do grep -q capturing "$out/helper.log" && break; sleep 0.1; done
ip netns exec "$lab_b" curl -s -o /dev/null --max-time 10 "http://$api:8080/api/fast"
ip netns exec "$lab_b" curl -s -o "$out/data.json" --max-time 10 "http://$api:8080/api/data"
# Slow start after idle: the same connection asks for 1 MB twice, idle for 1 s between.
# Nagle meets delayed ACK: a client that writes headers and body apart, on one connection.
cat > "$out/client.py" <<'PY'
import http.client, socket, sys, time
c = http.client.HTTPConnection(sys.argv[1], 8080)
for _ in range(2):
    c.request("GET", "/api/big"); c.getresponse().read(); time.sleep(1.0)
c.close()
s = socket.create_connection((sys.argv[1], 8080)); f = s.makefile("rb")
for i in range(6):
    body = b'{"n": %d}' % i
    s.send(b"POST /api/echo HTTP/1.1\r\nHost: api\r\nContent-Length: %d\r\n\r\n" % len(body))
    s.send(body)                                     # Nagle holds it until the headers are ACKed
    f.readline(); length = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""): break
        if line.lower().startswith(b"content-length"): length = int(line.split(b":")[1])
    f.read(length)
PY
ip netns exec "$lab_b" python3 "$out/client.py" "$api"
# A TLS handshake (SNI api.test) with a server that takes 300 ms to answer the ClientHello.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=api.test -addext subjectAltName=DNS:api.test \
    -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
cat > "$out/tls.py" <<'PY'
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[2], sys.argv[3])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], 8443)); s.listen(1)
print("listening", flush=True)
conn, _ = s.accept()
conn.recv(1, socket.MSG_PEEK)                        # the ClientHello is here,
time.sleep(0.3)                                      # and the answer is slow to come
t = ctx.wrap_socket(conn, server_side=True)
t.recv(4096); t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"); t.close()
PY
ip netns exec "$lab_a" python3 "$out/tls.py" "$api" "$out/tls.crt" "$out/tls.key" > "$out/tls.log" 2>&1 &
tls_pid=$!
for _ in $(seq 50); do grep -q listening "$out/tls.log" && break; sleep 0.1; done
ip netns exec "$lab_b" curl -sk -o /dev/null --max-time 10 --resolve "api.test:8443:$api" https://api.test:8443/
wait "$tls_pid"
sleep 0.5
kill -INT "$helper_pid"; wait "$helper_pid"; helper_pid=
api_process=$(head -1 "$out/api.log")

failed=0
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}
# Milliseconds from two sources agree to a microsecond: tshark's epoch seconds in awk's doubles
# lose a quarter of a microsecond, so the third decimal may round either way.
check_ms() { # NAME EXPECTED ACTUAL
    if [ -n "$2" ] && [ -n "$3" ] && awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; exit !(d <= 0.0015 && d >= -0.0015) }'
    then echo "ok: $1 ($3 ms)"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}
check "the database answered after reading everything" "{\"rows\": \"ok $size\"}" "$(cat "$out/data.json")"
check "tshark sees the database's zero window" 1 \
    "$(tshark -r "$out/lab.pcapng" -Y "tcp.analysis.zero_window && tcp.srcport == 5432" 2>/dev/null | head -1 | wc -l)"
"$ours" latency -r "$out/lab.pcapng" > "$out/latency.txt"; rc=$?
cat "$out/latency.txt"
check "exit 0" 0 "$rc"
check "one slow transaction: /api/data" "1 GET /api/data → 200" \
    "$(grep -c '^HTTP ' "$out/latency.txt") $(grep '^HTTP ' "$out/latency.txt" | cut -d' ' -f2-5)"
check "the cause: the database's zero window on the API server's own connection" 1 \
    "$(grep -c "cause: 1\.[0-9]* s zero window advertised by $db:5432 on $api:[0-9]* → $db:5432 (same process python3[.0-9]*\[$api_process\])" "$out/latency.txt")"
"$ours" latency -r "$out/lab.pcapng" --min 0 -T json > "$out/latency.json"
python3 - "$out/latency.json" "$api_process" <<'PY' > "$out/json-checks.txt"
import json, sys
doc, pid = json.load(open(sys.argv[1])), sys.argv[2]
slow = {t["what"]: t for t in doc["slow"] if t["kind"] == "HTTP"}
kinds = lambda t: [e["kind"] for c in t["connections"] for e in c["events"]]
big = sorted((t for t in doc["slow"] if t["what"] == "GET /api/big → 200"), key=lambda t: t["first_frame"])
print("idle restart on the second /api/big only", [("slow start after idle" in kinds(t)) for t in big])
echo = [t for t in doc["slow"] if t["what"] == "POST /api/echo → 200"]
stalled = [t for t in echo if any(e["kind"] == "delayed ack" and e["waited_ms"] >= 30
                                  for c in t["connections"] for e in c["events"])]
print("delayed-ACK stalls named", len(echo), len(stalled) >= len(echo) // 2)
tls = [t for t in doc["slow"] if t["kind"] == "TLS"]
print("tls", [t["what"] for t in tls], tls and tls[0]["server_ms"] >= 300 and tls[0]["total_ms"] >= tls[0]["server_ms"])
print("tls total", "%.6f" % tls[0]["total_ms"] if tls else None)
data, fast = slow["GET /api/data → 200"], slow["GET /api/fast → 200"]
zw = [e for c in data["connections"] for e in c["events"] if e["kind"] == "zero window"]
print("both requests", len([w for w in slow if "fast" in w or "data" in w]))
print("server process", data["server_process"].startswith("python3") and data["server_process"].endswith("[%s]" % pid))
print("zero window over 1.2 s", max(e["duration_ms"] for e in zw) > 1200)
print("server time holds it", data["server_ms"] > 1200 and data["total_ms"] >= data["server_ms"])
print("fast is fast", fast["total_ms"] < 500)
print("total", "%.6f" % data["total_ms"])
PY
cat "$out/json-checks.txt"
check "json: both requests with --min 0" "both requests 2" "$(grep '^both' "$out/json-checks.txt")"
check "json: the server's process" "server process True" "$(grep '^server process' "$out/json-checks.txt")"
check "json: zero window > 1.2 s" "zero window over 1.2 s True" "$(grep '^zero window' "$out/json-checks.txt")"
check "json: the server time holds it" "server time holds it True" "$(grep '^server time' "$out/json-checks.txt")"
check "json: /api/fast is fast" "fast is fast True" "$(grep '^fast' "$out/json-checks.txt")"
check "json: slow start after idle on the second /api/big" \
    "idle restart on the second /api/big only [False, True]" "$(grep '^idle restart' "$out/json-checks.txt")"
check "json: Nagle/delayed-ACK stalls on the split POSTs" "delayed-ACK stalls named 6 True" \
    "$(grep '^delayed-ACK' "$out/json-checks.txt")"
# The total is the request's first segment to the response's last: tshark's http.time when
# the request is one segment.
expected=$(tshark -r "$out/lab.pcapng" -Y 'http.response && http.response_for.uri contains "/api/data"' -T fields \
    -e http.time 2>/dev/null | awk '{printf "%.6f", $1 * 1000}')
check_ms "total = tshark's http.time" "$expected" "$(awk '/^total/ {print $2}' "$out/json-checks.txt")"
check "json: the TLS handshake, 300 ms to the ServerHello" "tls ['handshake with api.test'] True" \
    "$(grep '^tls \[' "$out/json-checks.txt")"
# Its total: ClientHello to the client's first application-data record (TLS 1.3: its
# encrypted Finished), from tshark's own fields.
expected=$(tshark -r "$out/lab.pcapng" -Y 'tcp.port == 8443 && (tls.handshake.type == 1 || ((tls.record.content_type == 23 || tls.record.opaque_type == 23) && tcp.dstport == 8443))' \
    -T fields -e frame.time_epoch 2>/dev/null | awk 'NR == 1 {a = $1} NR == 2 {printf "%.6f", ($1 - a) * 1000}')
check_ms "TLS total = tshark's ClientHello → first client data" "$expected" \
    "$(awk '/^tls total/ {print $3}' "$out/json-checks.txt")"
check "--min refuses what is not a duration" 1 "$("$ours" latency -r "$out/lab.pcapng" --min soon 2>/dev/null; echo $?)"
echo "$failed failed"
[ $failed -eq 0 ]
