#!/bin/bash
# perf-cpio.sh OUT - a cpio archive holding the host's perf (Debian's
# linux-perf) and its shared libraries, for make bench's profile: appended
# to the guest's initramfs (tests/vm/run -x), it adds /usr/local/bin/perf.
set -euo pipefail
out=$1
perf=$(command -v perf) || { echo "perf-cpio: no perf on this host (apt-get install linux-perf)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin"
cp -L "$perf" "$root/usr/local/bin/perf"
for lib in $(ldd "$perf" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc) > "$out.tmp"
mv "$out.tmp" "$out"
