#!/bin/bash
# kbuild.sh DIR [MAKE ARGS...] - build the external module whose sources
# are in DIR (a copy: kbuild writes beside them) for the kernel
# IOPMEM_KERNEL names (scripts/kernel-abi.sh), with `make -C KDIR M=DIR
# modules` and the given arguments (W=1, C=2 ...).
#
# A newer release's kbuild runs in its chroot (KCHROOT): DIR is then
# copied into it (one place per clone and DIR, sources' times kept so
# that make rebuilds only what changed), built there, and the .ko files
# copied back; the chroot gets its own /proc (objtool reads it) in a
# private mount namespace, gone when make ends.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-abi.sh"
dir=$(cd "$1" && pwd)
shift
if [ -z "$KCHROOT" ]; then
	exec make -C "$KDIR" M="$dir" "$@" modules
fi
inside=/var/tmp/iopmem-build-$(printf %s "$dir" | md5sum | cut -c1-12)
mkdir -p "$KCHROOT$inside"
cp -p "$dir"/*.[ch] "$dir/Kbuild" "$KCHROOT$inside/"
# iopmem's version (its Kbuild reads VERSION beside it or one level up).
for version in "$dir/VERSION" "$dir/../VERSION"; do
	[ -f "$version" ] && { cp -p "$version" "$KCHROOT$inside/VERSION"; break; }
done
unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
	"$KCHROOT" make -C "$KDIR" M="$inside" "$@" modules
cp -p "$KCHROOT$inside"/*.ko "$dir/"
