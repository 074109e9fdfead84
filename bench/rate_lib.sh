# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the capture benchmarks (capture-rate.sh, remote-capture.sh).

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# cell RUNS SECONDS COMMAND…: runs COMMAND (which prints "sent in_file drops cpu") RUNS
# times and prints one table cell of medians: sent/s, % of the sent in the file, drops, CPU s.
cell() {
    local runs=$1 seconds=$2 sent got dropped cpu; shift 2
    local ratios=() drops=() sents=() cpus=()
    for _ in $(seq "$runs"); do
        read -r sent got dropped cpu < <("$@")
        sents+=("$((sent / seconds))"); drops+=("$dropped"); cpus+=("$cpu")
        ratios+=("$(awk -v g="$got" -v s="$sent" 'BEGIN {printf "%.4f", s ? g / s : 0}')")
    done
    printf '%7s/s %7.2f%% %5s drops %5.2f s' "$(printf '%s\n' "${sents[@]}" | median)" \
        "$(printf '%s\n' "${ratios[@]}" | median | awk '{print $1 * 100}')" "$(printf '%s\n' "${drops[@]}" | median)" \
        "$(printf '%s\n' "${cpus[@]}" | median)"
}
