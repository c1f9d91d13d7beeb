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
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>

#include "compat.h"
#include "iopmem.h"

/*
 * memremap_pages() hot-adds memory in subsections; a range that is not
 * subsection aligned hits a WARN and -EINVAL there, so refuse it here.
 */
#define IOPMEM_PAGES_ALIGN	SUBSECTION_SIZE

/*
 * iopmem_pages_possible() - may this BAR get struct pages at all?
 *
 * Besides alignment, two cases where pages would be unsafe:
 * - a BAR whose bus address differs from its CPU address: a peer's
 *   ordinary DMA mapping of a page carries the CPU address, which on the
 *   bus is some other device or nothing (silent corruption without an
 *   IOMMU that maps the BAR); the allow_translated_pages parameter is the
 *   admin's word that such an IOMMU is there;
 * - PAT off (nopat): the pages' mappings could not be given the BAR's
 *   write-combining or uncached type, and a write-back mapping of device
 *   memory lets the CPU cache what a peer writes behind its back.
 */
bool iopmem_pages_possible(struct iopmem_dev *idev, bool say_why)
{
	if (!IS_ALIGNED(idev->phys | idev->size, IOPMEM_PAGES_ALIGN)) {
		if (say_why)
			pci_err(idev->pdev, "BAR %d (%pa, %llu bytes) is not %lu MiB aligned: struct pages (ZONE_DEVICE) need %lu MiB alignment, only raw mode can serve it\n",
				idev->bar, &idev->phys,
				(unsigned long long)idev->size,
				IOPMEM_PAGES_ALIGN >> 20, IOPMEM_PAGES_ALIGN >> 20);
		return false;
	}
	if (idev->bus_addr != idev->phys && !iopmem_allow_translated()) {
		if (say_why)
			pci_err(idev->pdev, "BAR %d: bus address %#llx differs from CPU address %pa: peers would DMA to the wrong address, so only raw mode can serve it (load with allow_translated_pages=1 if an IOMMU maps the BAR for every peer)\n",
				idev->bar, (unsigned long long)idev->bus_addr,
				&idev->phys);
		return false;
	}
	if (!iopmem_pat_enabled()) {
		if (say_why)
			pci_err(idev->pdev, "BAR %d: PAT is off (nopat), so struct pages could not be mapped write-combining or uncached: only raw mode can serve it\n",
				idev->bar);
		return false;
	}
	return true;
}

/*
 * The pages of a function removed earlier at this address may still be
 * waiting for their users (retire.c): memremap_pages() would WARN on the
 * overlap, so look first.
 */
static bool iopmem_pages_taken(struct iopmem_dev *idev)
{
	phys_addr_t ends[] = { idev->phys, idev->phys + idev->size - 1 };
	struct dev_pagemap *pgmap;
	int i;

	for (i = 0; i < ARRAY_SIZE(ends); i++) {
		pgmap = iopmem_get_dev_pagemap(PHYS_PFN(ends[i]));
		if (pgmap) {
			put_dev_pagemap(pgmap);
			pci_err(idev->pdev, "BAR %d %pa: the struct pages of a device removed earlier at this address are still in use: only raw mode until they are released\n",
				idev->bar, &idev->phys);
			return true;
		}
	}
	return false;
}

/*
 * iopmem_p2pdma_possible() - may the kernel's P2PDMA code make pages of
 * this BAR (p2pdma.c)?  Its memremap_pages() needs the same alignment (a
 * WARN there otherwise), and the range must not still hold pages of a
 * function removed earlier.  A translated BAR is fine: the kernel applies
 * the bus offset; so is PAT off: it maps P2PDMA pages uncached.
 *
 * Return: 0, or -EINVAL or -EBUSY after a message.
 */
int iopmem_p2pdma_possible(struct iopmem_dev *idev)
{
	if (!IS_ALIGNED(idev->phys | idev->size, IOPMEM_PAGES_ALIGN)) {
		pci_err(idev->pdev, "BAR %d (%pa, %llu bytes) is not %lu MiB aligned: the kernel's P2PDMA pages need %lu MiB alignment, so p2pdma mode cannot serve it\n",
			idev->bar, &idev->phys, (unsigned long long)idev->size,
			IOPMEM_PAGES_ALIGN >> 20, IOPMEM_PAGES_ALIGN >> 20);
		return -EINVAL;
	}
	return iopmem_pages_taken(idev) ? -EBUSY : 0;
}

int iopmem_pages_add(struct iopmem_dev *idev, enum memory_type type)
{
	void *addr;

	if (!iopmem_pages_possible(idev, true))
		return -EINVAL;
	if (iopmem_pages_taken(idev))
		return -EBUSY;

	memset(&idev->pgmap, 0, sizeof(idev->pgmap));
	idev->pgmap.type = type;
	idev->pgmap.range.start = idev->phys;
	idev->pgmap.range.end = idev->phys + idev->size - 1;
	idev->pgmap.nr_range = 1;
	if (type == MEMORY_DEVICE_GENERIC)
		idev->pgmap.vmemmap_shift = iopmem_devdax_order(idev, READ_ONCE(idev->align));
	addr = memremap_pages(&idev->pgmap, dev_to_node(&idev->pdev->dev));
	if (IS_ERR(addr)) {
		pci_err(idev->pdev, "cannot create struct pages for BAR %d: %ld\n",
			idev->bar, PTR_ERR(addr));
		return PTR_ERR(addr);
	}
	idev->pages_kaddr = addr;
	idev->pages_bar = idev->bar;
	idev->has_pages = true;
	return 0;
}

/*
 * iopmem_pages_memmap_bytes() - bytes of system RAM that hold the BAR's
 * struct pages (the vmemmap pages; not the page tables that map them).
 * 64 bytes per 4 KiB page, except for compound pages where the kernel can
 * share vmemmap (vmemmap_can_optimize(), mm/sparse-vmemmap.c): there each
 * compound page keeps VMEMMAP_RESERVE_NR vmemmap pages of its own (the
 * head's and one page of tails') and maps the rest onto the second, and
 * a compound page larger than a memory section reuses its first section's
 * for the others.  So 8 KiB per 2 MiB (1/4) and per 1 GiB (1/2048).
 */
u64 iopmem_pages_memmap_bytes(struct iopmem_dev *idev)
{
	u64 pages = idev->size >> PAGE_SHIFT;

	/* In p2pdma mode the kernel's P2PDMA code made them (p2pdma.c). */
	if (!idev->has_pages && !idev->p2pdma_group)
		return 0;
	if (idev->has_pages && vmemmap_can_optimize(NULL, &idev->pgmap))
		return (pages >> idev->pgmap.vmemmap_shift) *
		       VMEMMAP_RESERVE_NR * PAGE_SIZE;
	return pages * sizeof(struct page);
}

/*
 * iopmem_devdax_order() - the order of devdax's compound pages with the
 * mapping unit @align, as device-dax sets vmemmap_shift from its align:
 * 4 KiB pages are single, 2 MiB and 1 GiB units are one compound page
 * each, so that their struct pages share vmemmap (above) and, from 6.15
 * on, a PMD or PUD maps one folio of that size (compat.h).  A BAR not
 * aligned to @align cannot be mapped with it (devdax.c): single pages.
 */
unsigned int iopmem_devdax_order(struct iopmem_dev *idev, unsigned long align)
{
	if (align <= PAGE_SIZE || !IS_ALIGNED(idev->phys | idev->size, align))
		return 0;
	return ilog2(align) - PAGE_SHIFT;
}

/*
 * iopmem_pages_pinned() - pages with more than their idle references
 * (compat.h): once no mapping is left, pinned by get_user_pages() (a
 * peer's DMA in flight, a vmsplice'd pipe, an RDMA registration).  A
 * compound page's pins are counted in its head.  Counts from pfn offset
 * @from; with @first_only it stops at the first such page and stores its
 * offset in @first_busy, so that a caller waiting for pins to go (when no
 * new one can come) never reads the same idle struct pages twice.
 */
unsigned long iopmem_pages_pinned(struct iopmem_dev *idev,
				  unsigned long from, bool first_only,
				  unsigned long *first_busy)
{
	unsigned long base = PHYS_PFN(idev->pgmap.range.start);
	unsigned long n = PHYS_PFN(range_len(&idev->pgmap.range));
	int idle = idev->pgmap.type == MEMORY_DEVICE_FS_DAX ?
		   IOPMEM_FSDAX_IDLE_REFS : IOPMEM_DEVDAX_IDLE_REFS;
	unsigned long i, busy = 0;

	if (!idev->has_pages)
		return 0;
	for (i = from; i < n; i++) {
		struct page *page = pfn_to_page(base + i);
		int refs = page_ref_count(page);

		if (refs > idle) {
			if (!busy && first_busy)
				*first_busy = i;
			/*
			 * A compound page's references are its head's, one
			 * per pinned page of it (get_user_pages()).
			 */
			busy += PageHead(page) ?
				min_t(unsigned long, refs - idle, compound_nr(page)) : 1;
			if (first_only)
				break;
		}
		if (!(i & 4095))
			cond_resched();
	}
	if (!busy && first_busy)
		*first_busy = n;
	return busy;
}

/* iopmem_pages_free() - give the struct pages back; nobody can reach them. */
void iopmem_pages_free(struct iopmem_dev *idev)
{
	memunmap_pages(&idev->pgmap);
	idev->pages_kaddr = NULL;
	idev->has_pages = false;
}

/*
 * iopmem_pages_remove() - take the pages away.  The caller has made new
 * mappings and faults impossible and zapped the old ones.  On a change of
 * mode there is no user and no pin (iopmem_reconfigure() checked).  On
 * removal there may be both: a file system still mounted reaches the
 * pages when it evicts its inodes, and a pinned page's struct page must
 * outlive the pin; then the pages are kept, and freed later by retire.c,
 * so that removal itself never waits for users.
 */
void iopmem_pages_remove(struct iopmem_dev *idev)
{
	if (!idev->has_pages)
		return;
	if (idev->dead && iopmem_retire_needed(idev)) {
		iopmem_retire_start(idev);
		return;
	}
	iopmem_pages_free(idev);
}
