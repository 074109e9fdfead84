#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What `stratoshark capture` does with the stream (the client writes, never the helper):
# --max-size stops before the file would pass the size, a ring (--ring-size --ring-files)
# keeps the newest N files and each opens on its own, --max-age deletes the ring's old
# files; and without -i the helper takes every interface that is up and those that come up
# during the capture (a veth pair added mid-capture shows up with its packets); loopback
# packets are there once each; a capture whose client is killed goes on into --spool.
# Usage: output_files.sh STRATOSHARK STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
ours=$1
helper=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-out-XXXXXX); chmod 755 "$run"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$(dirname "$0")/veth_lab.sh"
helper_pid= load_pid=
lab_extra_cleanup='kill $load_pid $helper_pid 2>/dev/null; rm -rf "$run"'
lab_up sso 204 "$run/www"
a=$lab_a
head -c 30000 /dev/urandom | base64 > "$run/www/big.txt" # ~40 kB per GET
ip netns exec "$a" "$helper" --socket "$sock" --spool "$run/spool" 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
# Steady traffic: a GET of 40 kB every 0.1 s.
(while :; do lab_in_a curl -s -o /dev/null --max-time 2 "http://$lab_server:8080/big.txt"; sleep 0.1; done) &
load_pid=$!
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
capture() { "$ours" capture --helper "unix:$sock" "$@"; }
readable() { for f in "$@"; do "$ours" -r "$f" -q >/dev/null 2>&1 || { echo "unreadable $f"; return; }; done; echo ok; }

# 1. --max-size: stops on its own, the file no bigger, every block whole
capture -i ssoa --max-size 50kB --duration 20s --output "$out/max.pcapng" 2>"$out/max.log"
check "max-size exit" "$? $(grep -c 'max-size: ' "$out/max.log")" "0 1"
size=$(stat -c %s "$out/max.pcapng")
check "max-size kept" "$([ "$size" -le 50000 ] && [ "$size" -gt 40000 ] && echo within)" within
check "max-size file readable" "$(readable "$out/max.pcapng")" ok
check "max-size says what the file holds" "$(sed -n 's/.* \([0-9]*\) packets fit in --max-size/\1/p' "$out/max.log")" \
      "$("$ours" -r "$out/max.pcapng" 2>/dev/null | wc -l)"

# 2. a ring of 3 files of 20 kB: the newest three stay, each a capture of its own
capture -i ssoa --ring-size 20kB --ring-files 3 --duration 3s --output "$out/ring.pcapng" 2>"$out/ring.log"
check "ring exit" "$?" 0
written=$(sed -n 's/.* \([0-9]*\) files written/\1/p' "$out/ring.log")
check "ring wrote more than it keeps" "$([ "${written:-0}" -gt 3 ] && echo yes)" yes
mapfile -t ring < <(ls "$out"/ring_*.pcapng)
check "ring keeps 3" "${#ring[@]}" 3
check "ring names" "$(basename "${ring[0]}" | sed 's/_[0-9]\{5\}_[0-9]\{14\}\.pcapng$/_N_TIME.pcapng/')" ring_N_TIME.pcapng
check "ring files are the newest" "$(basename "${ring[2]}" | cut -d_ -f2)" "$(printf %05d "$written")"
check "ring files readable" "$(readable "${ring[@]}")" ok
check "ring files within size" "$(for f in "${ring[@]:0:2}"; do [ "$(stat -c %s "$f")" -le 20000 ] || echo "$f"; done)" ""
check "each ring file has the interface" "$(for f in "${ring[@]}"; do "$ours" -r "$f" -c 1 -T fields -e frame.interface_name 2>/dev/null; done | sort -u)" ssoa

# 3. --max-age: files older than 1 s go while the ring runs
capture -i ssoa --ring-size 20kB --max-age 1s --duration 4s --output "$out/age.pcapng" 2>"$out/age.log"
now=$(date +%s)
mapfile -t aged < <(ls "$out"/age_*.pcapng)
written=$(sed -n 's/.* \([0-9]*\) files written/\1/p' "$out/age.log")
check "max-age deleted old files" "$([ "${written:-0}" -gt "${#aged[@]}" ] && echo yes)" yes
check "max-age left young files" "$(for f in "${aged[@]}"; do [ $((now - $(stat -c %Y "$f"))) -le 2 ] || echo "$f"; done)" ""
check "ring options need --ring-size" "$(capture --ring-files 3 --output "$out/x.pcapng" 2>&1 >/dev/null | grep -c 'need --ring-size')" 1
check "bad size" "$(capture --max-size 10XB --output "$out/x.pcapng" 2>&1 >/dev/null | grep -c 'bad --max-size "10XB"')" 1

# 4. no -i: every interface that is up, and one that comes up during the capture
capture --duration 4s --output "$out/all.pcapng" 2>"$out/all.log" &
client=$!
sleep 1.2
ip link add ssox type veth peer name ssoy
ip link set ssox netns "$a"; ip link set ssoy netns "$lab_b"
ip -n "$a" addr add 10.205.0.1/24 dev ssox; ip -n "$lab_b" addr add 10.205.0.2/24 dev ssoy
ip -n "$a" link set ssox up; ip -n "$lab_b" link set ssoy up
sleep 1.5
lab_in_a bash -c 'for i in 1 2 3; do echo hello > /dev/udp/10.205.0.2/9999; done; echo x > /dev/udp/127.0.0.1/9'
wait $client
check "all interfaces exit" "$?" 0
check "interfaces in the file" "$("$ours" -r "$out/all.pcapng" -T fields -e frame.interface_name 2>/dev/null | sort -u | paste -sd' ')" "lo ssoa ssox"
check "the new interface's packets" "$("$ours" -r "$out/all.pcapng" -Y 'frame.interface_name == "ssox" && udp.dstport == 9999 && !icmp' 2>/dev/null | wc -l)" 3
check "loopback packets once each, as tcpdump has them" \
      "$("$ours" -r "$out/all.pcapng" -Y 'frame.interface_name == "lo" && udp.dstport == 9 && !icmp' 2>/dev/null | wc -l)" 1
# 5. the client goes away mid-capture (kill -9): with --spool, the helper finishes the
# capture it was asked for (3 s) into its spool folder; the client's file ends where it died
"$ours" capture --helper "unix:$sock" -i ssoa --duration 3s --output "$out/killed.pcapng" 2>/dev/null &
client=$! # the client itself (not a subshell), so that kill -9 reaches it
sleep 1; kill -9 $client; wait $client 2>/dev/null
sleep 3
mapfile -t spooled < <(ls "$run"/spool/*-uid0-*.pcapng 2>/dev/null)
check "one spool file" "${#spooled[@]}" 1
check "spool file readable" "$(readable "${spooled[@]}")" ok
last() { "$ours" -r "$1" -T fields -e frame.time_epoch 2>/dev/null | tail -1; }
check "the capture went on after the client died" \
      "$(awk -v s="$(last "${spooled[0]}")" -v c="$(last "$out/killed.pcapng")" 'BEGIN {print (s - c >= 1.5 ? "yes" : s - c)}')" yes
check "the helper says where" "$(grep -c 'client gone; the capture goes on into .*spool/' "$out/helper.log")" 1
check "spool folder and file: root's, the group may read" "$(stat -c '%a %U' "$run/spool") $(stat -c '%a %U' "${spooled[0]}")" "750 root 640 root"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
