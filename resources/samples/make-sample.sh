#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates resources/samples/sample.pcapng from real traffic on the loopback interface of
# a private network namespace: DNS lookups (dnsmasq) of names containing "minexmr", HTTP
# GET /api/users (200) and /api/data (404), a TCP stream that stalls at a zero window, a
# retransmitted SYN, and a little UDP. Needs root, dumpcap, dnsmasq, dig, curl, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/sample.pcapng}
# shellcheck source=loopback_lab.sh
. "$here/loopback_lab.sh"

lab_start
lab_in dig +tries=1 +time=2 @127.0.0.1 pool.minexmr.com A >/dev/null
lab_in dig +tries=1 +time=2 @127.0.0.1 xmr-eu1.minexmr.com AAAA >/dev/null
lab_in dig +tries=1 +time=2 @127.0.0.1 api.shop.test A >/dev/null
lab_in curl -s -o /dev/null http://127.0.0.1:8080/api/users
lab_in curl -s -o /dev/null http://127.0.0.1:8080/api/data
lab_in python3 "$here/sample_traffic.py"
lab_finish "$out"
