#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Syscall capture: a small program connects to a closed port, opens a file and tries a
# mount that must fail; the helper's records (read back through stratoshark's dissectors)
# carry its pid, the call, the decoded arguments, the result and the errno name.
# Usage: syscalls.sh STRATOSHARK-HELPER STRATOSHARK OUTDIR   (root)
set -uo pipefail
helper=$1
ours=$2
out=$3
rm -rf "$out"; mkdir -p "$out"
cat > "$out/prog.py" <<'PY'
import ctypes, os, socket
print(os.getpid(), flush=True)
s = socket.socket()
try:
    s.connect(("127.0.0.1", 1))          # nothing listens on port 1: ECONNREFUSED
except OSError:
    pass
open("/etc/hostname").read()
libc = ctypes.CDLL(None, use_errno=True)
libc.mount(b"none", b"/nonexistent-stratoshark-target", b"proc", 0, None)  # ENOENT
import subprocess
subprocess.run(["/usr/bin/env", "stratoshark-probe-arg", "--second"], stderr=subprocess.DEVNULL)  # env: exit 127
try:
    os.execv("/nonexistent/stratoshark-binary", ["x"])  # ENOENT, path from the caller's memory
except OSError:
    pass
PY
"$helper" capture -i lo --syscalls connect,openat,mount,execve --duration 4 -w "$out/syscalls.pcapng" 2>"$out/helper.log" &
helper_pid=$!
for _ in $(seq 50); do grep -q capturing "$out/helper.log" && break; sleep 0.1; done
bpftool prog list 2>/dev/null | grep -c "name stratoshark_sc[nx] " | grep -x 2 > "$out/bpftool.txt"
# The shell that forks for $( ) first makes a refused connect of its own (as a shell that
# looks users up through nscd does on some machines), then becomes python3 under the same pid.
pid=$({ echo >/dev/tcp/127.0.0.1/1; } 2>/dev/null; exec python3 "$out/prog.py")
wait $helper_pid
passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', want '$3'"; failed=$((failed + 1)); fi; }
# The pid is first the shell's, then python3's: select the program by name as well.
me="proc.pid == $pid && proc.name == \"python3\""
info() { "$ours" -r "$out/syscalls.pcapng" -Y "$me && $1" -T fields -e _ws.col.Info 2>/dev/null; }
check "connect refused" "$(info 'syscall.name == "connect"' | sed 's/connect([0-9]*,/connect(FD,/')" \
      "python3[$pid]: connect(FD, 127.0.0.1:1) = -1 ECONNREFUSED"
check "openat" "$(info 'syscall.path == "/etc/hostname"' | sed 's/= [0-9]*$/= FD/')" \
      "python3[$pid]: openat(\"/etc/hostname\", O_RDONLY|O_CLOEXEC) = FD"
check "failing mount" "$(info 'syscall.name == "mount" && syscall.ret < 0')" \
      "python3[$pid]: mount(\"none\", \"/nonexistent-stratoshark-target\", \"proc\", 0) = -1 ENOENT"
check "errno field" "$("$ours" -r "$out/syscalls.pcapng" -Y "$me && syscall.name == \"mount\"" -T fields -e syscall.errno -e syscall.fstype -e syscall.latency 2>/dev/null | cut -f1,2)" "ENOENT	proc"
check "expert info on failures" "$("$ours" -r "$out/syscalls.pcapng" -Y "$me && syscall.failed && (syscall.name == \"connect\" || syscall.name == \"mount\")" 2>/dev/null | wc -l)" 2
check "the shell's connect under the same pid" "$("$ours" -r "$out/syscalls.pcapng" -Y "proc.pid == $pid && syscall.name == \"connect\" && syscall.addr == \"127.0.0.1:1\"" -T fields -e proc.name 2>/dev/null | sort | uniq -c | awk '{print $2 ":" $1}' | paste -sd' ')" "bash:1 python3:1"
# A successful execve names the program the kernel ran and its arguments (the seed's
# "malicious binary executed"); a failed one the path it was given.
check "execve: program and argv" "$("$ours" -r "$out/syscalls.pcapng" -Y 'syscall.name == "execve" && syscall.ret == 0 && proc.cmdline contains "stratoshark-probe-arg"' -T fields -e syscall.path -e proc.cmdline 2>/dev/null)" \
      "/usr/bin/env	/usr/bin/env stratoshark-probe-arg --second"
check "failed execve: the path asked for" "$(info 'syscall.name == "execve" && syscall.ret < 0' | grep -c '"/nonexistent/stratoshark-binary".* = -1 ENOENT')" 1
check "bpftool finds the programs by name" "$(grep -c . "$out/bpftool.txt")" 1
check "records on their own interface" "$("$ours" -r "$out/syscalls.pcapng" -Y "syscall" -T fields -e frame.interface_name 2>/dev/null | sort -u)" syscalls
# Each SYN to port 1 links (ss.related.syscall, two passes) the connect() that sent it: the
# packet and the record share the pid, and the call is within a second of the packet.
connects=$("$ours" -r "$out/syscalls.pcapng" -Y "proc.pid == $pid && syscall.name == \"connect\" && syscall.addr == \"127.0.0.1:1\"" -T fields -e frame.number 2>/dev/null)
linked=0
while IFS=$'\t' read -r syn related; do
    for c in $connects; do case ",$related," in *",$c,"*) linked=$((linked + 1)); break ;; esac; done
done < <("$ours" -r "$out/syscalls.pcapng" -2 -Y "tcp.dstport == 1 && tcp.flags.syn == 1 && proc.pid == $pid" -T fields -E aggregator=, -e frame.number -e ss.related.syscall 2>/dev/null)
check "SYNs link their connect() records" "$linked" 2
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
