#!/bin/bash
# build.sh DIR DEBDIR - the machine tests/71-vm-package.t boots, made from
# the chroot of the release IOPMEM_KERNEL names through an overlay (the
# chroot is not changed), as an admin would make it:
#  1. make install-module from the sources (for the release's kernel):
#     modprobe finds it; make uninstall: it no longer does;
#  2. apt install of DEBDIR's iopmem-dkms and iopmem-tools: DKMS builds
#     the module for the release's kernel;
#  3. /etc/iopmem.conf naming the ivshmem function (by its IDs: fsdax,
#     persistent), an fstab line mounting its ext4 by UUID with dax, and
#     the test unit (package-boot.sh);
# then writes it to DIR/root.img (ext4), and DIR/bar0.mem: the BAR's
# bytes, an ext4 file system with one file.  Prints unnumbered TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/scripts/kernel-abi.sh"
dir=$1 debs=$2
lower=$CHROOTS/$SUITE
uuid=6b0f4a38-2f0e-4d5e-9d3c-1a2b3c4d5e6f label=iopmemtest
version=$(cat "$top/VERSION")
[ -d "$lower/usr/src/linux-headers-$KABI" ] || {
	echo "not ok - the $SUITE chroot has linux-headers-$KABI (make setup)"
	exit 1
}
rm -rf "$dir"/{upper,work,root,root.img,bar0.mem,barfs,src}
mkdir -p "$dir"/{upper,work,root,barfs}

# The sources, as a user's copy of them: the files git knows of.
mkdir -p "$dir/src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	grep -zv '^Documentation/bench/' | xargs -0 cp --parents -t "$dir/src")

# The BAR: ext4 with a UUID and label fstab and the test know, 4 KiB blocks (DAX).
echo "written by the host before boot" > "$dir/barfs/hello"
mkfs.ext4 -q -F -b 4096 -U "$uuid" -L "$label" -d "$dir/barfs" "$dir/bar0.mem" 256M

export dir debs lower uuid label version top KABI SUITE
unshare --mount --fork bash -s <<'INSIDE'
set -uo pipefail
r=$dir/root
tap() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; [ -f "$3" ] && tail -n 25 "$3" | sed 's/^/#   /'; fi; }
in_root() { chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$r" || exit 1
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mkdir -p "$r/usr/local/src"
cp -a "$dir/src" "$r/usr/local/src/iopmem"

# 1. make install, without packages.
in_root make -C /usr/local/src/iopmem install-module KDIR=/usr/src/linux-headers-$KABI >"$dir/make-install.log" 2>&1
tap $? "make install-module builds and installs iopmem.ko for $KABI" "$dir/make-install.log"
out=$(in_root modprobe --dry-run --show-depends --set-version "$KABI" iopmem 2>&1)
case $out in
*"/lib/modules/$KABI/updates/iopmem.ko"*) echo "ok - after make install, modprobe iopmem finds it: $out" ;;
*) echo "not ok - after make install, modprobe iopmem finds it"; echo "#   $out" ;;
esac
is_v=$(in_root modinfo -k "$KABI" -F version iopmem 2>&1)
[ "$is_v" = "$version" ] && echo "ok - its MODULE_VERSION is VERSION's ($version)" ||
	echo "not ok - its MODULE_VERSION is VERSION's ($version): got $is_v"
in_root make -C /usr/local/src/iopmem uninstall KDIR=/usr/src/linux-headers-$KABI >"$dir/make-uninstall.log" 2>&1
tap $? "make uninstall" "$dir/make-uninstall.log"
in_root modprobe --dry-run --set-version "$KABI" iopmem >/dev/null 2>&1
[ $? != 0 ] && echo "ok - after make uninstall, modprobe no longer finds iopmem" ||
	echo "not ok - after make uninstall, modprobe no longer finds iopmem"
rm -rf "$r/usr/local/src/iopmem"

# 2. The packages.
mkdir -p "$r/tmp/debs"
cp "$debs"/iopmem-dkms_*_all.deb "$debs"/iopmem-tools_*_amd64.deb "$r/tmp/debs/"
in_root apt-get install -y --no-install-recommends /tmp/debs/iopmem-dkms_${version}_all.deb \
	/tmp/debs/iopmem-tools_${version}_amd64.deb >"$dir/apt.log" 2>&1
tap $? "apt install ./iopmem-dkms_${version}_all.deb ./iopmem-tools_${version}_amd64.deb" "$dir/apt.log"
grep -E '^(Building|Signing|Sign|dkms|Module|Installing|Running|Deleting|Autoinstall)' "$dir/apt.log" | head -20 | sed 's/^/#   dkms: /'
st=$(in_root dkms status iopmem 2>&1)
case $st in
*"$KABI"*installed*) echo "ok - DKMS built and installed iopmem $version for $KABI: $st" ;;
*) echo "not ok - DKMS built and installed iopmem $version for $KABI"; echo "$st" | sed 's/^/#   /'
   find "$r/var/lib/dkms/iopmem" -name make.log -exec tail -n 30 {} \; 2>/dev/null | sed 's/^/#   make.log: /' ;;
esac
f=$(in_root modinfo -k "$KABI" -F filename iopmem 2>&1)
case $f in
*/updates/dkms/iopmem.ko*) echo "ok - modprobe finds the module DKMS built: $f" ;;
*) echo "not ok - modprobe finds the module DKMS built: $f" ;;
esac
# DKMS signs with its own MOK key (made at its first build) where the
# kernel's sign-file is at hand, as each release's headers have it.
signer=$(in_root modinfo -k "$KABI" -F signer iopmem 2>&1)
[ "$signer" = "DKMS module signing key" ] && echo "ok - DKMS signed it with its MOK key ($signer)" ||
	echo "not ok - DKMS signed it with its MOK key: signer '$signer'"
for p in /usr/bin/iopmemctl /usr/share/man/man5/iopmem.conf.5.gz; do
	[ -e "$r$p" ] || echo "not ok - the packages installed $p"
done
# udevadm verify: systemd 254 and later (trixie, sid), not bookworm's 252.
if in_root udevadm verify --help >/dev/null 2>&1; then
	out=$(in_root udevadm verify /lib/udev/rules.d/60-iopmem.rules 2>&1)
	tap $? "udevadm verify 60-iopmem.rules: $(echo $out)"
else
	echo "# no udevadm verify in $SUITE's systemd"
fi
v=$(in_root iopmemctl --version 2>&1)
[ "$v" = "iopmemctl $version" ] && echo "ok - iopmemctl --version says $version" ||
	echo "not ok - iopmemctl --version says $version: got $v"

# 3. The machine's configuration and the test.
cat > "$r/etc/iopmem.conf" <<'CONF'
# The ivshmem function of the test VM: ext4 -o dax on it (fstab).
1af4:1110  mode=fsdax persistent=yes
CONF
# systemd waits 90 s for an fstab line's device by default; under TCG on a
# busy host the module can load later than that (seen on sid, at 155 s).
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\nUUID=%s /mnt/iopmem ext4 dax,nofail,x-systemd.device-timeout=10min 0 2\n' \
	"$uuid" > "$r/etc/fstab"
mkdir -p "$r/mnt/iopmem" "$r/usr/local/lib/iopmem-test"
# The test's record of each iopmem disk event udev lets systemd act on
# (not SYSTEMD_READY=0), with the function's mode then (package-boot.sh).
mkdir -p "$r/etc/udev/rules.d"
cat > "$r/etc/udev/rules.d/99-iopmem-test.rules" <<'RULES'
ACTION!="remove", SUBSYSTEM=="block", KERNEL=="iopmem[0-9]*", ENV{DEVTYPE}=="disk", ENV{SYSTEMD_READY}!="0", SUBSYSTEMS=="pci", PROGRAM=="/bin/cat /sys/bus/pci/devices/$id/iopmem/mode", RUN+="/bin/sh -c 'echo $env{ACTION} %k %c >> /run/iopmem-test-ready.log'"
RULES
printf 'VERSION=%s\nUUID=%s\nLABEL=%s\n' "$version" "$uuid" "$label" > "$r/etc/iopmem-test.env"
cp "$top/tests/vm/guest/tap.sh" "$r/usr/local/lib/iopmem-test/tap.sh"
install -m 755 "$top/tests/vm/rootfs/package-boot.sh" "$r/usr/local/sbin/iopmem-package-test"
cp "$top/tests/vm/rootfs/iopmem-test.service" "$r/etc/systemd/system/"
mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
ln -sf ../iopmem-test.service "$r/etc/systemd/system/multi-user.target.wants/iopmem-test.service"
echo iopmem-test > "$r/etc/hostname"
rm -f "$r/usr/sbin/policy-rc.d"
# What a running machine does not need, left out of the image.
rm -rf "$r"/tmp/debs "$r"/usr/src/* "$r"/var/lib/dkms/iopmem/*/build "$r"/usr/share/doc \
	"$r"/usr/share/locale "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/*
umount -R "$r/dev"
umount "$r/proc"
size=$(du -sm --apparent-size "$r" | cut -f1)
mkfs.ext4 -q -F -L iopmem-root -d "$r" "$dir/root.img" "$((size * 13 / 10 + 256))M" >"$dir/mkfs.log" 2>&1
tap $? "the machine's disk image ($((size))M of files)" "$dir/mkfs.log"
INSIDE
