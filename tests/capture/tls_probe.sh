#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The helper's TLS secret probes (capture-bpf/tls_secrets.bpf.c; root): uprobes on OpenSSL 3's
# libcrypto take the secrets of processes that never asked for a key log, and every line
# the processes' own key logs hold comes out of the probes, byte for byte:
#  1. Python's ssl, client and server in one process (tests/cli/tls_session.py), TLS 1.3
#     and 1.2; the probes' lines put into that session's capture let stock tshark decrypt it.
#  2. curl against `openssl s_server` on loopback (two processes), TLS 1.3 and 1.2, compared
#     with curl's own SSLKEYLOGFILE.
#  3. A Go program (crypto/tls linked in; go_tls_client.go built with Debian's Go) started
#     after the probes: its binary is attached when it execs, twice, each run's key log taken.
# Usage: tls_probe.sh TLS_PROBE STRATOSHARK OUTDIR
set -uo pipefail
probe=$1 ours=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
export TZ=UTC LC_ALL=C.UTF-8 HOME=$out
[ "$(id -u)" -eq 0 ] || { echo "needs root (uprobes)"; exit 77; }
failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done; wait 2> /dev/null; }
trap cleanup EXIT

# The Go client, built before the probes start (so only its exec can bring it in).
export GOCACHE=$out/../gocache GOPATH=$out/gopath CGO_ENABLED=0
go build -o "$out/go_tls_client" "$here/go_tls_client.go" 2> "$out/go-build.err" ||
    { fail "go build: $(cat "$out/go-build.err")"; exit 1; }
"$probe" 60 > "$out/probe.keys" 2> "$out/probe.err" &
probe_pid=$!
pids+=($probe_pid)
for _ in $(seq 100); do grep -q '^ready' "$out/probe.err" && break; sleep 0.1; done
grep -q '^ready' "$out/probe.err" || { fail "the probes did not attach: $(cat "$out/probe.err")"; exit 1; }
ok "probes attached ($(head -1 "$out/probe.err"))"

# 1. Python's ssl (Debian's python3 and its OpenSSL 3).
for v in 1.3 1.2; do
    /usr/bin/python3 "$here/../cli/tls_session.py" "$out" "py${v/./}" "$v" "/py-$v" || fail "python TLS $v session"
done

# 2. curl and openssl s_server, in two processes.
port=$((20000 + RANDOM % 20000))
openssl s_server -accept "127.0.0.1:$port" -cert "$out/server.crt" -key "$out/server.key" -www -quiet \
    > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.1; done
for v in 1.3 1.2; do
    SSLKEYLOGFILE="$out/curl${v/./}.keys" curl -sk --tlsv$v --tls-max $v "https://127.0.0.1:$port/" > /dev/null ||
        fail "curl TLS $v"
done
for run in 1 2; do
    "$out/go_tls_client" "https://127.0.0.1:$port/go-$run" "$out/go$run.keys" || fail "Go client, run $run"
done
sleep 0.5
kill "$probe_pid" 2> /dev/null
wait "$probe_pid" 2> /dev/null

for keys in py13 py12 curl13 curl12 go1 go2; do
    want=$(grep -v '^#' "$out/$keys.keys" | sort -u)
    missing=$(comm -23 <(echo "$want") <(sort -u "$out/probe.keys"))
    if [ -n "$want" ] && [ -z "$missing" ]; then
        ok "$keys: the probes took all $(echo "$want" | wc -l) secrets of its key log"
    else
        fail "$keys: $(echo "$missing" | grep -c .) secrets missing from the probes' lines"
        echo "$missing" | head -3
    fi
done

# The probes' own lines decrypt Python's TLS 1.3 session for stock tshark.
grep -F "$(grep -v '^#' "$out/py13.keys" | cut -d' ' -f2 | head -1)" "$out/probe.keys" | sort -u > "$out/py13-probe.keys"
"$ours" import --tls-keys "$out/py13-probe.keys" --into "$out/py13.pcap" -w "$out/py13-probe.pcapng" 2> /dev/null
uri=$(tshark -r "$out/py13-probe.pcapng" -Y http.request -T fields -e http.request.uri 2> /dev/null)
[ "$uri" = "/py-1.3" ] && ok "tshark decrypts with the probes' secrets" || fail "tshark with the probes' secrets: [$uri]"

echo "$failed failed"
[ $failed -eq 0 ]
