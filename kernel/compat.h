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

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
/* 6.9 sets queue limits at allocation time. */
static inline struct gendisk *iopmem_alloc_disk(int node)
{
	struct queue_limits lim = {
		.logical_block_size	= SECTOR_SIZE,
		.physical_block_size	= PAGE_SIZE,
	};

	return blk_alloc_disk(&lim, node);
}
#else
static inline struct gendisk *iopmem_alloc_disk(int node)
{
	struct gendisk *disk = blk_alloc_disk(node);

	if (disk) {
		blk_queue_logical_block_size(disk->queue, SECTOR_SIZE);
		blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
	}
	return disk ? disk : ERR_PTR(-ENOMEM);
}
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
				 pe_size == PE_SIZE_PMD ? PMD_SIZE : 0)
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
