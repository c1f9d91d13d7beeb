// SPDX-License-Identifier: GPL-2.0
/*
 * What removal leaves behind: user mappings of files on a DAX file system
 * that is still mounted, and struct pages that someone can still reach.
 *
 * A removal (unbind, hot-unplug) cannot fail and must not wait for users:
 * it runs with the device lock held, and on hot-unplug with pciehp's
 * global rescan/remove lock, so a wait there would stop every PCI hotplug
 * on the machine.  So removal
 * - zaps every user mapping of the BAR (devdax.c for the character
 *   device, iopmem_zap_fs_mappings() here for files of a mounted fs-dax
 *   file system): a later touch faults, and with the dax_device dead the
 *   fault gets SIGBUS;
 * - releases the BAR (its mapping and its claim) at once;
 * - keeps the struct pages while anyone can still reach them: a pinned
 *   page (get_user_pages() by O_DIRECT, vmsplice, RDMA) is released into
 *   its struct page, and a file system still mounted walks the pages of
 *   its files when it evicts their inodes (umount, unlink, drop_caches).
 *   A worker frees them when the last pin and the last opener are gone,
 *   holding a reference on the device and on the module meanwhile, so
 *   rmmod says "in use" rather than waiting.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "iopmem.h"

/* The worker backs off from 20 ms to this between looks at the pages. */
#define IOPMEM_RETIRE_MAX_DELAY_MS	10000
/* How often it says what it still waits for. */
#define IOPMEM_RETIRE_LOG_INTERVAL	(60 * HZ)

static struct workqueue_struct *iopmem_wq;

/*
 * Zap every user mapping of @inode.  The invalidate lock is what DAX
 * page faults of ext4 and xfs hold (shared) from dax_direct_access() to
 * inserting the page table entry, so once we have it no fault of this
 * file is half done: each either inserted its entry (zapped here) or
 * runs after the dax_device died and gets SIGBUS.
 */
static void iopmem_zap_inode(struct inode *inode)
{
	filemap_invalidate_lock(inode->i_mapping);
	unmap_mapping_range(inode->i_mapping, 0, 0, 1);
	filemap_invalidate_unlock(inode->i_mapping);
}

/*
 * iopmem_zap_fs_mappings() - zap the user mappings of every file that has
 * a page of the BAR mapped, once the dax_device is dead (kill_dax()).
 *
 * kill_dax() only notifies a holder (XFS with rmapbt acts on it, ext4 does
 * not), and inodes a process holds open or mapped survive del_gendisk(),
 * so their mappings would outlive the BAR.  fs/dax.c records the owner of
 * every page it inserts into a mapping (page->mapping, from 6.15 the
 * folio's: iopmem_fsdax_owner()) until the entry is truncated or evicted;
 * that finds every such file.  Inodes are freed after an RCU grace period and
 * igrab() refuses one being freed, so reading page->mapping under RCU and
 * taking the inode with igrab() is safe against a concurrent eviction.
 *
 * Pages shared between files by reflink (no one owner recorded) cannot
 * be traced: they are counted and reported.  The
 * caller runs this twice, around del_gendisk(), for a fault that had
 * passed dax_direct_access() just before kill_dax() but had not yet
 * recorded its page.
 */
void iopmem_zap_fs_mappings(struct iopmem_dev *idev)
{
	unsigned long base = PHYS_PFN(idev->pgmap.range.start);
	unsigned long n = PHYS_PFN(range_len(&idev->pgmap.range));
	unsigned long i, untraced = 0, files = 0;
	struct inode *held = NULL, *inode;
	struct address_space *mapping;

	if (!idev->has_pages || idev->pgmap.type != MEMORY_DEVICE_FS_DAX)
		return;
	for (i = 0; i < n; i++) {
		struct page *page = pfn_to_page(base + i);

		if (!(i & 4095))
			cond_resched();
		bool shared;

		inode = NULL;
		rcu_read_lock();
		mapping = iopmem_fsdax_owner(page, &shared);
		if (shared)
			untraced++;
		else if (mapping && !(held && mapping == held->i_mapping))
			inode = igrab(mapping->host);
		rcu_read_unlock();
		if (!inode)
			continue;
		iopmem_zap_inode(inode);
		files++;
		/* Holding the last one zapped keeps its mapping from reuse. */
		if (held)
			iput(held);
		held = inode;
	}
	if (held)
		iput(held);
	if (files)
		pci_info(idev->pdev, "BAR %d removed while mounted: zapped the mappings of %lu files\n",
			 idev->pages_bar, files);
	if (untraced)
		pci_warn(idev->pdev, "BAR %d removed while mounted: %lu pages shared by reflinked files could not be traced to their mappings\n",
			 idev->pages_bar, untraced);
}

/* Who can still reach the pages: pins, and an fs-dax file system. */
static void iopmem_retire_users(struct iopmem_dev *idev,
				unsigned long *pinned, unsigned int *openers)
{
	*pinned = iopmem_pages_pinned(idev, idev->retire_pfn, true,
				      &idev->retire_pfn);
	*openers = idev->pgmap.type == MEMORY_DEVICE_FS_DAX ?
		   iopmem_openers(idev) : 0;
}

/*
 * iopmem_retire_needed() - must the pages outlive this removal?  The
 * mappings are zapped and faults fail by now, so no new pin can come:
 * pins only go away, and the scan's resume point only moves forward.
 */
bool iopmem_retire_needed(struct iopmem_dev *idev)
{
	unsigned long pinned;
	unsigned int openers;

	idev->retire_pfn = 0;
	iopmem_retire_users(idev, &pinned, &openers);
	return pinned || openers;
}

static void iopmem_retire_say(struct iopmem_dev *idev, unsigned int openers)
{
	unsigned long pinned = iopmem_pages_pinned(idev, idev->retire_pfn,
						   false, NULL);

	if (idev->pgmap.type == MEMORY_DEVICE_FS_DAX)
		pci_info(idev->pdev, "BAR %d removed: keeping its struct pages while %lu are pinned and %u opens of the block device (a mount is one) remain\n",
			 idev->pages_bar, pinned, openers);
	else
		pci_info(idev->pdev, "BAR %d removed: keeping its struct pages while %lu are pinned\n",
			 idev->pages_bar, pinned);
	idev->retire_next_log = jiffies + IOPMEM_RETIRE_LOG_INTERVAL;
}

static void iopmem_retire_work(struct work_struct *work)
{
	struct iopmem_dev *idev = container_of(to_delayed_work(work),
					       struct iopmem_dev, retire_work);
	unsigned long pinned;
	unsigned int openers;

	iopmem_retire_users(idev, &pinned, &openers);
	if (pinned || openers) {
		if (time_after_eq(jiffies, idev->retire_next_log))
			iopmem_retire_say(idev, openers);
		idev->retire_delay_ms = min(idev->retire_delay_ms * 2,
					    IOPMEM_RETIRE_MAX_DELAY_MS);
		queue_delayed_work(iopmem_wq, &idev->retire_work,
				   msecs_to_jiffies(idev->retire_delay_ms));
		return;
	}
	/* No kick may queue us again once retiring is false. */
	spin_lock(&idev->open_lock);
	idev->retiring = false;
	spin_unlock(&idev->open_lock);
	cancel_delayed_work(&idev->retire_work);

	iopmem_pages_free(idev);
	pci_info(idev->pdev, "BAR %d: released the struct pages of the removed function\n",
		 idev->pages_bar);
	iopmem_put(idev);
	/* destroy_workqueue() in module exit waits for us to return. */
	module_put(THIS_MODULE);
}

/* iopmem_retire_start() - keep the pages; the worker frees them. */
void iopmem_retire_start(struct iopmem_dev *idev)
{
	kref_get(&idev->kref);
	__module_get(THIS_MODULE);
	idev->retire_delay_ms = 20;
	iopmem_retire_say(idev, iopmem_openers(idev));
	spin_lock(&idev->open_lock);
	idev->retiring = true;
	spin_unlock(&idev->open_lock);
	queue_delayed_work(iopmem_wq, &idev->retire_work,
			   msecs_to_jiffies(idev->retire_delay_ms));
}

/* iopmem_retire_kick() - the last opener left: look again now. */
void iopmem_retire_kick(struct iopmem_dev *idev)
{
	spin_lock(&idev->open_lock);
	if (idev->retiring)
		mod_delayed_work(iopmem_wq, &idev->retire_work, 0);
	spin_unlock(&idev->open_lock);
}

void iopmem_retire_init(struct iopmem_dev *idev)
{
	INIT_DELAYED_WORK(&idev->retire_work, iopmem_retire_work);
}

int __init iopmem_retire_wq_init(void)
{
	iopmem_wq = alloc_workqueue(IOPMEM_NAME "_retire", WQ_UNBOUND, 0);
	return iopmem_wq ? 0 : -ENOMEM;
}

void iopmem_retire_wq_exit(void)
{
	destroy_workqueue(iopmem_wq);
}
