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
#include <linux/memremap.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define IOPMEM_NAME	"iopmem"
#define IOPMEM_MAX_DEVICES	256	/* N of iopmemN, and devdax minors */

enum iopmem_mode {
	IOPMEM_MODE_RAW,	/* block device over an ioremap, no pages */
	IOPMEM_MODE_DEVDAX,	/* character device mapping ZONE_DEVICE pages */
	IOPMEM_MODE_FSDAX,	/* block device with a dax_device, for DAX fs */
	IOPMEM_MODE_P2PDMA,	/* the kernel's P2PDMA provider (p2pmem) */
	IOPMEM_MODE_COUNT
};

struct iopmem_dax;
struct dax_device;

/* What the admin chose; iopmem_reconfigure() changes it as one. */
struct iopmem_cfg {
	int bar;
	enum iopmem_mode mode;
	unsigned long align;		/* devdax mapping unit */
	bool persistent;		/* the BAR keeps data that reached it */
	bool posted_durable;		/* ...and a store fence is enough */
};

/*
 * Whether the CPU may touch the BAR.  STOPPED while PCI error recovery
 * runs (the link may be down), GONE once the function is removed or
 * found absent: I/O then fails at once instead of waiting on MMIO
 * completion timeouts.
 */
enum iopmem_io_state {
	IOPMEM_IO_OK,
	IOPMEM_IO_STOPPED,
	IOPMEM_IO_GONE,
};

struct iopmem_dev {
	struct pci_dev *pdev;
	/*
	 * Held by the PCI binding, by every open of the block device (taken
	 * in ->open, dropped in ->release, so no callback of a gendisk that
	 * outlives the module needs it), by the devdax device, and by
	 * pages kept after removal (retire.c).
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
	/*
	 * The admin says a store is durable once the CPU's store fence
	 * completes, without a read-back (the posted-write path is inside
	 * the platform's persistence domain): only then MAP_SYNC.
	 */
	bool posted_durable;
	atomic64_t flushes;		/* flush and FUA read-backs done */
	enum iopmem_mode mode;
	int io_state;			/* enum iopmem_io_state */

	void *p2pdma_group;		/* p2pdma: its devres group */
	struct gendisk *disk;		/* raw */
	struct iopmem_dax *dax;		/* devdax */
	struct dax_device *fs_dax;	/* fsdax, beside disk */

	/* ZONE_DEVICE pages (devdax), see pages.c */
	struct dev_pagemap pgmap;
	bool has_pages;
	void *pages_kaddr;		/* the pages' kernel mapping */
	int pages_bar;			/* the BAR they cover, for messages */
	/*
	 * Pages kept after removal until nobody can reach them (retire.c):
	 * pfns below retire_pfn are known idle for good.
	 */
	bool retiring;
	unsigned long retire_pfn;
	unsigned int retire_delay_ms;
	unsigned long retire_next_log;	/* jiffies */
	struct delayed_work retire_work;
	unsigned long align;		/* devdax mapping unit: 4 KiB, 2 MiB or 1 GiB */
	atomic64_t faults_4k, faults_2m, faults_1g;

	/*
	 * Users of whatever the mode exposes: opens of the block device (a
	 * mount is one) or of the devdax character device (a mapping keeps
	 * its file open).  The 2016 review's coherency point: while there is
	 * a user, the mode, BAR and align cannot change.  open_lock is not
	 * held across del_gendisk(): the block layer calls ->open with the
	 * disk's open_mutex held and del_gendisk() takes that mutex, so a
	 * lock of ours around it would invert the order; frozen makes new
	 * opens fail instead.
	 */
	spinlock_t open_lock;
	unsigned int openers;
	bool exclusive;			/* the one opener asked for O_EXCL */
	bool frozen;
	bool dead;			/* removed: frozen for good */
	wait_queue_head_t openers_wq;	/* woken when openers drops */
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
int iopmem_zero_bar(struct iopmem_dev *idev, u64 off, size_t len);
int iopmem_flush(struct iopmem_dev *idev);
void iopmem_io_set_state(struct iopmem_dev *idev, enum iopmem_io_state state);

/* blk.c */
int iopmem_blk_create(struct iopmem_dev *idev);
void iopmem_blk_destroy(struct iopmem_dev *idev);

/* pages.c */
bool iopmem_pages_possible(struct iopmem_dev *idev, bool say_why);
int iopmem_p2pdma_possible(struct iopmem_dev *idev);
int iopmem_pages_add(struct iopmem_dev *idev, enum memory_type type);
void iopmem_pages_remove(struct iopmem_dev *idev);
void iopmem_pages_free(struct iopmem_dev *idev);
unsigned int iopmem_devdax_order(struct iopmem_dev *idev, unsigned long align);
unsigned long iopmem_pages_pinned(struct iopmem_dev *idev,
				  unsigned long from, bool first_only,
				  unsigned long *first_busy);
u64 iopmem_pages_memmap_bytes(struct iopmem_dev *idev);

/* retire.c */
void iopmem_zap_fs_mappings(struct iopmem_dev *idev);
bool iopmem_retire_needed(struct iopmem_dev *idev);
void iopmem_retire_start(struct iopmem_dev *idev);
void iopmem_retire_kick(struct iopmem_dev *idev);
void iopmem_retire_init(struct iopmem_dev *idev);
int iopmem_retire_wq_init(void);
void iopmem_retire_wq_exit(void);

/* fsdax.c */
int iopmem_fsdax_attach(struct iopmem_dev *idev, struct gendisk *disk);
void iopmem_fsdax_detach(struct iopmem_dev *idev, struct gendisk *disk);

/* devdax.c */
int iopmem_devdax_create(struct iopmem_dev *idev);
void iopmem_devdax_destroy(struct iopmem_dev *idev);
const char *iopmem_devdax_name(struct iopmem_dev *idev);
int iopmem_devdax_init(void);
void iopmem_devdax_exit(void);

/* p2pdma.c */
int iopmem_p2pdma_create(struct iopmem_dev *idev);
void iopmem_p2pdma_destroy(struct iopmem_dev *idev);
unsigned long iopmem_p2pdma_in_use(struct iopmem_dev *idev);

/* mode.c */
const char *iopmem_mode_name(enum iopmem_mode mode);
int iopmem_mode_parse(const char *buf, size_t count);
int iopmem_mode_enter(struct iopmem_dev *idev, enum iopmem_mode mode);
int iopmem_serve(struct iopmem_dev *idev, int bar, enum iopmem_mode mode);
void iopmem_unserve(struct iopmem_dev *idev);
void iopmem_cfg_get(struct iopmem_dev *idev, struct iopmem_cfg *cfg);
int iopmem_reconfigure(struct iopmem_dev *idev, const struct iopmem_cfg *want);

/* users.c */
int iopmem_user_get(struct iopmem_dev *idev, bool exclusive);
void iopmem_user_put(struct iopmem_dev *idev);
int iopmem_freeze(struct iopmem_dev *idev);
void iopmem_thaw(struct iopmem_dev *idev);
void iopmem_kill(struct iopmem_dev *idev);
unsigned int iopmem_openers(struct iopmem_dev *idev);

/* main.c */
void iopmem_put(struct iopmem_dev *idev);
bool iopmem_allow_translated(void);

/* parse.c: sysfs input, strictly */
int iopmem_parse_token(const char *buf, size_t count, char *tok, size_t size);
int iopmem_parse_bool(const char *buf, size_t count, bool *val);
int iopmem_parse_uint(const char *buf, size_t count, unsigned int *val);
int iopmem_parse_int(const char *buf, size_t count, int *val);
int iopmem_parse_size(const char *buf, size_t count, unsigned long long *val);
#define IOPMEM_SHOWN_LEN	(32 * 4 + 4)
const char *iopmem_shown(const char *buf, size_t count,
			 char shown[IOPMEM_SHOWN_LEN]);

/* bar_choice.c: the BAR to serve, chosen per function before its bind */
int iopmem_bar_choice(struct pci_dev *pdev);
void iopmem_bar_choices_free(void);
extern const struct attribute_group *iopmem_drv_groups[];

/* sysfs.c */
extern const struct attribute_group *iopmem_dev_groups[];

#endif /* IOPMEM_H */
