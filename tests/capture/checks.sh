# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the capture tests: counted checks that say what they saw.
#   check NAME EXPECTED ACTUAL      equal strings
#   check_ge NAME MIN ACTUAL        a number at least MIN (decimals too)
#   checks_done LABEL               the summary line; the status to exit with
passed=0 failed=0
check() {
    if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok: $1"
    else failed=$((failed + 1)); echo "FAIL: $1: expected [$2], got [$3]"; fi
}
check_ge() {
    if python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) >= float(sys.argv[1]) else 1)' "$2" "${3:-x}" 2>/dev/null; then
        passed=$((passed + 1)); echo "ok: $1 ($3)"
    else failed=$((failed + 1)); echo "FAIL: $1: expected at least $2, got [${3:-nothing}]"; fi
}
checks_done() { echo "$1: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
