# kernel-abi.sh - the kernels iopmem builds for and boots in its test VMs.
# Sourced by the setup script and the VM harness; the Makefile reads the
# pinned ABI from here too (kernel-abi.mk).
#
# The pinned Debian kernel ABI (the one linux-image-amd64 depended on when
# pinned): moving to a newer ABI is this one line.
KABI_STOCK=6.1.0-56-amd64

top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CACHE=${IOPMEM_CACHE:-$top/.cache}

# IOPMEM_KERNEL picks the guest kernel a VM boots and iopmem.ko is built
# for: "stock" (default), Debian's own image; "debug", the same source
# built with KASAN, lockdep and kmemleak by scripts/debug-kernel.sh.
#   KABI        its release (uname -r)
#   GUEST_ROOT  a tree with boot/vmlinuz-$KABI and lib/modules/$KABI
#   KDIR        where to build external modules against it
#   VMCACHE     its initramfs, module build and VM run directories
#   VM_TIMEOUT_SCALE  how much slower its guests run
IOPMEM_KERNEL=${IOPMEM_KERNEL:-stock}
VM_TIMEOUT_SCALE=1
case $IOPMEM_KERNEL in
stock)
	KABI=$KABI_STOCK
	GUEST_ROOT=$CACHE/guest-kernel
	KDIR=/usr/src/linux-headers-$KABI
	;;
debug)
	DEBUG_CACHE=${IOPMEM_DEBUG_CACHE:-/var/cache/iopmem/debug-kernel}
	KABI=$(cat "$DEBUG_CACHE/release" 2>/dev/null || echo not-built)
	GUEST_ROOT=$DEBUG_CACHE/root
	KDIR=$DEBUG_CACHE/build
	VM_TIMEOUT_SCALE=4
	;;
*)
	echo "kernel-abi: IOPMEM_KERNEL=$IOPMEM_KERNEL is not a kernel (stock, debug)" >&2
	return 1 2>/dev/null || exit 1
	;;
esac
VMCACHE=$CACHE/vm/$IOPMEM_KERNEL
