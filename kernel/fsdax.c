// SPDX-License-Identifier: GPL-2.0
/*
 * fsdax mode: the block device /dev/iopmemN with a dax_device, so that
 * ext4 (-o dax) and xfs (-o dax=always) map files straight onto the BAR.
 * drivers/nvdimm/pmem.c is the model.
 *
 * Durability (Documentation/iopmem.rst says the same for users):
 * - the kernel and user mappings of the BAR are write-combining (or
 *   uncached): the CPU caches none of it, so there is nothing to write
 *   back with clwb; what stands between a store and the device are the
 *   write-combining buffers and posted PCIe writes.  A store fence only
 *   puts the stores on the link; they have arrived when a later read of
 *   the function completes (bar_io.c: iopmem_flush());
 * - so by default the dax_device has a write cache: fsync() and msync()
 *   of a DAX file end in REQ_PREFLUSH, which does that read-back, and
 *   MAP_SYNC is refused, since it promises durability with no system
 *   call at all;
 * - only when the admin declares both that the BAR keeps what reached it
 *   (persistent) and that the platform's persistence domain covers the
 *   posted-write path (posted_durable) is the dax_device synchronous, with
 *   no write cache: MAP_SYNC is then offered.  No PCIe rule gives the
 *   second; it is the platform's and device's promise, not ours.
 */
#include <linux/blkdev.h>
#include <linux/dax.h>

#include "compat.h"
#include "iopmem.h"

static long iopmem_dax_direct_access(struct dax_device *dax_dev,
				     pgoff_t pgoff, long nr_pages,
				     enum dax_access_mode mode, void **kaddr,
				     iopmem_pfn_t *pfn)
{
	struct iopmem_dev *idev = dax_get_private(dax_dev);
	resource_size_t off = PFN_PHYS(pgoff);

	if (off >= idev->size)
		return -ERANGE;
	if (kaddr)
		*kaddr = idev->pages_kaddr + off;
	if (pfn)
		*pfn = iopmem_dax_pfn(PHYS_PFN(idev->phys + off));
	return PHYS_PFN(idev->size - off);
}

static int iopmem_dax_zero_page_range(struct dax_device *dax_dev,
				      pgoff_t pgoff, size_t nr_pages)
{
	struct iopmem_dev *idev = dax_get_private(dax_dev);

	return iopmem_zero_bar(idev, PFN_PHYS(pgoff), PFN_PHYS(nr_pages));
}

static const struct dax_operations iopmem_fsdax_ops = {
	.direct_access		= iopmem_dax_direct_access,
	.zero_page_range	= iopmem_dax_zero_page_range,
};

/* iopmem_fsdax_attach() - give @disk, not yet added, a dax_device. */
int iopmem_fsdax_attach(struct iopmem_dev *idev, struct gendisk *disk)
{
	struct dax_device *dax_dev;
	int rc;

	dax_dev = alloc_dax(idev, &iopmem_fsdax_ops);
	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);
	set_dax_nocache(dax_dev);
	set_dax_nomc(dax_dev);
	if (idev->persistent && idev->posted_durable) {
		set_dax_synchronous(dax_dev);
		dax_write_cache(dax_dev, false);
	} else {
		dax_write_cache(dax_dev, true);
	}
	rc = dax_add_host(dax_dev, disk);
	if (rc) {
		kill_dax(dax_dev);
		put_dax(dax_dev);
		return rc;
	}
	idev->fs_dax = dax_dev;
	return 0;
}

/* iopmem_fsdax_detach() - before del_gendisk(): no new DAX access. */
void iopmem_fsdax_detach(struct iopmem_dev *idev, struct gendisk *disk)
{
	if (!idev->fs_dax)
		return;
	dax_remove_host(disk);
	kill_dax(idev->fs_dax);
	put_dax(idev->fs_dax);
	idev->fs_dax = NULL;
}
