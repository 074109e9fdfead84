#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark capture --tls-secrets` through the helper (issue 15; root). A veth lab: B runs
# Debian's nginx (OpenSSL 3) serving HTTPS, TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2; in A, curl
# (TLS 1.3 over HTTP/2, TLS 1.2 over HTTP/1.1), Python's urllib (TLS 1.3, HTTP/1.1) and a Go
# program (crypto/tls, HTTP/2; go_tls_client.go) fetch from it, each writing its own key log
# to compare with; the helper serves on a Unix socket with its least privileges.
#  1. `--tls-secrets --ebpf-filter 'proc.name == "curl"'`: the file holds Decryption Secrets
#     Blocks with every secret of curl's key logs and none of Python's, before the packets;
#     stock tshark, with no key file, shows curl's request URIs.
#  2. `--tls-secrets=all`: Python's and Go's secrets too, their requests decrypted.
#  3. `--tls-secrets` without --ebpf-filter is refused (BAD_REQUEST, field tls_secrets); a
#     capture without the option holds no secrets; the helper's log says who asked for
#     secrets and holds none of them.
#  4. Processes started after the capture with a libcrypto of their own, as a container's:
#     Python in a mount namespace whose system libcrypto.so.3 is another file, fetching at
#     once (found at the exec, through /proc/PID/root: its handshake comes before the first
#     look at its maps could see the library), and Python loading a copy from elsewhere
#     (LD_LIBRARY_PATH; found in its maps after the start) — both decrypted.
# Usage: tls_secrets.sh STRATOSHARK-HELPER STRATOSHARK OUTDIR
set -uo pipefail
helper=$1 ours=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
run=$(mktemp -d /tmp/ss-tls-XXXXXX)
chmod 755 "$run"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
helper_pid= server_pid=
export GOCACHE=$out/../gocache GOPATH=$out/gopath CGO_ENABLED=0
go build -o "$out/go_tls_client" "$(dirname "$0")/go_tls_client.go" 2> "$out/go-build.err" ||
    { echo "FAIL: go build: $(cat "$out/go-build.err")"; exit 1; }
lab_extra_cleanup='kill $helper_pid $server_pid 2>/dev/null; rm -rf "$run"'
lab_up sst 207 "$run/www"
export HOME=$out TZ=UTC
umask 022 # what a user's shell has: only files with secrets are kept from others
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=lab.test \
    -keyout "$out/server.key" -out "$out/server.crt" 2> /dev/null
mkdir -p "$run/nginx"
cat > "$run/nginx/nginx.conf" <<CONF
user root;
daemon off;
master_process off;
worker_processes 1;
pid $run/nginx/nginx.pid;
error_log $out/nginx-error.log;
events {}
http {
    access_log off;
    client_body_temp_path $run/nginx/body;
    proxy_temp_path $run/nginx/proxy;
    fastcgi_temp_path $run/nginx/fastcgi;
    uwsgi_temp_path $run/nginx/uwsgi;
    scgi_temp_path $run/nginx/scgi;
    server {
        listen $lab_server:8443 ssl http2;
        ssl_certificate $out/server.crt;
        ssl_certificate_key $out/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { return 200 "hello over TLS\n"; }
    }
}
CONF
ip netns exec "$lab_b" nginx -e "$out/nginx-error.log" -c "$run/nginx/nginx.conf" > /dev/null 2>&1 &
server_pid=$!
lab_wait_listen "$lab_b" 8443 || { cat "$out/nginx-error.log"; exit 1; }
ip netns exec "$lab_a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none 2> "$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
started() { grep -c ': capture on ' "$out/helper.log"; }
wait_started() { # SEEN
    for _ in $(seq 150); do [ "$(started)" -gt "$1" ] && break; sleep 0.1; done
    sleep 0.5
}
# Fetches from A: curl over TLS 1.3 and 1.2, Python over TLS 1.3; each its own key log.
traffic() { # TAG
    SSLKEYLOGFILE="$out/$1-curl13.keys" lab_in_a curl -sk --http2 --tlsv1.3 --max-time 5 \
        "https://$lab_server:8443/curl-1.3" > /dev/null || fail "$1: curl TLS 1.3"
    SSLKEYLOGFILE="$out/$1-curl12.keys" lab_in_a curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 --max-time 5 \
        "https://$lab_server:8443/curl-1.2" > /dev/null || fail "$1: curl TLS 1.2"
    SSLKEYLOGFILE="$out/$1-py.keys" lab_in_a /usr/bin/python3 -c "import ssl, urllib.request
urllib.request.urlopen('https://$lab_server:8443/python', context=ssl._create_unverified_context(), timeout=5).read()" ||
        fail "$1: python"
    lab_in_a "$out/go_tls_client" "https://$lab_server:8443/go" "$out/$1-go.keys" || fail "$1: go"
}
capture() { # TAG ARGS...: a capture of A's veth while traffic() runs
    local tag=$1 seen
    shift
    seen=$(started)
    "$ours" capture --helper "unix:$sock" -i ssta --duration 4s "$@" --output "$out/$tag.pcapng" 2> "$out/$tag.log" &
    local client=$!
    wait_started "$seen"
    traffic "$tag"
    wait $client || fail "$tag: capture exit $?: $(cat "$out/$tag.log")"
    "$ours" -r "$out/$tag.pcapng" -q --export-tls-keys "$out/$tag-file.keys" 2> /dev/null
}
lines() { grep -hv '^#' "$@" | sort -u; }
# The request paths stock tshark decrypts: HTTP/1.1 request URIs and HTTP/2 :path headers.
uris() {
    tshark -r "$1" -Y 'http.request || http2.headers.path' -T fields -e http.request.uri -e http2.headers.path \
        2> /dev/null | tr '\t' '\n' | grep . | sort | paste -sd' '
}

# 1. curl's secrets only.
capture curl --tls-secrets --ebpf-filter 'proc.name == "curl"'
missing=$(comm -23 <(lines "$out"/curl-curl13.keys "$out"/curl-curl12.keys) <(lines "$out/curl-file.keys"))
[ -z "$missing" ] && [ -s "$out/curl-file.keys" ] && ok "curl: every secret of curl's key logs in the file" ||
    fail "curl: $(echo "$missing" | grep -c .) of curl's secrets missing"
leaked=$(comm -12 <(lines "$out/curl-py.keys" "$out/curl-go.keys") <(lines "$out/curl-file.keys"))
[ -z "$leaked" ] && ok "curl: none of Python's or Go's secrets" || fail "curl: Python's or Go's secrets in the file"
[ "$(uris "$out/curl.pcapng")" = "/curl-1.2 /curl-1.3" ] && ok "curl: stock tshark decrypts curl's requests" ||
    fail "curl: tshark shows [$(uris "$out/curl.pcapng")]"
first=$(python3 - "$out/curl.pcapng" <<'PY'
import struct, sys
data, at = open(sys.argv[1], "rb").read(), 0
while at < len(data):
    kind, length = struct.unpack_from("<II", data, at)
    if kind in (6, 10):
        print("secrets" if kind == 10 else "packet")
        break
    at += length
PY
)
[ "$first" = secrets ] && ok "curl: the secrets come before the first packet" || fail "curl: first block is a $first"
[ "$(stat -c %a "$out/curl.pcapng")" = 640 ] && ok "curl: a file with secrets is not readable by others (0640)" ||
    fail "curl: file mode $(stat -c %a "$out/curl.pcapng")"

# 2. Every process's secrets.
capture all --tls-secrets=all
missing=$(comm -23 <(lines "$out"/all-curl13.keys "$out"/all-curl12.keys "$out/all-py.keys" "$out/all-go.keys") \
    <(lines "$out/all-file.keys"))
[ -z "$missing" ] && ok "all: curl's, Python's and Go's secrets" || fail "all: $(echo "$missing" | grep -c .) secrets missing"
[ "$(uris "$out/all.pcapng")" = "/curl-1.2 /curl-1.3 /go /python" ] && ok "all: tshark decrypts every request" ||
    fail "all: tshark shows [$(uris "$out/all.pcapng")]"
[ -n "$(tshark -r "$out/all.pcapng" -Y http2.headers.path 2> /dev/null)" ] && ok "all: curl spoke HTTP/2 over TLS 1.3" ||
    fail "all: no HTTP/2 request"
ours_lines=$("$ours" -r "$out/all.pcapng" -Y 'http || http2' 2> /dev/null)
[ -n "$ours_lines" ] && [ "$ours_lines" = "$(tshark -r "$out/all.pcapng" -Y 'http || http2' 2> /dev/null)" ] &&
    ok "all: our engine decrypts as tshark does" || fail "all: ours differs from tshark on the decrypted file"

# 3. Refusals, the default, the log.
"$ours" capture --helper "unix:$sock" -i ssta --duration 1s --tls-secrets --output "$out/refused.pcapng" \
    2> "$out/refused.log"
rc=$?
[ $rc -ne 0 ] && grep -q -- "--tls-secrets=all" "$out/refused.log" && ok "--tls-secrets without --ebpf-filter refused" ||
    fail "no filter: exit $rc: $(cat "$out/refused.log")"
capture plain
grep -q . "$out/plain-file.keys" && fail "plain: secrets without --tls-secrets" || ok "plain: no secrets by default"
[ -z "$(uris "$out/plain.pcapng")" ] && ok "plain: nothing decrypted" || fail "plain: [$(uris "$out/plain.pcapng")]"
grep -q "TLS secrets of the processes selected" "$out/helper.log" && grep -q "TLS secrets of every process" "$out/helper.log" &&
    ok "the helper's log says who asked for secrets" || fail "helper log: $(grep 'capture on' "$out/helper.log")"
secret=$(head -1 "$out/curl-file.keys" | cut -d' ' -f3)
[ -n "$secret" ] && ! grep -q "$secret" "$out/helper.log" && ok "no secret in the helper's log" ||
    fail "a secret in the helper's log"

# 4. Libraries of processes that start during the capture.
system_lib=$(ldconfig -p | awk '$1 == "libcrypto.so.3" && /x86-64/ { print $NF; exit }')
mkdir -p "$run/own" "$run/elsewhere"
cp "$system_lib" "$run/own/libcrypto.so.3"
cp "$system_lib" "$run/elsewhere/libcrypto.so.3"
seen=$(started)
"$ours" capture --helper "unix:$sock" -i ssta --duration 5s --tls-secrets \
    --ebpf-filter 'proc.name == "python3"' --output "$out/late.pcapng" 2> "$out/late.log" &
client=$!
wait_started "$seen"
SSLKEYLOGFILE="$out/late-own.keys" lab_in_a unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
    "$run/own/libcrypto.so.3" "$system_lib" /usr/bin/python3 -c "import ssl, urllib.request
urllib.request.urlopen('https://$lab_server:8443/container-python', context=ssl._create_unverified_context(), timeout=5).read()" \
    > /dev/null 2> "$out/late-own.err" || fail "late: python in its mount namespace: $(cat "$out/late-own.err")"
SSLKEYLOGFILE="$out/late-py.keys" LD_LIBRARY_PATH="$run/elsewhere" lab_in_a /usr/bin/python3 -c "import ssl, time, urllib.request
time.sleep(1.5)
urllib.request.urlopen('https://$lab_server:8443/late-python', context=ssl._create_unverified_context(), timeout=5).read()
print(open('/proc/self/maps').read())" > "$out/late-py.maps" || fail "late: python"
grep -q "$run/elsewhere/libcrypto.so.3" "$out/late-py.maps" || fail "late: python did not load the copy"
wait $client || fail "late: capture exit $?: $(cat "$out/late.log")"
"$ours" -r "$out/late.pcapng" -q --export-tls-keys "$out/late-file.keys" 2> /dev/null
missing=$(comm -23 <(lines "$out/late-own.keys" "$out/late-py.keys") <(lines "$out/late-file.keys"))
[ -z "$missing" ] && [ -s "$out/late-own.keys" ] && ok "late: the secrets of processes with their own libcrypto" ||
    fail "late: $(echo "$missing" | grep -c .) of their secrets missing"
[ "$(uris "$out/late.pcapng")" = "/container-python /late-python" ] && ok "late: tshark decrypts their requests" ||
    fail "late: tshark shows [$(uris "$out/late.pcapng")]"

echo "$failed failed"
[ $failed -eq 0 ]
