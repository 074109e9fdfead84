#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `stratoshark policy verify` on a capture of real traffic: a node namespace with a bridge and
# four namespaces on it — the shop's backend (http.server on :8080), frontend and debug pods,
# and an outside client — captured on the bridge with tcpdump. nftables in the backend plays
# the CNI that enforces (or fails to enforce) the NetworkPolicies; Hubble flows in jsonpb give
# Cilium's verdicts for two of the connections (`import --hubble`). The capture is on the
# backend's port of the bridge, as a node sees a pod's veth.
# Usage: policy_verify.sh STRATOSHARK FIXTURES OUTDIR
set -uo pipefail
ours=$1
fixtures=$2/k8s/policy
out=$3
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
rm -rf "$out"
mkdir -p "$out/www"
export TZ=UTC HOME=$out
echo ok > "$out/www/index.html"
failed=0
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: expected [$2], got [$3]"; failed=$((failed + 1)); fi
}

tag=pv$$
node=$tag-node
declare -A addr=([back]=10.78.0.10 [front]=10.78.0.11 [debug]=10.78.0.12 [ext]=10.78.0.99)
http_pid= dump_pid=
cleanup() {
    [ -n "$dump_pid" ] && kill "$dump_pid" 2>/dev/null
    [ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null
    for n in back front debug ext node; do ip netns del "$tag-$n" 2>/dev/null; done
    return 0
}
trap cleanup EXIT
ip netns add "$node"
ip -n "$node" link add br0 type bridge
ip -n "$node" link set br0 up
for n in back front debug ext; do
    ip netns add "$tag-$n"
    ip netns exec "$tag-$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip link add "$tag$n" type veth peer name eth0 netns "$tag-$n"
    ip link set "$tag$n" netns "$node"
    ip -n "$node" link set "$tag$n" master br0 up
    ip -n "$tag-$n" addr add "${addr[$n]}/24" dev eth0
    ip -n "$tag-$n" link set eth0 up
    ip -n "$tag-$n" link set lo up
done
ip netns exec "$tag-back" python3 -m http.server 8080 --bind "${addr[back]}" --directory "$out/www" \
    >/dev/null 2>&1 &
http_pid=$!
for _ in $(seq 100); do ip netns exec "$tag-back" ss -Hltn "sport = :8080" | grep -q . && break; sleep 0.1; done

# One capture: each client's GET, with the backend's nftables as the enforcement of the day.
capture() { # NAME NFT_RULES CLIENT...
    local name=$1 rules=$2; shift 2
    ip netns exec "$tag-back" nft -f - <<NFT
flush ruleset
table inet pv {
    chain input {
        type filter hook input priority 0; policy accept;
        $rules
    }
}
NFT
    ip netns exec "$node" tcpdump -i "${tag}back" --immediate-mode -U -w "$out/$name.pcap" >/dev/null 2>&1 &
    dump_pid=$!
    sleep 1
    for client in "$@"; do
        ip netns exec "$tag-$client" curl -s -o /dev/null --max-time 2 "http://${addr[back]}:8080/" || true
    done
    sleep 0.5
    kill "$dump_pid"; wait "$dump_pid" 2>/dev/null; dump_pid=
}
verify() { # CAPTURE [more args]
    local cap=$1; shift
    "$ours" policy verify --policy "$fixtures/shop-policies.yaml" --pods "$fixtures/shop-pods.json" -r "$cap" "$@"
}

# 1. Enforced as written: the frontend gets in, the outside client and the debug pod do not.
capture enforced "ip saddr { ${addr[ext]}, ${addr[debug]} } tcp dport 8080 drop" front ext debug
verify "$out/enforced.pcap" > "$out/enforced.txt"; rc=$?
cat "$out/enforced.txt"
check "enforced policies: no mismatch, exit 0" 0 "$rc"
check "frontend -> backend allowed and established" 1 \
    "$(grep -c '^ok .*10.78.0.11:.* -> 10.78.0.10:8080 .*policy: allowed  observed: established' "$out/enforced.txt")"
check "outside -> backend denied and timed out" 1 \
    "$(grep -c '^ok .*10.78.0.99:.*(not a pod) -> shop/backend-7c4b  policy: denied  observed: timed out' "$out/enforced.txt")"

# 2. The debug pod is not blocked: denied by policy but established — the dangerous mismatch.
capture leaky "ip saddr ${addr[ext]} tcp dport 8080 drop" front ext debug
verify "$out/leaky.pcap" -T json > "$out/leaky.json"; rc=$?
check "a leak: exit 1" 1 "$rc"
check "the leak is debug -> backend, denied but established, with its evidence" \
    "shop/debug-shell shop/backend-7c4b denied denied-but-established tcp.stream eq 2" \
    "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [c for c in d["connections"] if c["result"] != "ok"]
print(" ".join(" ".join([c["client_pod"], c["server_pod"], c["policy"], c["result"], c["filter"]]) for c in bad))' \
    "$out/leaky.json")"
check "the evidence filter shows the leaked connection's packets" "${addr[debug]}" \
    "$("$ours" -r "$out/leaky.pcap" -Y 'tcp.stream eq 2 && tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e ip.src)"
check "the reason names the policy (for the outside client and the debug pod)" 2 \
    "$(grep -c 'ingress of shop/backend-7c4b is limited by shop/backend-ingress' "$out/leaky.json")"

# 3. The frontend blocked although allowed: allowed by policy but dropped.
capture overblocked "ip saddr { ${addr[ext]}, ${addr[front]}, ${addr[debug]} } tcp dport 8080 drop" front
verify "$out/overblocked.pcap" > "$out/overblocked.txt"; rc=$?
check "allowed but dropped: exit 1" 1 "$rc"
check "allowed but dropped is reported" 1 "$(grep -c '^ *allowed by policy but dropped:' "$out/overblocked.txt")"

# 4. Cilium's verdicts (Hubble flows at the SYNs' times): FORWARDED for the frontend,
# DROPPED for the outside client — both as the policies say.
"$ours" -r "$out/enforced.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields \
    -e frame.time_epoch -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport > "$out/syns.tsv"
python3 - "$out/syns.tsv" > "$out/flows.jsonl" <<'PY'
import datetime, json, sys
pods = {"10.78.0.11": "frontend-5d8f", "10.78.0.10": "backend-7c4b", "10.78.0.12": "debug-shell"}
seen = set()
for line in open(sys.argv[1]).read().splitlines():
    t, src, dst, sport, dport = line.split("\t")
    if src in seen:
        continue  # the first SYN of each client
    seen.add(src)
    secs, frac = t.split(".")
    when = datetime.datetime.fromtimestamp(int(secs), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"
    verdict = "FORWARDED" if src == "10.78.0.11" else "DROPPED"
    def ep(ip):
        return {"namespace": "shop", "pod_name": pods[ip], "labels": ["k8s:app=" + pods[ip].split("-")[0]]} if ip in pods else {"labels": ["reserved:world"]}
    flow = {"time": when, "verdict": verdict, "IP": {"source": src, "destination": dst, "ipVersion": "IPv4"},
            "l4": {"TCP": {"source_port": int(sport), "destination_port": int(dport), "flags": {"SYN": True}}},
            "source": ep(src), "destination": ep(dst), "Type": "L3_L4", "node_name": "node-a",
            "traffic_direction": "INGRESS", "Summary": "TCP Flags: SYN"}
    if verdict == "DROPPED":
        flow["drop_reason_desc"] = "POLICY_DENIED"
    print(json.dumps({"flow": flow, "node_name": "node-a", "time": when}))
PY
"$ours" import --hubble "$out/flows.jsonl" --into "$out/enforced.pcap" -w "$out/hubble.pcapng" 2> "$out/import.log"
verify "$out/hubble.pcapng" > "$out/hubble.txt"; rc=$?
cat "$out/hubble.txt"
check "with Cilium's verdicts: no mismatch" 0 "$rc"
check "frontend FORWARDED" 1 "$(grep -c '10.78.0.11:.*observed: established, Cilium FORWARDED' "$out/hubble.txt")"
check "outside DROPPED" 1 "$(grep -c '10.78.0.99:.*observed: timed out, Cilium DROPPED' "$out/hubble.txt")"
# Pods learnt from the flows alone (no --pods): the frontend's labels come from Hubble.
"$ours" policy verify --policy "$fixtures/shop-policies.yaml" -r "$out/hubble.pcapng" -T json > "$out/learnt.json"
check "without --pods, pods come from the flows" "3 backend-ingress" \
    "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
front = [c for c in d["connections"] if c["client"] == "10.78.0.11"][0]
print(d["pods_from_capture"], "backend-ingress" if "backend-ingress" in front["reason"] else front["reason"])' "$out/learnt.json")"

# 5. Bad input: a policy that is not one, a capture that is not there.
printf 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {ingress: []}\n' \
    > "$out/bad.yaml"
"$ours" policy verify --policy "$out/bad.yaml" -r "$out/enforced.pcap" > /dev/null 2> "$out/bad.err"; rc=$?
check "an invalid policy: exit 2 and the place of the fault" "2 1" \
    "$rc $(grep -c 'bad.yaml#1.spec: podSelector is required' "$out/bad.err")"
"$ours" policy verify --policy "$fixtures/shop-policies.yaml" -r "$out/none.pcap" > /dev/null 2>&1; rc=$?
check "a missing capture: exit 2" 2 "$rc"

echo "$failed failed"
[ "$failed" -eq 0 ]
