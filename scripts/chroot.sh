#!/bin/bash
# chroot.sh SUITE KABI - a debootstrap chroot of Debian SUITE holding the
# linux-headers (to build iopmem.ko; newer kbuild binaries need their own
# release's glibc), sparse (the lint runs with that release's), and the
# linux-image (the guest kernel) of KABI.
#
# Kept outside the clone in $CHROOTS/SUITE (scripts/kernel-abi.sh) and
# reused; the host's apt sources are never touched.  Idempotent: with the
# packages present it returns at once.  About 1.5 GB and a few minutes per
# release the first time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-abi.sh"
suite=$1 kabi=$2
dir=$CHROOTS/$suite
mirror=${IOPMEM_MIRROR:-http://deb.debian.org/debian}
# The archive snapshot's sid Release file is past its Valid-Until date.
apt=(apt-get -qq -o Acquire::Check-Valid-Until=false)
stamp=$dir/var/lib/iopmem-kernel-$kabi

[ -f "$stamp" ] && [ -f "$dir/boot/vmlinuz-$kabi" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "chroot: must be root to create $dir" >&2; exit 1; }
command -v debootstrap >/dev/null || {
	echo "chroot: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
if [ ! -x "$dir/usr/bin/apt-get" ]; then
	echo "chroot: debootstrap $suite into $dir (a few minutes, once)"
	rm -rf "$dir.tmp"
	mkdir -p "$CHROOTS"
	debootstrap --variant=buildd --include=ca-certificates,kmod,xz-utils,zstd \
		"$suite" "$dir.tmp" "$mirror" >"$CHROOTS/$suite.log" 2>&1 ||
		{ tail -n 20 "$CHROOTS/$suite.log" >&2; exit 1; }
	mv "$dir.tmp" "$dir"
fi
echo "chroot: linux-headers-$kabi and linux-image-$kabi in $dir"
chroot "$dir" "${apt[@]}" update
DEBIAN_FRONTEND=noninteractive chroot "$dir" "${apt[@]}" install -y --no-install-recommends \
	"linux-headers-$kabi" "linux-image-$kabi" sparse >/dev/null
touch "$stamp"
