#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What the helper's TLS secret probes (uprobes on libcrypto's EVP_DigestUpdate and
# EVP_KDF_derive) cost a process doing TLS handshakes: bench/tls_handshakes.py's loop timed by
# hyperfine without the probes, with them attached for every process (the probes' work,
# and no --ebpf-filter to end it early), and with them filtered out by a filter that selects
# another process (the traps only). Root. Prints medians and the ratios.
# Usage: bench/tls-probe-overhead.sh BUILD_DIR [HANDSHAKES] [RUNS]
set -euo pipefail
build=${1:?usage: bench/tls-probe-overhead.sh BUILD_DIR [HANDSHAKES] [RUNS]}
n=${2:-400}
runs=${3:-7}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=lab.test \
    -keyout "$work/k.pem" -out "$work/c.pem" 2> /dev/null
loop="/usr/bin/python3 $here/tls_handshakes.py $work/c.pem $work/k.pem $n"
median() { # LABEL: runs the loop, prints the median seconds
    hyperfine -N --runs "$runs" --warmup 1 --export-json "$work/$1.json" "$loop" > /dev/null
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/$1.json"
}
probe() { # ARGS: start tls_probe and wait until it is attached
    "$build/tests/tls_probe" 600 "$@" > "$work/lines" 2> "$work/probe.err" &
    for _ in $(seq 100); do grep -q '^ready' "$work/probe.err" && return; sleep 0.1; done
    echo "tls_probe did not attach: $(cat "$work/probe.err")" >&2
    exit 1
}
off=$(median off)
probe
on=$(median on)
kill %1; wait 2> /dev/null || true
echo "$n TLS 1.3 handshakes in one process, median of $runs runs:"
echo "  without the probes    $off s"
echo "  with the probes       $on s  ($(python3 -c "print(round($on / $off, 3))")x; $(python3 -c "print(round(($on - $off) / $n * 1e6 / 2, 1))") us per side per handshake)"
echo "  secrets taken         $(wc -l < "$work/lines") lines"
