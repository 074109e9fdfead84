#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Remote capture over mutual TLS: three network namespaces this test creates, two nodes
# (a helper each, listening on its own address) and a laptop (the client, and an HTTP server
# the nodes' curls fetch from). Certificates from packaging/kubernetes/make-certs.sh, plus an
# expired one, a not-yet-valid one and one of another CA made here with openssl.
#  1. a merged two-node capture: both nodes' HTTP exchanges, attributed per node, in time
#     order, interfaces named node/iface, readable by stock tshark, the helpers' own TLS
#     streams not in it; --output - streams pcapng; STRATOSHARK_TLS_* in the environment;
#  2. each refusal (no certificate, another CA, expired, not yet valid, a name not allowed,
#     plain TCP, TLS 1.2, another protocol version): a clear message on the client, one log
#     line with the peer's address on the helper, the helper alive after all of them;
#  3. an --ebpf-filter naming a pod the node does not know: a warning, not silence;
#  4. `stratoshark -i` through a TLS helper prints what tshark prints of the saved file;
#  5. a node killed with SIGKILL mid-capture: the other node's packets all there, the file
#     readable and saying which node was lost, the exit status non-zero.
# Usage: remote_tls.sh STRATOSHARK STRATOSHARK-HELPER PODS.JSON OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 pods=$3 out=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-tls-XXXXXX); chmod 755 "$run"
na=ss-na-$$ nb=ss-nb-$$ nl=ss-nl-$$
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    for ns in "$na" "$nb" "$nl"; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$run"
}
trap cleanup EXIT

# node-a 10.210.1.1 — laptop 10.210.1.2 ; node-b 10.210.2.1 — laptop 10.210.2.2
for ns in "$na" "$nb" "$nl"; do
    ip netns add "$ns"; ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add sstaa type veth peer name sstla; ip link set sstaa netns "$na"; ip link set sstla netns "$nl"
ip link add sstbb type veth peer name sstlb; ip link set sstbb netns "$nb"; ip link set sstlb netns "$nl"
ip -n "$na" addr add 10.210.1.1/24 dev sstaa; ip -n "$nl" addr add 10.210.1.2/24 dev sstla
ip -n "$nb" addr add 10.210.2.1/24 dev sstbb; ip -n "$nl" addr add 10.210.2.2/24 dev sstlb
ip -n "$na" link set sstaa up; ip -n "$nb" link set sstbb up; ip -n "$nl" link set sstla up; ip -n "$nl" link set sstlb up
mkdir -p "$run/www"; echo "hello" > "$run/www/index.html"
ip netns exec "$nl" python3 -m http.server 8080 --directory "$run/www" >/dev/null 2>&1 &
pids+=($!)

# Certificates: the project's script, then the odd ones by hand.
certs=$run/certs
"$top/packaging/kubernetes/make-certs.sh" "$certs" --node node-a,10.210.1.1 --node node-b,10.210.2.1 \
    --client alice --client eve >/dev/null 2>&1 || { echo "make-certs.sh failed"; exit 1; }
"$top/packaging/kubernetes/make-certs.sh" "$run/other" --client mallory >/dev/null 2>&1
(cd "$certs" && touch index.txt && echo 1000 > serial && cat > ca.cnf <<'EOF'
[ca]
default_ca = test
[test]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
EOF
)
dated() { # NAME START END: a client certificate for "alice" valid only between the two
    openssl ecparam -name prime256v1 -genkey -noout -out "$certs/$1.key"
    openssl req -new -key "$certs/$1.key" -subj /CN=alice -addext subjectAltName=DNS:alice \
        -addext extendedKeyUsage=clientAuth -out "$certs/$1.csr" 2>/dev/null
    (cd "$certs" && openssl ca -batch -config ca.cnf -startdate "$2" -enddate "$3" -in "$1.csr" -out "$1.pem" -notext) >/dev/null 2>&1
}
dated expired 20200101000000Z 20210101000000Z
dated future 20400101000000Z 20410101000000Z

start_helper() { # NS NAME ADDR LOG [extra options]
    local ns=$1 name=$2 addr=$3 log=$4; shift 4
    ip netns exec "$ns" "$helper" --socket "$run/$name.sock" --group nogroup --listen "$addr:7443" \
        --tls-cert "$certs/node-$name.pem" --tls-key "$certs/node-$name.key" --client-ca "$certs/ca.pem" \
        --allow-client alice "$@" 2>"$log" &
    last_helper=$!
    pids+=($last_helper)
    for _ in $(seq 50); do [ -S "$run/$name.sock" ] && break; sleep 0.1; done
}
# node-a named by --node-name, node-b by NODE_NAME (as the DaemonSet's downward API sets it)
start_helper "$na" node-a 10.210.1.1 "$out/helper-a.log" --node-name node-a --k8s-metadata "$pods"
helper_a=$last_helper
NODE_NAME=node-b start_helper "$nb" node-b 10.210.2.1 "$out/helper-b.log" --k8s-metadata none
helper_b=$last_helper
sleep 0.5

passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
alice=(--tls-ca "$certs/ca.pem" --tls-cert "$certs/client-alice.pem" --tls-key "$certs/client-alice.key")
both=(--helper tls://10.210.1.1:7443 --helper tls://10.210.2.1:7443)
in_l() { ip netns exec "$nl" "$@"; }
gets() { # NS N: N GETs from that node
    for _ in $(seq "$2"); do ip netns exec "$1" curl -s -o /dev/null --max-time 5 "http://$3:8080/index.html"; done
}
count() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }
ourcount() { "$ours" -r "$1" -Y "$2" 2>/dev/null | wc -l; }

# 1. two nodes merged
in_l "$ours" capture "${both[@]}" "${alice[@]}" --duration 4s --output "$out/merged.pcapng" 2>"$out/merged.log" &
client=$!
sleep 1.5; gets "$na" 3 10.210.1.2; gets "$nb" 2 10.210.2.2
wait $client; rc=$?
check "merged capture exit" "$rc" 0
check "node-a's GETs by its curl" "$(ourcount "$out/merged.pcapng" 'proc.name == "curl" && k8s.node == "node-a" && http.request')" 3
check "node-b's GETs by its curl" "$(ourcount "$out/merged.pcapng" 'proc.name == "curl" && k8s.node == "node-b" && http.request')" 2
check "stock tshark reads it" "$(count "$out/merged.pcapng" 'http.request')" 5
check "in time order" "$(tshark -r "$out/merged.pcapng" -T fields -e frame.time_epoch 2>/dev/null | sort -c -g && echo yes)" yes
check "interfaces named node/iface" "$(tshark -r "$out/merged.pcapng" -T fields -e frame.interface_name 2>/dev/null | sort -u | tr '\n' ' ')" \
      "node-a/sstaa node-b/sstbb "
check "the helpers' own TLS streams are not in it" "$(count "$out/merged.pcapng" 'tcp.port == 7443')" 0
check "the file says so" "$(capinfos "$out/merged.pcapng" 2>/dev/null | grep -c 'Not captured: the helper.s own TLS stream')" 2
grep -q "node-a: duration: " "$out/merged.log" && grep -q "node-b: duration: " "$out/merged.log"; check "per-node summary" "$?" 0

# --output - streams pcapng while capturing; TLS files from the environment
in_l env STRATOSHARK_TLS_CA="$certs/ca.pem" STRATOSHARK_TLS_CERT="$certs/client-alice.pem" \
    STRATOSHARK_TLS_KEY="$certs/client-alice.key" "$ours" capture --helper tls://10.210.1.1:7443 --duration 3s \
    --output - 2>"$out/stdout.log" > "$out/stdout.pcapng" &
client=$!
sleep 1.2; gets "$na" 2 10.210.1.2
wait $client
check "--output - with STRATOSHARK_TLS_*" "$(count "$out/stdout.pcapng" 'http.request')" 2

# 2. refusals, one by one; each a clear message here and one log line there
refused() { # NAME EXPECT-CLIENT EXPECT-LOG client-args…
    local name=$1 expect=$2 log=$3; shift 3
    in_l "$ours" capture --helper tls://10.210.1.1:7443 --list-interfaces "$@" >"$out/$name.out" 2>"$out/$name.log"
    local rc=$?
    [ $rc -ne 0 ] && grep -q "$expect" "$out/$name.log" && ok=1 || ok=0
    check "refused: $name (client: $(head -c 300 "$out/$name.log"))" "$ok" 1
    check "refused: $name in the helper's log" "$(grep -c "10.210.1.2:[0-9]*.*$log" "$out/helper-a.log")" 1
}
refused no-certificate "the helper at 10.210.1.1:7443 refused the connection: no client certificate" \
    "no client certificate" --tls-ca "$certs/ca.pem"
refused other-ca "refused the certificate CN=mallory: not signed by the CA it trusts" "CN=mallory.*not signed" \
    --tls-ca "$certs/ca.pem" --tls-cert "$run/other/client-mallory.pem" --tls-key "$run/other/client-mallory.key"
refused expired "refused the certificate CN=alice: expired on 2021-01-01" "expired on" \
    --tls-ca "$certs/ca.pem" --tls-cert "$certs/expired.pem" --tls-key "$certs/expired.key"
refused not-yet-valid "refused the certificate CN=alice: not valid before 2040-01-01" "not valid before" \
    --tls-ca "$certs/ca.pem" --tls-cert "$certs/future.pem" --tls-key "$certs/future.key"
refused not-allowed "the helper at 10.210.1.1:7443 refused the certificate CN=eve: not in its allowed clients" \
    "CN=eve.*not in its allowed clients" --tls-ca "$certs/ca.pem" --tls-cert "$certs/client-eve.pem" \
    --tls-key "$certs/client-eve.key"
# plain TCP on the TLS port: a Hello in the clear gets the connection closed
in_l python3 - > "$out/plain.out" 2>&1 <<'PY'
import socket, struct
s = socket.create_connection(("10.210.1.1", 7443), timeout=5)
s.sendall(struct.pack("<I", 4) + b"\x0a\x02\x08\x02")
try:
    print("answer bytes:", len(s.recv(4096)))
except ConnectionResetError:  # closed with our bytes unread
    print("answer bytes: 0")
PY
check "plain TCP: nothing answered" "$(cat "$out/plain.out")" "answer bytes: 0"
check "plain TCP in the helper's log" "$(grep -c '10.210.1.2:[0-9]*: refused: not TLS (plain TCP on the TLS port)' "$out/helper-a.log")" 1
in_l openssl s_client -tls1_2 -connect 10.210.1.1:7443 -CAfile "$certs/ca.pem" -cert "$certs/client-alice.pem" \
    -key "$certs/client-alice.key" </dev/null >"$out/tls12.out" 2>&1
check "TLS 1.2 refused by the handshake" "$(grep -c -i 'alert protocol version\|unsupported protocol\|wrong version' "$out/tls12.out")" 1
check "TLS 1.2 in the helper's log" "$(grep -c '10.210.1.2:[0-9]*: refused: TLS handshake failed: unsupported protocol' "$out/helper-a.log")" 1
# another protocol version (over the node's Unix socket: same path after the transport)
python3 - "$run/node-a.sock" > "$out/version.out" 2>&1 <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(struct.pack("<I", 4) + b"\x0a\x02\x08\x01")  # Request{hello: Hello{protocol_version: 1}}
data = s.recv(4096)
print(data[4:].decode("utf-8", "replace"))
PY
check "version 1 client told" "$(grep -c 'the client speaks protocol version 1, the helper 2' "$out/version.out")" 1
check "helper alive after every refusal" "$(kill -0 $helper_a 2>/dev/null && echo yes)" yes
in_l "$ours" capture --helper tls://10.210.1.1:7443 "${alice[@]}" --list-interfaces >"$out/after.out" 2>&1
check "helper usable after every refusal" "$(grep -c sstaa "$out/after.out")" 1

# The client checks the helper too: its certificate must name the address (or
# --tls-server-name, one certificate for a DaemonSet's nodes) and come from --tls-ca.
in_l "$ours" capture --helper tls://10.210.1.1:7443 "${alice[@]}" --tls-server-name node-a --list-interfaces \
    >/dev/null 2>"$out/server-name.log"
check "--tls-server-name the certificate carries" "$?" 0
in_l "$ours" capture --helper tls://10.210.1.1:7443 "${alice[@]}" --tls-server-name node-b --list-interfaces \
    >/dev/null 2>"$out/server-name-wrong.log"
check "a helper whose certificate names another node" "$? $(grep -c "the helper's certificate does not name node-b" "$out/server-name-wrong.log")" "2 1"
in_l "$ours" capture --helper tls://10.210.1.1:7443 --tls-ca "$run/other/ca.pem" --tls-cert "$certs/client-alice.pem" \
    --tls-key "$certs/client-alice.key" --list-interfaces >/dev/null 2>"$out/server-ca.log"
check "a helper signed by a CA the client does not trust" "$? $(grep -c "the helper's certificate is not signed by the CA it trusts" "$out/server-ca.log")" "2 1"

# 3. a pod the node does not know: said, not a silent empty capture
in_l "$ours" capture --helper tls://10.210.1.1:7443 "${alice[@]}" --ebpf-filter 'k8s.pod == nosuch-pod' \
    --duration 1s --output "$out/unknown.pcapng" 2>"$out/unknown.log"
check "unknown pod warned" "$(grep -c 'warning from node-a: k8s.pod == nosuch-pod: no such pod on this node (it knows .*tools/client-xyz' "$out/unknown.log")" 1
in_l "$ours" capture --helper tls://10.210.1.1:7443 "${alice[@]}" --ebpf-filter 'k8s.pod == tools/client-xyz' \
    --duration 1s --output "$out/known.pcapng" 2>"$out/known.log"
check "namespace/name accepted, no warning" "$? $(grep -c warning "$out/known.log")" "0 0"

# 4. tshark's live options through a TLS helper: what is printed is what tshark reads from the file
in_l "$ours" --helper tls://10.210.1.1:7443 "${alice[@]}" -i sstaa -f "tcp port 8080" -a duration:3 -P \
    -w "$out/live.pcapng" > "$out/live.txt" 2>"$out/live.log" &
client=$!
sleep 1.2; gets "$na" 2 10.210.1.2
wait $client
check "live -i -P output equals tshark -r" "$(tshark -r "$out/live.pcapng" 2>/dev/null | diff - "$out/live.txt" >/dev/null && wc -l < "$out/live.txt")" \
      "$(tshark -r "$out/live.pcapng" 2>/dev/null | wc -l)"
check "live capture printed the exchanges" "$(grep -c 'GET /index.html' "$out/live.txt")" 2
check "tshark's closing line" "$(grep -c '^[0-9]* packets captured$' "$out/live.log")" 1

# 5. node-b killed mid-capture: node-a's packets all there, the loss written down
in_l "$ours" capture "${both[@]}" "${alice[@]}" --duration 5s --output "$out/lost.pcapng" 2>"$out/lost.log" &
client=$!
sleep 1.2; gets "$na" 1 10.210.1.2; gets "$nb" 1 10.210.2.2
kill -9 "$helper_b"; sleep 0.5
gets "$na" 2 10.210.1.2
wait $client; rc=$?
[ $rc -ne 0 ] && ok=1 || ok=0
check "exit status says a node was lost (got $rc)" "$ok" 1
check "the client said which" "$(grep -c 'lost node-b' "$out/lost.log")" 1
check "file readable by tshark" "$(tshark -r "$out/lost.pcapng" -q >/dev/null 2>&1 && echo yes)" yes
check "all of node-a's GETs" "$(ourcount "$out/lost.pcapng" 'k8s.node == "node-a" && http.request')" 3
comments=$(python3 "$top/tests/capture/pcapng_comments.py" "$out/lost.pcapng")
check "a statistics block for each of node-b's interfaces says it was lost" \
      "$(grep -c '^ISB [0-9]*: node node-b lost at .*: the connection' <<< "$comments")" "$(grep -c '^IDB [0-9]*: Node: node-b' <<< "$comments")"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
