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
};

const char *iopmem_mode_name(enum iopmem_mode mode)
{
	return iopmem_mode_names[mode];
}

/* Return: the mode named in @buf (sysfs input), or -EINVAL. */
int iopmem_mode_parse(const char *buf)
{
	return sysfs_match_string(iopmem_mode_names, buf);
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
	default:
		rc = -EINVAL;
	}
	if (!rc)
		idev->mode = mode;
	return rc;
}

static void iopmem_mode_exit(struct iopmem_dev *idev)
{
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

/*
 * iopmem_reconfigure() - serve @bar in @mode, @persistent, instead of what
 * is served now.  persistent only shapes what fsdax makes (its
 * dax_device's synchronous and write-cache flags, fixed when the device is
 * made), so elsewhere it is simply recorded.  A change that remakes the
 * device is refused with -EBUSY while there is a user.  When the new
 * setting fails, the old one is served again: a refused change loses
 * nothing.
 */
int iopmem_reconfigure(struct iopmem_dev *idev, int bar,
		       enum iopmem_mode mode, bool persistent)
{
	int old_bar = idev->bar;
	enum iopmem_mode old_mode = idev->mode;
	bool old_persistent = idev->persistent;
	int rc;

	lockdep_assert_held(&idev->cfg_lock);
	if (bar == old_bar && mode == old_mode &&
	    (persistent == old_persistent || mode != IOPMEM_MODE_FSDAX)) {
		WRITE_ONCE(idev->persistent, persistent);
		return 0;
	}
	rc = iopmem_freeze(idev);
	if (rc)
		return rc;
	iopmem_unserve(idev);
	WRITE_ONCE(idev->persistent, persistent);
	rc = iopmem_serve(idev, bar, mode);
	if (rc) {
		WRITE_ONCE(idev->persistent, old_persistent);
		if (iopmem_serve(idev, old_bar, old_mode))
			pci_err(idev->pdev, "cannot serve BAR %d in %s mode again: rebind the function\n",
				old_bar, iopmem_mode_name(old_mode));
	}
	iopmem_thaw(idev);
	if (!rc)
		pci_info(idev->pdev, "now serving BAR %d in %s mode%s\n", bar,
			 iopmem_mode_name(mode), persistent ? " (persistent)" : "");
	return rc;
}
