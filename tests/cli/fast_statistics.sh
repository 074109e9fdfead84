#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The statistics fast path (app/engine/fast_conversations.h) against epan and tshark:
#  1. every conversation and endpoint table of every fixture capture is byte-identical
#     through the fast path and through epan, with the same exit status;
#  2. the fast path is taken where it should be (no reason printed with
#     STRATOSHARK_STATS_PATH=fast) and refused, with its reason, on tunnels and link types
#     it does not read;
#  3. random slices of the captures (flows cut at both ends: no SYN, no FIN) print what
#     tshark prints, and so do files cut at a random byte (same tables, same exit status).
#     The seed is printed; SS_SLICE_SEED replays a run.
# Usage: fast_statistics.sh STRATOSHARK FIXTURES SAMPLE OUTDIR
set -u
ours=$1 fixtures=$2 sample=$3 out=$4
mkdir -p "$out"
export TZ=UTC LC_ALL=C.UTF-8 HOME="$out/home"
mkdir -p "$HOME"
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

zs=()
for z in conv,eth conv,ip conv,ipv6 conv,tcp conv,udp endpoints,eth endpoints,ip endpoints,ipv6 endpoints,tcp endpoints,udp; do
    zs+=(-z "$z")
done
captures=("$fixtures"/pcap/*.pcap "$fixtures"/pcap/*.pcapng "$fixtures"/pcap/*.pcap.gz "$sample"
          "$fixtures"/slices/node-mix.pcapng)
compared=0
for capture in "${captures[@]}"; do
    # All ten tables in one run (drawn in epan's order), then each through epan.
    STRATOSHARK_STATS_PATH=fast "$ours" -r "$capture" -q "${zs[@]}" > "$out/fast.txt" 2> /dev/null
    a=$?
    STRATOSHARK_STATS_PATH=epan "$ours" -r "$capture" -q "${zs[@]}" > "$out/epan.txt" 2> /dev/null
    b=$?
    if ! cmp -s "$out/fast.txt" "$out/epan.txt" || [ $a -ne $b ]; then
        fail "$(basename "$capture"): the fast path and epan differ (exit $a vs $b)"
        diff "$out/epan.txt" "$out/fast.txt" | head -10
    fi
    compared=$((compared + $(grep -c '^Filter:' "$out/epan.txt")))
done
[ "$compared" -ge $((10 * ${#captures[@]})) ] || fail "only $compared tables printed"
echo "ok: $compared tables identical through the fast path and epan"

# Endpoint tables are summed from conversation rows: from a requested conversation table
# of the same kind (above), or from rows counted only for them (here, each table alone and
# next to another kind's conversations).
alone=0
for capture in "$sample" "$fixtures/slices/node-mix.pcapng" "$fixtures/pcap/dns_tcp.pcap.gz"; do
    for z in "-z endpoints,eth" "-z endpoints,ip" "-z endpoints,ipv6" "-z endpoints,tcp" "-z endpoints,udp" \
        "-z endpoints,tcp -z conv,udp -z endpoints,udp -z endpoints,tcp"; do
        # shellcheck disable=SC2086 # $z is several words on purpose
        STRATOSHARK_STATS_PATH=fast "$ours" -r "$capture" -q $z > "$out/fast.txt" 2> /dev/null
        # shellcheck disable=SC2086
        STRATOSHARK_STATS_PATH=epan "$ours" -r "$capture" -q $z > "$out/epan.txt" 2> /dev/null
        if cmp -s "$out/fast.txt" "$out/epan.txt" && grep -q '^Filter:' "$out/epan.txt"; then
            alone=$((alone + 1))
        else
            fail "$(basename "$capture") $z: the fast path and epan differ"
            diff "$out/epan.txt" "$out/fast.txt" | head -6
        fi
    done
done
echo "ok: $alone endpoint requests without their conversation table identical through both paths"

taken() { # CAPTURE: the fast path takes it (nothing on stderr) and has rows to show
    STRATOSHARK_STATS_PATH=fast "$ours" -r "$1" -q -z conv,ip > "$out/taken.txt" 2> "$out/taken.err"
    if [ -s "$out/taken.err" ] || [ "$(grep -c '<->' "$out/taken.txt")" -eq 0 ]; then
        fail "the fast path was not taken for $(basename "$1"): $(cat "$out/taken.err")"
    else
        echo "ok: fast path taken for $(basename "$1")"
    fi
}
refused() { # CAPTURE TEXT: epan does it, and the reason says TEXT
    STRATOSHARK_STATS_PATH=fast "$ours" -r "$1" -q -z conv,udp > /dev/null 2> "$out/refused.err"
    if grep -q "statistics through epan: .*$2" "$out/refused.err"; then
        echo "ok: $(basename "$1") through epan ($2)"
    else
        fail "$(basename "$1"): expected a refusal naming \"$2\", got: $(cat "$out/refused.err")"
    fi
}
taken "$sample"
taken "$fixtures/pcap/tcp.pcapng"
taken "$fixtures/pcap/dns_tcp.pcap.gz"
taken "$fixtures/slices/node-mix.pcapng"
refused "$fixtures/pcap/vxlan.pcap" "UDP port 4789 goes to a tunnel"
refused "$fixtures/pcap/geneve.pcap" "UDP port 6081 goes to a tunnel"
refused "$fixtures/pcap/quic_handshake.pcap" "frame 1: a link type other than Ethernet or raw IP"
STRATOSHARK_STATS_PATH=fast "$ours" -r "$sample" -q -z conv,tcp,tcp.len>0 > /dev/null 2> "$out/filter.err"
grep -q "beyond conversations and endpoints" "$out/filter.err" && echo "ok: a table with a filter goes through epan" ||
    fail "a filtered table: $(cat "$out/filter.err")"

# A payload epan's enabled heuristics may read as a packet inside (here RFtap's magic) on
# ports no dissector claims: epan counts. The same bytes to DNS's port: the fast path does.
# Port pairs are judged as epan's UDP dispatches them (lower port first): a DNS query from
# port 37008 (TZSP's) is DNS; a datagram between 37008 and a port without a dissector, or
# an empty one (DNS refuses it, so epan tries 37008), is not for the fast path.
python3 - "$out" <<'PY'
import struct, sys
def frame(sport, dport, payload):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
query = bytes.fromhex("123401000001000000000000076578616d706c6503636f6d0000010001")  # example.com A
for name, sport, dport, payload in (("heuristic", 40000, 40001, b"RFta" + bytes(28)),
                                    ("dns-port", 40000, 53, b"RFta" + bytes(28)),
                                    ("dns-from-37008", 37008, 53, query),
                                    ("tzsp-pair", 37008, 40000, bytes([1, 0, 0, 1, 1]) + bytes(40)),
                                    ("dns-empty", 37008, 53, b"")):
    with open("%s/%s.pcap" % (sys.argv[1], name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        data = frame(sport, dport, payload)
        f.write(struct.pack("<IIII", 1700000000, 0, len(data), len(data)) + data)
PY
refused "$out/heuristic.pcap" "a payload epan's heuristics may read as packets inside"
taken "$out/dns-port.pcap"
taken "$out/dns-from-37008.pcap"
refused "$out/tzsp-pair.pcap" "UDP port 37008 goes to a tunnel.*(ports 37008 and 40000)"
refused "$out/dns-empty.pcap" "UDP port 37008 goes to a tunnel"
for name in dns-from-37008 tzsp-pair dns-empty; do
    "$ours" -r "$out/$name.pcap" -q "${zs[@]}" > "$out/ours.txt" 2> /dev/null
    tshark -r "$out/$name.pcap" -q "${zs[@]}" > "$out/tshark.txt" 2> /dev/null
    cmp -s "$out/ours.txt" "$out/tshark.txt" && echo "ok: $name.pcap as tshark" || fail "$name.pcap differs from tshark"
done

# A pipe is read once: what the fast path cannot count (a tunnel) is counted by epan from
# the same single read, as tshark counts it.
for capture in "$fixtures/pcap/vxlan.pcap" "$fixtures/pcap/ssh.pcap"; do
    "$ours" -r - -q -z conv,udp -z conv,tcp < "$capture" > "$out/ours.txt" 2> /dev/null
    tshark -r - -q -z conv,udp -z conv,tcp < "$capture" > "$out/tshark.txt" 2> /dev/null
    cmp -s "$out/ours.txt" "$out/tshark.txt" && echo "ok: $(basename "$capture") from a pipe as tshark" ||
        fail "$(basename "$capture") from a pipe differs from tshark"
done

# Random slices against tshark itself.
seed=${SS_SLICE_SEED:-$(date +%s)}
echo "slice seed $seed"
RANDOM=$seed
slices=0
for capture in "$fixtures/slices/node-mix.pcapng" "$fixtures/slices/node-mix.pcapng" "$sample" "$fixtures/pcap/ssh.pcap"; do
    n=$(capinfos -Mc "$capture" 2>/dev/null | awk '/Number of packets/ {print $NF}')
    [ -n "$n" ] && [ "$n" -gt 2 ] || { fail "capinfos on $(basename "$capture")"; continue; }
    for _ in 1 2 3; do
        first=$((RANDOM % n + 1))
        last=$((first + RANDOM % (n - first + 1)))
        editcap -r "$capture" "$out/slice.pcapng" "$first-$last" 2> /dev/null
        "$ours" -r "$out/slice.pcapng" -q "${zs[@]}" > "$out/ours.txt" 2> /dev/null
        tshark -r "$out/slice.pcapng" -q "${zs[@]}" > "$out/tshark.txt" 2> /dev/null
        if ! cmp -s "$out/ours.txt" "$out/tshark.txt"; then
            fail "$(basename "$capture") frames $first-$last differ from tshark"
            diff "$out/tshark.txt" "$out/ours.txt" | head -6
        fi
        slices=$((slices + $(grep -c '^Filter:' "$out/tshark.txt")))
    done
done
echo "ok: $slices sliced tables as tshark prints them"

# Files cut at random bytes (a capture still being written, a copy cut short): our reader
# stops, wiretap reports the damage, and what is printed and the exit status are tshark's.
for capture in "$fixtures/slices/node-mix.pcapng" "$fixtures/pcap/ssh.pcap"; do
    size=$(stat -c %s "$capture")
    for _ in 1 2 3; do
        cut=$((RANDOM * 32768 % size + RANDOM % size))
        cut=$((cut % size))
        head -c "$cut" "$capture" > "$out/cut.${capture##*.}"
        "$ours" -r "$out/cut.${capture##*.}" -q -z conv,tcp -z endpoints,ip > "$out/ours.txt" 2> "$out/ours.err"
        a=$?
        tshark -r "$out/cut.${capture##*.}" -q -z conv,tcp -z endpoints,ip > "$out/tshark.txt" 2> "$out/tshark.err"
        b=$?
        if ! cmp -s "$out/ours.txt" "$out/tshark.txt" || [ $a -ne $b ]; then
            fail "$(basename "$capture") cut at byte $cut: exit $a vs tshark's $b or a different table"
            diff "$out/tshark.txt" "$out/ours.txt" | head -6
        else
            echo "ok: $(basename "$capture") cut at byte $cut: exit $a as tshark"
        fi
    done
done
echo "$failed failed"
[ $failed -eq 0 ]
