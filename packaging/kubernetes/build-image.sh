#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the helper's image (Containerfile) from a build tree: the helper, the CLI, the
# shared libraries they load (found with ldd), Wireshark's data files for the CLI, and the
# folders the DaemonSet mounts over.
#   build-image.sh BUILD_DIR [IMAGE] [--context-only DIR]
# IMAGE defaults to localhost/stratoshark-helper:<version>; podman, else buildah, builds it.
set -euo pipefail
build=$(cd "${1:?usage: build-image.sh BUILD_DIR [IMAGE] [--context-only DIR]}" && pwd)
image=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
context_only=
if [ "${3:-}" = "--context-only" ]; then context_only=${4:?--context-only needs a folder}; fi
version=$(sed -n 's/^project(stratoshark VERSION \([0-9.]*\).*/\1/p' "$here/../../CMakeLists.txt")
image=${image:-localhost/stratoshark-helper:$version}
ctx=${context_only:-$(mktemp -d /tmp/ss-image-XXXXXX)}
[ -n "$context_only" ] || trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
rm -rf "$root"; mkdir -p "$root"/usr/sbin "$root"/usr/bin "$root"/tmp "$root"/run/stratoshark \
    "$root"/var/spool/stratoshark "$root"/etc "$root"/usr/share
chmod 1777 "$root/tmp"
install -m 755 "$build/capture-bpf/stratoshark-helper" "$root/usr/sbin/"
install -m 755 "$build/app/cli/stratoshark" "$root/usr/bin/"
# Every library either program loads, at the path the loader looks for it.
for lib in $(ldd "$root/usr/sbin/stratoshark-helper" "$root/usr/bin/stratoshark" | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
[ -d /usr/share/wireshark ] && cp -r /usr/share/wireshark "$root/usr/share/"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nstratoshark:x:998:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
cp "$here/Containerfile" "$ctx/"
if [ -n "$context_only" ]; then
    echo "build-image.sh: context in $ctx"
    exit 0
fi
if command -v podman >/dev/null; then
    podman build --quiet -f "$ctx/Containerfile" -t "$image" "$ctx"
elif command -v buildah >/dev/null; then
    buildah bud --quiet -f "$ctx/Containerfile" -t "$image" "$ctx"
else
    echo "build-image.sh: neither podman nor buildah is installed (apt-get install podman)" >&2
    exit 1
fi
echo "build-image.sh: built $image"
