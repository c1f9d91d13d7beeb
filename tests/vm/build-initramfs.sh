#!/bin/bash
# build-initramfs.sh OUT - the guest's whole root file system as a cpio,
# for the kernel IOPMEM_KERNEL names (scripts/kernel-abi.sh), with the
# iopmem.ko and test fixture module in $IOPMEM_KO and $CLAIM_KO
# (tests/vm/build-image.sh builds them).
#
# busybox for the shell and core utilities; the Debian guest kernel's own
# modules that the tests need, with their dependencies from modules.dep;
# iopmem.ko and the test helper module; the project's tools; real fio,
# e2fsprogs, xfsprogs and sfdisk with their shared libraries; the init
# script and the test cases.  The cpio is not compressed: unpacking is
# faster than decompressing under TCG.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/kernel-abi.sh"
out=$1

# Guest modules by name; their dependencies come along.  Those in
# optional are taken where the kernel has them (7.x folded the crc32c
# modules into the crc32 library; the debug kernel has no network and no
# NVMe over Fabrics, which only the nvmf test uses).
modules=(nvme ext4 xfs brd nd_pmem nd_e820 dax_pmem loop md_mod raid0 raid1 raid456 dm_mod dm_crypt xts)
optional=(crc32c_generic crc32c-intel aesni_intel virtio_pci virtio_net nvmet nvmet_tcp nvme_tcp)
# Host programs copied with their libraries, into /usr/local/sbin so that
# they win over busybox applets of the same name (busybox mke2fs differs).
programs=(fio mke2fs mkfs.ext4 e2fsck fsck.ext4 dumpe2fs debugfs filefrag mkfs.xfs
	  xfs_repair xfs_info xfs_io sfdisk blkid lspci ndctl setpriv dmsetup nvme)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp made it 0700: the guest's / must let unprivileged users through.
chmod 755 "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/sbin,usr/local/bin} \
	"$root"/{proc,sys,dev,tmp,mnt,run,etc,lib64,root,cases}

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

copy_with_libs() {
	local f=$1 dest=$2 lib
	cp -L "$f" "$dest"
	for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
for p in "${programs[@]}"; do
	copy_with_libs "$(command -v "$p")" "$root/usr/local/sbin/"
done
# mdadm, unpacked from its package by setup (not installed on the host).
copy_with_libs "${CACHE:?}/mdadm/sbin/mdadm" "$root/usr/local/sbin/"
# lspci names devices from this file.
mkdir -p "$root/usr/share/misc"
cp -L /usr/share/misc/pci.ids "$root/usr/share/misc/" 2>/dev/null || true
for t in "$top"/tools/build/* "$top"/tests/vm/helper/build/*; do
	[ -x "$t" ] && copy_with_libs "$t" "$root/usr/local/bin/"
done

# Kernel modules: resolve dependencies with the guest's own modules.dep.
mdir=$GUEST_ROOT/lib/modules/$KABI
gmdir=$root/lib/modules/$KABI
mkdir -p "$gmdir/extra"
cp "$mdir"/modules.{order,builtin,builtin.modinfo} "$gmdir/"
want=$(for m in "${modules[@]}" "${optional[@]/#/?}"; do
	opt=${m%%[!?]*}
	m=${m#\?}
	re="(^|/)${m//_/[-_]}\\.ko(\\.[a-z]+)?"
	if path=$(grep -E "$re:" "$mdir/modules.dep"); then
		echo "$path" | tr -d ':' | tr ' ' '\n'
	elif [ -z "$opt" ] && ! grep -qE "$re\$" "$mdir/modules.builtin"; then
		echo "build-initramfs: no module $m in $KABI" >&2; exit 1
	fi
done | sort -u)
# Newer kernels ship their modules compressed: unpack them, so that the
# guest's busybox modprobe loads them (depmod below indexes the .ko).
for rel in $want; do
	mkdir -p "$gmdir/$(dirname "$rel")"
	case $rel in
	*.ko.xz) xz -dc "$mdir/$rel" > "$gmdir/${rel%.xz}" ;;
	*.ko.zst) zstd -qdc "$mdir/$rel" > "$gmdir/${rel%.zst}" ;;
	*.ko.gz) gzip -dc "$mdir/$rel" > "$gmdir/${rel%.gz}" ;;
	*) cp "$mdir/$rel" "$gmdir/$rel" ;;
	esac
done
cp "${IOPMEM_KO:?}" "$gmdir/extra/"
# The test fixtures beside it: iopmem_test_claim, iopmem_test_pte.
cp "$(dirname "${CLAIM_KO:?}")"/iopmem_test_*.ko "$gmdir/extra/"
depmod -b "$root" "$KABI"

cp "$top/tests/vm/guest/init" "$root/init"
cp "$top"/tests/vm/guest/{tap,nvmf,bench}.sh "$root/cases/"
cp "$top"/tests/vm/cases/*.sh "$root/cases/"
chmod +x "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) > "$out.tmp"
mv "$out.tmp" "$out"
