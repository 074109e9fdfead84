#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pods and --ebpf-filter. The test builds two "pods" from tests/fixtures/k8s/pods.json:
# kubelet-style cgroups (systemd driver for webserver-abc123, cgroupfs driver for
# client-xyz) with a container cgroup inside each. In namespace A, the webserver pod serves
# HTTP and the client pod runs curl and dig; a curl outside any pod and a curl from
# namespace B add traffic that belongs to no pod (the outside one runs as nobody) (B also has the HTTP server and dnsmasq).
# Three helpers capture A's veth at once: everything, `k8s.pod == webserver-abc123`, and
# `k8s.pod == "client-xyz" or proc.name == curl`. The second takes the pod names from an
# API server in its in-cluster mode (a local HTTPS stand-in answering /api/v1/pods with a
# token and a CA of the test's own), the others from the file. Each filtered file must hold exactly the
# packets of the full one that the same display filter selects afterwards; the full one
# names the right pod, namespace and container on every packet a pod owns.
# Usage: ebpf_filter.sh STRATOSHARK-HELPER STRATOSHARK PODS.JSON OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
pods=$3
out=$4
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
cg=$(awk '$9 == "cgroup2" && $4 == "/" {print $5; exit}' FS=' ' /proc/self/mountinfo)
[ -n "$cg" ] || { echo "SKIP: no cgroup v2 mount"; exit 77; }
read -r web_uid web_cid client_uid client_cid < <(python3 - "$pods" <<'PY'
import json, sys
items = {p["metadata"]["name"]: p for p in json.load(open(sys.argv[1]))["items"]}
cid = lambda p: p["status"]["containerStatuses"][0]["containerID"].split("//")[1]
w, c = items["webserver-abc123"], items["client-xyz"]
print(w["metadata"]["uid"], cid(w), c["metadata"]["uid"], cid(c))
PY
)
web_pod="$cg/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${web_uid//-/_}.slice"
web_cg="$web_pod/cri-containerd-$web_cid.scope"
client_pod="$cg/kubepods/besteffort/pod$client_uid"
client_cg="$client_pod/$client_cid"
mkdir -p "$web_cg" "$client_cg"
pids=
lab_extra_cleanup='kill $pids $(cat "$web_cg/cgroup.procs" "$client_cg/cgroup.procs" 2>/dev/null) 2>/dev/null; sleep 0.5; for d in "$web_cg" "$web_pod" "$cg/kubepods.slice/kubepods-besteffort.slice" "$cg/kubepods.slice" "$client_cg" "$client_pod" "$cg/kubepods/besteffort" "$cg/kubepods"; do rmdir "$d" 2>/dev/null; done'
lab_up ssk 203 "$out/www"
a=/run/netns/$lab_a
# run_in CGROUP NETNS CMD…: run a command in a cgroup and a namespace (nsenter keeps the
# cgroup mounts visible; `ip netns exec` would hide them).
run_in() { local cgroup=$1 ns=$2; shift 2; sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cgroup" nsenter --net="$ns" "$@"; }
ip netns exec "$lab_b" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
    --listen-address=10.203.0.2 --address=/web.test/10.203.0.1 --pid-file= 2>/dev/null &
pids="$pids $!"
mkdir -p "$out/webroot"; echo "hello from the webserver pod" > "$out/webroot/index.html"
capture() { # NAME [ARGS…]
    local name=$1; shift
    nsenter --net="$a" "$helper" capture -i sska --node-name node-1 --duration 5 "$@" -w "$out/$name.pcapng" 2>"$out/$name.log" &
    helpers="$helpers $!"
}
# The in-cluster setup: a service account folder (token, CA) and the API's address.
sa=$out/serviceaccount; mkdir -p "$sa"; echo "test-token-$$" > "$sa/token"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$sa/key.pem" -out "$sa/ca.crt" 2>/dev/null
nsenter --net="$a" python3 "$(dirname "$0")/kube_api_stand_in.py" 6443 "$sa/ca.crt" "$sa/key.pem" "test-token-$$" "$pods" \
    >"$out/api.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do grep -q listening "$out/api.log" && break; sleep 0.1; done
helpers=
capture all --k8s-metadata "$pods"
KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=6443 NODE_NAME=node-1 STRATOSHARK_SERVICEACCOUNT_DIR=$sa \
    capture web --k8s-metadata in-cluster --ebpf-filter 'k8s.pod == webserver-abc123'
capture client --k8s-metadata "$pods" --ebpf-filter 'k8s.pod == "client-xyz" or proc.name == curl'
sleep 1
# The webserver pod starts after the helpers: its listen() names the owner of the handshakes.
run_in "$web_cg" "$a" python3 -m http.server 8081 --bind 10.203.0.1 --directory "$out/webroot" >/dev/null 2>&1 &
pids="$pids $!"
sleep 0.8
for _ in 1 2; do
    ip netns exec "$lab_b" curl -s -o /dev/null --max-time 5 http://10.203.0.1:8081/index.html
    run_in "$client_cg" "$a" curl -s -o /dev/null --max-time 5 http://10.203.0.2:8080/index.html
    run_in "$client_cg" "$a" dig +short +tries=1 +time=2 @10.203.0.2 web.test >/dev/null
    run_in "$cg" "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
        curl -s -o /dev/null --max-time 5 http://10.203.0.2:8080/index.html
done
wait $helpers
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
view() { "$ours" -r "$1" -T fields -e frame.packet_flags_direction -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport \
             -e udp.srcport -e udp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e ip.id "${@:2}" 2>/dev/null | sort; }
count() { "$ours" -r "$out/all.pcapng" -Y "$1" 2>/dev/null | wc -l; }
check "webserver pod = all, filtered afterwards" "$(view "$out/web.pcapng" | md5sum)" \
      "$(view "$out/all.pcapng" -Y 'k8s.pod == "webserver-abc123"' | md5sum)"
check "client pod or curl = all, filtered afterwards" "$(view "$out/client.pcapng" | md5sum)" \
      "$(view "$out/all.pcapng" -Y 'k8s.pod == "client-xyz" or proc.name == "curl"' | md5sum)"
check "webserver packets: 2 connections, handshakes included" \
      "$(count 'k8s.pod == "webserver-abc123" && tcp.flags.syn == 1')" 4
check "client pod: HTTP and DNS" "$(count 'k8s.pod == "client-xyz" && (http.request || dns.flags.response == 0)')" 4
check "the outside curl has no pod" "$(count 'proc.name == "curl" && !k8s.pod && http.request')" 2
check "pod, namespace, container, labels" \
      "$("$ours" -r "$out/all.pcapng" -Y 'k8s.pod' -T fields -e k8s.pod -e k8s.ns -e container.id -e container.name \
         -e container.image -e k8s.pod.labels -e k8s.node 2>/dev/null | sort -u | tr '\t' ' ')" \
      "client-xyz tools $client_cid curl docker.io/curlimages/curl:8.5.0 app=client node-1
webserver-abc123 shop $web_cid web docker.io/library/python:3.11-slim app=webserver,pod-template-hash=abc123 node-1"
check "the outside curl's user, the pods' root" "$("$ours" -r "$out/all.pcapng" -Y 'http.request' -T fields -e proc.uid -e k8s.pod 2>/dev/null | sort | uniq -c | awk '{print $2 "/" $3 ":" $1}' | paste -sd' ')" \
      "0/client-xyz:2 0/webserver-abc123:2 65534/:2"
check "owned packets outside a pod: the outside curl's only" "$(count 'proc.cgroup_id && !k8s.pod && !(proc.name == "curl")')" 0
check "the in-cluster helper asked the API for its node's pods" "$(sed -n 1,2p "$out/api.log")" \
      "listening
GET /api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1"
check "helpers ran to the end" "$(cat "$out"/{all,web,client}.log | grep -c 'packets written')" 3
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
