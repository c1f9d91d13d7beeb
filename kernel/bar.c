// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing, claiming and mapping the BAR iopmem serves.
 *
 * Every refusal says which BAR and why, so that an admin who picked the
 * wrong one learns the fix from the kernel log alone.
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include "iopmem.h"

/*
 * iopmem_bar_check() - can @bar of @pdev back a block device?
 *
 * Return: 0, or -EINVAL (out of range, I/O port, too small) or -ENODEV
 * (not implemented or not assigned), after a dev_err saying which.
 */
int iopmem_bar_check(struct pci_dev *pdev, int bar)
{
	unsigned long flags;
	resource_size_t len;

	if (bar < 0 || bar >= PCI_STD_NUM_BARS) {
		pci_err(pdev, "BAR %d is out of range: a function has BARs 0 to %d\n",
			bar, PCI_STD_NUM_BARS - 1);
		return -EINVAL;
	}
	flags = pci_resource_flags(pdev, bar);
	len = pci_resource_len(pdev, bar);
	if (flags & IORESOURCE_IO) {
		pci_err(pdev, "BAR %d is an I/O port BAR: iopmem needs a memory BAR\n",
			bar);
		return -EINVAL;
	}
	if (!(flags & IORESOURCE_MEM) || !len) {
		pci_err(pdev, "BAR %d is missing or empty: the function does not implement it\n",
			bar);
		return -ENODEV;
	}
	if (flags & IORESOURCE_UNSET) {
		pci_err(pdev, "BAR %d has no address assigned: check the bridge windows (pci=realloc)\n",
			bar);
		return -ENODEV;
	}
	if (len < PAGE_SIZE) {
		pci_err(pdev, "BAR %d is %llu bytes, smaller than one %lu-byte block\n",
			bar, (unsigned long long)len, PAGE_SIZE);
		return -EINVAL;
	}
	return 0;
}

/*
 * iopmem_bar_pick() - the default BAR: the largest prefetchable memory
 * BAR, 64-bit ones first.  A non-prefetchable BAR is usually registers,
 * where a read can have side effects, and a new block device is read at
 * once (partition scan, blkid): such a BAR is served only when named.
 *
 * Return: a BAR index, or -ENODEV when the function has no such BAR.
 */
int iopmem_bar_pick(struct pci_dev *pdev)
{
	int bar, best = -ENODEV;
	bool best64 = false;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		unsigned long flags = pci_resource_flags(pdev, bar);
		resource_size_t len = pci_resource_len(pdev, bar);
		bool is64 = flags & IORESOURCE_MEM_64;

		if (!(flags & IORESOURCE_MEM) || !(flags & IORESOURCE_PREFETCH) ||
		    (flags & IORESOURCE_UNSET) || len < PAGE_SIZE)
			continue;
		/* Ordered by (64-bit, size). */
		if (best < 0 || is64 > best64 ||
		    (is64 == best64 && len > pci_resource_len(pdev, best))) {
			best = bar;
			best64 = is64;
		}
	}
	if (best < 0)
		pci_err(pdev, "no prefetchable memory BAR of at least %lu bytes; a non-prefetchable BAR (usually registers) is served only when named (bar= or the bar attribute)\n",
			PAGE_SIZE);
	return best;
}

/*
 * iopmem_bar_map() - claim @bar and map it for the CPU.
 *
 * A prefetchable BAR has no read side effects and tolerates merged
 * writes, so it is mapped write-combining: stores stream out in full
 * bursts.  Anything else gets an uncached mapping.
 */
int iopmem_bar_map(struct iopmem_dev *idev, int bar)
{
	struct pci_dev *pdev = idev->pdev;
	int rc;

	rc = iopmem_bar_check(pdev, bar);
	if (rc)
		return rc;

	rc = pci_request_region(pdev, bar, IOPMEM_NAME);
	if (rc) {
		pci_err(pdev, "BAR %d %pR is already claimed by another driver (see /proc/iomem)\n",
			bar, pci_resource_n(pdev, bar));
		return -EBUSY;
	}

	idev->phys = pci_resource_start(pdev, bar);
	idev->bus_addr = pci_bus_address(pdev, bar);
	idev->size = pci_resource_len(pdev, bar);
	idev->wc = pci_resource_flags(pdev, bar) & IORESOURCE_PREFETCH;
	if (idev->wc)
		idev->virt = ioremap_wc(idev->phys, idev->size);
	else
		idev->virt = ioremap(idev->phys, idev->size);
	if (!idev->virt) {
		pci_err(pdev, "BAR %d %pR: cannot map %llu bytes\n", bar,
			pci_resource_n(pdev, bar), (unsigned long long)idev->size);
		pci_release_region(pdev, bar);
		return -ENOMEM;
	}
	idev->bar = bar;
	if (idev->bus_addr != idev->phys)
		pci_warn(pdev, "BAR %d: bus address %#llx differs from CPU address %pa (translating host bridge): peers need an IOMMU to reach it\n",
			 bar, (unsigned long long)idev->bus_addr, &idev->phys);
	return 0;
}

void iopmem_bar_unmap(struct iopmem_dev *idev)
{
	if (idev->bar < 0)
		return;
	iounmap(idev->virt);
	idev->virt = NULL;
	pci_release_region(idev->pdev, idev->bar);
	idev->bar = -1;
}
