/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State of one PCI function bound to iopmem, shared by the
 * driver's parts: main.c (PCI driver), bar.c (which BAR, claim and map),
 * bar_io.c (CPU copies to and from the BAR), blk.c (the block device)
 * and sysfs.c (the attributes on the PCI device).
 */
#ifndef IOPMEM_H
#define IOPMEM_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#define IOPMEM_NAME	"iopmem"

enum iopmem_mode {
	IOPMEM_MODE_RAW,	/* block device over an ioremap, no pages */
};

struct iopmem_dev {
	struct pci_dev *pdev;
	/*
	 * Held by the PCI binding and by the gendisk (dropped in
	 * ->free_disk), so an opener that outlives an unbind still finds
	 * the structure, with no BAR behind it.
	 */
	struct kref kref;
	int id;				/* N of /dev/iopmemN */

	/* Serialises bind, unbind, BAR and mode changes. */
	struct mutex cfg_lock;

	/* The BAR being served; bar < 0 when none is mapped. */
	int bar;
	phys_addr_t phys;		/* CPU physical address */
	pci_bus_addr_t bus_addr;	/* address a peer on the bus uses */
	resource_size_t size;
	void __iomem *virt;
	bool wc;			/* write-combining (prefetchable BAR) */

	unsigned int access_width;	/* bytes per CPU access: 8 or 4 */
	bool persistent;		/* the admin says the BAR keeps data */
	atomic64_t flushes;		/* flush and FUA read-backs done */
	enum iopmem_mode mode;

	struct gendisk *disk;

	/*
	 * Protects openers and frozen.  Not held across del_gendisk(): the
	 * block layer calls ->open with the disk's open_mutex held, and
	 * del_gendisk() takes that mutex, so holding a lock of ours around
	 * it would invert the order.  frozen makes new opens fail instead.
	 */
	spinlock_t open_lock;
	unsigned int openers;
	bool frozen;
};

/* bar.c */
int iopmem_bar_check(struct pci_dev *pdev, int bar);
int iopmem_bar_pick(struct pci_dev *pdev);
int iopmem_bar_map(struct iopmem_dev *idev, int bar);
void iopmem_bar_unmap(struct iopmem_dev *idev);

/* bar_io.c */
int iopmem_copy_to_bar(struct iopmem_dev *idev, u64 off, const void *src,
		       size_t len);
int iopmem_copy_from_bar(struct iopmem_dev *idev, u64 off, void *dst,
			 size_t len);
void iopmem_flush(struct iopmem_dev *idev);

/* blk.c */
int iopmem_blk_create(struct iopmem_dev *idev);
void iopmem_blk_destroy(struct iopmem_dev *idev);
int iopmem_freeze(struct iopmem_dev *idev);
void iopmem_thaw(struct iopmem_dev *idev);

/* main.c */
int iopmem_serve(struct iopmem_dev *idev, int bar);
void iopmem_unserve(struct iopmem_dev *idev);
void iopmem_put(struct iopmem_dev *idev);
const char *iopmem_mode_name(enum iopmem_mode mode);

/* sysfs.c */
extern const struct attribute_group *iopmem_dev_groups[];

#endif /* IOPMEM_H */
