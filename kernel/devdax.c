// SPDX-License-Identifier: GPL-2.0
/*
 * devdax mode: the character device /dev/iopmemN.dax, modelled on
 * device-dax (drivers/dax/device.c).  mmap() maps the BAR's ZONE_DEVICE
 * pages into the process, so a buffer in that mapping can be handed to
 * another device's driver (O_DIRECT) and the device DMAs into the BAR.
 *
 * All opens share one inode of our own pseudo file system as their
 * mapping, so removal finds and zaps every mapping with one
 * unmap_mapping_range(); the inode has S_DAX so that the mm core offers
 * us PMD (2 MiB) and PUD (1 GiB) faults, and is a character device's,
 * like device-dax's, for memory_failure().
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include "compat.h"
#include "iopmem.h"

#define IOPMEM_FS_MAGIC		0x696f706d	/* "iopm" */

struct iopmem_dax {
	struct device dev;
	struct cdev cdev;
	struct inode *inode;		/* the mapping all opens share */
	struct iopmem_dev *idev;	/* a reference, dropped on release */
	bool alive;			/* read under iopmem_dax_srcu */
};

static struct vfsmount *iopmem_mnt;
static struct class *iopmem_class;
static dev_t iopmem_dax_devt;
DEFINE_STATIC_SRCU(iopmem_dax_srcu);

static struct iopmem_dax *to_dax(struct file *filp)
{
	return filp->private_data;
}

/*
 * Record who maps the pages, as device-dax's dax_set_mapping() does, so
 * that memory_failure() can find and signal the processes that map a
 * poisoned page.  Compound pages (iopmem_devdax_order()) keep it in the
 * head only.
 */
static void iopmem_dax_set_mapping(struct vm_fault *vmf, unsigned long pfn,
				   unsigned long size)
{
	struct file *filp = vmf->vma->vm_file;
	struct iopmem_dev *idev = to_dax(filp)->idev;
	pgoff_t pgoff = linear_page_index(vmf->vma,
					  ALIGN_DOWN(vmf->address, size));
	unsigned long i, nr = idev->pgmap.vmemmap_shift ? 1 : size / PAGE_SIZE;

	for (i = 0; i < nr; i++) {
		struct folio *folio = pfn_folio(pfn + i);

		if (folio->mapping)
			continue;
		folio->mapping = filp->f_mapping;
		folio->index = pgoff + i;
	}
}

/* Serve a fault of @size bytes (PAGE_SIZE, PMD_SIZE or PUD_SIZE). */
static vm_fault_t iopmem_dax_fault_size(struct vm_fault *vmf,
					unsigned long size)
{
	struct vm_area_struct *vma = vmf->vma;
	struct iopmem_dax *dax = to_dax(vma->vm_file);
	struct iopmem_dev *idev = dax->idev;
	unsigned long addr = ALIGN_DOWN(vmf->address, size);
	unsigned long align;
	vm_fault_t rc = VM_FAULT_SIGBUS;
	unsigned long pfn;
	phys_addr_t off;
	int id;

	id = srcu_read_lock(&iopmem_dax_srcu);
	if (!READ_ONCE(dax->alive))
		goto out;		/* removed: SIGBUS, never stale pages */
	align = READ_ONCE(idev->align);
	if (size < align)
		goto out;		/* as device-dax: align is the unit */
	if (size > align) {
		rc = VM_FAULT_FALLBACK;
		goto out;
	}
	if (addr < vma->vm_start || addr + size > vma->vm_end)
		goto out;
	off = (phys_addr_t)linear_page_index(vma, addr) << PAGE_SHIFT;
	if (off >= idev->size || size > idev->size - off)
		goto out;		/* beyond the end of the BAR */
	if (!IS_ALIGNED(idev->phys + off, size))
		goto out;		/* a PMD or PUD maps an aligned range */

	pfn = PHYS_PFN(idev->phys + off);
	iopmem_dax_set_mapping(vmf, pfn, size);
	rc = iopmem_dax_insert(vmf, pfn, size);
	if (rc == VM_FAULT_NOPAGE)
		atomic64_inc(size == PAGE_SIZE ? &idev->faults_4k :
			      size == PMD_SIZE ? &idev->faults_2m :
			      &idev->faults_1g);
out:
	srcu_read_unlock(&iopmem_dax_srcu, id);
	return rc;
}

static vm_fault_t iopmem_dax_huge_fault(IOPMEM_HUGE_FAULT_ARGS)
{
	switch (IOPMEM_HUGE_FAULT_SIZE) {
	case PAGE_SIZE:
		return iopmem_dax_fault_size(vmf, PAGE_SIZE);
	case PMD_SIZE:
		return iopmem_dax_fault_size(vmf, PMD_SIZE);
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	case PUD_SIZE:
		return iopmem_dax_fault_size(vmf, PUD_SIZE);
#endif
	default:
		return VM_FAULT_FALLBACK;
	}
}

static vm_fault_t iopmem_dax_fault(struct vm_fault *vmf)
{
	return iopmem_dax_fault_size(vmf, PAGE_SIZE);
}

/* A mapping may only be split at the alignment unit. */
static int iopmem_dax_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return IS_ALIGNED(addr, READ_ONCE(to_dax(vma->vm_file)->idev->align)) ?
	       0 : -EINVAL;
}

static unsigned long iopmem_dax_pagesize(struct vm_area_struct *vma)
{
	return READ_ONCE(to_dax(vma->vm_file)->idev->align);
}

static const struct vm_operations_struct iopmem_dax_vm_ops = {
	.fault		= iopmem_dax_fault,
	.huge_fault	= iopmem_dax_huge_fault,
	.may_split	= iopmem_dax_may_split,
	.pagesize	= iopmem_dax_pagesize,
};

static int iopmem_dax_check_vma(struct iopmem_dax *dax,
				struct vm_area_struct *vma)
{
	struct iopmem_dev *idev = dax->idev;
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long align = READ_ONCE(idev->align);

	if (!READ_ONCE(dax->alive))
		return -ENXIO;
	if (!(vma->vm_flags & VM_MAYSHARE)) {
		dev_err_ratelimited(&dax->dev, "%s: private mapping refused: map it MAP_SHARED\n",
				    current->comm);
		return -EINVAL;
	}
	if (!IS_ALIGNED(idev->phys, align)) {
		dev_err_ratelimited(&dax->dev, "%s: the BAR at %pa is not %lu-byte aligned (the align attribute): it cannot be mapped in such units\n",
				    current->comm, &idev->phys, align);
		return -EINVAL;
	}
	if (!IS_ALIGNED(vma->vm_start | vma->vm_end | off, align)) {
		dev_err_ratelimited(&dax->dev, "%s: mapping of %#lx bytes at offset %#llx is not %lu-byte aligned (the align attribute)\n",
				    current->comm, len, off, align);
		return -EINVAL;
	}
	if (off >= idev->size || len > idev->size - off) {
		dev_err_ratelimited(&dax->dev, "%s: mapping of %#lx bytes at offset %#llx goes beyond the %llu-byte BAR\n",
				    current->comm, len, off,
				    (unsigned long long)idev->size);
		return -ENXIO;
	}
	/* The durability rules are fsdax.c's. */
	if ((vma->vm_flags & VM_SYNC) &&
	    !(READ_ONCE(idev->persistent) && READ_ONCE(idev->posted_durable))) {
		dev_err_ratelimited(&dax->dev, "%s: MAP_SYNC refused: stores to this BAR are durable only after msync() (persistent and posted_durable are not both set)\n",
				    current->comm);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int iopmem_dax_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct iopmem_dax *dax = to_dax(filp);
	int rc, id;

	id = srcu_read_lock(&iopmem_dax_srcu);
	rc = iopmem_dax_check_vma(dax, vma);
	srcu_read_unlock(&iopmem_dax_srcu, id);
	if (rc)
		return rc;

	vma->vm_ops = &iopmem_dax_vm_ops;
	/* The mm core offers huge faults to VM_HUGEPAGE DAX mappings. */
	iopmem_vm_flags_set(vma, VM_HUGEPAGE);
	/* Same memory type as every other mapping of the BAR (pages.c). */
	vma->vm_page_prot = dax->idev->wc ?
			    pgprot_writecombine(vma->vm_page_prot) :
			    pgprot_noncached(vma->vm_page_prot);
	return 0;
}

/* An address aligned like the offset, so that PMD faults are possible. */
static unsigned long iopmem_dax_get_unmapped_area(struct file *filp,
						  unsigned long addr,
						  unsigned long len,
						  unsigned long pgoff,
						  unsigned long flags)
{
	unsigned long align = READ_ONCE(to_dax(filp)->idev->align);
	unsigned long off = pgoff << PAGE_SHIFT;
	unsigned long area;

	if (!addr && align > PAGE_SIZE && len >= align && len + align > len) {
		area = iopmem_mm_get_unmapped_area(filp, 0, len + align,
						   pgoff, flags);
		if (!IS_ERR_VALUE(area))
			return area + ((off - area) & (align - 1));
	}
	return iopmem_mm_get_unmapped_area(filp, addr, len, pgoff, flags);
}

static int iopmem_dax_open(struct inode *inode, struct file *filp)
{
	struct iopmem_dax *dax = container_of(inode->i_cdev, struct iopmem_dax,
					      cdev);
	int rc;

	rc = iopmem_user_get(dax->idev, filp->f_flags & O_EXCL);
	if (rc)
		return rc;
	filp->f_mapping = dax->inode->i_mapping;
	filp->f_wb_err = filemap_sample_wb_err(filp->f_mapping);
	filp->private_data = dax;
	return 0;
}

static int iopmem_dax_release(struct inode *inode, struct file *filp)
{
	iopmem_user_put(to_dax(filp)->idev);
	return 0;
}

/*
 * fsync(), and msync(MS_SYNC) of a mapping: make the stores reach the
 * device (the read-back of iopmem_flush()); -EIO when the device is gone.
 */
static int iopmem_dax_fsync(struct file *filp, loff_t start, loff_t end,
			    int datasync)
{
	struct iopmem_dax *dax = to_dax(filp);
	int rc = -ENXIO, id;

	id = srcu_read_lock(&iopmem_dax_srcu);
	if (READ_ONCE(dax->alive))
		rc = iopmem_flush(dax->idev);
	srcu_read_unlock(&iopmem_dax_srcu, id);
	return rc;
}

static const struct file_operations iopmem_dax_fops = {
	.owner			= THIS_MODULE,
	.llseek			= noop_llseek,
	.open			= iopmem_dax_open,
	.release		= iopmem_dax_release,
	.mmap			= iopmem_dax_mmap,
	.get_unmapped_area	= iopmem_dax_get_unmapped_area,
	.fsync			= iopmem_dax_fsync,
	IOPMEM_FOPS_MAP_SYNC,
};

/* The last reference to the device (open files hold it through the cdev). */
static void iopmem_dax_dev_release(struct device *dev)
{
	struct iopmem_dax *dax = container_of(dev, struct iopmem_dax, dev);

	if (dax->inode)
		iput(dax->inode);
	iopmem_put(dax->idev);
	kfree(dax);
}

int iopmem_devdax_create(struct iopmem_dev *idev)
{
	struct iopmem_dax *dax;
	int rc;

	dax = kzalloc(sizeof(*dax), GFP_KERNEL);
	if (!dax)
		return -ENOMEM;
	kref_get(&idev->kref);
	dax->idev = idev;

	device_initialize(&dax->dev);
	dax->dev.parent = &idev->pdev->dev;
	dax->dev.class = iopmem_class;
	dax->dev.devt = MKDEV(MAJOR(iopmem_dax_devt), idev->id);
	dax->dev.release = iopmem_dax_dev_release;
	rc = dev_set_name(&dax->dev, IOPMEM_NAME "%d.dax", idev->id);
	if (rc)
		goto err;

	dax->inode = alloc_anon_inode(iopmem_mnt->mnt_sb);
	if (IS_ERR(dax->inode)) {
		rc = PTR_ERR(dax->inode);
		dax->inode = NULL;
		goto err;
	}
	dax->inode->i_flags |= S_DAX;
	/*
	 * A character device's inode, as device-dax's is: memory_failure()
	 * (dax_lock_page()) takes a page->mapping whose host is not S_IFCHR
	 * for a file system's and locks a DAX entry in its page cache, which
	 * this inode has none of; eviction would then wait on that entry.
	 */
	dax->inode->i_mode = S_IFCHR | 0600;

	cdev_init(&dax->cdev, &iopmem_dax_fops);
	dax->cdev.owner = THIS_MODULE;
	dax->alive = true;
	rc = cdev_device_add(&dax->cdev, &dax->dev);
	if (rc)
		goto err;
	idev->dax = dax;
	return 0;
err:
	pci_err(idev->pdev, "cannot create the devdax character device: %d\n",
		rc);
	put_device(&dax->dev);
	return rc;
}

const char *iopmem_devdax_name(struct iopmem_dev *idev)
{
	return idev->dax ? dev_name(&idev->dax->dev) : "";
}

/*
 * iopmem_devdax_destroy() - no new mmap or fault succeeds once this starts
 * (they see !alive), every existing mapping is zapped, so a later touch
 * gets SIGBUS.  Open files keep the structure until they close.
 */
void iopmem_devdax_destroy(struct iopmem_dev *idev)
{
	struct iopmem_dax *dax = idev->dax;

	if (!dax)
		return;
	WRITE_ONCE(dax->alive, false);
	synchronize_srcu(&iopmem_dax_srcu);
	unmap_mapping_range(dax->inode->i_mapping, 0, 0, 1);
	cdev_device_del(&dax->cdev, &dax->dev);
	idev->dax = NULL;
	put_device(&dax->dev);
}

static int iopmem_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, IOPMEM_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type iopmem_fs_type = {
	.name			= IOPMEM_NAME,
	.init_fs_context	= iopmem_fs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

int __init iopmem_devdax_init(void)
{
	int rc;

	rc = alloc_chrdev_region(&iopmem_dax_devt, 0, IOPMEM_MAX_DEVICES,
				 IOPMEM_NAME);
	if (rc)
		return rc;
	/*
	 * Not "iopmem": the class names the directory that holds our device
	 * below the PCI function, and iopmem/ there holds the attributes.
	 */
	iopmem_class = iopmem_class_create(IOPMEM_NAME "_dax");
	if (IS_ERR(iopmem_class)) {
		rc = PTR_ERR(iopmem_class);
		goto err_region;
	}
	iopmem_mnt = kern_mount(&iopmem_fs_type);
	if (IS_ERR(iopmem_mnt)) {
		rc = PTR_ERR(iopmem_mnt);
		goto err_class;
	}
	return 0;
err_class:
	class_destroy(iopmem_class);
err_region:
	unregister_chrdev_region(iopmem_dax_devt, IOPMEM_MAX_DEVICES);
	return rc;
}

void iopmem_devdax_exit(void)
{
	kern_unmount(iopmem_mnt);
	class_destroy(iopmem_class);
	unregister_chrdev_region(iopmem_dax_devt, IOPMEM_MAX_DEVICES);
}
