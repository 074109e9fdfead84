#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden comparison: runs stratoshark and Debian's tshark 4.0 with the same arguments on one
# capture, for a matrix of options, and diffs standard output and exit status.
# Usage: compare_with_tshark.sh STRATOSHARK CAPTURE [OUTDIR [PLUGIN.so]]
# With PLUGIN.so, a capture that carries packet comments (process metadata) is compared
# with stock tshark running our plugin — as an unprivileged user, since tshark as root
# ignores WIRESHARK_PLUGIN_DIR — in a world-readable scratch folder.
set -u
ours=$1
capture=$2
outdir=${3:-$(mktemp -d)}
plugin=${4:-}
mkdir -p "$outdir"
export TZ=UTC LC_ALL=C.UTF-8
tshark=(tshark)
if [ -n "$plugin" ] && [ "$(id -u)" -eq 0 ] && { [ -n "${SS_FORCE_PLUGIN:-}" ] ||
   [ -n "$(tshark -r "$capture" -Y frame.comment -c 1 -T fields -e frame.number 2>/dev/null)" ]; }; then
    scratch=$(mktemp -d /tmp/ss-golden-XXXXXX)
    chmod 755 "$scratch"
    mkdir -p "$scratch/plugins/4.0/epan"
    cp "$plugin" "$scratch/plugins/4.0/epan/"
    # WIRESHARK_PLUGIN_DIR replaces the global folder: bring Debian's plugins along (the
    # stats_tree plugin has ptype, plen, ip_hosts, ...).
    global=$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Global Plugins/ {print $2}')
    if [ -d "$global/epan" ]; then
        cp "$global"/epan/*.so "$scratch/plugins/4.0/epan/"
    fi
    cp "$capture" "$scratch/"
    capture=$scratch/$(basename "$capture")
    outdir=$scratch/out
    mkdir -p "$outdir"
    chmod -R a+rX "$scratch"
    chmod 777 "$outdir"
    tshark=(setpriv --reuid=65534 --regid=65534 --clear-groups env WIRESHARK_PLUGIN_DIR="$scratch/plugins" tshark)
    trap 'rm -rf "$scratch"' EXIT
    echo "comparing with tshark + plugin (unprivileged) for $(basename "$capture")"
fi
# Neither program may read a personal preferences file of whoever runs the test.
export HOME="$outdir/home"
mkdir -p "$HOME"
chmod 777 "$HOME"

fields=(-e frame.number -e frame.time_epoch -e frame.len -e eth.src -e eth.dst -e ip.src -e ip.dst
        -e ipv6.src -e tcp.srcport -e tcp.dstport -e udp.dstport -e dns.qry.name -e http.request.uri
        -e _ws.col.Protocol -e _ws.col.Info)
# Callers may replace the field list (SS_FIELDS, words), add filters (SS_EXTRA_FILTERS,
# one per line) and skip cases (SS_SKIP_CASES, below).
if [ -n "${SS_FIELDS:-}" ]; then
    read -ra fields <<< "$SS_FIELDS"
fi
extra_filters=()
if [ -n "${SS_EXTRA_FILTERS:-}" ]; then
    mapfile -t extra_filters <<< "$SS_EXTRA_FILTERS"
fi

# SS_TSHARK_CACHE=DIR (set by packaging/dev-setup.sh for its two passes): tshark's output and
# exit status for the same capture bytes, the same arguments and the same tshark (stock, or
# with our plugin) are kept there and reused, so the sanitizer pass compares its build with
# what tshark printed in the main pass of the same run instead of running tshark again.
capture_id=
if [ -n "${SS_TSHARK_CACHE:-}" ]; then
    mkdir -p "$SS_TSHARK_CACHE"
    capture_id=$(sha256sum < "$capture" | cut -c1-64)
    tshark_id=$(tshark --version 2>/dev/null | head -1)
    [ "${tshark[0]}" = tshark ] || tshark_id="$tshark_id + plugin"
fi
tshark_run() { # OUT ARGS…: tshark's standard output into OUT; returns its exit status
    local out=$1; shift
    if [ -z "$capture_id" ]; then
        "${tshark[@]}" "$@" > "$out" 2>/dev/null
        return
    fi
    local arg key words=()
    for arg in "$@"; do [ "$arg" = "$capture" ] && words+=("(capture)") || words+=("$arg"); done
    key=$(printf '%s\0' "$tshark_id" "$capture_id" "${words[@]}" | sha256sum | cut -c1-40)
    # The capture's path (a scratch folder of its own with the plugin) is kept as a token:
    # PDML names the file.
    local path=${capture//[][\\.*^$|&]/\\&}
    if [ -f "$SS_TSHARK_CACHE/$key.status" ]; then
        sed "s|(stratoshark-golden-capture)|$path|g" "$SS_TSHARK_CACHE/$key.out" > "$out"
        return "$(cat "$SS_TSHARK_CACHE/$key.status")"
    fi
    "${tshark[@]}" "$@" > "$out" 2>/dev/null
    local status=$?
    sed "s|$path|(stratoshark-golden-capture)|g" "$out" > "$SS_TSHARK_CACHE/$key.out.$$" &&
        mv "$SS_TSHARK_CACHE/$key.out.$$" "$SS_TSHARK_CACHE/$key.out" &&
        echo "$status" > "$SS_TSHARK_CACHE/$key.status.$$" && mv "$SS_TSHARK_CACHE/$key.status.$$" "$SS_TSHARK_CACHE/$key.status"
    return $status
}

# frame.time of the middle packet, for a time filter that splits the file.
tshark_run "$outdir/frames.txt" -r "$capture" -T fields -e frame.number
count=$(wc -l < "$outdir/frames.txt")
mid=$(( (count + 1) / 2 ))
tshark_run "$outdir/mid.txt" -r "$capture" -Y "frame.number == $mid" -T fields -e frame.time_epoch
mid_epoch=$(cat "$outdir/mid.txt")
mid_time=$(date -u -d "@${mid_epoch%.*}" '+%Y-%m-%d %H:%M:%S' 2>/dev/null || echo "1970-01-01 00:00:00")

cases=(
    ""
    "-V"
    "-x"
    "-V -x"
    "-T json"
    "-Y http -T json"
    "-T jsonraw"
    "-T pdml"
    "-T psml"
    "-T ek"
    "-T fields ${fields[*]}"
    "-T fields -E header=y -E separator=, -E quote=d -E occurrence=f -e frame.number -e ip.addr -e tcp.port"
    "-T fields -E occurrence=a -E aggregator=; -e ip.addr -e dns.a"
    "-n"
    "-N mnt"
    "-t ad"
    "-t e"
    "-t dd"
    "-c 5"
    "-2 -V"
    "-2 -R tcp -Y tcp.len>0"
    "-o tcp.desegment_tcp_streams:FALSE -Y http"
    "-q -z conv,eth"
    "-q -z conv,ip"
    "-q -z conv,ipv6"
    "-q -z conv,tcp"
    "-q -z conv,udp"
    "-q -z conv,tcp,tcp.len>0"
    "-t ad -q -z conv,tcp"
    "-q -z endpoints,eth"
    "-q -z endpoints,ip"
    "-q -z endpoints,ipv6"
    "-q -z endpoints,tcp"
    "-q -z endpoints,udp"
    "-q -z endpoints,tcp,tcp.len>0"
    # Several reports per run (each -z is its own tap; tshark draws them in reverse order).
    "-q -z expert -z io,phs -z io,phs,tcp -z io,stat,1 -z io,stat,0"
    "-q -z expert,note -z io,stat,0.1,tcp,,udp -z http,tree -z http_req,tree -z http_srv,tree"
    "-q -z expert,warn,tcp -z io,stat,1,COUNT(tcp.analysis.retransmission)tcp.analysis.retransmission,AVG(tcp.time_delta)tcp.time_delta,SUM(frame.len)frame.len,MIN(frame.time_delta)frame -z dns,tree -z ptype,tree -z plen,tree -z ip_hosts,tree"
    "-t ad -q -z io,stat,10"
    "-q -z io,stat,1,SUM(ip.src)ip"
    "-z expert -z io,phs -z dns,tree"
    # tshark keeps one lowest level for every expert report: the last one given.
    "-q -z expert,note,tcp -z expert,chat -z expert"
    "-q -z follow,tcp,ascii,0"
    "-q -z follow,tcp,hex,0"
    "-q -z follow,tcp,raw,1"
    "-q -z follow,tcp,yaml,0"
    "-q -z follow,udp,ascii,0"
    "-q -z follow,http,ascii,0"
    "-q -z follow,tls,ascii,0"
    "-z conv,udp -z follow,tcp,ascii,0"
)
filters=(
    'dns.qry.name contains "minexmr"'
    'not ip.dst == 10.0.0.0/8'
    'tcp.analysis.retransmission'
    'http.request.uri == "/api/data"'
    "frame.time >= \"$mid_time\""
    'tcp.analysis.zero_window'
    'tcp.flags.syn == 1 && tcp.flags.ack == 0'
    'udp && !dns'
    'dns.flags.response == 1'
    'http.response.code == 404'
    'ip.addr == 127.0.0.1 || ipv6.addr == ::1'
    ${extra_filters[@]+"${extra_filters[@]}"}
)

failures=0
run_case() {
    local label=$1; shift
    local a="$outdir/tshark.out" b="$outdir/ours.out"
    tshark_run "$a" "$@"; local ra=$?
    "$ours" "$@" > "$b" 2>"$outdir/ours.err"; local rb=$?
    # Documented difference: the PDML preamble stamps the wall-clock time of the run.
    sed -i '1,5s/ time="[^"]*"/ time="(run time)"/' "$a" "$b"
    if [ $ra -ne $rb ] || ! cmp -s "$a" "$b"; then
        failures=$((failures + 1))
        echo "DIFF [$label] exit tshark=$ra ours=$rb"
        diff "$a" "$b" | head -8
        head -3 "$outdir/ours.err"
    fi
}

n=0
for c in "${cases[@]}"; do
    # SS_SKIP_CASES: an extended regular expression of cases a caller's capture cannot take.
    if [ -n "${SS_SKIP_CASES:-}" ] && [[ $c =~ $SS_SKIP_CASES ]]; then
        continue
    fi
    # shellcheck disable=SC2086 # the case strings are word lists
    run_case "$c" -r "$capture" $c
    n=$((n + 1))
done
for f in "${filters[@]}"; do
    run_case "-Y $f" -r "$capture" -Y "$f"
    run_case "-Y $f -T fields" -r "$capture" -Y "$f" -T fields "${fields[@]}"
    n=$((n + 2))
done

# -w: the packets written must read back the same as tshark's own -w output.
"${tshark[@]}" -r "$capture" -Y "tcp || udp" -w "$outdir/tshark-w.pcapng" 2>/dev/null
"$ours" -r "$capture" -Y "tcp || udp" -w "$outdir/ours-w.pcapng"
"${tshark[@]}" -r "$outdir/tshark-w.pcapng" -V > "$outdir/a-w.txt" 2>/dev/null
chmod a+r "$outdir/ours-w.pcapng"
"${tshark[@]}" -r "$outdir/ours-w.pcapng" -V > "$outdir/b-w.txt" 2>/dev/null
n=$((n + 1))
if ! cmp -s "$outdir/a-w.txt" "$outdir/b-w.txt"; then
    failures=$((failures + 1))
    echo "DIFF [-w]"; diff "$outdir/a-w.txt" "$outdir/b-w.txt" | head -8
fi

echo "$(basename "$capture"): $((n - failures)) passed, $failures failed"
[ $failures -eq 0 ]
