#!/bin/bash
# debug-kernel.sh - build the debug guest kernel `make check-debug` boots:
# Debian's own linux-source-6.1 (the same version as the stock guest
# kernel), x86_64_defconfig plus what the tests need, plus KASAN, KFENCE,
# PROVE_LOCKING, DEBUG_VM, DEBUG_OBJECTS and kmemleak.
#
# The result is cached outside the clone (a fresh clone reuses it):
#   $IOPMEM_DEBUG_CACHE (default /var/cache/iopmem/debug-kernel)/
#     build/        the configured, built tree (KDIR for iopmem.ko)
#     root/         boot/vmlinuz-<release>, lib/modules/<release>
#     release       the kernel release string
# A second run with the same source and this script unchanged returns at
# once.  The first build takes about 40 minutes on 2 cores; after a change
# to this script (say, one more config option) the tree of the same
# source is reconfigured and rebuilt in place, which kbuild limits to what
# the changed options touch.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${IOPMEM_DEBUG_CACHE:-/var/cache/iopmem/debug-kernel}
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "debug-kernel: linux-source-6.1 is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

# What the cached build was made from: the tarball and this script.
stamp="$(sha256sum "$tarball" "$0" | sha256sum | cut -c1-16)"
if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp" ] &&
   [ -f "$cache/release" ]; then
	echo "debug-kernel: ok ($(cat "$cache/release") in $cache)"
	exit 0
fi

need=(bc bison flex libelf-dev libssl-dev dwarves rsync)
missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "debug-kernel: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# Built where it stays (an external module's build reads paths from the
# tree); the stamp is written last, so an interrupted build starts over.
# A tree unpacked from the same tarball (recorded in $cache/source) is
# kept and rebuilt in place.
srchash="$(sha256sum "$tarball" | cut -c1-64)"
if [ -f "$cache/source" ] && [ "$(cat "$cache/source")" = "$srchash" ] &&
   [ -f "$cache/build/Makefile" ]; then
	echo "debug-kernel: reconfiguring the tree in $cache/build"
	rm -f "$cache/stamp" "$cache/release"
	rm -rf "$cache/root"
	mkdir -p "$cache/root"
	cd "$cache/build"
else
	rm -rf "$cache"
	mkdir -p "$cache/build" "$cache/root"
	echo "debug-kernel: unpacking $(basename "$tarball")"
	tar -xf "$tarball" -C "$cache/build" --strip-components=1
	echo "$srchash" > "$cache/source"
	cd "$cache/build"
fi

make -s x86_64_defconfig
cfg=scripts/config
# What the guest and the tests need (modules where tests load them with
# parameters or unload them).
$cfg --enable PCI --enable PCIEPORTBUS --enable HOTPLUG_PCI --enable HOTPLUG_PCI_PCIE \
	--enable PCIEAER --enable PCI_MSI --enable INTEL_IOMMU \
	--enable DEVTMPFS --enable DEVTMPFS_MOUNT --enable TMPFS --enable BLK_DEV_INITRD \
	--enable MEMORY_HOTPLUG --enable MEMORY_HOTREMOVE --enable SPARSEMEM_VMEMMAP \
	--enable ZONE_DEVICE --enable TRANSPARENT_HUGEPAGE --enable DAX --enable FS_DAX \
	--enable X86_PAT --enable BLK_DEV --enable MODULES --enable MODULE_UNLOAD \
	--module BLK_DEV_NVME --enable NVME_MULTIPATH --module EXT4_FS --module XFS_FS --module BLK_DEV_RAM \
	--module BLK_DEV_LOOP --module LIBNVDIMM --module BLK_DEV_PMEM --module X86_PMEM_LEGACY \
	--module DEV_DAX --module DEV_DAX_PMEM --module CRYPTO_CRC32C --module CRYPTO_CRC32C_INTEL \
	--module MD_RAID0 --module MD_RAID1 --module MD_RAID456 --enable BLK_DEV_DM \
	--module DM_CRYPT --module CRYPTO_XTS --module CRYPTO_AES_NI_INTEL \
	--enable FS_DAX_PMD --enable EXT4_USE_FOR_EXT2 --enable MEMORY_FAILURE \
	--disable DRM --disable SOUND --disable USB_SUPPORT --disable WLAN --disable WIRELESS \
	--disable DEBUG_INFO --disable DEBUG_INFO_DWARF5 --disable DEBUG_INFO_BTF \
	--set-str LOCALVERSION "-iopmem-debug" --disable LOCALVERSION_AUTO
# Voluntary preemption, fixed at build time.  Debian's kernel is built
# PREEMPT_DYNAMIC and runs voluntary preemption by default, so the model is
# the same; what goes is the preemptible build, which brings TASKS_RCU and,
# with PROVE_RCU, a boot-time RCU-tasks self-test.  Under TCG that test hung
# before the second CPU came up in 3 of the debug boots ("Running RCU-tasks
# wait API self tests", then nothing until the harness' timeout).
$cfg --disable PREEMPT_DYNAMIC --disable PREEMPT --enable PREEMPT_VOLUNTARY
# The checkers.
$cfg --enable KASAN --enable KASAN_GENERIC --enable KASAN_OUTLINE --enable KFENCE \
	--enable PROVE_LOCKING --enable DEBUG_LOCKDEP --enable DEBUG_ATOMIC_SLEEP \
	--enable DEBUG_VM --enable DEBUG_OBJECTS --enable DEBUG_OBJECTS_FREE \
	--enable DEBUG_OBJECTS_TIMERS --enable DEBUG_OBJECTS_WORK \
	--enable DEBUG_OBJECTS_RCU_HEAD --enable DEBUG_OBJECTS_PERCPU_COUNTER \
	--enable DEBUG_KMEMLEAK --disable DEBUG_KMEMLEAK_DEFAULT_OFF \
	--set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 40000 \
	--enable SOFTLOCKUP_DETECTOR --enable DETECT_HUNG_TASK
make -s olddefconfig
# olddefconfig drops what it cannot satisfy: say so rather than test less.
for opt in KASAN KFENCE PROVE_LOCKING DEBUG_VM DEBUG_OBJECTS DEBUG_KMEMLEAK ZONE_DEVICE FS_DAX \
	   HOTPLUG_PCI_PCIE MEMORY_HOTREMOVE MEMORY_FAILURE BLK_DEV_DM NVME_MULTIPATH; do
	grep -q "^CONFIG_$opt=y" .config || { echo "debug-kernel: CONFIG_$opt did not stick" >&2; exit 1; }
done
! grep -q "^CONFIG_TASKS_RCU=y" .config || { echo "debug-kernel: CONFIG_TASKS_RCU is still selected" >&2; exit 1; }

echo "debug-kernel: building (make -j$(nproc)); the first time takes long"
make -s -j"$(nproc)" bzImage modules >"$cache/build.log" 2>&1 ||
	{ tail -n 30 "$cache/build.log" >&2; exit 1; }
release=$(make -s kernelrelease)
make -s INSTALL_MOD_PATH="$cache/root" INSTALL_MOD_STRIP=1 modules_install >/dev/null
mkdir -p "$cache/root/boot"
cp arch/x86/boot/bzImage "$cache/root/boot/vmlinuz-$release"
echo "$release" > "$cache/release"
echo "$stamp" > "$cache/stamp"
echo "debug-kernel: ok ($release in $cache)"
