# kernel-abi.sh - the kernels iopmem builds for and boots in its test VMs.
# Sourced by the setup script and the VM harness; the Makefile reads the
# pinned ABIs from here too.
#
# The pinned Debian kernel ABIs (what linux-image-amd64 depended on when
# pinned): moving one to a newer ABI is its one line.
KABI_BOOKWORM=6.1.0-56-amd64		# Debian 12, oldstable
KABI_TRIXIE=6.12.117+deb13-amd64	# Debian 13, stable
KABI_SID=7.2.13+deb14-amd64		# unstable (CONFIG_PCI_P2PDMA=y)
# The kernels `make check` tests, in order.
IOPMEM_KERNELS="bookworm trixie sid"
KABI_STOCK=$KABI_BOOKWORM		# the demo's and the debug build's

top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CACHE=${IOPMEM_CACHE:-$top/.cache}
# debootstrap chroots of the newer releases (their kbuild binaries need
# their glibc), made by scripts/chroot.sh, shared by every clone.
CHROOTS=${IOPMEM_CHROOTS:-/var/cache/iopmem/chroot}

# IOPMEM_KERNEL picks the guest kernel a VM boots and iopmem.ko is built
# for: bookworm (default; "stock" is its old name), trixie, sid, or any
# release given a KABI_ line: Debian's own images, the newer ones built and
# booted from their chroot; "debug": bookworm's source built with KASAN,
# lockdep and kmemleak by scripts/debug-kernel.sh.
#   KABI        its release (uname -r)
#   SUITE       the Debian release it comes from
#   GUEST_ROOT  a tree with boot/vmlinuz-$KABI and lib/modules/$KABI
#   KDIR        where to build external modules against it
#   KCHROOT     the chroot KDIR is in and make runs in ("" for the host)
#   VMCACHE     its initramfs, module build and VM run directories
#   VM_TIMEOUT_SCALE  how much slower its guests run
IOPMEM_KERNEL=${IOPMEM_KERNEL:-bookworm}
[ "$IOPMEM_KERNEL" = stock ] && IOPMEM_KERNEL=bookworm
VM_TIMEOUT_SCALE=1
KCHROOT=
case $IOPMEM_KERNEL in
bookworm)
	SUITE=bookworm
	KABI=$KABI_BOOKWORM
	GUEST_ROOT=$CACHE/guest-kernel
	KDIR=/usr/src/linux-headers-$KABI
	;;
debug)
	SUITE=bookworm
	DEBUG_CACHE=${IOPMEM_DEBUG_CACHE:-/var/cache/iopmem/debug-kernel}
	KABI=$(cat "$DEBUG_CACHE/release" 2>/dev/null || echo not-built)
	GUEST_ROOT=$DEBUG_CACHE/root
	KDIR=$DEBUG_CACHE/build
	# With two debug guests at once on 2 cores, fsdax-fs took 1159 s of
	# the 1200 s that 4 gave (and 40-vm-fsdax.t once ran out): 6 leaves
	# room.
	VM_TIMEOUT_SCALE=6
	;;
*)
	# Any other release with a KABI_<RELEASE> line above: its chroot.
	SUITE=$IOPMEM_KERNEL
	_var=KABI_$(printf %s "$SUITE" | tr '[:lower:]' '[:upper:]')
	KABI=${!_var:-}
	if [ -z "$KABI" ] || [ -n "${SUITE//[a-z]/}" ]; then
		echo "kernel-abi: IOPMEM_KERNEL=$IOPMEM_KERNEL is not a kernel (bookworm, debug, or a release with a KABI_ line: $IOPMEM_KERNELS)" >&2
		return 1 2>/dev/null || exit 1
	fi
	KCHROOT=$CHROOTS/$SUITE
	# The release's own linux-image, installed in its chroot.
	GUEST_ROOT=$KCHROOT
	KDIR=/usr/src/linux-headers-$KABI
	;;
esac
VMCACHE=$CACHE/vm/$IOPMEM_KERNEL
