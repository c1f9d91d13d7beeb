// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_DEVICE struct pages for the BAR, so that other devices' drivers can
 * DMA straight into it (get_user_pages() on a mapping of the BAR works).
 *
 * Memory type: on x86, memremap_pages() reserves the range's memory type
 * for its kernel mapping (track_pfn_remap()) asking for write-back.  A
 * write-back mapping of device memory would let the CPU cache lines a peer
 * writes behind its back.  The BAR is mapped first (ioremap_wc() or
 * ioremap() in bar.c), so the range already has a WC or UC- reservation;
 * PAT then hands memremap_pages() that same type instead of write-back
 * (is_new_memtype_allowed()), and the pages' kernel mapping, our mapping
 * and the user mappings (track_pfn_insert() at fault time) all agree.
 * Mapping in the other order would make ioremap_wc() fail on the
 * conflicting write-back reservation.
 */
#include <linux/delay.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>

#include "iopmem.h"

/*
 * memremap_pages() hot-adds memory in subsections; a range that is not
 * subsection aligned hits a WARN and -EINVAL there, so refuse it here.
 */
#define IOPMEM_PAGES_ALIGN	SUBSECTION_SIZE

bool iopmem_pages_possible(struct iopmem_dev *idev, bool say_why)
{
	if (IS_ALIGNED(idev->phys | idev->size, IOPMEM_PAGES_ALIGN))
		return true;
	if (say_why)
		pci_err(idev->pdev, "BAR %d (%pa, %llu bytes) is not %lu MiB aligned: struct pages (ZONE_DEVICE) need %lu MiB alignment, only raw mode can serve it\n",
			idev->bar, &idev->phys, (unsigned long long)idev->size,
			IOPMEM_PAGES_ALIGN >> 20, IOPMEM_PAGES_ALIGN >> 20);
	return false;
}

int iopmem_pages_add(struct iopmem_dev *idev, enum memory_type type)
{
	void *addr;

	if (!iopmem_pages_possible(idev, true))
		return -EINVAL;

	memset(&idev->pgmap, 0, sizeof(idev->pgmap));
	idev->pgmap.type = type;
	idev->pgmap.range.start = idev->phys;
	idev->pgmap.range.end = idev->phys + idev->size - 1;
	idev->pgmap.nr_range = 1;
	addr = memremap_pages(&idev->pgmap, dev_to_node(&idev->pdev->dev));
	if (IS_ERR(addr)) {
		pci_err(idev->pdev, "cannot create struct pages for BAR %d: %ld\n",
			idev->bar, PTR_ERR(addr));
		return PTR_ERR(addr);
	}
	idev->pages_kaddr = addr;
	idev->has_pages = true;
	return 0;
}

/* Bytes of struct page the BAR's pages cost (system RAM). */
u64 iopmem_pages_memmap_bytes(struct iopmem_dev *idev)
{
	if (!idev->has_pages)
		return 0;
	return (u64)(idev->size >> PAGE_SHIFT) * sizeof(struct page);
}

/* Pages with more than their initial reference, e.g. pinned for DMA. */
static unsigned long iopmem_pages_busy(struct iopmem_dev *idev)
{
	unsigned long pfn = PHYS_PFN(idev->phys);
	unsigned long end = PHYS_PFN(idev->phys + idev->size);
	unsigned long busy = 0;

	for (; pfn < end; pfn++) {
		if (page_ref_count(pfn_to_page(pfn)) > 1)
			busy++;
		if (!(pfn & 4095))
			cond_resched();
	}
	return busy;
}

/*
 * iopmem_pages_remove() - take the pages away.  The caller has made new
 * mappings and faults impossible and zapped the old ones.  References
 * taken by get_user_pages() (a peer's DMA in flight) are not counted by
 * the pagemap's own reference, so memunmap_pages() would free the struct
 * pages under them: wait until each page is back to its initial reference.
 */
void iopmem_pages_remove(struct iopmem_dev *idev)
{
	unsigned long busy, waited_ms = 0;

	if (!idev->has_pages)
		return;
	while ((busy = iopmem_pages_busy(idev))) {
		if (!(waited_ms % 10000))
			pci_info(idev->pdev, "waiting for %lu pages of BAR %d still in use (DMA in flight?)\n",
				 busy, idev->bar);
		msleep(20);
		waited_ms += 20;
	}
	memunmap_pages(&idev->pgmap);
	idev->pages_kaddr = NULL;
	idev->has_pages = false;
}
