// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes in /sys/bus/pci/devices/<function>/iopmem/,
 * documented in Documentation/ABI/testing/sysfs-bus-pci-drivers-iopmem.
 *
 * They exist only while the function is bound, so drvdata is valid in
 * every callback (the driver core removes them before ->remove).
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "iopmem.h"

static struct iopmem_dev *to_idev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static ssize_t bar_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", to_idev(dev)->bar);
}

/*
 * Serve another BAR of the same function.  Refused while the block device
 * is in use; if the new BAR cannot be served, the old one is served again,
 * so a refused change loses nothing.
 */
static ssize_t bar_store(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);
	int new, old, rc;

	rc = kstrtoint(buf, 0, &new);
	if (rc) {
		pci_err(idev->pdev, "bar: \"%.*s\" is not a BAR index\n",
			(int)strcspn(buf, "\n"), buf);
		return rc;
	}
	rc = iopmem_bar_check(idev->pdev, new);
	if (rc)
		return rc;

	mutex_lock(&idev->cfg_lock);
	old = idev->bar;
	if (new == old)
		goto out;
	rc = iopmem_freeze(idev);
	if (rc)
		goto out;
	iopmem_unserve(idev);
	rc = iopmem_serve(idev, new);
	if (rc && iopmem_serve(idev, old))
		pci_err(idev->pdev, "cannot serve BAR %d again: rebind the function\n",
			old);
	iopmem_thaw(idev);
	if (!rc)
		pci_info(idev->pdev, "now serving BAR %d as /dev/%s\n",
			 idev->bar, idev->disk->disk_name);
out:
	mutex_unlock(&idev->cfg_lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(bar);

static ssize_t phys_addr_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%pa\n", &to_idev(dev)->phys);
}
static DEVICE_ATTR_ADMIN_RO(phys_addr);

static ssize_t bus_addr_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "0x%llx\n",
			  (unsigned long long)to_idev(dev)->bus_addr);
}
static DEVICE_ATTR_ADMIN_RO(bus_addr);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)to_idev(dev)->size);
}
static DEVICE_ATTR_ADMIN_RO(size);

static ssize_t mapping_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  to_idev(dev)->wc ? "write-combining" : "uncached");
}
static DEVICE_ATTR_RO(mapping);

static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", iopmem_mode_name(to_idev(dev)->mode));
}

static ssize_t mode_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);

	if (sysfs_streq(buf, iopmem_mode_name(IOPMEM_MODE_RAW)))
		return count;
	pci_err(idev->pdev, "mode: \"%.*s\" is not supported (supported: raw)\n",
		(int)strcspn(buf, "\n"), buf);
	return -EINVAL;
}
static DEVICE_ATTR_RW(mode);

static ssize_t block_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct iopmem_dev *idev = to_idev(dev);
	ssize_t len;

	mutex_lock(&idev->cfg_lock);
	len = sysfs_emit(buf, "%s\n", idev->disk ? idev->disk->disk_name : "");
	mutex_unlock(&idev->cfg_lock);
	return len;
}
static DEVICE_ATTR_RO(block);

static ssize_t persistent_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_idev(dev)->persistent);
}

static ssize_t persistent_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);
	bool val;

	if (kstrtobool(buf, &val)) {
		pci_err(idev->pdev, "persistent: \"%.*s\" is not 0 or 1\n",
			(int)strcspn(buf, "\n"), buf);
		return -EINVAL;
	}
	WRITE_ONCE(idev->persistent, val);
	return count;
}
static DEVICE_ATTR_RW(persistent);

static ssize_t access_width_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_idev(dev)->access_width) * 8);
}

static ssize_t access_width_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);
	unsigned int bits;

	if (kstrtouint(buf, 0, &bits) || (bits != 64 && bits != 32)) {
		pci_err(idev->pdev, "access_width: \"%.*s\" is not 64 or 32\n",
			(int)strcspn(buf, "\n"), buf);
		return -EINVAL;
	}
	WRITE_ONCE(idev->access_width, bits / 8);
	return count;
}
static DEVICE_ATTR_RW(access_width);

static ssize_t flushes_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&to_idev(dev)->flushes));
}
static DEVICE_ATTR_RO(flushes);

static struct attribute *iopmem_attrs[] = {
	&dev_attr_bar.attr,
	&dev_attr_phys_addr.attr,
	&dev_attr_bus_addr.attr,
	&dev_attr_size.attr,
	&dev_attr_mapping.attr,
	&dev_attr_mode.attr,
	&dev_attr_block.attr,
	&dev_attr_persistent.attr,
	&dev_attr_access_width.attr,
	&dev_attr_flushes.attr,
	NULL
};

static const struct attribute_group iopmem_group = {
	.name	= IOPMEM_NAME,
	.attrs	= iopmem_attrs,
};

const struct attribute_group *iopmem_dev_groups[] = {
	&iopmem_group,
	NULL
};
