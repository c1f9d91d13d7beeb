// SPDX-License-Identifier: GPL-2.0
/*
 * The raw block device /dev/iopmemN over the BAR mapping.
 *
 * Bio based, like brd and pmem: a copy is a few CPU stores, so a request
 * queue and its scheduler would only add latency.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/memremap.h>

#include "compat.h"
#include "iopmem.h"

static blk_status_t iopmem_do_bvec(struct iopmem_dev *idev,
				   struct bio_vec *bvec, sector_t sector,
				   bool write)
{
	u64 off = (u64)sector << SECTOR_SHIFT;
	void *mem = bvec_kmap_local(bvec);
	int rc;

	if (write) {
		rc = iopmem_copy_to_bar(idev, off, mem, bvec->bv_len);
	} else {
		rc = iopmem_copy_from_bar(idev, off, mem, bvec->bv_len);
		flush_dcache_page(bvec->bv_page);
	}
	kunmap_local(mem);
	return rc ? BLK_STS_IOERR : BLK_STS_OK;
}

static void iopmem_submit_bio(struct bio *bio)
{
	struct gendisk *disk = bio->bi_bdev->bd_disk;
	struct iopmem_dev *idev = disk->private_data;
	bool write = op_is_write(bio_op(bio));
	blk_status_t status = BLK_STS_OK;
	struct bvec_iter iter;
	struct bio_vec bvec;
	unsigned long start = 0;
	bool acct;

	if (((bio->bi_opf & REQ_PREFLUSH) || bio_op(bio) == REQ_OP_FLUSH) &&
	    iopmem_flush(idev)) {
		status = BLK_STS_IOERR;
		goto out;
	}

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		break;
	case REQ_OP_FLUSH:
		goto out;
	default:
		status = BLK_STS_NOTSUPP;
		goto out;
	}
	/* The block layer checks this too; a bad bio must never reach MMIO. */
	if (bio_end_sector(bio) > get_capacity(disk)) {
		status = BLK_STS_IOERR;
		goto out;
	}

	acct = blk_queue_io_stat(disk->queue);
	if (acct)
		start = bio_start_io_acct(bio);
	/*
	 * One page at a time, with a chance to reschedule between pages:
	 * direct I/O bios are not capped (max_hw_sectors is UINT_MAX) and
	 * CPU reads of a real BAR can run at a few MB/s, so one bio may take
	 * seconds.
	 */
	bio_for_each_segment(bvec, bio, iter) {
		status = iopmem_do_bvec(idev, &bvec, iter.bi_sector, write);
		if (status)
			break;
		cond_resched();
	}
	if (acct)
		bio_end_io_acct(bio, start);

	if (!status && (bio->bi_opf & REQ_FUA) && iopmem_flush(idev))
		status = BLK_STS_IOERR;
out:
	bio->bi_status = status;
	bio_endio(bio);
}

/*
 * Each open holds idev, dropped in ->release: the block layer calls
 * ->release before it drops the module reference an open holds, whereas
 * a ->free_disk could run from the last put of a gendisk that outlived
 * the module (a sysfs reference), after rmmod.
 */
static int iopmem_open(IOPMEM_BDEV_OPEN_ARGS)
{
	struct iopmem_dev *idev = IOPMEM_BDEV_OPEN_DISK->private_data;
	int rc;

	/* The block layer itself handles O_EXCL for block devices. */
	rc = iopmem_user_get(idev, false);
	if (!rc)
		kref_get(&idev->kref);
	return rc;
}

static void iopmem_release(IOPMEM_BDEV_RELEASE_ARGS)
{
	struct iopmem_dev *idev = disk->private_data;

	iopmem_user_put(idev);
	iopmem_put(idev);
}

static const struct block_device_operations iopmem_fops = {
	.owner		= THIS_MODULE,
	.submit_bio	= iopmem_submit_bio,
	.open		= iopmem_open,
	.release	= iopmem_release,
};

int iopmem_blk_create(struct iopmem_dev *idev)
{
	bool dax = idev->has_pages && idev->pgmap.type == MEMORY_DEVICE_FS_DAX;
	struct gendisk *disk;
	int rc;

	disk = iopmem_alloc_disk(dev_to_node(&idev->pdev->dev), dax);
	if (IS_ERR(disk))
		return PTR_ERR(disk);

	disk->fops = &iopmem_fops;
	disk->private_data = idev;
	snprintf(disk->disk_name, DISK_NAME_LEN, IOPMEM_NAME "%d", idev->id);
	set_capacity(disk, idev->size >> SECTOR_SHIFT);
	if (dax) {
		rc = iopmem_fsdax_attach(idev, disk);
		if (rc) {
			put_disk(disk);
			pci_err(idev->pdev, "cannot create the dax device: %d\n",
				rc);
			return rc;
		}
	}

	idev->disk = disk;
	rc = device_add_disk(&idev->pdev->dev, disk, NULL);
	if (rc) {
		iopmem_fsdax_detach(idev, disk);
		idev->disk = NULL;
		put_disk(disk);
		pci_err(idev->pdev, "cannot add block device: %d\n", rc);
		return rc;
	}
	return 0;
}

/*
 * iopmem_blk_destroy() - take the block device away.  del_gendisk() fails
 * all new I/O and waits for bios in flight, so once it returns nothing
 * touches the BAR mapping through the disk and the caller may unmap it.
 * Openers keep the gendisk (and idev) alive until they close it.  On
 * removal a DAX file system may still be mounted: once its dax_device is
 * dead, the mappings of its files are zapped (retire.c), before and after
 * del_gendisk().
 */
void iopmem_blk_destroy(struct iopmem_dev *idev)
{
	if (!idev->disk)
		return;
	iopmem_fsdax_detach(idev, idev->disk);
	if (idev->dead)
		iopmem_zap_fs_mappings(idev);
	del_gendisk(idev->disk);
	if (idev->dead)
		iopmem_zap_fs_mappings(idev);
	put_disk(idev->disk);
	idev->disk = NULL;
}
