#!/bin/bash
# Proves, on the release IOPMEM_KERNEL names (its own chroot, kernel and
# initrd), that iopmem installs and works the Debian way:
# - make install-module / make uninstall work, and modprobe finds the
#   module in between (tests/vm/rootfs/build.sh);
# - apt installs the .deb files `make deb` builds, and DKMS builds the
#   module for the release's kernel;
# - booted with systemd and udev, the machine sets up the function
#   /etc/iopmem.conf names, gives it its stable names, mounts the ext4 on
#   it from fstab by UUID with dax, and the module passes a smoke test
#   (fio verify, devdax, a P2P copy) (tests/vm/rootfs/package-boot.sh);
# - QEMU's trace shows every data DMA of that copy inside the BAR.
. "$(dirname "$0")/lib/tap.sh"
if [ "$IOPMEM_KERNEL" = debug ]; then
	echo "1..0 # SKIP the packages are tested on the releases' own kernels"
	exit 0
fi
dir=$VMCACHE/runs/package
mkdir -p "$dir"
# The packages do not depend on the kernel (the tools are built on this
# host, the module by DKMS in each release), so they are built once per
# source tree (the files make deb packs, by content) and the other
# kernels' runs install the same files: make deb and lintian took about
# two minutes of each kernel's run in make check at 5707ba3.
key=$(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	grep -zv '^Documentation/bench/' | xargs -0 sha256sum | sha256sum | cut -c1-16)
debs=$CACHE/deb/$key
exec 9>"$CACHE/deb.lock"
flock 9
if [ -f "$debs/built" ]; then
	ok "make deb: iopmem-dkms and iopmem-tools, built from these same sources by an earlier run (lintian found no error then)"
elif IOPMEM_DEB_OUT=$debs "$top/scripts/deb.sh" >"$dir/deb.log" 2>&1; then
	touch "$debs/built"
	ok "make deb: iopmem-dkms and iopmem-tools build, lintian finds no error"
	# The packages of the last three source trees are kept.
	ls -dt "$CACHE"/deb/*/ | tail -n +4 | xargs -r rm -rf
else
	not_ok "make deb"; diag "$(tail -n 20 "$dir/deb.log")"
fi
flock -u 9
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < <("$top/tests/vm/rootfs/build.sh" "$dir" "$debs" 2>&1)
vm -k -d "$dir" -T 900 -r "$dir/root.img" -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr package
out=$("$top/tests/lib/nvme-dma-check" "$dir" 16 512 32)
rc=$?
[ $rc = 0 ] && ok "trace: every data DMA address of the P2P copy is inside the BAR ($out)" ||
	{ not_ok "trace: every data DMA address of the P2P copy is inside the BAR"; diag "$out"; }
done_testing
