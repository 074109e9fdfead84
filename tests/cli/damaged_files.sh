#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every capture in tests/fixtures and the bundled sample, damaged: truncated at random
# offsets and with random bytes flipped in block and record headers (seeded: the same files
# each run). The CLI (-r, -V, -T json) must end in time with tshark's exit status and, when
# that is not 0, say why; the GUI's loader (offscreen) must load each and quit. Never a
# crash, never a hang.
# Usage: damaged_files.sh STRATOSHARK STRATOSHARK-GUI OUTDIR [VARIANTS]
set -u
ours=$1 gui=$2 out=$3 variants=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out/files"
export HOME="$out/home" XDG_RUNTIME_DIR="$out/run" TZ=UTC QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
sources=$(ls "$here"/../fixtures/pcap/*.pcap "$here"/../fixtures/pcap/*.pcapng "$here"/../../resources/samples/sample.pcapng)
python3 - "$out/files" "$variants" $sources <<'PY'
import os, random, struct, sys
outdir, variants, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rng = random.Random(20261128)
def header_offsets(data):
    """Offsets of block (pcapng) or record (pcap) headers: where a flipped byte hurts most."""
    offs = []
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        pos = 0
        while pos + 12 <= len(data) and len(offs) < 10000:
            offs.append(pos)
            n = struct.unpack_from('<I', data, pos + 4)[0]
            if n < 12 or n % 4:
                break
            pos += n
    elif len(data) >= 24:
        big = data[:4] in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d')
        pos = 24
        while pos + 16 <= len(data) and len(offs) < 10000:
            offs.append(pos)
            pos += 16 + struct.unpack_from('>I' if big else '<I', data, pos + 8)[0]
    return offs
for path in paths:
    data = open(path, 'rb').read()
    name = os.path.basename(path)
    heads = header_offsets(data) or [0]
    for v in range(variants):
        d = bytearray(data)
        if v % 2 == 0:   # cut somewhere after the first block
            d = d[:rng.randrange(min(len(d), 64), len(d))]
        for _ in range(1 + v // 2):  # flip bytes in headers
            at = rng.choice(heads) + rng.randrange(0, 16)
            if at < len(d):
                d[at] ^= rng.randrange(1, 256)
        open(os.path.join(outdir, f'{name}.{v}'), 'wb').write(d)
PY
passed=0 failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
for f in "$out"/files/*; do
    for mode in "" "-V" "-T json"; do
        # shellcheck disable=SC2086
        timeout 60 tshark -r "$f" $mode >/dev/null 2>"$out/tshark.err"; want=$?
        # shellcheck disable=SC2086
        timeout 60 "$ours" -r "$f" $mode >/dev/null 2>"$out/ours.err"; got=$?
        label="$(basename "$f") ${mode:--r}"
        if [ $got -eq 124 ]; then fail "$label: hung (60 s)"
        elif [ $got -gt 128 ]; then fail "$label: killed by signal $((got - 128))"; tail -3 "$out/ours.err"
        elif [ $want -le 128 ] && [ $want -ne 124 ] && [ $got -ne $want ]; then fail "$label: exit $got, tshark $want"
        elif [ $got -ne 0 ] && [ ! -s "$out/ours.err" ]; then fail "$label: exit $got without a word"
        else passed=$((passed + 1)); fi
    done
done
# The GUI's loader on a few of each kind (it starts a window per file).
for f in "$out"/files/*.0 "$out"/files/*.1; do
    timeout 60 "$gui" --quit-after-load "$f" >/dev/null 2>"$out/gui.err"; got=$?
    # A file wiretap cannot open at all: the reason and status 2, as tshark's.
    refused=0
    if [ $got -eq 2 ] && grep -q "cannot open" "$out/gui.err"; then
        tshark -r "$f" -c 1 >/dev/null 2>&1
        [ $? -eq 2 ] && [ -z "$(tshark -r "$f" -c 1 2>/dev/null)" ] && refused=1
    fi
    if [ $got -eq 124 ]; then fail "GUI $(basename "$f"): hung (60 s)"
    elif [ $got -ne 0 ] && [ $refused -eq 0 ]; then fail "GUI $(basename "$f"): exit $got"; tail -3 "$out/gui.err"
    else passed=$((passed + 1)); fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
