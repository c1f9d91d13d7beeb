#!/bin/bash
# chroot.sh SUITE KABI - a debootstrap chroot of Debian SUITE holding the
# linux-headers (to build iopmem.ko; newer kbuild binaries need their own
# release's glibc), sparse (the lint runs with that release's), and the
# linux-image (the guest kernel) of KABI; and what a machine that installs
# iopmem's packages has (tests/71-vm-package.t installs them in an overlay
# of the chroot, then boots it): DKMS, systemd and udev, fio, and the
# libraries iopmem-tools links.
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
# The packages of a machine iopmem is installed on (the packaging test).
system=(dkms openssl systemd-sysv udev kmod e2fsprogs fdisk fio libpci3 libjson-c5 procps)
stamp=$dir/var/lib/iopmem-kernel-$kabi
system_stamp=$dir/var/lib/iopmem-system-$(printf '%s\n' "${system[@]}" | md5sum | cut -c1-8)

[ -f "$stamp" ] && [ -f "$system_stamp" ] && [ -f "$dir/boot/vmlinuz-$kabi" ] && exit 0
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
# A stable release's kernels are updated through its -updates and
# -security suites (bookworm's pinned ABI is only in -security).
if [ "$suite" != sid ] && ! grep -q -- "$suite-security" "$dir/etc/apt/sources.list"; then
	printf 'deb %s %s-updates main\ndeb %s %s-security main\n' "$mirror" "$suite" \
		"${IOPMEM_SECURITY_MIRROR:-http://deb.debian.org/debian-security}" "$suite" \
		>> "$dir/etc/apt/sources.list"
fi
echo "chroot: linux-headers-$kabi, linux-image-$kabi, ${system[*]} in $dir"
# apt and the packages' scripts with the /proc and /dev they expect, in a
# private mount namespace (gone when the command ends).
in_chroot() {
	unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" &&
		exec chroot "$0" "$@"' "$dir" "$@"
}
in_chroot "${apt[@]}" update
# No daemon starts in the chroot (policy-rc.d), and DKMS is not asked to
# build anything yet.
printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
DEBIAN_FRONTEND=noninteractive in_chroot "${apt[@]}" install -y --no-install-recommends \
	"linux-headers-$kabi" "linux-image-$kabi" sparse "${system[@]}" >/dev/null
in_chroot apt-get clean
touch "$stamp" "$system_stamp"
