#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The GUI capturing for real: a veth lab this script makes (namespace A with the helpers and
# the GUI test, B with an HTTP server), a helper on a Unix socket, one on TLS with test
# certificates (alice allowed, eve not), and a third one the test kills mid-capture. The
# QtTest (offscreen) drives Capture → Options, the welcome page and the capture itself, and
# saves capture-options.png and live-capture.png beside its files.
# Usage: live_capture.sh GUI-LIVE-TESTS STRATOSHARK-HELPER OUTDIR   (root)
set -uo pipefail
tests=$1 helper=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"; mkdir -p "$out"
run=$(mktemp -d /tmp/ss-gui-live-XXXXXX); chmod 755 "$run"
# shellcheck source=../capture/veth_lab.sh
. "$here/../capture/veth_lab.sh"
pids=()
lab_extra_cleanup='for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$run"'
lab_up ssg 214 "$run/www"
a=$lab_a
"$here/../../packaging/kubernetes/make-certs.sh" "$run/certs" --node node-a,10.214.0.1 --client alice --client eve >/dev/null 2>&1
start_helper() { # SOCKET LOG [options]
    local sock=$1 log=$2; shift 2
    ip netns exec "$a" "$helper" --socket "$sock" --group nogroup --k8s-metadata none "$@" 2>"$log" &
    last=$!
    pids+=($last)
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
}
start_helper "$run/local.sock" "$out/helper-local.log" --node-name node-a --listen 10.214.0.1:7443 \
    --tls-cert "$run/certs/node-node-a.pem" --tls-key "$run/certs/node-node-a.key" --client-ca "$run/certs/ca.pem" \
    --allow-client alice
start_helper "$run/doomed.sock" "$out/helper-doomed.log" --node-name doomed
doomed=$last
export HOME=$run/home XDG_RUNTIME_DIR=$run/runtime QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
export STRATOSHARK_HELPER=unix:$run/local.sock STRATOSHARK_TARGETS=$run/targets.conf
export SS_TEST_IFACE=ssga SS_TEST_SERVER=$lab_server SS_TEST_OUT=$out
export SS_TEST_TLS=tls://10.214.0.1:7443 SS_TEST_CERTS=$run/certs
export SS_TEST_DOOMED=unix:$run/doomed.sock SS_TEST_DOOMED_PID=$doomed
ip netns exec "$a" "$tests" 2>&1 | tee "$out/qtest.log"
rc=${PIPESTATUS[0]}
for shot in capture-options live-capture; do
    f="$out/$shot.png"
    if [ ! -s "$f" ] || [ "$(stat -c %s "$f")" -lt 10000 ]; then echo "FAIL missing or blank: $f"; rc=1; fi
done
exit $rc
