#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stratoshark-extcap as Wireshark uses it: its sentences parsed as Wireshark's extcap parser
# reads them (a sentence keyword, then {key=value} fields), capture-filter validation, a
# --capture --fifo run whose pcapng stock tshark reads with attributed packets, and stock
# tshark 4.0 itself, run as an unprivileged user whose personal extcap folder holds ours,
# listing the interface and capturing through it (with our plugin, proc.name is there).
# Usage: extcap.sh STRATOSHARK-EXTCAP STRATOSHARK-HELPER STRATOSHARK-PLUGIN OUTDIR   (root)
set -uo pipefail
extcap=$1 helper=$2 plugin=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-extcap-XXXXXX); chmod 755 "$run"
sock=$run/helper.sock
# shellcheck source=veth_lab.sh
. "$here/veth_lab.sh"
helper_pid=
lab_extra_cleanup='[ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$run"'
lab_up sse 209 "$run/www"
ip netns exec "$lab_a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
export STRATOSHARK_HELPER=unix:$sock STRATOSHARK_TARGETS=$run/targets.conf
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }

# Wireshark's parser: each line "keyword {k=v}{k=v}…", keywords it knows, no stray text.
parse() {
    python3 -c '
import re, sys
ok = True
for line in sys.stdin.read().splitlines():
    m = re.fullmatch(r"(extcap|interface|dlt|arg|value|control)((?:\s*\{[a-z_]+=[^}]*\})+)", line)
    if not m:
        ok = False; print("unparsable:", line); continue
    fields = dict(re.findall(r"\{([a-z_]+)=([^}]*)\}", m.group(2)))
    print(m.group(1), " ".join(f"{k}={v}" for k, v in sorted(fields.items())))
sys.exit(0 if ok else 1)'
}
printf '[node-b]\naddress=tls://10.209.0.9:7443\ntls-ca=/etc/ca.pem\n' > "$run/targets.conf"
"$extcap" --extcap-interfaces | parse > "$out/interfaces.txt"
check "--extcap-interfaces parses" "$?" 0
check "one interface per target" "$(grep -c '^interface .*value=stratoshark-' "$out/interfaces.txt")" 2
"$extcap" --extcap-config --extcap-interface stratoshark-node-b | parse > "$out/config.txt"
check "--extcap-config parses" "$?" 0
check "arguments named like the CLI's" "$(grep -o 'call=--[a-z-]*' "$out/config.txt" | sort | tr '\n' ' ')" \
      "call=--buffer-size call=--ebpf-filter call=--filter call=--helper call=--interfaces call=--snaplen call=--syscalls call=--tls-ca call=--tls-cert call=--tls-key "
check "the target's own address and CA as defaults" "$(grep -c 'default=tls://10.209.0.9:7443\|default=/etc/ca.pem' "$out/config.txt")" 2
"$extcap" --extcap-dlts --extcap-interface stratoshark-local | parse > "$out/dlts.txt"
check "--extcap-dlts" "$(cat "$out/dlts.txt")" "dlt display=Ethernet, with processes and pods name=EN10MB number=1"
check "a valid capture filter: nothing said" "$("$extcap" --extcap-capture-filter 'tcp port 8080' --extcap-interface stratoshark-local)" ""
check "an invalid one: libpcap's words" "$("$extcap" --extcap-capture-filter 'tcp port' --extcap-interface stratoshark-local)" \
      "can't parse filter expression: syntax error"

# --capture --fifo, as Wireshark runs it
mkfifo "$run/fifo"
# One reader of the fifo, as Wireshark is: tee keeps a copy while stock tshark reads the stream
# (two readers of one fifo would each get part of it).
(tee "$out/fifo.pcapng" < "$run/fifo" | tshark -r - -T fields -e frame.number > "$out/fifo-read.txt" 2>/dev/null) &
reader=$!
"$extcap" --capture --extcap-interface stratoshark-local --fifo "$run/fifo" --interfaces ssea \
    --extcap-capture-filter 'tcp port 8080' 2>"$out/capture.log" &
capturer=$!
sleep 1.5; lab_traffic; sleep 0.5
kill -TERM $capturer; wait $capturer; rc=$?
wait $reader 2>/dev/null
check "extcap --capture ends cleanly on SIGTERM" "$rc" 0
check "stock tshark reads its pcapng: the GETs" "$(tshark -r "$out/fifo.pcapng" -Y http.request 2>/dev/null | wc -l)" 3
check "…and read it from the fifo as it came" "$(wc -l < "$out/fifo-read.txt")" "$(tshark -r "$out/fifo.pcapng" 2>/dev/null | wc -l)"
check "only what the capture filter keeps" "$(tshark -r "$out/fifo.pcapng" -Y '!(tcp.port == 8080)' 2>/dev/null | wc -l)" 0

# Stock tshark as an unprivileged user (group nogroup, which the helper lets in) whose
# personal extcap folder holds ours.
home=$run/home
mkdir -p "$home/.config/wireshark/extcap" "$home/.local/lib/wireshark/plugins/4.0/epan"
cp "$extcap" "$home/.config/wireshark/extcap/"
cp "$plugin" "$home/.local/lib/wireshark/plugins/4.0/epan/"
chown -R 65534:65534 "$home"
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups env -u STRATOSHARK_TARGETS HOME="$home" "$@"; }
# (tshark loads no personal plugins as root: the user reads the files)
cp "$out/fifo.pcapng" "$home/"; chown 65534 "$home/fifo.pcapng"
check "the fifo's packets attributed (stock tshark + our plugin)" \
      "$(as_user tshark -r "$home/fifo.pcapng" -Y 'http.request && proc.name == "curl"' 2>/dev/null | wc -l)" 3
as_user tshark -D > "$out/tshark-D.txt" 2>&1
check "tshark -D lists our interface" "$(grep -c 'stratoshark-local (Stratoshark: local helper' "$out/tshark-D.txt")" 1
as_user tshark -i stratoshark-local -o 'extcap.stratoshark_local.interfaces:ssea' -f 'tcp port 8080' -a duration:4 \
    -w "$home/tshark.pcapng" > "$out/tshark-capture.log" 2>&1 &
capturer=$!
sleep 2; lab_traffic
wait $capturer
check "tshark captured through it" "$(tshark -r "$home/tshark.pcapng" -Y http.request 2>/dev/null | wc -l)" 3
check "… attributed packets (tshark as the user, our plugin)" \
      "$(as_user tshark -r "$home/tshark.pcapng" -Y 'http.request && proc.name == "curl"' 2>/dev/null | wc -l)" 3
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
