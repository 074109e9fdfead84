#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The seed's three stories, end to end on a veth lab, with stand-ins for the servers that do
# not run here: Falco's alerts are POSTed as its http_output does (curl), Tetragon's
# GetEvents stream is tests/tools/source_stand_in replaying a fixture line. The helper runs
# in namespace A with the flight recorder and trigger rules; three "pods" (kubelet cgroups,
# pods.json with their IPs) run one process each (pod_process.py) against namespace B's
# dnsmasq and HTTP server. Each triggered file is listed and fetched over the helper's
# socket and asserted with display filters:
#   1. "Detect Crypto Miners": the alert first, the DNS query for pool.minexmr.com from
#      before the alert (the recorder), the connection after it, all of the pod;
#   2. "Mount Sensitive Paths": the failed mount(2) before the alert, the connection after;
#   3. Tetragon process_exec of a binary in /tmp: that process's DNS and TCP.
# Usage: trigger_stories.sh STRATOSHARK STRATOSHARK-HELPER SOURCE-STAND-IN FIXTURES OUTDIR   (root)
set -uo pipefail
ours=$1 helper=$2 standin=$3 fixtures=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/spool" "$out/fetched"
export TZ=UTC
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
# shellcheck source=checks.sh
. "$here/checks.sh"
cg=$(awk '$9 == "cgroup2" && $4 == "/" {print $5; exit}' FS=' ' /proc/self/mountinfo)
[ -n "$cg" ] || { echo "SKIP: no cgroup v2 mount"; exit 77; }
net=207 lab_pod_ip=10.207.0.1
py=/usr/bin/python3 # Debian's, for the pods' processes (their names are asserted)
# Three pods on this node (cgroupfs driver: kubepods/besteffort/pod<UID>/<container id>).
python3 - "$fixtures/k8s/pods.json" "$lab_pod_ip" > "$out/pods.json" <<'PY'
import copy, json, sys
template = json.load(open(sys.argv[1]))["items"][1]
items = []
for n, name in enumerate(["miner-5c4f9", "mounter-7b2d1", "runner-3e8a6"]):
    p = copy.deepcopy(template)
    p["metadata"].update(name=name, namespace="default", uid="0000000%d-1d2f-4e5a-9b8c-7d6e5f4a3b2c" % n,
                         labels={"app": name.split("-")[0]})
    p["status"]["containerStatuses"][0]["containerID"] = "containerd://%d%s" % (n, "ab" * 31 + "c")
    p["status"]["podIP"] = sys.argv[2]
    p["status"]["podIPs"] = [{"ip": sys.argv[2]}]
    items.append(p)
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
pod_cg() { # N → the pod's container cgroup
    echo "$cg/kubepods/besteffort/pod0000000$1-1d2f-4e5a-9b8c-7d6e5f4a3b2c/$1$(printf 'ab%.0s' $(seq 31))c"
}
for n in 0 1 2; do mkdir -p "$(pod_cg $n)"; done
pids=
lab_extra_cleanup='kill $pids 2>/dev/null; for n in 0 1 2; do kill $(cat "$(pod_cg $n)/cgroup.procs" 2>/dev/null) 2>/dev/null; done; sleep 0.5; for n in 0 1 2; do rmdir "$(pod_cg $n)" "$(dirname "$(pod_cg $n)")" 2>/dev/null; done; rmdir "$cg/kubepods/besteffort" "$cg/kubepods" 2>/dev/null'
lab_up sst $net "$out/www"
a=/run/netns/$lab_a
run_in() { local cgroup=$1; shift; sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cgroup" nsenter --net="$a" "$@"; }
ip netns exec "$lab_b" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
    --listen-address="$lab_server" --address=/pool.minexmr.com/"$lab_server" --address=/c2.evil.test/"$lab_server" \
    --address=/updates.evil.test/"$lab_server" --pid-file= 2>/dev/null &
pids="$pids $!"
count() { "$ours" -r "$1" -Y "$2" 2>/dev/null | wc -l; }
first_time() { "$ours" -r "$1" -Y "$2" -T fields -e frame.time_epoch 2>/dev/null | head -1; }
before() { python3 -c 'import sys; sys.exit(0 if sys.argv[1] and sys.argv[2] and float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"; }

cat > "$out/triggers.yaml" <<'YAML'
triggers:
- name: crypto-miners
  falco_rule: "Detect Crypto Miners"
  action: capture
  duration: 5s
  filter: "host {{ .pod_ip }}"
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
  pre: 30s
- name: sensitive-mount
  falco_rule: "Mount Sensitive Paths"
  action: capture
  duration: 5s
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
  pre: 30s
- name: tmp-binary
  tetragon: {binary: "/tmp/*", event: process_exec}
  action: capture
  duration: 5s
  ebpf_filter: "k8s.pod == {{ .pod_name }}"
  pre: 5s
YAML
: > "$out/tetragon.jsonl"
"$standin" tetragon "unix:$out/tetragon.sock" "$out/tetragon.jsonl" >"$out/tetragon-stand-in.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do grep -q listening "$out/tetragon-stand-in.log" && break; sleep 0.1; done
nsenter --net="$a" "$helper" --socket "$out/helper.sock" --spool "$out/spool" --node-name node-1 \
    --k8s-metadata "$out/pods.json" --falco-listen 127.0.0.1:2802 --tetragon "unix:$out/tetragon.sock" \
    --flight-recorder 64M,1h --triggers "$out/triggers.yaml" -v >"$out/helper.log" 2>&1 &
helper_pid=$!; pids="$pids $helper_pid"
for _ in $(seq 50); do [ -S "$out/helper.sock" ] && break; sleep 0.1; done
sleep 2 # the recorder's programs attached
falco() { ip netns exec "$lab_a" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "$1" http://127.0.0.1:2802/; }
# The triggered file for TRIGGER once it is finished, fetched over the socket; its name.
fetch() { # TRIGGER
    local name=
    for _ in $(seq 40); do
        name=$("$ours" capture --helper "unix:$out/helper.sock" --list-spool 2>/dev/null |
               awk -v t="$1" '$2 == "trigger" && $3 == "ended" && index($1, t "_") == 1 {print $1; exit}')
        [ -n "$name" ] && break
        sleep 0.5
    done
    [ -n "$name" ] || { echo "FAIL: no finished triggered file for $1" >&2; return 1; }
    "$ours" capture --helper "unix:$out/helper.sock" --fetch-spool "$name" --output "$out/fetched/$name" >&2 || return 1
    echo "$name"
}

# 1. Detect Crypto Miners: resolve the pool, the alert, then connect.
miner=$(pod_cg 0)
run_in "$miner" "$py" "$here/pod_process.py" "$lab_server" pool.minexmr.com 8080 "$out/go1" \
    --pid-file "$out/miner.pid" >"$out/miner.log" 2>&1 &
sleep 1.5
check "Falco's alert accepted" 200 "$(falco "$(python3 "$here/fresh_events.py" falco "$fixtures/falco/critical-alert.json" \
    rule="Detect Crypto Miners" pod=miner-5c4f9 ns=default pid="$(cat "$out/miner.pid")" proc=python3)")"
sleep 1
touch "$out/go1"
# Another pod's connection at the same time, to the same server: not in the file.
run_in "$(pod_cg 1)" curl -s -o /dev/null --max-time 5 "http://$lab_server:8080/index.html"
name1=$(fetch crypto-miners)
f=$out/fetched/$name1
cat "$out/miner.log"
check "the file is named <trigger>_<pod>_<time>.pcapng" 1 \
    "$(grep -cE '^crypto-miners_miner-5c4f9_[0-9]{8}T[0-9]{6}(\.[0-9]+)?Z?\.pcapng$' <<<"$name1")"
check "the alert comes first" "Detect Crypto Miners" \
    "$("$ours" -r "$f" -T fields -e falco.rule 2>/dev/null | head -1)"
alert_time=$(first_time "$f" 'falco.rule == "Detect Crypto Miners"')
miner_alert_time=$alert_time
dns_time=$(first_time "$f" 'dns.qry.name == "pool.minexmr.com" && dns.flags.response == 0 && k8s.pod == "miner-5c4f9"')
syn_time=$(first_time "$f" 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 8080 && k8s.pod == "miner-5c4f9"')
before "$dns_time" "$alert_time"; check "the DNS query from before the alert, attributed to the pod (the recorder)" 0 $?
before "$alert_time" "$syn_time"; check "the connection after the alert, attributed to the pod" 0 $?
check_ge "the HTTP request of the connection" 1 "$(count "$f" 'http.request && k8s.pod == "miner-5c4f9" && proc.name contains "python3"')"
check "nothing of another pod" 0 "$(count "$f" 'k8s.pod && k8s.pod != "miner-5c4f9"')"
check "the packets' process is the alert's" "$(cat "$out/miner.pid")" \
    "$("$ours" -r "$f" -Y 'tcp && k8s.pod' -T fields -e proc.pid 2>/dev/null | sort -u)"

# 2. Mount Sensitive Paths: a failed mount, the alert, then a connection out.
run_in "$(pod_cg 1)" "$py" "$here/pod_process.py" "$lab_server" c2.evil.test 8080 "$out/go2" \
    --mount /nonexistent-ss-$$/etc --pid-file "$out/mounter.pid" >"$out/mounter.log" 2>&1 &
sleep 1.5
falco "$(python3 "$here/fresh_events.py" falco "$fixtures/falco/critical-alert.json" rule="Mount Sensitive Paths" \
    priority=Error pod=mounter-7b2d1 ns=default pid="$(cat "$out/mounter.pid")" proc=python3)" >/dev/null
sleep 1
touch "$out/go2"
name2=$(fetch sensitive-mount)
f=$out/fetched/$name2
cat "$out/mounter.log"
alert_time=$(first_time "$f" 'falco.rule == "Mount Sensitive Paths"')
mount_time=$(first_time "$f" 'syscall.name == "mount" && syscall.errno && k8s.pod == "mounter-7b2d1"')
syn_time=$(first_time "$f" "tcp.flags.syn == 1 && tcp.flags.ack == 0 && k8s.pod == \"mounter-7b2d1\" && proc.pid == $(cat "$out/mounter.pid")")
before "$mount_time" "$alert_time"; check "the failed mount before the alert, attributed to the pod" 0 $?
before "$alert_time" "$syn_time"; check "the connection that follows it" 0 $?
check "the mount's target" "/nonexistent-ss-$$/etc" \
    "$("$ours" -r "$f" -Y 'syscall.name == "mount"' -T fields -e syscall.path2 2>/dev/null | head -1)"

# 3. Tetragon: a binary in /tmp starts in the pod; its DNS and TCP follow.
bin=$(mktemp -d /tmp/ss-stories.XXXXXX)
cp "$(readlink -f "$py")" "$bin/updater"
run_in "$(pod_cg 2)" "$bin/updater" "$here/pod_process.py" "$lab_server" updates.evil.test 8080 "$out/go3" \
    --pid-file "$out/runner.pid" >"$out/runner.log" 2>&1 &
for _ in $(seq 50); do [ -s "$out/runner.pid" ] && break; sleep 0.1; done
python3 "$here/fresh_events.py" tetragon "$fixtures/tetragon/events.json" binary="$bin/updater" \
    pid="$(cat "$out/runner.pid")" pod=runner-3e8a6 ns=default >> "$out/tetragon.jsonl"
sleep 1
touch "$out/go3"
name3=$(fetch tmp-binary)
f=$out/fetched/$name3
cat "$out/runner.log"
check "the exec event comes first" "$bin/updater" "$("$ours" -r "$f" -T fields -e tetragon.binary 2>/dev/null | head -1)"
check_ge "its DNS query" 1 "$(count "$f" 'dns.qry.name == "updates.evil.test" && proc.name == "updater"')"
check "its TCP connection" 1 "$(count "$f" "tcp.flags.syn == 1 && tcp.flags.ack == 0 && proc.pid == $(cat "$out/runner.pid")")"
rm -rf "$bin"

# The past: --since/--until (the seed's local-time form, here in UTC) returns exactly the
# recorder's blocks in the window, compared with the recorder's own files read here and cut
# at the same nanoseconds; with --ebpf-filter, the pod's part of it.
t1=$(python3 -c 'import sys; print(int(float(sys.argv[1])) - 3)' "$miner_alert_time")
since=$(date -u -d "@$t1" '+%Y-%m-%d %H:%M:%S') until=$(date -u -d "@$((t1 + 6))" '+%Y-%m-%d %H:%M:%S')
"$ours" capture --helper "unix:$out/helper.sock" --since "$since" --until "$until" --syscalls default \
    --output "$out/past.pcapng" 2>"$out/past.log"
check "a capture of the past ends by itself" 0 $?
"$ours" capture --helper "unix:$out/helper.sock" --since "$since" --until "$until" --syscalls default \
    --ebpf-filter "k8s.pod == miner-5c4f9" --output "$out/past-pod.pcapng" 2>"$out/past-pod.log"
# The seed's Pixie example wrote the window as a capture filter: told where it belongs.
"$ours" capture --helper "unix:$out/helper.sock" --filter "time >= '$since' and time <= '$until'" --duration 1 \
    --output "$out/time-filter.pcapng" 2>"$out/time-filter.log"
rc=$?
check "a time window as --filter is refused" 1 "$([ "$rc" -ne 0 ] && echo 1)"
check "pointing at --since/--until" 1 "$(grep -c 'a time window is --since and --until' "$out/time-filter.log")"
blocks() { # FILE…: one line per block, time-sorted: time, interface, length, protocols
    for file in "$@"; do
        "$ours" -r "$file" -T fields -e frame.time_epoch -e frame.interface_name -e frame.len -e frame.protocols \
            -e k8s.pod 2>/dev/null
    done | awk -F'\t' -v a="$t1" -v b="$((t1 + 6))" '$1 >= a && $1 < b' | sort
}
blocks "$out"/spool/recorder/*.pcapng > "$out/recorder-window.txt"
blocks "$out/past.pcapng" > "$out/past.txt"
check_ge "the window holds the story's packets and records" 20 "$(wc -l < "$out/recorder-window.txt")"
check "--since/--until = the recorder's files cut at the window" "$(md5sum < "$out/recorder-window.txt")" \
    "$(md5sum < "$out/past.txt")"
check "nothing outside the window" "$("$ours" -r "$out/past.pcapng" 2>/dev/null | wc -l)" "$(wc -l < "$out/past.txt")"
check "with --ebpf-filter: the pod's blocks of the window" "$(awk -F'\t' '$5 == "miner-5c4f9"' "$out/recorder-window.txt" | md5sum)" \
    "$(blocks "$out/past-pod.pcapng" | awk -F'\t' '$5 == "miner-5c4f9"' | md5sum)"
check "and no other pod's" 0 "$(count "$out/past-pod.pcapng" 'k8s.pod && k8s.pod != "miner-5c4f9"')"

# The spool as a client sees it, and the helper's own account.
"$ours" capture --helper "unix:$out/helper.sock" --list-spool > "$out/spool.txt" 2>&1
check "three triggered files listed" 3 "$(awk '$2 == "trigger"' "$out/spool.txt" | wc -l)"
check_ge "the recorder's files listed" 1 "$(awk '$2 == "recorder"' "$out/spool.txt" | wc -l)"
check "a fetched file is the spool's file" "$(md5sum < "$out/spool/$name1")" "$(md5sum < "$out/fetched/$name1")"
check "three captures started and written" 3 "$(grep -c 'trigger .*: wrote ' "$out/helper.log")"
kill -0 "$helper_pid" 2>/dev/null; check "the helper lives" 0 $?
checks_done "trigger stories"
