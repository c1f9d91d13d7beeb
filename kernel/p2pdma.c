// SPDX-License-Identifier: GPL-2.0
/*
 * p2pdma mode: the BAR becomes a published P2PDMA provider of the kernel
 * (drivers/pci/p2pdma.c), as an NVMe controller memory buffer is: its
 * pages are MEMORY_DEVICE_PCI_P2PDMA pages, user space allocates them by
 * mmap() of /sys/bus/pci/devices/<BDF>/p2pmem/allocate (6.2 on), and the
 * DMA API maps them with pci_p2pdma_map_*(), which applies bus offsets,
 * the host-bridge whitelist, ACS and the IOMMU rules.  Only on kernels
 * built with CONFIG_PCI_P2PDMA; elsewhere the mode is refused and devdax
 * is the way to P2P.
 *
 * The whole BAR is the provider's and nothing else of iopmem is served
 * on it (no block device, no devdax): the provider's pages and our own
 * would be two memmaps of one range.  The kernel's pages get the BAR's
 * memory type: the BAR is mapped first (bar.c), and PAT hands
 * memremap_pages() that reservation's type (see pages.c).
 *
 * pci_p2pdma_add_resource() puts everything it sets up (the provider, its
 * pool, the pages, the sysfs files) on the function's devres list, which
 * is released only when the driver unbinds.  A devres group of our own
 * around it lets a mode change release it all at once, in the order the
 * kernel's unbind would: the allocate file goes (which unmaps every user
 * mapping of it), then the pages (memunmap_pages() waits for references
 * still held: DMA in flight), then the pool.
 */
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>

#include "compat.h"
#include "iopmem.h"

#ifdef CONFIG_PCI_P2PDMA

int iopmem_p2pdma_create(struct iopmem_dev *idev)
{
	struct pci_dev *pdev = idev->pdev;
	void *group;
	int rc;

	rc = iopmem_p2pdma_possible(idev);
	if (rc)
		return rc;
	group = devres_open_group(&pdev->dev, NULL, GFP_KERNEL);
	if (!group)
		return -ENOMEM;
	rc = pci_p2pdma_add_resource(pdev, idev->bar, idev->size, 0);
	if (rc) {
		devres_release_group(&pdev->dev, group);
		pci_err(pdev, "cannot make BAR %d a P2PDMA provider: %d\n", idev->bar, rc);
		return rc;
	}
	devres_close_group(&pdev->dev, group);
	idev->p2pdma_group = group;
	pci_p2pmem_publish(pdev, true);
	return 0;
}

void iopmem_p2pdma_destroy(struct iopmem_dev *idev)
{
	if (!idev->p2pdma_group)
		return;
	pci_p2pmem_publish(idev->pdev, false);
	devres_release_group(&idev->pdev->dev, idev->p2pdma_group);
	idev->p2pdma_group = NULL;
}

/*
 * iopmem_p2pdma_in_use() - pages of the provider allocated now: a free
 * page of the pool holds its idle references only, an allocated one (a
 * user mapping, a kernel user, a pin for DMA) more.
 */
unsigned long iopmem_p2pdma_in_use(struct iopmem_dev *idev)
{
	unsigned long pfn = PHYS_PFN(idev->phys);
	unsigned long end = pfn + (idev->size >> PAGE_SHIFT);
	unsigned long used = 0;

	if (!idev->p2pdma_group)
		return 0;
	for (; pfn < end; pfn++) {
		if (page_ref_count(pfn_to_page(pfn)) > IOPMEM_P2PDMA_IDLE_REFS)
			used++;
		if (!(pfn % 1024))
			cond_resched();
	}
	return used;
}

#else /* !CONFIG_PCI_P2PDMA */

int iopmem_p2pdma_create(struct iopmem_dev *idev)
{
	pci_err(idev->pdev, "p2pdma mode needs a kernel built with CONFIG_PCI_P2PDMA; this one is not (devdax gives peer-to-peer DMA here)\n");
	return -EOPNOTSUPP;
}

void iopmem_p2pdma_destroy(struct iopmem_dev *idev)
{
}

unsigned long iopmem_p2pdma_in_use(struct iopmem_dev *idev)
{
	return 0;
}

#endif /* CONFIG_PCI_P2PDMA */
