#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# packaging/kubernetes, checked offline: the manifests against what the helper needs
# (check_manifests.py), make-certs.sh's certificates, and the image: built from this build
# with podman (build-image.sh), then run with Debian's containerd (`podman run` cannot set
# its rlimits in this VM; runc through containerd can), as the DaemonSet runs it: host
# network, the helper on a Unix socket, a capture through it from outside the container
# and `stratoshark capture` inside it (the seed's `kubectl exec … stratoshark capture`).
# Usage: kubernetes.sh BUILD_DIR OUTDIR   (root)
set -uo pipefail
build=$(cd "$1" && pwd) out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
k8s=$top/packaging/kubernetes
rm -rf "$out"; mkdir -p "$out"
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }

"$build/capture-bpf/stratoshark-helper" --help > "$out/helper-help.txt"
python3 "$(dirname "$0")/check_manifests.py" "$k8s" "$out/helper-help.txt" \
    "$build/capture-bpf/stratoshark-helper" > "$out/manifests.txt" 2>&1
rc=$?
check "manifests ($(grep '^FAIL' "$out/manifests.txt" | head -3 | tr '\n' ';'))" "$rc" 0

run=$(mktemp -d /tmp/ss-k8s-XXXXXX)
containerd_pid= task=
cleanup() {
    [ -n "$task" ] && ctr --address "$run/containerd.sock" -n ss task kill -s KILL "$task" >/dev/null 2>&1 && sleep 0.5
    [ -n "$task" ] && { ctr --address "$run/containerd.sock" -n ss task delete "$task"; ctr --address "$run/containerd.sock" -n ss container delete "$task"; } >/dev/null 2>&1
    [ -n "$containerd_pid" ] && kill "$containerd_pid" 2>/dev/null && wait "$containerd_pid" 2>/dev/null
    rm -rf "$run"
}
trap cleanup EXIT

# make-certs.sh: the DaemonSet's one certificate for every node, checked by name
"$k8s/make-certs.sh" "$run/certs" --node stratoshark-helper --client stratoshark-client >/dev/null 2>&1
check "make-certs.sh: a node certificate the CA verifies" \
      "$(openssl verify -CAfile "$run/certs/ca.pem" "$run/certs/node-stratoshark-helper.pem" 2>&1)" \
      "$run/certs/node-stratoshark-helper.pem: OK"
check "make-certs.sh: a client certificate for client auth" \
      "$(openssl x509 -in "$run/certs/client-stratoshark-client.pem" -noout -ext extendedKeyUsage 2>/dev/null | tail -1 | tr -d ' ')" \
      "TLSWebClientAuthentication"

if ! command -v podman >/dev/null || ! command -v containerd >/dev/null; then
    echo "image: not built (podman and containerd are needed: packaging/dev-setup.sh installs them)"
    echo "$passed passed, $failed failed"
    [ $failed -eq 0 ]; exit
fi
image=localhost/stratoshark-helper:test
"$k8s/build-image.sh" "$build" "$image" > "$out/build-image.log" 2>&1
check "podman builds the image from the Containerfile" "$?" 0
podman save --format oci-archive -o "$run/image.tar" "$image" > "$out/save.log" 2>&1
podman rmi "$image" >/dev/null 2>&1
cat > "$run/config.toml" <<TOML
version = 2
root = "$run/root"
state = "$run/state"
[grpc]
  address = "$run/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
  disable_apparmor = true
TOML
containerd --config "$run/config.toml" > "$out/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do [ -S "$run/containerd.sock" ] && break; sleep 0.1; done
c() { ctr --address "$run/containerd.sock" -n ss "$@"; }
c images import --snapshotter native "$run/image.tar" > "$out/import.log" 2>&1
check "containerd imports it" "$?" 0
mkdir -p "$run/socket"
task=ss-helper-$$
# As the DaemonSet: the host's network, its socket folder from outside, no pod names here.
c run -d --snapshotter native --privileged --net-host \
    --mount "type=bind,src=$run/socket,dst=/run/stratoshark,options=rbind:rw" \
    "$image" "$task" /usr/sbin/stratoshark-helper --socket /run/stratoshark/helper.sock --group stratoshark \
    --node-name image-node --k8s-metadata none > "$out/run.log" 2>&1
for _ in $(seq 100); do [ -S "$run/socket/helper.sock" ] && break; sleep 0.1; done
check "the helper runs in the image" "$(c task ls 2>/dev/null | awk -v t="$task" '$1 == t {print $3}')" RUNNING
"$build/app/cli/stratoshark" capture --helper "unix:$run/socket/helper.sock" -i lo --duration 2s \
    --output "$out/from-image.pcapng" 2>"$out/from-image.log" &
client=$!
sleep 0.8
python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b"x", ("127.0.0.1", 9)) for _ in range(5)]'
wait $client
check "it captures (client outside the container)" \
      "$(tshark -r "$out/from-image.pcapng" -Y 'udp.dstport == 9 && !icmp' 2>/dev/null | wc -l)" 5
check "and names its node" "$("$build/app/cli/stratoshark" -r "$out/from-image.pcapng" -Y 'k8s.node == "image-node"' 2>/dev/null | wc -l | awk '{print ($1 > 0)}')" 1
c task exec --exec-id cli "$task" /usr/bin/stratoshark capture --list-interfaces > "$out/exec.txt" 2>&1
check "stratoshark capture inside the container (kubectl exec's way)" "$(grep -c '\. lo$' "$out/exec.txt")" 1
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
