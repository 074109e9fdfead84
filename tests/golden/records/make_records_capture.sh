#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The capture of every record kind made from the real fixtures: syscall records merged with
# Hubble flows, Falco alerts and Tetragon events by `stratoshark import --into`.
# Usage: make_records_capture.sh STRATOSHARK OUT.pcapng
set -euo pipefail
ours=$1
out=$2
fixtures=$(cd "$(dirname "$0")/../../fixtures" && pwd)
"$ours" import --hubble "$fixtures/hubble/cilium-docs-export-rst-dropped-flows.jsonl" \
    --hubble "$fixtures/hubble/basic-sample-5-http-flows.jsonl" \
    --falco "$fixtures/falco/falcosidekick-readme-payload.json" --falco "$fixtures/falco/critical-alert.json" \
    --tetragon "$fixtures/tetragon/events.json" --tetragon "$fixtures/tetragon/process_kprobe.json" \
    --tetragon "$fixtures/tetragon/privileged-pod-nsenter.json" \
    --into "$fixtures/records/syscalls.pcapng" -w "$out" 2>/dev/null
