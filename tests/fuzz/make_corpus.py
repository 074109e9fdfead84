#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seeds for the fuzz targets, from the project's fixtures (tests/fixtures, whose sources
SOURCES.md names) and its docs. Writes tests/fuzz/corpus/TARGET/seed-*; crash inputs found
later are added beside them by hand (crash-*), and this script leaves those alone.

  make_corpus.py STRATOSHARK   (the built CLI: it imports the event fixtures into records)
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(TOP, "tests", "fixtures")
SEP = b"\n--\n"
sys.path.insert(0, os.path.join(TOP, "tests", "capture"))
import ipc_client  # noqa: E402  (the raw protocol writer the helper-fault tests use)


def blocks(path):
    """(type, body) of each pcapng block (little-endian sections only)."""
    data = open(path, "rb").read()
    at = 0
    while at + 12 <= len(data):
        btype, length = struct.unpack_from("<II", data, at)
        if length < 12 or at + length > len(data):
            return
        yield btype, data[at + 8:at + length - 4]
        at += length


def packets(path):
    """(interface id, link type, bytes, [comments]) of each Enhanced Packet Block."""
    links = []
    for btype, body in blocks(path):
        if btype == 0x0A0D0D0A:
            links = []
        elif btype == 1:
            links.append(struct.unpack_from("<H", body)[0])
        elif btype == 6:
            iface, _, _, caplen, _ = struct.unpack_from("<IIIII", body)
            data = body[20:20 + caplen]
            opts, comments = body[20 + (caplen + 3) // 4 * 4:], []
            o = 0
            while o + 4 <= len(opts):
                code, size = struct.unpack_from("<HH", opts, o)
                if code == 0:
                    break
                if code == 1:
                    comments.append(opts[o + 4:o + 4 + size])
                o += 4 + (size + 3) // 4 * 4
            yield iface, links[iface] if iface < len(links) else -1, data, comments


def write(target, seeds):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.startswith("seed-"):
            os.unlink(os.path.join(folder, old))
    for seed in seeds:
        name = "seed-" + hashlib.sha1(seed).hexdigest()[:16]
        with open(os.path.join(folder, name), "wb") as f:
            f.write(seed)
    print("%-24s %3d seeds" % (target, len(seeds)))


def imported(cli, kind, path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.pcapng")
        subprocess.run([cli, "import", "--" + kind, path, "-w", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [data for _, _, data, _ in packets(out)]


def main():
    cli = sys.argv[1]
    pcaps = sorted(os.path.join(FIX, "pcap", n) for n in os.listdir(os.path.join(FIX, "pcap"))
                   if n.endswith((".pcap", ".pcapng", ".gz")))
    captures = pcaps + [os.path.join(FIX, "records", "syscalls.pcapng")]
    write("fuzz_capture_file", [open(p, "rb").read() for p in captures])
    # The fast path's reader: the uncompressed fixtures (the two slice-* files beside them are
    # 60 and 30 frames of tests/fixtures/slices/node-mix.pcapng, cut with editcap, kept by hand).
    write("fuzz_fast_statistics", [open(p, "rb").read() for p in pcaps if not p.endswith(".gz")])

    syscalls = [d for _, lt, d, _ in packets(os.path.join(FIX, "records", "syscalls.pcapng")) if lt == 148]
    write("fuzz_record_syscall", [s for s in syscalls] + [SEP.join(syscalls)])
    events = {
        "falco": [os.path.join(FIX, "falco", n) for n in sorted(os.listdir(os.path.join(FIX, "falco")))]
                 + [os.path.join(FIX, "related", n) for n in ("alert.json", "far-alert.json")],
        "tetragon": [os.path.join(FIX, "tetragon", n) for n in sorted(os.listdir(os.path.join(FIX, "tetragon")))]
                    + [os.path.join(FIX, "related", "exec.json")],
        "hubble": [os.path.join(FIX, "hubble", n) for n in sorted(os.listdir(os.path.join(FIX, "hubble")))]
                  + [os.path.join(FIX, "related", "flow.json")],
    }
    records = {k: [r for p in paths for r in imported(cli, k, p)] for k, paths in events.items()}
    write("fuzz_record_flow", records["hubble"][:12] + [SEP.join(records["hubble"][:6])])
    security = records["falco"][:8] + records["tetragon"][:8]
    write("fuzz_record_security", security + [SEP.join(security[:6])])
    for kind, paths in events.items():
        seeds = []
        for p in paths:
            text = open(p, "rb").read()
            seeds.append(text)
            seeds += [line for line in text.split(b"\n") if line.strip()][:6]
        write("fuzz_import_" + kind, seeds)

    meta = []
    for name in ("curl-user.pcapng", "curl-thread.pcapng", "dns.pcapng", "tcp.pcapng"):
        parts = [b"\n".join(c) + b"\0" + d for _, lt, d, c in packets(os.path.join(FIX, "pcap", name)) if lt == 1]
        meta += parts[:3] + [SEP.join(parts[:8])]
    write("fuzz_packet_metadata", meta)

    frames = [d for name in ("dns.pcapng", "tcp.pcapng", "curl-user.pcapng")
              for _, lt, d, _ in packets(os.path.join(FIX, "pcap", name)) if lt == 1][:24]
    expressions = [b"tcp", b"udp port 53", b"host 10.0.0.1", b"tcp[tcpflags] & tcp-syn != 0", b"ip6",
                   b"vlan and udp", b"not arp and len > 100", b"net 192.168.0.0/16 or icmp",
                   b"ip[2:2] / (tcp[0] & 0) > 1", b"ether[12:2] << ip[0] == 0", b"portrange 8000-8100",
                   b"ip proto 132", b"ether broadcast", b"greater 60"]
    write("fuzz_tcpdump_filter", [e + b"\n" + SEP.join(frames[i % 3::3][:6]) for i, e in enumerate(expressions)])

    write("fuzz_ebpf_filter", [b'k8s.pod == web-1', b'proc.name == "curl" and not k8s.ns == kube-system',
                               b'!(proc.pid == 1 || container.id == 0123456789ab)', b'k8s.pod == default/web-1',
                               b'proc.pid', b'not not not k8s.ns != x', b'(k8s.pod==a or k8s.pod==b) && proc.name'])

    requests = [
        ipc_client.hello(),
        ipc_client.hello(client="with\nnewline"),
        ipc_client.start_capture(interfaces=["lo"], duration_ms=1000, bpf_filter="tcp port 80"),
        ipc_client.start_capture(interfaces=["lo\0x"], duration_ms=2 ** 63),
        ipc_client.start_capture(metadata_filter='k8s.pod == "web"', syscalls="default"),
        ipc_client.start_capture(interfaces=["nope0"], bpf_filter="tcp port"),
        ipc_client.field(2, b""),   # list interfaces
    ]
    write("fuzz_ipc_request", [b"".join(ipc_client.frame(r) for r in requests[:2]) + ipc_client.frame(r)
                               for r in requests[2:]] + [ipc_client.frame(r) for r in requests[:2]])

    rules = open(os.path.join(TOP, "docs", "TRIGGERS.md"), "rb").read()
    yaml = rules[rules.index(b"triggers:\n"):]
    yaml = yaml[:yaml.index(b"```")]
    write("fuzz_trigger_rules", [yaml, yaml + b"\n---alert---\npod_name=web;rm\npod_ip=10.0.0.7 or 1\n",
                                 b"triggers:\n- name: a\n  priority: critical\n  filter: \"port {{ .x }}\"\n"
                                 b"\n---alert---\nx=80\n"])

    write("fuzz_pcapng_roundtrip", [bytes(range(256)), b"\x01" * 64, os.urandom(0) + b"stratoshark" * 20])


if __name__ == "__main__":
    main()
