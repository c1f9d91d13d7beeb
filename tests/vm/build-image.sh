#!/bin/bash
# build-image.sh - bring the guest image of the kernel IOPMEM_KERNEL names
# (scripts/kernel-abi.sh; stock by default) up to date: iopmem.ko and the
# test fixture module built against that kernel in $VMCACHE/build (copies
# of the sources, so that builds for several kernels do not mix), then
# $VMCACHE/initramfs.cpio when anything in it changed.  The tools and the
# guest test programs do not depend on the kernel: the Makefile builds them.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/kernel-abi.sh"
[ -f "$GUEST_ROOT/boot/vmlinuz-$KABI" ] ||
	{ echo "build-image: no guest kernel for IOPMEM_KERNEL=$IOPMEM_KERNEL in $GUEST_ROOT" >&2; exit 1; }
b=$VMCACHE/build
mkdir -p "$b/kernel" "$b/helper"
# Test files run in parallel each bring the image up to date: one at a time.
exec 9>"$VMCACHE/.build.lock"
flock 9
# cp -p keeps the sources' times, so make rebuilds only what changed.
cp -p "$top"/kernel/*.[ch] "$top/kernel/Kbuild" "$top/VERSION" "$b/kernel/"
cp -p "$top"/tests/vm/helper/iopmem_test_*.c "$top/tests/vm/helper/Kbuild" "$b/helper/"
for m in kernel helper; do
	out=$("$top/scripts/kbuild.sh" "$b/$m" W=1 2>&1) ||
		{ echo "$out" >&2; echo "build-image: $m does not build for $KABI" >&2; exit 1; }
done

img=$VMCACHE/initramfs.cpio
inputs=("$b/kernel/iopmem.ko" "$b"/helper/iopmem_test_*.ko "$top"/tools/build/*
	"$top"/tests/vm/helper/build/* "$top"/tests/vm/build-initramfs.sh "$top"/tests/vm/guest/*
	"$top"/tests/vm/cases/*.sh)
if [ ! -f "$img" ] || [ -n "$(find "${inputs[@]}" -newer "$img" 2>/dev/null | head -n1)" ]; then
	IOPMEM_KO=$b/kernel/iopmem.ko CLAIM_KO=$b/helper/iopmem_test_claim.ko \
		"$top/tests/vm/build-initramfs.sh" "$img"
fi
