// SPDX-License-Identifier: GPL-2.0
/*
 * Modes, named as ndctl names namespace modes, and the one path that sets
 * up, tears down and changes what a bound function serves.  No mode
 * writes metadata into the BAR, so a change of mode keeps its bytes.
 */
#include <linux/memremap.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "iopmem.h"

static const char * const iopmem_mode_names[IOPMEM_MODE_COUNT] = {
	[IOPMEM_MODE_RAW]	= "raw",
	[IOPMEM_MODE_DEVDAX]	= "devdax",
	[IOPMEM_MODE_FSDAX]	= "fsdax",
	[IOPMEM_MODE_P2PDMA]	= "p2pdma",
};

const char *iopmem_mode_name(enum iopmem_mode mode)
{
	return iopmem_mode_names[mode];
}

/* Return: the mode named exactly in @buf (@count bytes), or -EINVAL. */
int iopmem_mode_parse(const char *buf, size_t count)
{
	char tok[16];
	int rc = iopmem_parse_token(buf, count, tok, sizeof(tok));

	return rc < 0 ? rc : match_string(iopmem_mode_names,
					  ARRAY_SIZE(iopmem_mode_names), tok);
}

/* Pages of @type, then the device that @create makes over them. */
static int iopmem_mode_with_pages(struct iopmem_dev *idev,
				  enum memory_type type,
				  int (*create)(struct iopmem_dev *idev))
{
	int rc;

	rc = iopmem_pages_add(idev, type);
	if (rc)
		return rc;
	rc = create(idev);
	if (rc)
		iopmem_pages_remove(idev);
	return rc;
}

int iopmem_mode_enter(struct iopmem_dev *idev, enum iopmem_mode mode)
{
	int rc;

	switch (mode) {
	case IOPMEM_MODE_RAW:
		rc = iopmem_blk_create(idev);
		break;
	case IOPMEM_MODE_DEVDAX:
		rc = iopmem_mode_with_pages(idev, MEMORY_DEVICE_GENERIC,
					    iopmem_devdax_create);
		break;
	case IOPMEM_MODE_FSDAX:
		/* The block device gets a dax_device over FS_DAX pages. */
		rc = iopmem_mode_with_pages(idev, MEMORY_DEVICE_FS_DAX,
					    iopmem_blk_create);
		break;
	case IOPMEM_MODE_P2PDMA:
		/* The kernel makes the pages (p2pdma.c). */
		rc = iopmem_p2pdma_create(idev);
		break;
	default:
		rc = -EINVAL;
	}
	if (!rc)
		idev->mode = mode;
	return rc;
}

static void iopmem_mode_exit(struct iopmem_dev *idev)
{
	iopmem_p2pdma_destroy(idev);
	iopmem_blk_destroy(idev);
	iopmem_devdax_destroy(idev);
	iopmem_pages_remove(idev);
}

/* iopmem_serve() - map @bar and serve it in @mode. */
int iopmem_serve(struct iopmem_dev *idev, int bar, enum iopmem_mode mode)
{
	int rc;

	rc = iopmem_bar_map(idev, bar);
	if (rc)
		return rc;
	rc = iopmem_mode_enter(idev, mode);
	if (rc)
		iopmem_bar_unmap(idev);
	return rc;
}

/* iopmem_unserve() - the reverse; the caller made sure of the users. */
void iopmem_unserve(struct iopmem_dev *idev)
{
	iopmem_mode_exit(idev);
	iopmem_bar_unmap(idev);
}

void iopmem_cfg_get(struct iopmem_dev *idev, struct iopmem_cfg *cfg)
{
	cfg->bar = idev->bar;
	cfg->mode = idev->mode;
	cfg->align = idev->align;
	cfg->persistent = idev->persistent;
	cfg->posted_durable = idev->posted_durable;
}

/* What shapes the device without being the BAR or the mode. */
static void iopmem_cfg_set_durability(struct iopmem_dev *idev,
				      const struct iopmem_cfg *cfg)
{
	WRITE_ONCE(idev->persistent, cfg->persistent);
	WRITE_ONCE(idev->posted_durable, cfg->posted_durable);
	WRITE_ONCE(idev->align, cfg->align);
}

/*
 * Whether @want needs the device made again: another BAR or mode; in the
 * page-backed modes other durability settings; in devdax another align
 * when that changes the compound page order (iopmem_devdax_order()).
 */
static bool iopmem_cfg_remakes(struct iopmem_dev *idev,
			       const struct iopmem_cfg *old,
			       const struct iopmem_cfg *want)
{
	if (want->bar != old->bar || want->mode != old->mode)
		return true;
	/* No durability is claimed in raw or p2pdma mode: only recorded. */
	if (want->mode == IOPMEM_MODE_RAW || want->mode == IOPMEM_MODE_P2PDMA)
		return false;
	if (want->persistent != old->persistent ||
	    want->posted_durable != old->posted_durable)
		return true;
	if (want->mode != IOPMEM_MODE_DEVDAX || want->align == old->align)
		return false;
	return iopmem_devdax_order(idev, want->align) !=
	       iopmem_devdax_order(idev, old->align);
}

/*
 * Whether the served pages are all back, checked frozen: no opener means
 * no mapping and no mount, so no new pin can come, and pins counted now
 * (vmsplice, RDMA, O_DIRECT stuck on a slow source) only go away.
 * Tearing down under them would wait for them with our locks held.  In
 * p2pdma mode the users are the kernel's, counted by their pages.
 * Returns 0, or -EBUSY with a message saying which pages are held.
 */
static int iopmem_pages_released(struct iopmem_dev *idev)
{
	unsigned long n = iopmem_pages_pinned(idev, 0, false, NULL);

	if (n) {
		pci_err(idev->pdev, "%lu pages of BAR %d are pinned (DMA in flight, vmsplice, RDMA): release them first\n",
			n, idev->bar);
		return -EBUSY;
	}
	n = iopmem_p2pdma_in_use(idev);
	if (n) {
		pci_err(idev->pdev, "%lu pages of BAR %d are allocated from its P2PDMA memory (p2pmem/allocate mappings, kernel users, DMA in flight): release them first\n",
			n, idev->bar);
		return -EBUSY;
	}
	return 0;
}

/*
 * iopmem_reconfigure() - serve what @want says instead of what is served
 * now.  The durability settings shape what the page-backed modes make (the
 * dax_device's flags, whether MAP_SYNC is offered), so there a change of
 * them remakes the device like a change of BAR or mode; in raw mode they
 * are only recorded.  A change that remakes the device is refused with
 * -EBUSY while there is a user or a pinned page, before anything is torn
 * down.  When the new setting fails, the old one is served again: a
 * refused change loses nothing.
 */
int iopmem_reconfigure(struct iopmem_dev *idev, const struct iopmem_cfg *want)
{
	struct iopmem_cfg old;
	int rc;

	lockdep_assert_held(&idev->cfg_lock);
	iopmem_cfg_get(idev, &old);
	if (!iopmem_cfg_remakes(idev, &old, want)) {
		/* A new mapping unit would break mappings made with the old. */
		if (want->align != old.align) {
			rc = iopmem_freeze(idev);
			if (rc)
				return rc;
			iopmem_cfg_set_durability(idev, want);
			iopmem_thaw(idev);
			return 0;
		}
		iopmem_cfg_set_durability(idev, want);
		return 0;
	}
	rc = iopmem_freeze(idev);
	if (rc)
		return rc;
	rc = iopmem_pages_released(idev);
	if (rc) {
		iopmem_thaw(idev);
		return rc;
	}
	iopmem_unserve(idev);
	/*
	 * Thawed before the new device is made: adding a disk scans its
	 * partitions by opening it, and nobody can open the old one now.
	 */
	iopmem_thaw(idev);
	iopmem_cfg_set_durability(idev, want);
	rc = iopmem_serve(idev, want->bar, want->mode);
	if (rc) {
		iopmem_cfg_set_durability(idev, &old);
		if (iopmem_serve(idev, old.bar, old.mode))
			pci_err(idev->pdev, "cannot serve BAR %d in %s mode again: rebind the function\n",
				old.bar, iopmem_mode_name(old.mode));
		return rc;
	}
	pci_info(idev->pdev, "now serving BAR %d in %s mode%s%s\n", want->bar,
		 iopmem_mode_name(want->mode),
		 want->persistent ? " (persistent)" : "",
		 want->posted_durable ? " (posted writes durable)" : "");
	return 0;
}
