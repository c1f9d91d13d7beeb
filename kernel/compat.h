/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel version difference iopmem cares about, in one
 * place.  The tested kernel is Debian 12's 6.1; the other branches follow
 * the upstream block layer API changes so that a port starts here.
 */
#ifndef IOPMEM_COMPAT_H
#define IOPMEM_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
/* 6.5 passes the gendisk and a blk_mode_t to ->open, nothing to ->release. */
#define IOPMEM_BDEV_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define IOPMEM_BDEV_OPEN_DISK		disk
#define IOPMEM_BDEV_RELEASE_ARGS	struct gendisk *disk
#else
#define IOPMEM_BDEV_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define IOPMEM_BDEV_OPEN_DISK		(bdev->bd_disk)
#define IOPMEM_BDEV_RELEASE_ARGS	struct gendisk *disk, fmode_t mode
#endif

/*
 * iopmem_alloc_disk() - a gendisk for the BAR: 512-byte logical and
 * page-sized physical blocks, a volatile write cache that honours
 * REQ_PREFLUSH and REQ_FUA (see iopmem_flush()), not rotational, no
 * entropy, no request size limit, and DAX when @dax.  6.11 made these
 * queue limits ("features") given at allocation; 6.9 moved the limits
 * there; before, they were queue flags set afterwards.  Tested: 6.1, 6.12,
 * 7.2; the 6.9/6.10 branch follows upstream but is not.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static inline struct gendisk *iopmem_alloc_disk(int node, bool dax)
{
	struct queue_limits lim = {
		.logical_block_size	= SECTOR_SIZE,
		.physical_block_size	= PAGE_SIZE,
		.max_hw_sectors		= UINT_MAX,
		/* no BLK_FEAT_ROTATIONAL, no BLK_FEAT_ADD_RANDOM */
		.features		= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |
					  (dax ? BLK_FEAT_DAX : 0),
	};

	return blk_alloc_disk(&lim, node);
}
#else
static inline void iopmem_disk_flags(struct gendisk *disk, bool dax)
{
	blk_queue_write_cache(disk->queue, true, true);
	blk_queue_max_hw_sectors(disk->queue, UINT_MAX);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, disk->queue);
	if (dax)
		blk_queue_flag_set(QUEUE_FLAG_DAX, disk->queue);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline struct gendisk *iopmem_alloc_disk(int node, bool dax)
{
	struct queue_limits lim = {
		.logical_block_size	= SECTOR_SIZE,
		.physical_block_size	= PAGE_SIZE,
	};
	struct gendisk *disk = blk_alloc_disk(&lim, node);

	if (!IS_ERR(disk))
		iopmem_disk_flags(disk, dax);
	return disk;
}
#else
static inline struct gendisk *iopmem_alloc_disk(int node, bool dax)
{
	struct gendisk *disk = blk_alloc_disk(node);

	if (!disk)
		return ERR_PTR(-ENOMEM);
	blk_queue_logical_block_size(disk->queue, SECTOR_SIZE);
	blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
	iopmem_disk_flags(disk, dax);
	return disk;
}
#endif
#endif

/*
 * iopmem_mm_get_unmapped_area() - an unmapped area of the current process
 * for @filp, without the file's own ->get_unmapped_area (which calls
 * this).  6.10 replaced mm->get_unmapped_area with mm_get_unmapped_area(mm,
 * ...); a later kernel dropped its mm argument.  No version number is
 * known here for that change, so kernel/Kbuild reads the prototype and
 * defines IOPMEM_MM_GUA_NO_MM.
 */
#if defined(IOPMEM_MM_GUA_NO_MM)
#define iopmem_mm_get_unmapped_area(filp, addr, len, pgoff, flags)	\
	mm_get_unmapped_area(filp, addr, len, pgoff, flags)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define iopmem_mm_get_unmapped_area(filp, addr, len, pgoff, flags)	\
	mm_get_unmapped_area(current->mm, filp, addr, len, pgoff, flags)
#else
#define iopmem_mm_get_unmapped_area(filp, addr, len, pgoff, flags)	\
	current->mm->get_unmapped_area(filp, addr, len, pgoff, flags)
#endif

/*
 * ZONE_DEVICE page references.  6.15 made fs-dax pages refcounted like
 * other pages: 0 when idle, one reference per mapping, large folios made
 * by fs/dax.c; device-dax pages are mapped with a reference too
 * (vmf_insert_page_mkwrite(), vmf_insert_folio_pmd()), and pfn_t, with
 * which they were mapped before, went away.  Before 6.15 an idle fs-dax
 * page held one reference and a mapping none.  Generic (devdax) pages
 * hold one when idle on every version.  So once every mapping is zapped,
 * references beyond these are pins.
 */
#define IOPMEM_DEVDAX_IDLE_REFS	1
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
#define IOPMEM_FSDAX_IDLE_REFS	0
#define IOPMEM_DEVDAX_REFCOUNTED	1
#else
#define IOPMEM_FSDAX_IDLE_REFS	1
#define IOPMEM_DEVDAX_REFCOUNTED	0
#endif
/*
 * A free page of a P2PDMA provider's pool: from 6.15 it holds no
 * reference (p2pmem_alloc_mmap() warns if it does), before one, like
 * other idle ZONE_DEVICE pages then.
 */
#define IOPMEM_P2PDMA_IDLE_REFS	IOPMEM_FSDAX_IDLE_REFS

/*
 * The pfn a dax_operations ->direct_access() hands back: a pfn_t flagged
 * as a device page with a struct page while <linux/pfn_t.h> exists (a
 * later kernel removed the type; Kbuild looks), a plain pfn after.
 */
#ifdef IOPMEM_NO_PFN_T
#define iopmem_pfn_t		unsigned long
#define iopmem_dax_pfn(pfn)	(pfn)
#else
#include <linux/pfn_t.h>
#define iopmem_pfn_t		pfn_t
#define iopmem_dax_pfn(pfn)	__pfn_to_pfn_t(pfn, PFN_DEV | PFN_MAP)
#endif

/* Whether a huge fault can map device memory with a PUD (1 GiB). */
#define IOPMEM_PUD_FAULTS	(IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && \
				 IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD))

/*
 * iopmem_dax_insert() - map @size bytes (PAGE_SIZE, PMD_SIZE or PUD_SIZE)
 * of device memory at @pfn for the fault, as drivers/dax/device.c does on
 * this version.  From 6.15 a PMD or PUD maps a folio of that size: devdax
 * pages are compound pages of the mapping unit (iopmem_devdax_order()).
 * PUD_SIZE comes only where CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
 * (devdax.c).
 */
static inline vm_fault_t iopmem_dax_insert(struct vm_fault *vmf,
					   unsigned long pfn,
					   unsigned long size)
{
	bool write = vmf->flags & FAULT_FLAG_WRITE;

#if IOPMEM_DEVDAX_REFCOUNTED
	if (size == PAGE_SIZE)
		return vmf_insert_page_mkwrite(vmf, pfn_to_page(pfn), write);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	if (size == PUD_SIZE)
		return vmf_insert_folio_pud(vmf, page_folio(pfn_to_page(pfn)),
					    write);
#endif
	return vmf_insert_folio_pmd(vmf, page_folio(pfn_to_page(pfn)), write);
#else
	pfn_t p = iopmem_dax_pfn(pfn);

	if (size == PAGE_SIZE)
		return vmf_insert_mixed(vmf->vma, vmf->address, p);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	if (size == PUD_SIZE)
		return vmf_insert_pfn_pud(vmf, p, write);
#endif
	return vmf_insert_pfn_pmd(vmf, p, write);
#endif
}

/*
 * iopmem_fsdax_owner() - the file (address_space) fs/dax.c recorded as
 * owning the fs-dax page @page, or NULL; *shared when reflinked files
 * share it, so it has no one owner.  6.15 keeps the owner in the folio
 * (and a share count); before, every page had it, with a flag for shared.
 */
static inline struct address_space *
iopmem_fsdax_owner(struct page *page, bool *shared)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	struct folio *folio = page_folio(page);
	struct address_space *mapping = READ_ONCE(folio->mapping);

	*shared = !mapping && READ_ONCE(folio->share);
	return mapping;
#else
	struct address_space *mapping = READ_ONCE(page->mapping);

	*shared = (unsigned long)mapping & PAGE_MAPPING_FLAGS;
	return *shared ? NULL : mapping;
#endif
}

/* get_dev_pagemap(): a later kernel dropped its pgmap hint (Kbuild looks). */
#ifdef IOPMEM_GET_DEV_PAGEMAP_PFN_ONLY
#define iopmem_get_dev_pagemap(pfn)	get_dev_pagemap(pfn)
#else
#define iopmem_get_dev_pagemap(pfn)	get_dev_pagemap(pfn, NULL)
#endif

/* 6.12 offers MAP_SYNC through fop_flags, not ->mmap_supported_flags. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define IOPMEM_FOPS_MAP_SYNC	.fop_flags = FOP_MMAP_SYNC
#else
#define IOPMEM_FOPS_MAP_SYNC	.mmap_supported_flags = MAP_SYNC
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define iopmem_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#else
#define iopmem_vm_flags_set(vma, flags)	((vma)->vm_flags |= (flags))
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define iopmem_class_create(name)	class_create(name)
#else
#define iopmem_class_create(name)	class_create(THIS_MODULE, name)
#endif

/* ->huge_fault: 6.6 passes a page order instead of an entry size. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define IOPMEM_HUGE_FAULT_ARGS	struct vm_fault *vmf, unsigned int order
#define IOPMEM_HUGE_FAULT_SIZE	(PAGE_SIZE << order)
#else
#define IOPMEM_HUGE_FAULT_ARGS	struct vm_fault *vmf, enum page_entry_size pe_size
#define IOPMEM_HUGE_FAULT_SIZE	(pe_size == PE_SIZE_PTE ? PAGE_SIZE :	\
				 pe_size == PE_SIZE_PMD ? PMD_SIZE :	\
				 pe_size == PE_SIZE_PUD ? PUD_SIZE : 0)
#endif

/*
 * Whether mappings can be given a memory type other than write-back:
 * PAT on x86 (off with nopat).  Elsewhere the architecture's ioremap and
 * pgprot helpers decide, as they do for every driver.
 */
#ifdef CONFIG_X86
#include <asm/memtype.h>
#define iopmem_pat_enabled()	pat_enabled()
#else
#define iopmem_pat_enabled()	true
#endif

#endif /* IOPMEM_COMPAT_H */
