#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The node's live sources, with stand-in servers: Tetragon's and Hubble's gRPC servers
# (tests/tools/source_stand_in, from the same public protos) replaying fixtures, and Falco's
# http_output / falcosidekick POSTs sent with curl. The helper runs in namespace A of a veth
# lab. Asserted with display filters on the captures:
#   - every source's events are records, in time order with the packets;
#   - a Hubble flow that describes a captured packet is that packet's eBPF Cilium Metadata
#     (`tcp && cilium.verdict == "FORWARDED"`), one that describes none stays a record;
#   - --ebpf-filter keeps the records of the pod it names and drops another pod's;
#   - Falco without `time`: stamped on arrival, and the record says so;
#   - the Tetragon stand-in killed and started again: the helper reconnects (counted);
#   - garbage from a server and from a Falco POST: counted, the helper lives;
#   - Hubble Relay's mutual TLS (a stand-in that demands a client certificate).
# Usage: live_sources.sh STRATOSHARK STRATOSHARK-HELPER SOURCE-STAND-IN FIXTURES OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 standin=$3 fixtures=$4 out=$5
here=$(dirname "$0")
rm -rf "$out"; mkdir -p "$out/spool"
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
# shellcheck source=checks.sh
. "$here/checks.sh"
pids=
lab_extra_cleanup='kill $pids 2>/dev/null'
lab_up ssl 206 "$out/www"
a=/run/netns/$lab_a
fresh() { python3 "$here/fresh_events.py" "$@"; }
count() { "$ours" -r "$1" -Y "$2" 2>/dev/null | wc -l; }

: > "$out/tetragon.jsonl"; : > "$out/hubble.jsonl"
start_standin() { # KIND
    "$standin" "$1" "unix:$out/$1.sock" "$out/$1.jsonl" >"$out/$1-stand-in.log" 2>&1 &
    eval "${1}_pid=$!"; pids="$pids $!"
    for _ in $(seq 50); do grep -q listening "$out/$1-stand-in.log" && return; sleep 0.1; done
    echo "FAIL: the $1 stand-in did not start"; exit 1
}
start_standin tetragon
start_standin hubble
nsenter --net="$a" "$helper" --socket "$out/helper.sock" --spool "$out/spool" --node-name node-1 \
    --k8s-metadata "$fixtures/k8s/pods.json" --falco-listen 127.0.0.1:2801 \
    --tetragon "unix:$out/tetragon.sock" --hubble "unix:$out/hubble.sock" -v >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 50); do [ -S "$out/helper.sock" ] && break; sleep 0.1; done
sleep 1
falco() { ip netns exec "$lab_a" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "$1" http://127.0.0.1:2801/; }
capture() { # NAME SECONDS [ARGS…]
    local name=$1 seconds=$2; shift 2
    "$ours" capture --helper "unix:$out/helper.sock" -i "$lab_if" --duration "$seconds" "$@" \
        --output "$out/$name.pcapng" 2>"$out/$name.log" &
    capture_pid=$!
    sleep 1
}

# 1. Everything, all sources at once.
capture all 6
ip netns exec "$lab_a" curl -s -o /dev/null --local-port 40123 "http://$lab_server:8080/index.html"
fresh hubble "$fixtures/hubble/basic-sample-10-flows.jsonl" src=10.206.0.1 sport=40123 dst="$lab_server" dport=8080 \
    pod=client-xyz ns=default >> "$out/hubble.jsonl"
fresh hubble "$fixtures/hubble/cilium-docs-export-rst-dropped-flows.jsonl" src=10.206.0.1 sport=40999 dst=10.99.0.9 \
    dport=80 verdict=DROPPED >> "$out/hubble.jsonl"
fresh tetragon "$fixtures/tetragon/events.json" binary=/tmp/xmrig pod=client-xyz ns=default >> "$out/tetragon.jsonl"
check "Falco http_output alert accepted" 200 "$(falco "$(fresh falco "$fixtures/falco/critical-alert.json" pod=client-xyz ns=default)")"
check "falcosidekick payload accepted" 200 "$(falco "$(fresh falco "$fixtures/falco/falcosidekick-readme-payload.json" notime)")"
check "a POST that is no alert is refused" 400 "$(falco '{"not": "an alert"')"
check "a body nested too deep is refused" 400 "$(falco "$(python3 -c 'print("["*5000 + "]"*5000)')")"
wait $capture_pid
f=$out/all.pcapng
check "the flow is the Cilium metadata of one packet" 1 "$(count "$f" 'tcp.srcport == 40123 && cilium.verdict == "FORWARDED"')"
check "the flow is not also a record" 0 "$(count "$f" '!eth && cilium.verdict == "FORWARDED"')"
check "cilium.ip.dst is an address field" 1 "$(count "$f" 'tcp && cilium.ip.dst == 10.206.0.0/24')"
check "a DROPPED flow with no packet stays a record" 1 "$(count "$f" '!eth && cilium.verdict == "DROPPED"')"
check "the Tetragon event is a record" 1 "$(count "$f" 'tetragon.binary == "/tmp/xmrig"')"
check "the Falco alert is a record" 1 "$(count "$f" 'falco.rule contains "crypto miners"')"
check "falcosidekick's payload is a record" 1 "$(count "$f" 'falco.rule == "Write below binary dir"')"
check "an alert without time says it was stamped on arrival" 1 \
    "$(count "$f" 'falco.rule == "Write below binary dir" && falco.field contains "stratoshark.time=arrival"')"
check "the node's name on the records" 4 "$(count "$f" '!eth && k8s.node == "node-1"')"
times=$("$ours" -r "$f" -T fields -e frame.time_epoch 2>/dev/null)
check "records and packets in time order" "$(sort -n <<<"$times")" "$times"
grep -q "source falco 127.0.0.1:2801 (connected): 2 received, 0 dropped, 2 not understood" "$out/all.log"
check "Falco's counters in the capture's statistics" 0 $?

# 2. --ebpf-filter on records: the pod it names is kept, another pod's is not, what names no pod stays.
capture pod 4 --ebpf-filter 'k8s.pod == client-xyz'
falco "$(fresh falco "$fixtures/falco/critical-alert.json" pod=client-xyz ns=default rule=mine)" >/dev/null
falco "$(fresh falco "$fixtures/falco/critical-alert.json" pod=webserver-abc123 ns=default rule=theirs)" >/dev/null
fresh tetragon "$fixtures/tetragon/events.json" binary=/usr/bin/other pod=webserver-abc123 ns=default >> "$out/tetragon.jsonl"
wait $capture_pid
check "the named pod's alert is kept" 1 "$(count "$out/pod.pcapng" 'falco.rule == "mine"')"
check "another pod's alert is not" 0 "$(count "$out/pod.pcapng" 'falco.rule == "theirs" || tetragon.binary == "/usr/bin/other"')"

# 3. The Tetragon server goes away and comes back: the helper reconnects.
kill "$tetragon_pid"; wait "$tetragon_pid" 2>/dev/null
sleep 2
: > "$out/tetragon.jsonl"
start_standin tetragon
sleep 4 # the helper's backoff: 1 s, 2 s, …
capture back 4
fresh tetragon "$fixtures/tetragon/events.json" binary=/tmp/after-restart >> "$out/tetragon.jsonl"
wait $capture_pid
check "events after the server came back" 1 "$(count "$out/back.pcapng" 'tetragon.binary == "/tmp/after-restart"')"
reconnects=$(sed -n 's/.*source tetragon .*(connected): .* \([0-9]*\) reconnects/\1/p' "$out/back.log")
check_ge "the reconnect is counted" 1 "${reconnects:-0}"

# 4. Garbage from the server: a message without an event, then one gRPC cannot parse.
capture garbage 4
echo '{"stand_in": "empty"}' >> "$out/tetragon.jsonl"
echo '{"stand_in": "invalid-utf8"}' >> "$out/tetragon.jsonl"
wait $capture_pid
bad=$(sed -n 's/.*source tetragon .* \([0-9]*\) not understood.*/\1/p' "$out/garbage.log")
check_ge "garbage is counted" 2 "${bad:-0}"
kill -0 "$helper_pid" 2>/dev/null
check "the helper lives" 0 $?
capture after 2
wait $capture_pid
check "and still captures" 0 $?

# 5. Hubble Relay's mutual TLS: the stand-in requires a client certificate of its CA and
#    presents one for relay.hubble.test (not the address: --hubble-tls-server-name). A
#    second helper (Unix socket of its own) without a client certificate is refused,
#    and says so in its log.
certs=$out/certs
"$here/../../packaging/kubernetes/make-certs.sh" "$certs" --node relay.hubble.test --client stratoshark-node \
    >/dev/null 2>&1
fresh hubble "$fixtures/hubble/basic-sample-10-flows.jsonl" src=10.206.0.1 sport=40777 dst=10.206.0.2 dport=8443 \
    pod=relay-client ns=default > "$out/relay.jsonl"
ip netns exec "$lab_a" "$standin" hubble 127.0.0.1:4245 "$out/relay.jsonl" "$certs/ca.pem" \
    "$certs/node-relay.hubble.test.pem" "$certs/node-relay.hubble.test.key" >"$out/relay-stand-in.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do grep -q listening "$out/relay-stand-in.log" && break; sleep 0.1; done
relay_helper() { # NAME [TLS OPTIONS…]
    local name=$1; shift
    nsenter --net="$a" "$helper" --socket "$out/$name.sock" --node-name node-1 --k8s-metadata none \
        --hubble 127.0.0.1:4245 --hubble-tls-ca "$certs/ca.pem" "$@" -v >"$out/$name.log" 2>&1 &
    pids="$pids $!"
    for _ in $(seq 50); do [ -S "$out/$name.sock" ] && break; sleep 0.1; done
}
node_tls=(--tls-cert "$certs/node-relay.hubble.test.pem" --tls-key "$certs/node-relay.hubble.test.key")
relay_helper relay-ok --hubble-tls-cert "$certs/client-stratoshark-node.pem" \
    --hubble-tls-key "$certs/client-stratoshark-node.key" --hubble-tls-server-name relay.hubble.test \
    "${node_tls[@]}" --falco-listen 127.0.0.1:2804
relay_helper relay-nocert --hubble-tls-server-name relay.hubble.test "${node_tls[@]}" \
    --falco-listen http://127.0.0.1:2805
# Falco over HTTPS with the helper's certificate; http:// keeps it plain.
post() { ip netns exec "$lab_a" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "$(fresh falco "$fixtures/falco/critical-alert.json")" "$@"; }
check "Falco over HTTPS, the helper's certificate" 200 \
    "$(post --cacert "$certs/ca.pem" --resolve relay.hubble.test:2804:127.0.0.1 https://relay.hubble.test:2804/)"
check "plain HTTP on the HTTPS port is not taken" 000 "$(post http://127.0.0.1:2804/)"
check "--falco-listen http://… stays plain beside the certificates" 200 "$(post http://127.0.0.1:2805/)"
"$ours" capture --helper "unix:$out/relay-ok.sock" -i "$lab_if" --duration 3 --output "$out/relay.pcapng" \
    2>"$out/relay-capture.log" &
capture_pid=$!
sleep 1
echo "$(fresh hubble "$fixtures/hubble/basic-sample-10-flows.jsonl" src=10.206.0.1 sport=40778 dst=10.206.0.2 \
    dport=8443 pod=relay-client ns=default)" >> "$out/relay.jsonl"
wait $capture_pid
check "flows from Relay over mutual TLS" 1 "$(count "$out/relay.pcapng" 'cilium.port.src == 40778')"
grep -q "source hubble 127.0.0.1:4245 (connected)" "$out/relay-capture.log"
check "the Relay source connected" 0 $?
"$ours" capture --helper "unix:$out/relay-nocert.sock" -i "$lab_if" --duration 2 --output "$out/nocert.pcapng" \
    2>"$out/nocert-capture.log"
grep -q "source hubble 127.0.0.1:4245 (not connected): 0 received" "$out/nocert-capture.log"
check "without a client certificate Relay refuses: not connected, nothing received" 0 $?

checks_done "live sources"
