#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS secrets in captures (issue 15, the file side): real TLS 1.3 and 1.2 sessions made by
# OpenSSL (tls_session.py: memory BIOs, no network) and their key logs.
#  1. `stratoshark import --tls-keys KEYLOG --into CAPTURE -w OUT` writes Decryption Secrets
#     Blocks that stock tshark reads with no key file: the HTTP request inside TLS appears, as
#     with `editcap --inject-secrets`; our engine decrypts the file too (one process and two
#     workers), printing what tshark prints.
#  2. `stratoshark -r FILE --export-tls-keys K` gives the key log back (mode 0600); a file
#     without secrets says so; `import --into` keeps the secrets a capture holds already; a
#     key log larger than one block is cut at line ends into blocks tshark reads.
#  3. A bad key log is refused with its line number, nothing written; --tls-keys without
#     --into is refused.
# Usage: tls_secrets.sh STRATOSHARK OUTDIR
set -uo pipefail
ours=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
export TZ=UTC LC_ALL=C.UTF-8 HOME=$out
failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
fields=(-T fields -e frame.number -e http.request.method -e http.request.uri -e http.response.code -e http.file_data)

for v in 1.3 1.2; do
    name=tls${v/./}
    uri=/inside-tls-$v
    python3 "$here/tls_session.py" "$out" "$name" "$v" "$uri" || { fail "TLS $v session"; continue; }
    plain=$out/$name.pcap keys=$out/$name.keys
    check "TLS $v: no HTTP without the secrets" "" "$(tshark -r "$plain" -Y http 2> /dev/null)"
    "$ours" import --tls-keys "$keys" --into "$plain" -w "$out/$name-dsb.pcapng" 2> "$out/$name-import.err"
    check "TLS $v: import exit status" 0 $?
    grep -q "18 packets.*5 TLS secrets\|18 packets.*1 TLS secrets" "$out/$name-import.err" &&
        ok "TLS $v: import counts packets and secrets" || fail "TLS $v: import said $(cat "$out/$name-import.err")"
    check "TLS $v: stock tshark decrypts our file" "$uri" \
        "$(tshark -r "$out/$name-dsb.pcapng" -Y http.request -T fields -e http.request.uri 2> /dev/null)"
    editcap --inject-secrets "tls,$keys" "$plain" "$out/$name-editcap.pcapng" 2> /dev/null
    check "TLS $v: the same HTTP as editcap --inject-secrets" \
        "$(tshark -r "$out/$name-editcap.pcapng" -Y http "${fields[@]}" 2> /dev/null)" \
        "$(tshark -r "$out/$name-dsb.pcapng" -Y http "${fields[@]}" 2> /dev/null)"
    for workers in 1 2; do
        for args in "-Y http" "-Y http -V" "-T fields -e frame.number -e tls.record.content_type -e http.request.uri"; do
            # shellcheck disable=SC2086
            a=$(STRATOSHARK_WORKERS=$workers "$ours" -r "$out/$name-dsb.pcapng" $args 2> /dev/null)
            # shellcheck disable=SC2086
            b=$(tshark -r "$out/$name-dsb.pcapng" $args 2> /dev/null)
            if [ "$a" = "$b" ] && grep -q "$uri" <<< "$a"; then
                ok "TLS $v, $workers worker(s): ours decrypts as tshark ($args)"
            else
                fail "TLS $v, $workers worker(s): ours differs from tshark ($args)"
                diff <(echo "$b") <(echo "$a") | head -5
            fi
        done
    done
    "$ours" -r "$out/$name-dsb.pcapng" -q --export-tls-keys "$out/$name-back.keys"
    check "TLS $v: --export-tls-keys exit status" 0 $?
    check "TLS $v: the exported key log is the one imported" "$(grep -v '^#' "$keys")" "$(cat "$out/$name-back.keys")"
    check "TLS $v: exported keys are private (0600)" 600 "$(stat -c %a "$out/$name-back.keys")"
done

# A capture with no secrets: an empty key log and a note.
"$ours" -r "$out/tls13.pcap" -q --export-tls-keys "$out/none.keys" 2> "$out/none.err"
check "no secrets: exit status" 0 $?
check "no secrets: empty key log" 0 "$(stat -c %s "$out/none.keys")"
grep -q "holds no TLS secrets" "$out/none.err" && ok "no secrets: said so" || fail "no secrets: $(cat "$out/none.err")"

# import --into a file with secrets keeps them, and adds more.
"$ours" import --tls-keys "$out/tls12.keys" --into "$out/tls13-dsb.pcapng" -w "$out/both.pcapng" 2> /dev/null
check "kept secrets: TLS 1.3 still decrypts" /inside-tls-1.3 \
    "$(tshark -r "$out/both.pcapng" -Y http.request -T fields -e http.request.uri 2> /dev/null)"
"$ours" -r "$out/both.pcapng" -q --export-tls-keys "$out/both.keys"
check "kept secrets: the file's and the added ones" \
    "$(grep -hv '^#' "$out/tls12.keys" "$out/tls13.keys" | sort)" "$(sort "$out/both.keys")"
check "kept secrets: in file order (the injected ones first)" "$(grep -hv '^#' "$out/tls12.keys" "$out/tls13.keys")" \
    "$(cat "$out/both.keys")"

# A key log of 3 MB (other sessions' secrets around the real ones): several blocks, all read.
python3 - "$out/tls13.keys" > "$out/big.keys" <<'PY'
import random, sys
random.seed(7)
real = [l for l in open(sys.argv[1]) if not l.startswith("#")]
for i in range(15000):
    print("CLIENT_TRAFFIC_SECRET_0 %064x %096x" % (random.getrandbits(256), random.getrandbits(384)))
sys.stdout.write("".join(real))
PY
"$ours" import --tls-keys "$out/big.keys" --into "$out/tls13.pcap" -w "$out/big.pcapng" 2> /dev/null
check "big key log: tshark decrypts" /inside-tls-1.3 \
    "$(tshark -r "$out/big.pcapng" -Y http.request -T fields -e http.request.uri 2> /dev/null)"
blocks=$(python3 - "$out/big.pcapng" <<'PY'
import struct, sys
data, at, n = open(sys.argv[1], "rb").read(), 0, 0
while at < len(data):
    kind, length = struct.unpack_from("<II", data, at)
    n += kind == 0x0A
    at += length
print(n)
PY
)
[ "$blocks" -ge 3 ] && ok "big key log: $blocks Decryption Secrets Blocks" || fail "big key log: $blocks blocks"
"$ours" -r "$out/big.pcapng" -q --export-tls-keys "$out/big-back.keys"
check "big key log: every line back, in order" "$(cat "$out/big.keys")" "$(cat "$out/big-back.keys")"

# Bad key logs: refused with the line, nothing written.
printf '# comment\nCLIENT_RANDOM 00112233 nothex\n' > "$out/bad.keys"
"$ours" import --tls-keys "$out/bad.keys" --into "$out/tls13.pcap" -w "$out/bad.pcapng" 2> "$out/bad.err"
check "bad key log: exit status" 2 $?
grep -q 'bad.keys": line 2: the client random must be 32 bytes in hex' "$out/bad.err" &&
    ok "bad key log: names the line" || fail "bad key log: $(cat "$out/bad.err")"
[ ! -e "$out/bad.pcapng" ] && ok "bad key log: nothing written" || fail "bad key log: a file was written"
printf 'HELLO 00 11\n' > "$out/label.keys"
"$ours" import --tls-keys "$out/label.keys" --into "$out/tls13.pcap" -w "$out/bad.pcapng" 2> "$out/label.err"
grep -q "line 1: not a TLS secret label" "$out/label.err" && ok "unknown label refused" || fail "label: $(cat "$out/label.err")"
"$ours" import --tls-keys "$out/tls13.keys" -w "$out/bad.pcapng" 2> "$out/nointo.err"
check "--tls-keys without --into: exit status" 1 $?
grep -q "needs the capture they decrypt" "$out/nointo.err" && ok "--tls-keys without --into refused" ||
    fail "no --into: $(cat "$out/nointo.err")"

echo "$failed failed"
[ $failed -eq 0 ]
