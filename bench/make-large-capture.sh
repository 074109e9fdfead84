#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes the benchmark capture (>= 1 M packets with SCALE 1.1) from real loopback traffic in
# a private network namespace. Usage: make-large-capture.sh OUT.pcapng [SCALE]   (root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
scale=${2:-1.1}
# shellcheck source=../resources/samples/loopback_lab.sh
. "$here/../resources/samples/loopback_lab.sh"

lab_start -B 256
lab_in python3 "$here/load.py" "$scale"
lab_finish "$out"
