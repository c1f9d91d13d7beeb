// SPDX-License-Identifier: GPL-2.0
/*
 * Who uses a bound function: the opens of its block device (a mounted file
 * system holds one) or of its devdax character device (a mapping holds
 * its file).  While anyone does, nothing may change what they see: the
 * mode, the BAR or the mapping unit.
 */
#include <linux/pci.h>
#include <linux/spinlock.h>

#include "iopmem.h"

/*
 * iopmem_user_get() - a new open.  -EBUSY while a change is under way,
 * while an O_EXCL opener holds the device, or for an O_EXCL open of a
 * device already in use.
 */
int iopmem_user_get(struct iopmem_dev *idev, bool exclusive)
{
	int rc = 0;

	spin_lock(&idev->open_lock);
	if (idev->frozen || idev->exclusive ||
	    (exclusive && idev->openers)) {
		rc = -EBUSY;
	} else {
		idev->openers++;
		idev->exclusive = exclusive;
	}
	spin_unlock(&idev->open_lock);
	return rc;
}

void iopmem_user_put(struct iopmem_dev *idev)
{
	spin_lock(&idev->open_lock);
	idev->openers--;
	idev->exclusive = false;
	spin_unlock(&idev->open_lock);
}

/*
 * iopmem_freeze() - stop new opens, or fail with -EBUSY (and say so) if
 * there is a user.  Called before anything that changes what users see.
 */
int iopmem_freeze(struct iopmem_dev *idev)
{
	unsigned int openers;

	spin_lock(&idev->open_lock);
	openers = idev->openers;
	if (!openers)
		idev->frozen = true;
	spin_unlock(&idev->open_lock);
	if (openers)
		pci_err(idev->pdev, "%s mode is in use (%u open, mounted or mapped): close, unmount or unmap it first\n",
			iopmem_mode_name(idev->mode), openers);
	return openers ? -EBUSY : 0;
}

void iopmem_thaw(struct iopmem_dev *idev)
{
	spin_lock(&idev->open_lock);
	idev->frozen = false;
	spin_unlock(&idev->open_lock);
}
