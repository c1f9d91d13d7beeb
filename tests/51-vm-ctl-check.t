#!/bin/bash
# Proves: iopmemctl check gives the right verdict on three topologies, and
# a transfer the check allows moves the right bytes:
#  - switch: direct inside the switch; iopmem-bench copies;
#  - rootports: no (host bridge not known good), with the fix; iopmem-bench
#    refuses; trusted, the copy works;
#  - iommu (intel-iommu, intel_iommu=on): no, the IOMMU fix; trusted, the
#    copy works: QEMU's trace shows the NVMe DMAing to IOVAs (none inside
#    the BAR's range), and the host still finds the bytes in the BAR file.
# And on a kernel with CONFIG_PCI_P2PDMA (7.2), on each of the three, the
# kernel's own P2PDMA code is the ground truth for the check (guest case
# p2pdma-route): with the BAR as the kernel's provider, a copy through its
# p2pmem goes through exactly where iopmemctl check says yes.
. "$(dirname "$0")/lib/tap.sh"
vm -c iopmem_topology=switch ctl-check-switch,p2pdma-route
vm -t rootports -c iopmem_topology=rootports ctl-check-rootports,p2pdma-route
dir=$VMCACHE/runs/ctl-check-iommu
vm -t iommu -d "$dir" -c iopmem_topology=iommu -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr \
	ctl-check-iommu,p2pdma-route
out=$("$top/tests/lib/nvme-dma-check" "$dir" 16 512 32 | tail -n1)
set -- $out
[ "${2:-0}" -gt 0 ] && [ "${4:-1}" = 0 ] && [ "${6:-0}" -gt 0 ] &&
	ok "trace: with the IOMMU the NVMe DMAs to IOVAs, not the BAR's address ($out)" ||
	not_ok "trace: with the IOMMU the NVMe DMAs to IOVAs ($out)"
make -s -C "$top/tools" >/dev/null
check "host: the bytes landed in the BAR file at 64 MiB all the same" \
	"$top/tools/build/iopmem-pattern" check -s 99 -o 64m -b 0 -l 32m "$dir/bar0.mem"
done_testing
