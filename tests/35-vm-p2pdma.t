#!/bin/bash
# Proves: p2pdma mode (guest case p2pdma).  On a kernel with
# CONFIG_PCI_P2PDMA (7.2): after the VM stops, the host finds the 32 MiB
# the guest copied NVMe -> iopmem's p2pmem -> NVMe in the NVMe image and
# at the start of the BAR's backing file (the pool hands out its lowest
# pages first), and QEMU's trace shows every data DMA address of those
# NVMe commands inside the BAR.  The guest half checks busy refusals,
# removal with an allocation mapped and a rebind; guest case
# p2pdma-unplug a hot-unplug with an allocation mapped and a copy
# running.  Elsewhere the guest shows the mode refused with EOPNOTSUPP and
# a message.
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/p2pdma
vm -d "$dir" -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr p2pdma
# A kernel without P2PDMA refused the mode: nothing more to boot for.
if grep -q '^# p2pdma none' "$dir/tap.log"; then
	done_testing
	exit
fi
# Hot-unplug in a boot of its own: its copy writes the NVMe and the BAR.
vm p2pdma-unplug
make -s -C "$top/tools" >/dev/null
pat=$top/tools/build/iopmem-pattern
check "host: the NVMe image holds the 32 MiB at 512 MiB" "$pat" check -s 91 -o 512m -b 0 -l 32m "$dir/nvme0.img"
check "host: the BAR file holds them at its start (the pool's first pages)" "$pat" check -s 91 -o 0 -b 0 -l 32m "$dir/bar0.mem"
out=$("$top/tests/lib/nvme-dma-check" "$dir" 16 512 32)
rc=$?
[ $rc = 0 ] && ok "trace: every data DMA address of the copy is inside the BAR ($(tail -n1 <<<"$out"))" ||
	{ not_ok "trace: every data DMA address of the copy is inside the BAR"; diag "$out"; }
done_testing
