#!/bin/bash
# Proves: peer-to-peer DMA.  64 MiB go NVMe -> BAR -> NVMe through a mapping
# of /dev/iopmem0.dax (guest case devdax-p2p).  After the VM stops, the host
# finds the bytes in the BAR's backing file and in the NVMe image, and
# QEMU's trace shows every data DMA address of those NVMe commands inside
# the BAR.  The same copy made with --bounce must fail that trace check.
# Also (guest case devdax-unbind-dma): unbind during a running P2P copy.
# And first (guest case devdax-1g), on this 1 GiB BAR: compound pages and
# their struct page RAM per align, and align 1G: one PUD fault maps the
# GiB, and a P2P copy through that mapping (checked here too: 32 MiB,
# NVMe 864 MiB -> BAR 0 -> NVMe 928 MiB), memory_failure() and pins.
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/devdax-p2p
vm -d "$dir" -b 1G -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr devdax-1g,devdax-p2p,devdax-unbind-dma
make -s -C "$top/tools" >/dev/null
pat=$top/tools/build/iopmem-pattern
check "host: the BAR file holds the 64 MiB at offset 64 MiB" "$pat" check -s 77 -o 64m -b 0 -l 64m "$dir/bar0.mem"
check "host: the NVMe image holds them at 512 MiB" "$pat" check -s 77 -o 512m -b 0 -l 64m "$dir/nvme0.img"
out=$("$top/tests/lib/nvme-dma-check" "$dir" 864 928 32)
rc=$?
[ $rc = 0 ] && ok "trace: every data DMA address of the align 1G copy is inside the BAR ($out)" ||
	{ not_ok "trace: every data DMA address of the align 1G copy is inside the BAR"; diag "$out"; }

out=$("$top/tests/lib/nvme-dma-check" "$dir" 16 512 64)
rc=$?
[ $rc = 0 ] && ok "trace: every data DMA address of the P2P copy is inside the BAR ($out)" ||
	{ not_ok "trace: every data DMA address of the P2P copy is inside the BAR"; diag "$out"; }
out=$("$top/tests/lib/nvme-dma-check" "$dir" 80 768 64)
rc=$?
[ $rc != 0 ] && ok "trace: the --bounce copy fails the same check ($(tail -n1 <<<"$out"))" ||
	{ not_ok "trace: the --bounce copy fails the same check"; diag "$out"; }
done_testing
