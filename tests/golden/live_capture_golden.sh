#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes a fresh capture from real loopback traffic in a private network namespace (the
# bundled sample's generator) and runs the golden comparison on it.
set -eu
ours=$1
outdir=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"
if [ "$(id -u)" -ne 0 ]; then
    echo "needs root for network namespaces and dumpcap"
    exit 1
fi
"$here/../../resources/samples/make-sample.sh" "$outdir/live.pcapng" </dev/null
exec "$here/compare_with_tshark.sh" "$ours" "$outdir/live.pcapng" "$outdir/compare"
