#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The node's traffic in `stratoshark-helper --metrics`, counted in the kernel whether or not
# anybody captures, scraped by a real Prometheus (Debian's) with our alert rules loaded.
# Two "pods" (kubelet-style cgroups, names from a kubectl JSON file) in namespace A of a veth
# lab: web-1 sends UDP at a known rate, api-0 uploads over TCP to B, which loses 4 % of it.
# Checks:
#   - sum(rate(stratoshark_packets_total{pod="web-1"}[30s])) within 10 % of the rate sent;
#   - stratoshark_tcp_retransmissions_total{pod="api-0"} within 5 % of tshark's
#     tcp.analysis.retransmission count on a capture of the same interface in the same seconds;
#   - kernel drops by reason (skb:kfree_skb): the loss as NETFILTER_DROP, a pod's full receive
#     buffer under its pod, datagrams to a closed port as NO_SOCKET;
#   - SecurityThreatWithNetworkAnomaly fires for api-0 after a Critical Falco alert on it;
#   - a pod gone from the pod list leaves the metrics after --metrics-grace.
# Usage: traffic_metrics.sh STRATOSHARK STRATOSHARK-HELPER FIXTURES OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 fixtures=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rules=$here/../../resources/prometheus/stratoshark-rules.yml
rm -rf "$out"; mkdir -p "$out/spool"
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
# shellcheck source=checks.sh
. "$here/checks.sh"
# shellcheck source=prometheus_lab.sh
. "$here/prometheus_lab.sh"
cg=$(awk '$9 == "cgroup2" && $4 == "/" {print $5; exit}' FS=' ' /proc/self/mountinfo)
[ -n "$cg" ] || { echo "SKIP: no cgroup v2 mount"; exit 77; }
web_uid=5b0c11aa-0000-4000-8000-00000000e001 api_uid=5b0c11aa-0000-4000-8000-00000000a001
web_cid=$(printf 'e1%.0s' $(seq 32)) api_cid=$(printf 'a1%.0s' $(seq 32))
web_pod="$cg/kubepods/besteffort/pod$web_uid" web_cg="$web_pod/$web_cid"
api_pod="$cg/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${api_uid//-/_}.slice"
api_cg="$api_pod/cri-containerd-$api_cid.scope"
mkdir -p "$web_cg" "$api_cg"
pods_json() { # NAME:UID:CID… → kubectl get pods -A -o json
    /usr/bin/python3 - "$@" <<'PY'
import json, sys
items = []
for spec in sys.argv[1:]:
    name, uid, cid = spec.split(":")
    items.append({"kind": "Pod", "metadata": {"name": name, "namespace": "shop", "uid": uid},
                  "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "app:1"}]},
                  "status": {"containerStatuses": [{"name": "main", "image": "app:1",
                                                    "containerID": "containerd://" + cid}]}})
print(json.dumps({"kind": "List", "items": items}))
PY
}
pods_json "web-1:$web_uid:$web_cid" "api-0:$api_uid:$api_cid" > "$out/pods.json"
pids=
lab_extra_cleanup='kill $pids $(cat "$web_cg/cgroup.procs" "$api_cg/cgroup.procs" 2>/dev/null) 2>/dev/null; sleep 0.5; for d in "$web_cg" "$web_pod" "$cg/kubepods/besteffort" "$cg/kubepods" "$api_cg" "$api_pod" "$cg/kubepods.slice/kubepods-besteffort.slice" "$cg/kubepods.slice"; do rmdir "$d" 2>/dev/null; done'
lab_up stm 211 "$out/www"
a=/run/netns/$lab_a
server=10.211.0.2
# run_in CGROUP CMD…: a process of that pod in namespace A (nsenter keeps the cgroup mount).
run_in() { local cgroup=$1; shift; sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cgroup" nsenter --net="$a" "$@"; }
ip netns exec "$lab_b" /usr/bin/python3 "$here/pod_traffic.py" sink-udp "$server" 9000 & pids="$pids $!"
ip netns exec "$lab_b" /usr/bin/python3 "$here/pod_traffic.py" sink-tcp "$server" 5001 & pids="$pids $!"

nsenter --net="$a" "$helper" --socket "$out/helper.sock" --spool "$out/spool" --node-name node-1 \
    --k8s-metadata "$out/pods.json" --falco-listen 127.0.0.1:2807 \
    --metrics 127.0.0.1:9465 --metrics-grace 3 >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 50); do [ -S "$out/helper.sock" ] && break; sleep 0.1; done
prometheus_up "$lab_a" "$out" "$rules" 127.0.0.1:9465
within() { # PERCENT EXPECTED GOT → "ok" or the numbers
    /usr/bin/python3 -c 'import sys
p, e, g = float(sys.argv[1]), float(sys.argv[2] or 0), float(sys.argv[3] or 0)
print("ok" if e > 0 and abs(g - e) <= e * p / 100 else "expected %g, got %g" % (e, g))' "$@"
}

# web-1: 200 UDP datagrams a second for 45 s.
rate=200 web_start=$SECONDS
run_in "$web_cg" /usr/bin/python3 "$here/pod_traffic.py" udp "$server" 9000 $rate 45 > "$out/web-sent.txt" &
web_pid=$!; pids="$pids $web_pid"
sleep 2
# api-0: 2 MB/s uploaded for 8 s through 4 % loss, while a capture of the same interface runs.
# `tc netem` on A's interface loses it where the kernel has sch_netem (TC's egress hook, our
# counter and the capture see each segment before netem drops it); where it has not (this
# machine's kernel), nftables in B drops one in 25 of the upload's data segments as they
# arrive: the same stream seen from A either way.
if tc -n "$lab_a" qdisc add dev stma root netem loss 4% 2>/dev/null; then
    loss=netem
else
    loss=nftables
    ip netns exec "$lab_b" nft -f - <<'NFT'
table inet stratoshark_loss {
    chain prerouting {
        type filter hook prerouting priority -300;
        tcp dport 5001 tcp flags & (syn | fin | rst) == 0 numgen random mod 25 == 0 drop
    }
}
NFT
fi
echo "loss by $loss"
scrape 127.0.0.1:9465; retrans_before=$(value 'stratoshark_tcp_retransmissions_total{pod="api-0"}')
"$ours" capture --helper "unix:$out/helper.sock" -i stma --snaplen 128 --duration 12 \
    --output "$out/loss.pcapng" 2>"$out/capture.log" &
capture_pid=$!
sleep 1.5
run_in "$api_cg" /usr/bin/python3 "$here/pod_traffic.py" tcp "$server" 5001 2000000 8 > "$out/api-sent.txt"
wait $capture_pid
if [ "$loss" = netem ]; then tc -n "$lab_a" qdisc del dev stma root; else ip netns exec "$lab_b" nft delete table inet stratoshark_loss; fi
sleep 1.5 # one refresh of the counters
scrape 127.0.0.1:9465
retrans=$(( $(value 'stratoshark_tcp_retransmissions_total{pod="api-0"}') - ${retrans_before:-0} ))
tshark_retrans=$(tshark -r "$out/loss.pcapng" -Y 'tcp.analysis.retransmission && tcp.port == 5001' 2>/dev/null | wc -l)
echo "retransmissions: ours $retrans, tshark $tshark_retrans (uploaded $(cat "$out/api-sent.txt") bytes)"
check_ge "the loss made retransmissions" 20 "$tshark_retrans"
check "api-0's retransmissions within 5 % of tshark's on the same packets" ok "$(within 5 "$tshark_retrans" "$retrans")"
check_ge "api-0's TCP packets, egress" 500 \
    "$(value 'stratoshark_packets_total{namespace="shop",pod="api-0",direction="egress",interface="stma",protocol="tcp"}')"
check_ge "…and its ACKs, ingress" 100 \
    "$(value 'stratoshark_packets_total{pod="api-0",direction="ingress",protocol="tcp"}')"
# At least what the upload wrote (headers and retransmissions come on top): the sender
# paces at 2 MB/s but writes less when the lossy link pushes back (15.25 MB on a slow run).
check_ge "api-0's bytes, at least the $(cat "$out/api-sent.txt") uploaded" "$(cat "$out/api-sent.txt")" \
    "$(value 'stratoshark_bytes_total{pod="api-0",direction="egress"}')"
if [ "$loss" = netem ]; then # netem frees what it loses as a qdisc drop, of api-0's socket
    check_ge "the loss as the kernel's drops of api-0's segments, under its pod" 5 \
        "$(value 'stratoshark_packets_dropped_total{source="kernel",namespace="shop",pod="api-0"}')"
else
    check_ge "the loss as the receiving kernel's drops: NETFILTER_DROP" 5 \
        "$(value 'stratoshark_packets_dropped_total{source="kernel",reason="NETFILTER_DROP"}')"
fi

# A Critical alert on api-0 while its retransmissions are high: the integrated rule fires.
ip netns exec "$lab_a" curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary \
    "$(python3 "$here/fresh_events.py" falco "$fixtures/falco/critical-alert.json" pod=api-0 ns=shop priority=Critical)" \
    http://127.0.0.1:2807/
fired=
for _ in $(seq 15); do
    fired=$(promql 'count(ALERTS{alertname="SecurityThreatWithNetworkAnomaly",pod="api-0",alertstate="firing"})')
    [ -n "$fired" ] && break; sleep 1
done
check "SecurityThreatWithNetworkAnomaly fires for api-0" 1 "$fired"
check "…and not for web-1 (no alert)" "" \
    "$(promql 'count(ALERTS{alertname="SecurityThreatWithNetworkAnomaly",pod="web-1"})')"

# web-1's rate, while it still sends: 36 s after its start, 30 s of it in the window.
while [ $((SECONDS - web_start)) -lt 36 ]; do sleep 0.5; done
measured=$(promql 'sum(rate(stratoshark_packets_total{pod="web-1"}[30s]))')
echo "web-1: sending $rate/s, Prometheus says $measured/s"
check "sum(rate(stratoshark_packets_total{pod=\"web-1\"}[30s])) within 10 % of the rate sent" ok \
    "$(within 10 $rate "$measured")"
wait $web_pid
sleep 1.5; scrape 127.0.0.1:9465
check "web-1's datagrams, all counted" "$(cat "$out/web-sent.txt")" \
    "$(value 'stratoshark_packets_total{pod="web-1",direction="egress",protocol="udp"}')"
check_ge "traffic of no pod under pod=\"\" (ARP at least)" 1 "$(value 'stratoshark_packets_total{pod="",protocol="other"}')"

# A pod's socket that reads nothing: datagrams past its receive buffer are dropped under its pod.
run_in "$web_cg" /usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("0.0.0.0", 9100)); time.sleep(30)' & pids="$pids $!"
sleep 0.5
ip netns exec "$lab_b" /usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(100): s.sendto(b"z" * 1000, ("10.211.0.1", 9100))'
# Datagrams to a closed port: the receiving kernel drops them, NO_SOCKET.
run_in "$web_cg" /usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(30): s.sendto(b"?", ("'$server'", 9999))'
sleep 1.5; scrape 127.0.0.1:9465
check_ge "kernel drops: NO_SOCKET" 30 "$(value 'stratoshark_packets_dropped_total{source="kernel",reason="NO_SOCKET"}')"
check_ge "a full receive buffer's drops, under the pod that owns the socket" 50 \
    "$(value 'stratoshark_packets_dropped_total{source="kernel",reason="SOCKET_RCVBUFF",namespace="shop",pod="web-1"}')"

# api-0 leaves the pod list: its series go after the grace period (3 s), web-1's stay.
pods_json "web-1:$web_uid:$web_cid" > "$out/pods.json.new" && mv "$out/pods.json.new" "$out/pods.json"
sleep 2; scrape 127.0.0.1:9465
check_ge "api-0 still there within the grace period" 1 "$(grep -c 'pod="api-0"' "$out/metrics.txt")"
sleep 8; scrape 127.0.0.1:9465
check "api-0 gone after it" 0 "$(grep -c 'pod="api-0"' "$out/metrics.txt")"
check_ge "web-1 stays" 1 "$(grep -c 'stratoshark_packets_total{.*pod="web-1"' "$out/metrics.txt")"
kill -0 "$helper_pid" 2>/dev/null; check "the helper lives" 0 $?
checks_done "traffic metrics"
