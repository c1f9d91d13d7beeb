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
 * device already in use; -ENXIO once the function is removed.
 */
int iopmem_user_get(struct iopmem_dev *idev, bool exclusive)
{
	int rc = 0;

	spin_lock(&idev->open_lock);
	if (idev->dead) {
		rc = -ENXIO;
	} else if (idev->frozen || idev->exclusive ||
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
	bool last;

	spin_lock(&idev->open_lock);
	idev->openers--;
	idev->exclusive = false;
	last = !idev->openers;
	spin_unlock(&idev->open_lock);
	if (last) {
		wake_up_all(&idev->openers_wq);
		/* A file system unmounted after removal frees its pages. */
		iopmem_retire_kick(idev);
	}
}

unsigned int iopmem_openers(struct iopmem_dev *idev)
{
	unsigned int openers;

	spin_lock(&idev->open_lock);
	openers = idev->openers;
	spin_unlock(&idev->open_lock);
	return openers;
}

/*
 * How long a change waits for opens that end by themselves: udev's blkid
 * and partition probes open a new block device for a few milliseconds
 * right after it appears, and a scripted "bind; echo fsdax > mode" must
 * not fail on them.  A mount or a mapping is not transient and still gets
 * -EBUSY, after this wait.
 */
#define IOPMEM_TRANSIENT_OPEN_MS	2000

static bool iopmem_try_freeze(struct iopmem_dev *idev, unsigned int *openers)
{
	spin_lock(&idev->open_lock);
	*openers = idev->openers;
	if (!*openers)
		idev->frozen = true;
	spin_unlock(&idev->open_lock);
	return !*openers;
}

/*
 * iopmem_freeze() - stop new opens, or fail with -EBUSY (and say so) if
 * there is a user after a short wait for transient ones.  Called before
 * anything that changes what users see.
 */
int iopmem_freeze(struct iopmem_dev *idev)
{
	unsigned int openers;

	if (iopmem_try_freeze(idev, &openers))
		return 0;
	wait_event_interruptible_timeout(idev->openers_wq,
					 iopmem_try_freeze(idev, &openers),
					 msecs_to_jiffies(IOPMEM_TRANSIENT_OPEN_MS));
	if (!openers)
		return 0;
	pci_err(idev->pdev, "%s mode is in use (%u open, mounted or mapped): close, unmount or unmap it first\n",
		iopmem_mode_name(idev->mode), openers);
	return -EBUSY;
}

void iopmem_thaw(struct iopmem_dev *idev)
{
	spin_lock(&idev->open_lock);
	idev->frozen = idev->dead;
	spin_unlock(&idev->open_lock);
}

/* iopmem_kill() - the function is going away: no open succeeds again. */
void iopmem_kill(struct iopmem_dev *idev)
{
	spin_lock(&idev->open_lock);
	idev->dead = true;
	idev->frozen = true;
	spin_unlock(&idev->open_lock);
}
