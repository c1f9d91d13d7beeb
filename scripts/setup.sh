#!/bin/bash
# setup.sh - install what building iopmem and running its VM tests need.
#
# Idempotent: when everything is present it only checks and returns in
# seconds.  The guest kernel image package is fetched with `apt-get download`
# into a git-ignored cache and unpacked there; it is never installed on the
# host (the host kernel is off limits).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/kernel-abi.sh
IOPMEM_KERNEL=bookworm . "$top/scripts/kernel-abi.sh"

pkgs=(
	build-essential pkg-config kmod cpio gzip xz-utils zstd debootstrap
	qemu-system-x86 busybox-static fio e2fsprogs xfsprogs util-linux fdisk
	"linux-headers-$KABI" linux-source-6.1 sparse cppcheck perl
	libpci-dev libjson-c-dev pciutils ndctl valgrind
	python3 gnuplot-nox linux-perf
	debhelper dh-dkms lintian fakeroot dpkg-dev dmsetup nvme-cli strace
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || { echo "setup: must be root to apt-get install" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	# An old or empty package list makes the install fail: refresh it once.
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# checkpatch.pl lives in the linux-source tarball: unpack just the scripts.
mkdir -p "$CACHE"
if [ ! -x "$CACHE/checkpatch/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n1)
	rm -rf "$CACHE/checkpatch"
	mkdir -p "$CACHE/checkpatch"
	tar -xf "$tarball" -C "$CACHE/checkpatch" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

# The guest kernel: download the image package, unpack it in the cache.
if [ ! -f "$GUEST_ROOT/boot/vmlinuz-$KABI" ]; then
	mkdir -p "$CACHE/debs"
	(cd "$CACHE/debs" && { ls linux-image-"$KABI"_*.deb >/dev/null 2>&1 ||
		apt-get download -qq "linux-image-$KABI" 2>/dev/null ||
		{ apt-get update -qq && apt-get download -qq "linux-image-$KABI"; }; })
	rm -rf "$GUEST_ROOT.tmp"
	dpkg-deb -x "$CACHE"/debs/linux-image-"$KABI"_*.deb "$GUEST_ROOT.tmp"
	# The package leaves modules.dep to its postinst: make it here.
	depmod -b "$GUEST_ROOT.tmp" "$KABI"
	rm -rf "$GUEST_ROOT"
	mv "$GUEST_ROOT.tmp" "$GUEST_ROOT"
fi
# mdadm for the guests (md RAID tests), unpacked from its package and not
# installed: its package would hook the host's boot (initramfs, monitor).
if [ ! -x "$CACHE/mdadm/sbin/mdadm" ]; then
	mkdir -p "$CACHE/debs"
	(cd "$CACHE/debs" && { ls mdadm_*.deb >/dev/null 2>&1 || apt-get download -qq mdadm; })
	rm -rf "$CACHE/mdadm"
	dpkg-deb -x "$CACHE"/debs/mdadm_*.deb "$CACHE/mdadm"
fi
# A chroot of each release: the newer ones' kbuild (bookworm's is the
# host's) and guest kernel, and every one's packaging test.
for k in $IOPMEM_KERNELS; do
	(IOPMEM_KERNEL=$k; . "$top/scripts/kernel-abi.sh"; "$top/scripts/chroot.sh" "$SUITE" "$KABI")
done
echo "setup: ok (guest kernels: $KABI in ${GUEST_ROOT#"$top"/}; $(for k in $IOPMEM_KERNELS; do
	[ "$k" = bookworm ] || (IOPMEM_KERNEL=$k; . "$top/scripts/kernel-abi.sh"; printf '%s ' "$KABI")
done)in $CHROOTS)"
