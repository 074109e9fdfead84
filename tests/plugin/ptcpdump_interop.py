#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ptcpdump interoperability: for each capture ptcpdump wrote and the text it printed for it
(tests/fixtures/pcap/*.pcapng and tests/fixtures/ptcpdump/*.txt; MIT, see fixtures/SOURCES.md), the process fields stratoshark
reads from the packets must be the ones ptcpdump shows: interface, process name and pid,
direction, thread, parent; with -v the command, arguments and user.
Usage: ptcpdump_interop.py STRATOSHARK FIXTURE_DIR"""
import pathlib
import re
import subprocess
import sys

ours, fixtures = sys.argv[1], pathlib.Path(sys.argv[2])
FIELDS = ["frame.interface_name", "frame.packet_flags_direction", "proc.name", "proc.pid", "proc.tid",
          "proc.thread", "proc.pname", "proc.ppid", "proc.exe", "proc.cmdline", "proc.uid", "proc.pexe",
          "proc.pcmdline"]
passed = failed = 0


def ours_fields(capture):
    args = [ours, "-r", str(capture), "-T", "fields", "-E", "separator=\t"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]


def packets(text):
    """Group ptcpdump's output into packets: a line starting with a time, plus indented lines."""
    groups = []
    for line in text.splitlines():
        if re.match(r"^\d\d:\d\d:\d\d\.\d+ ", line):
            groups.append([line])
        elif groups and line.startswith(" "):
            groups[-1].append(line)
    return groups


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: ours {got!r}, ptcpdump {want!r}")


for expected in sorted(fixtures.glob("*.out.txt")):
    capture = fixtures.parent / "pcap" / (expected.name.split(".pcapng")[0] + ".pcapng")
    rows = ours_fields(capture)
    groups = packets(expected.read_text())
    check(f"{expected.name} packet count", len(rows), len(groups))
    for i, (row, group) in enumerate(zip(rows, groups)):
        head = group[0]
        where = f"{expected.name} packet {i + 1}"
        m = re.match(r"^\S+ (\S+) (?:(\S+)\.(\d+) )?(In|Out) ", head)
        if m:
            iface, comm, pid, direction = m.groups()
            check(where + " interface", row["frame.interface_name"], iface)
            check(where + " direction", int(row["frame.packet_flags_direction"], 16), 1 if direction == "In" else 2)
            if comm:
                check(where + " proc.name.pid", f'{row["proc.name"]}.{row["proc.pid"]}', f"{comm}.{pid}")
        if (t := re.search(r"Thread \[([^]]+)\.(\d+)\]", head)):
            check(where + " thread", (row["proc.thread"], row["proc.tid"]), t.groups())
        if (p := re.search(r"ParentProc \[([^]]+)\.(\d+)\]", head)):
            check(where + " parent", (row["proc.pname"], row["proc.ppid"]), p.groups())
        for line in group[1:]:
            if (p := re.match(r"\s+Process \(pid (\d+), cmd (.+?), args (.*)\)$", line)):
                check(where + " process", (row["proc.pid"], row["proc.exe"], row["proc.cmdline"]), p.groups())
            if (u := re.match(r"\s+User \(uid (\d+)\)$", line)):
                check(where + " user", row["proc.uid"], u.group(1))
            if (p := re.match(r"\s+ParentProc \(pid (\d+), cmd (.+?), args (.*)\)$", line)):
                check(where + " parent process", (row["proc.ppid"], row["proc.pexe"], row["proc.pcmdline"]), p.groups())

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
