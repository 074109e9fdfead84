#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pod names from the container runtime (CRI), for real: the test starts its own containerd
# (Debian's, with runc), imports a pause image it builds offline, and runs a pod sandbox
# through the CRI socket as the kubelet would (cgroupfs driver, cgroup parent
# /kubepods/besteffort/pod<uid>), with a container "web" in it. A curl run inside the
# container's cgroup, in namespace A, is captured by a helper that takes pod names from
# that socket: its packets carry the pod's name, namespace, uid and labels and the
# container's id, name and image, and `--ebpf-filter 'k8s.pod == web-1'` keeps exactly
# them.
# Usage: cri_pods.sh STRATOSHARK-HELPER STRATOSHARK CRI_POD OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
cri_pod=$3
out=$4
rm -rf "$out"; mkdir -p "$out"
for tool in containerd runc ctr gcc curl; do
    command -v $tool >/dev/null || { echo "SKIP: no $tool (packaging/dev-setup.sh installs it)"; exit 77; }
done
cg=$(awk '$9 == "cgroup2" && $4 == "/" {print $5; exit}' /proc/self/mountinfo)
[ -n "$cg" ] || { echo "SKIP: no cgroup v2 mount"; exit 77; }
run=$(mktemp -d /tmp/ss-cri-XXXXXX)
sock=$run/containerd.sock
sandbox= containerd_pid=
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
net_sandbox= daemon_pid=
lab_extra_cleanup='kill $daemon_pid 2>/dev/null; [ -n "$net_sandbox" ] && "$cri_pod" "$sock" rm "$net_sandbox"; [ -n "$sandbox" ] && "$cri_pod" "$sock" rm "$sandbox"; kill $containerd_pid 2>/dev/null; wait $containerd_pid 2>/dev/null; rm -rf "$run"'
cat > "$run/config.toml" <<TOML
version = 2
root = "$run/root"
state = "$run/state"
[grpc]
  address = "$sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/stratoshark-pause:test"
  # inside a VM or container that may not set these
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
  # Pods with a network of their own get it from the CNI bridge plugin, inside namespace A
  # (the runtime runs there: the bridge and its addresses never touch the host's network).
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$run/net.d"
TOML
mkdir -p "$run/net.d"
cat > "$run/net.d/10-stratoshark-test.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "stratoshark-test", "plugins": [
  {"type": "bridge", "bridge": "sscni0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.209.7.0/24"}]], "dataDir": "$run/ipam"}}]}
JSON
lab_up ssc 208 "$out/www"
a=/run/netns/$lab_a
nsenter --net="$a" containerd --config "$run/config.toml" >"$out/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
printf '#include <signal.h>\n#include <unistd.h>\nstatic void quit(int s) { (void)s; _exit(0); }\nint main(void) { signal(SIGTERM, quit); for (;;) pause(); }\n' > "$run/pause.c"
gcc -static -O2 -o "$run/pause" "$run/pause.c"
python3 "$(dirname "$0")/make_pause_image.py" "$run/pause" localhost/stratoshark-pause:test "$run/pause.tar"
ctr --address "$sock" -n k8s.io images import "$run/pause.tar" >"$out/import.log" 2>&1
uid=5c1e7d3a-8f2b-4a6c-9d1e-0b2a3c4d5e6f
sandbox=$("$cri_pod" "$sock" run web-1 shop "$uid" "/kubepods/besteffort/pod$uid" 2>"$out/cri_pod.log")
[ -n "$sandbox" ] || { echo "FAIL the runtime ran no pod sandbox: $(cat "$out/cri_pod.log")"; exit 1; }
container=$("$cri_pod" "$sock" container "$sandbox" web-1 shop "$uid" "/kubepods/besteffort/pod$uid" web \
    localhost/stratoshark-pause:test /pause 2>>"$out/cri_pod.log")
[ -n "$container" ] || { echo "FAIL the runtime ran no container: $(cat "$out/cri_pod.log")"; exit 1; }
pod_cg="$cg/kubepods/besteffort/pod$uid/$container"
capture() { # NAME [ARGS…]
    local name=$1; shift
    nsenter --net="$a" "$helper" capture -i ssca --duration 4 --k8s-metadata "cri:$sock" "$@" \
        -w "$out/$name.pcapng" 2>"$out/$name.log" &
    helpers="$helpers $!"
}
helpers=
capture all
capture pod --ebpf-filter 'k8s.pod == web-1'
sleep 1.5
# One GET from inside the pod's cgroup, one from outside any pod.
sh -c 'echo $$ > "$0/cgroup.procs" && exec nsenter --net="$1" curl -s -o /dev/null --max-time 5 http://10.208.0.2:8080/index.html' \
    "$pod_cg" "$a"
nsenter --net="$a" curl -s -o /dev/null --max-time 5 http://10.208.0.2:8080/index.html
wait $helpers
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
check "the container's own cgroup, kubelet-style" "$(grep -c "^0::/kubepods/besteffort/pod$uid/$container\$" /proc/"$(head -1 "$pod_cg/cgroup.procs")"/cgroup)" 1
check "the GET from the pod names it" \
      "$("$ours" -r "$out/all.pcapng" -Y 'http.request && k8s.pod' -T fields -e k8s.pod -e k8s.ns -e k8s.pod.uid -e k8s.pod.labels -e container.id -e container.name -e container.image 2>/dev/null | tr '\t' ' ')" \
      "web-1 shop $uid app=web-1 $container web localhost/stratoshark-pause:test"
check "the GET from outside has no pod" "$("$ours" -r "$out/all.pcapng" -Y 'http.request && !k8s.pod' 2>/dev/null | wc -l)" 1
view() { "$ours" -r "$1" -T fields -e frame.packet_flags_direction -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags "${@:2}" 2>/dev/null | sort; }
check "--ebpf-filter with names from the CRI = all, filtered afterwards" "$(view "$out/pod.pcapng" | md5sum)" \
      "$(view "$out/all.pcapng" -Y 'k8s.pod == "web-1"' | md5sum)"
check "and that is the pod's connection" "$("$ours" -r "$out/pod.pcapng" -Y 'http.request' 2>/dev/null | wc -l)" 1
check "the helper names its source" "$(grep -c "pod names from CRI $sock" "$out/all.log")" 1

# A pod with a network of its own: its IP from the runtime (PodSandboxStatus), which a
# trigger's {{ .pod_ip }} takes from the helper's CRI pod source.
uid2=7d2e8f4b-9a3c-4b5d-8e6f-1a2b3c4d5e6f
net_sandbox=$("$cri_pod" "$sock" run-net net-1 shop "$uid2" "/kubepods/besteffort/pod$uid2" 2>>"$out/cri_pod.log")
[ -n "$net_sandbox" ] || { echo "FAIL the runtime ran no networked pod: $(cat "$out/cri_pod.log")"; exit 1; }
pod_ip=$("$cri_pod" "$sock" ls | awk '$2 == "net-1" {print $5}')
check "a networked pod's IP from the runtime" "$(grep -cE '^10\.209\.7\.[0-9]+$' <<<"$pod_ip")" 1
mkdir -p "$out/spool"
printf 'triggers:\n- name: net\n  falco_rule: Net Pod\n  duration: 1s\n  filter: "host {{ .pod_ip }}"\n' > "$out/triggers.yaml"
nsenter --net="$a" "$helper" --socket "$out/helper.sock" --spool "$out/spool" --k8s-metadata "cri:$sock" \
    --falco-listen 127.0.0.1:2806 --triggers "$out/triggers.yaml" >"$out/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 50); do [ -S "$out/helper.sock" ] && break; sleep 0.1; done
sleep 1
now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
ip netns exec "$lab_a" curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary \
    '{"rule": "Net Pod", "priority": "Critical", "time": "'"$now"'", "output_fields": {"k8s.pod.name": "net-1", "k8s.ns.name": "shop"}}' \
    http://127.0.0.1:2806/
for _ in $(seq 50); do grep -q "trigger net (pod shop/net-1)" "$out/daemon.log" && break; sleep 0.1; done
check "the trigger's {{ .pod_ip }} from the CRI pod source" \
      "$(grep -c "trigger net (pod shop/net-1): capturing into .*(filter \"host $pod_ip\"" "$out/daemon.log")" 1
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
