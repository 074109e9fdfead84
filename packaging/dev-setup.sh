#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's two commands:
#   packaging/dev-setup.sh run    install what is needed, build, open the bundled sample
#   packaging/dev-setup.sh test   install what is needed, build, run every test, then the
#                                 sanitizer pass below
#   packaging/dev-setup.sh sanitize  the sanitizer pass alone: a clang build with ASan+UBSan
#                                 and the libFuzzer targets; its unit and cli tests, four
#                                 golden tests (label "sanitize") and every fuzz target
#                                 (corpus + a short fresh run)
# Idempotent: packages already present are not fetched again, the build is incremental
# (and cached by ccache across clean clones).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${STRATOSHARK_BUILD_DIR:-$top/build}
jobs=${STRATOSHARK_JOBS:-2}

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "dev-setup.sh: installing packages needs root (run it with sudo)" >&2
        exit 1
    fi
}

install_packages() {
    mapfile -t wanted < <(grep -v '^\s*#' "$top/packaging/debian-packages.txt" | grep -v '^\s*$')
    local missing=()
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    need_root
    echo "dev-setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
    # Clones in other folders hit the same cache entries: paths relative to the clone, and
    # the build folder's path kept out of the hash (it is in the debug info only).
    export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=true
    local werror=OFF
    [ "${CI:-}" = "true" ] && werror=ON
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATOSHARK_WERROR=$werror >/dev/null
    cmake --build "$build" -j "$jobs"
}

# What the sanitizer pass builds: the tests it runs need these (the GUI's loader is checked
# by cli.damaged-files, the helper's request path by fuzz_ipc_request, the GUI by gui.qtest).
sanitized_targets=(engine_tests policy_tests otlp_tests helper_tests gui_tests stratoshark stratoshark-plugin stratoshark-gui
                   fuzz_all)

sanitize() {
    local dir=${STRATOSHARK_SANITIZE_BUILD_DIR:-$top/build-sanitize}
    export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=true
    local werror=OFF
    [ "${CI:-}" = "true" ] && werror=ON
    CC=clang CXX=clang++ cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATOSHARK_WERROR=$werror \
        -DSTRATOSHARK_SANITIZE=address,undefined -DSTRATOSHARK_FUZZ=ON >/dev/null
    cmake --build "$dir" -j "$jobs" --target "${sanitized_targets[@]}"
    cd "$dir"
    ctest --output-on-failure -j "$jobs" -L '^(unit|cli|fuzz|sanitize)$' --timeout 900
}

sample=$top/resources/samples/sample.pcapng
case "${1:-}" in
run)
    install_packages
    build
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec "$build/ui/stratoshark-gui" "$sample"
    fi
    "$build/app/cli/stratoshark" -r "$sample"
    echo
    exec "$build/app/cli/stratoshark" -r "$sample" -q -z conv,tcp
    ;;
test)
    install_packages
    build
    status=0
    # tshark's answers in the golden tests, kept for the sanitizer pass (compare_with_tshark.sh);
    # made anew each run: with our plugin loaded they depend on our code.
    export SS_TSHARK_CACHE="$build/tshark-cache"
    rm -rf "$SS_TSHARK_CACHE"
    (cd "$build" && ctest --output-on-failure -j "$jobs") || status=$?
    (sanitize) || status=$?
    exit $status
    ;;
sanitize)
    install_packages
    sanitize
    ;;
*)
    echo "usage: $0 run|test|sanitize" >&2
    exit 2
    ;;
esac
