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

#include "compat.h"
#include "iopmem.h"

static struct iopmem_dev *to_idev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

/* Say what was refused and why (the input as iopmem_shown() gives it). */
static void iopmem_bad_input(struct iopmem_dev *idev, const char *attr,
			     const char *buf, size_t count, const char *want)
{
	char shown[IOPMEM_SHOWN_LEN];

	pci_err(idev->pdev, "%s: \"%s\" is not %s\n", attr,
		iopmem_shown(buf, count, shown), want);
}

static ssize_t bar_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", to_idev(dev)->bar);
}

/*
 * Serve another BAR of the same function, in the same mode.  Refused while
 * the mode is in use; if the new BAR cannot be served, the old one is
 * served again, so a refused change loses nothing.
 */
static ssize_t bar_store(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);
	struct iopmem_cfg cfg;
	int new, rc;

	if (iopmem_parse_int(buf, count, &new)) {
		iopmem_bad_input(idev, "bar", buf, count,
				 "a BAR index (0 to 5, decimal)");
		return -EINVAL;
	}
	rc = iopmem_bar_check(idev->pdev, new);
	if (rc)
		return rc;
	mutex_lock(&idev->cfg_lock);
	iopmem_cfg_get(idev, &cfg);
	cfg.bar = new;
	rc = iopmem_reconfigure(idev, &cfg);
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

/*
 * 1 when the BAR's bus address differs from its CPU physical address (a
 * translating host bridge): an ordinary DMA mapping of the BAR's pages
 * hands a peer the CPU address, which is wrong on the bus.
 */
static ssize_t address_translated_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	struct iopmem_dev *idev = to_idev(dev);

	return sysfs_emit(buf, "%d\n", idev->bus_addr != idev->phys);
}
static DEVICE_ATTR_RO(address_translated);

static ssize_t users_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", iopmem_openers(to_idev(dev)));
}
static DEVICE_ATTR_RO(users);

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
	struct iopmem_cfg cfg;
	int mode, rc;

	mode = iopmem_mode_parse(buf, count);
	if (mode < 0) {
		iopmem_bad_input(idev, "mode", buf, count,
				 "a mode (raw, fsdax, devdax, p2pdma)");
		return -EINVAL;
	}
	mutex_lock(&idev->cfg_lock);
	iopmem_cfg_get(idev, &cfg);
	cfg.mode = mode;
	rc = iopmem_reconfigure(idev, &cfg);
	mutex_unlock(&idev->cfg_lock);
	return rc ? rc : count;
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

static ssize_t dax_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct iopmem_dev *idev = to_idev(dev);
	ssize_t len;

	mutex_lock(&idev->cfg_lock);
	len = sysfs_emit(buf, "%s\n", iopmem_devdax_name(idev));
	mutex_unlock(&idev->cfg_lock);
	return len;
}
static DEVICE_ATTR_RO(dax);

static ssize_t align_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(to_idev(dev)->align));
}

/* A unit the BAR is not aligned to could map nothing (devdax.c). */
static bool iopmem_align_possible(struct iopmem_dev *idev, unsigned long align)
{
	if (align != PUD_SIZE)
		return true;
	if (!IOPMEM_PUD_FAULTS) {
		pci_err(idev->pdev, "align 1G refused: this kernel cannot map device memory with PUDs (CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD)\n");
		return false;
	}
	if (!IS_ALIGNED(idev->phys | idev->size, PUD_SIZE)) {
		pci_err(idev->pdev, "align 1G refused: BAR %d (%pa, %llu bytes) is not 1 GiB aligned\n",
			idev->bar, &idev->phys, (unsigned long long)idev->size);
		return false;
	}
	return true;
}

/* The devdax mapping unit; mappings made with the old one would break. */
static ssize_t align_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct iopmem_dev *idev = to_idev(dev);
	struct iopmem_cfg cfg;
	unsigned long long val;
	int rc;

	if (iopmem_parse_size(buf, count, &val) ||
	    (val != PAGE_SIZE && val != PMD_SIZE && val != PUD_SIZE)) {
		iopmem_bad_input(idev, "align", buf, count,
				 "4096, 2097152 or 1073741824 (4K, 2M or 1G)");
		return -EINVAL;
	}
	mutex_lock(&idev->cfg_lock);
	if (!iopmem_align_possible(idev, val)) {
		mutex_unlock(&idev->cfg_lock);
		return -EINVAL;
	}
	iopmem_cfg_get(idev, &cfg);
	cfg.align = val;
	rc = iopmem_reconfigure(idev, &cfg);
	mutex_unlock(&idev->cfg_lock);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(align);

static ssize_t struct_page_bytes_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct iopmem_dev *idev = to_idev(dev);
	ssize_t len;

	mutex_lock(&idev->cfg_lock);
	len = sysfs_emit(buf, "%llu\n", iopmem_pages_memmap_bytes(idev));
	mutex_unlock(&idev->cfg_lock);
	return len;
}
static DEVICE_ATTR_RO(struct_page_bytes);

static ssize_t faults_4k_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&to_idev(dev)->faults_4k));
}
static DEVICE_ATTR_RO(faults_4k);

static ssize_t faults_2m_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&to_idev(dev)->faults_2m));
}
static DEVICE_ATTR_RO(faults_2m);

static ssize_t faults_1g_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&to_idev(dev)->faults_1g));
}
static DEVICE_ATTR_RO(faults_1g);

static ssize_t persistent_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_idev(dev)->persistent);
}

/* persistent and posted_durable: one of the durability settings. */
static ssize_t iopmem_store_durability(struct device *dev, const char *attr,
				       const char *buf, size_t count,
				       bool posted)
{
	struct iopmem_dev *idev = to_idev(dev);
	struct iopmem_cfg cfg;
	bool val;
	int rc;

	if (iopmem_parse_bool(buf, count, &val)) {
		iopmem_bad_input(idev, attr, buf, count,
				 "a boolean (0/1, y/n, yes/no, on/off, true/false)");
		return -EINVAL;
	}
	mutex_lock(&idev->cfg_lock);
	iopmem_cfg_get(idev, &cfg);
	if (posted)
		cfg.posted_durable = val;
	else
		cfg.persistent = val;
	rc = iopmem_reconfigure(idev, &cfg);
	mutex_unlock(&idev->cfg_lock);
	return rc ? rc : count;
}

static ssize_t persistent_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	return iopmem_store_durability(dev, "persistent", buf, count, false);
}
static DEVICE_ATTR_RW(persistent);

static ssize_t posted_durable_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_idev(dev)->posted_durable);
}

static ssize_t posted_durable_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	return iopmem_store_durability(dev, "posted_durable", buf, count,
				       true);
}
static DEVICE_ATTR_RW(posted_durable);

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

	if (iopmem_parse_uint(buf, count, &bits) || (bits != 64 && bits != 32)) {
		iopmem_bad_input(idev, "access_width", buf, count, "64 or 32");
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
	&dev_attr_address_translated.attr,
	&dev_attr_users.attr,
	&dev_attr_size.attr,
	&dev_attr_mapping.attr,
	&dev_attr_mode.attr,
	&dev_attr_block.attr,
	&dev_attr_persistent.attr,
	&dev_attr_posted_durable.attr,
	&dev_attr_access_width.attr,
	&dev_attr_flushes.attr,
	&dev_attr_dax.attr,
	&dev_attr_align.attr,
	&dev_attr_struct_page_bytes.attr,
	&dev_attr_faults_4k.attr,
	&dev_attr_faults_2m.attr,
	&dev_attr_faults_1g.attr,
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
