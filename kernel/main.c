// SPDX-License-Identifier: GPL-2.0
/*
 * The iopmem PCI driver: module parameters, probe and remove.
 *
 * iopmem serves a memory BAR of any PCI function as a block device.  It
 * claims nothing by default: bind a function with driver_override + bind,
 * with new_id, or at load time with ids=VVVV:DDDD[,...].
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "iopmem.h"

static char ids[1024];
module_param_string(ids, ids, sizeof(ids), 0444);
MODULE_PARM_DESC(ids, "Bind these functions at load: VVVV:DDDD[:SVVV:SDDD[:CLASS:MASK]][,...] (hex)");

static int bar = -1;

/* A BAR index or -1, checked when the parameter is set, not at bind. */
static int iopmem_bar_param_set(const char *val, const struct kernel_param *kp)
{
	int v, rc;

	rc = iopmem_parse_int(val, strlen(val), &v);
	if (rc || v < -1 || v >= PCI_STD_NUM_BARS) {
		pr_err("bar: must be a BAR index from 0 to %d, or -1 for the largest prefetchable memory BAR\n",
		       PCI_STD_NUM_BARS - 1);
		return -EINVAL;
	}
	WRITE_ONCE(*(int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops iopmem_bar_param_ops = {
	.set	= iopmem_bar_param_set,
	.get	= param_get_int,
};
module_param_cb(bar, &iopmem_bar_param_ops, &bar, 0644);
MODULE_PARM_DESC(bar, "BAR to serve on a bind with no per-function choice (drivers/iopmem/bar_choice), -1 (default) for the largest prefetchable memory BAR, preferring 64-bit ones");

static bool allow_translated_pages;
module_param(allow_translated_pages, bool, 0444);
MODULE_PARM_DESC(allow_translated_pages, "Allow fsdax and devdax on a BAR whose bus address differs from its CPU address (only if an IOMMU maps it for every peer); default off");

static unsigned int access_width = 64;
module_param(access_width, uint, 0444);
MODULE_PARM_DESC(access_width, "Width in bits of every CPU access to the BAR: 64 (default) or 32");

static char *mode = "raw";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "Mode of a newly bound function: raw (default), fsdax, devdax or p2pdma (CONFIG_PCI_P2PDMA kernels)");
static enum iopmem_mode default_mode;

static DEFINE_IDA(iopmem_ida);

static void iopmem_free(struct kref *kref)
{
	struct iopmem_dev *idev = container_of(kref, struct iopmem_dev, kref);

	pci_dev_put(idev->pdev);
	kfree(idev);
}

void iopmem_put(struct iopmem_dev *idev)
{
	kref_put(&idev->kref, iopmem_free);
}

bool iopmem_allow_translated(void)
{
	return allow_translated_pages;
}

static int iopmem_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iopmem_dev *idev;
	int want = iopmem_bar_choice(pdev);
	int rc;

	if (want < 0)
		want = READ_ONCE(bar);

	idev = kzalloc_node(sizeof(*idev), GFP_KERNEL, dev_to_node(&pdev->dev));
	if (!idev)
		return -ENOMEM;
	kref_init(&idev->kref);
	mutex_init(&idev->cfg_lock);
	spin_lock_init(&idev->open_lock);
	init_waitqueue_head(&idev->openers_wq);
	iopmem_retire_init(idev);
	idev->pdev = pci_dev_get(pdev);
	idev->bar = -1;
	idev->access_width = access_width / 8;
	idev->align = PMD_SIZE;

	rc = ida_alloc_max(&iopmem_ida, IOPMEM_MAX_DEVICES - 1, GFP_KERNEL);
	if (rc < 0) {
		pci_err(pdev, "already serving %d functions, the most iopmem can\n",
			IOPMEM_MAX_DEVICES);
		goto err_put;
	}
	idev->id = rc;

	rc = pci_enable_device_mem(pdev);
	if (rc) {
		pci_err(pdev, "cannot enable memory decoding: %d\n", rc);
		goto err_ida;
	}

	/* What error recovery restores after a reset (slot_reset). */
	pci_save_state(pdev);

	if (want == -1) {
		want = iopmem_bar_pick(pdev);
		if (want < 0) {
			rc = want;
			goto err_disable;
		}
	}
	rc = iopmem_bar_map(idev, want);
	if (rc)
		goto err_disable;
	rc = iopmem_mode_enter(idev, default_mode);
	if (rc && default_mode != IOPMEM_MODE_RAW) {
		pci_info(pdev, "serving BAR %d in raw mode instead of %s\n",
			 want, iopmem_mode_name(default_mode));
		rc = iopmem_mode_enter(idev, IOPMEM_MODE_RAW);
	}
	if (rc)
		goto err_unmap;

	pci_set_drvdata(pdev, idev);
	pci_info(pdev, "serving BAR %d %pR (%llu MiB, %s) in %s mode%s%s\n",
		 idev->bar, pci_resource_n(pdev, idev->bar),
		 (unsigned long long)(idev->size / SZ_1M),
		 idev->wc ? "write-combining" : "uncached",
		 iopmem_mode_name(idev->mode),
		 idev->disk || idev->dax ? " as /dev/" : " (its p2pmem directory in sysfs)",
		 idev->disk ? idev->disk->disk_name : iopmem_devdax_name(idev));
	return 0;

err_unmap:
	iopmem_bar_unmap(idev);
err_disable:
	pci_disable_device(pdev);
err_ida:
	ida_free(&iopmem_ida, idev->id);
err_put:
	iopmem_put(idev);
	return rc;
}

/*
 * Unbind or hot removal.  It cannot fail and does not wait for users,
 * whatever they hold: new opens fail from the start; I/O fails (the
 * gendisk is dead); every mapping, of the devdax device or of files on a
 * mounted fs-dax file system, is zapped, so a later touch gets SIGBUS;
 * the BAR is released.  Struct pages that a pin or a mounted file system
 * can still reach are freed later (retire.c), and idev lives until the
 * last opener closes.
 */
static void iopmem_remove(struct pci_dev *pdev)
{
	struct iopmem_dev *idev = pci_get_drvdata(pdev);

	iopmem_kill(idev);
	/* Surprise removal: no I/O in flight should wait on the device. */
	if (!pci_device_is_present(pdev))
		iopmem_io_set_state(idev, IOPMEM_IO_GONE);
	mutex_lock(&idev->cfg_lock);
	iopmem_unserve(idev);
	mutex_unlock(&idev->cfg_lock);
	iopmem_io_set_state(idev, IOPMEM_IO_GONE);
	pci_disable_device(pdev);
	ida_free(&iopmem_ida, idev->id);
	pci_set_drvdata(pdev, NULL);
	iopmem_put(idev);
}

/*
 * PCI error recovery (AER, DPC, EEH): while the link may be down, I/O
 * fails at once instead of waiting on MMIO completion timeouts; after a
 * successful reset the saved config space is restored and I/O resumes.
 * Loads and stores of processes through devdax or fs-dax mappings cannot
 * be stopped by a driver: they see what the platform returns (all ones on
 * x86) while recovery runs.
 */
static pci_ers_result_t iopmem_error_detected(struct pci_dev *pdev,
					      pci_channel_state_t state)
{
	struct iopmem_dev *idev = pci_get_drvdata(pdev);

	switch (state) {
	case pci_channel_io_normal:
		return PCI_ERS_RESULT_CAN_RECOVER;
	case pci_channel_io_frozen:
		iopmem_io_set_state(idev, IOPMEM_IO_STOPPED);
		pci_warn(pdev, "PCI error: I/O stopped until the function is reset\n");
		return PCI_ERS_RESULT_NEED_RESET;
	default:
		iopmem_io_set_state(idev, IOPMEM_IO_GONE);
		pci_err(pdev, "PCI error: the function is lost, I/O fails from now on\n");
		return PCI_ERS_RESULT_DISCONNECT;
	}
}

static pci_ers_result_t iopmem_slot_reset(struct pci_dev *pdev)
{
	pci_restore_state(pdev);
	pci_save_state(pdev);
	return PCI_ERS_RESULT_RECOVERED;
}

static void iopmem_error_resume(struct pci_dev *pdev)
{
	struct iopmem_dev *idev = pci_get_drvdata(pdev);

	iopmem_io_set_state(idev, IOPMEM_IO_OK);
	pci_info(pdev, "PCI error recovery done: I/O resumed\n");
}

static const struct pci_error_handlers iopmem_err_handlers = {
	.error_detected	= iopmem_error_detected,
	.slot_reset	= iopmem_slot_reset,
	.resume		= iopmem_error_resume,
};

static struct pci_driver iopmem_driver = {
	.name		= IOPMEM_NAME,
	/*
	 * No id_table: iopmem binds only what the admin names.  (An empty
	 * table would also make new_id refuse every id.)
	 */
	.id_table	= NULL,
	.probe		= iopmem_probe,
	.remove		= iopmem_remove,
	.err_handler	= &iopmem_err_handlers,
	.dev_groups	= iopmem_dev_groups,
	.groups		= iopmem_drv_groups,
};

/* Add the ids= parameter's entries as dynamic ids, like vfio-pci does. */
static void __init iopmem_add_ids(void)
{
	char *p = ids, *id;

	while ((id = strsep(&p, ","))) {
		unsigned int vendor, device, subvendor = PCI_ANY_ID;
		unsigned int subdevice = PCI_ANY_ID, class = 0, class_mask = 0;
		int fields, rc;

		if (!*id)
			continue;
		fields = sscanf(id, "%x:%x:%x:%x:%x:%x", &vendor, &device,
				&subvendor, &subdevice, &class, &class_mask);
		if (fields < 2) {
			pr_err("ids: \"%*pE\" is not VVVV:DDDD (hex vendor:device), skipped\n",
			       (int)min_t(size_t, strlen(id), 32), id);
			continue;
		}
		rc = pci_add_dynid(&iopmem_driver, vendor, device, subvendor,
				   subdevice, class, class_mask, 0);
		if (rc)
			pr_err("ids: cannot add %04x:%04x: %d\n",
			       vendor, device, rc);
	}
}

static int __init iopmem_init(void)
{
	int rc;

	if (access_width != 64 && access_width != 32) {
		pr_err("access_width=%u: must be 64 or 32\n",
		       access_width);
		return -EINVAL;
	}
	rc = iopmem_mode_parse(mode, strlen(mode));
	if (rc < 0) {
		pr_err("mode: must be raw, fsdax, devdax or p2pdma\n");
		return rc;
	}
	default_mode = rc;
	rc = iopmem_retire_wq_init();
	if (rc)
		return rc;
	rc = iopmem_devdax_init();
	if (rc)
		goto err_wq;
	rc = pci_register_driver(&iopmem_driver);
	if (rc)
		goto err_devdax;
	iopmem_add_ids();
	return 0;
err_devdax:
	iopmem_devdax_exit();
err_wq:
	iopmem_retire_wq_exit();
	return rc;
}

static void __exit iopmem_exit(void)
{
	pci_unregister_driver(&iopmem_driver);
	iopmem_bar_choices_free();
	iopmem_devdax_exit();
	/* Waits for a retire worker that dropped the last module reference. */
	iopmem_retire_wq_exit();
	ida_destroy(&iopmem_ida);
}

module_init(iopmem_init);
module_exit(iopmem_exit);

MODULE_DESCRIPTION("Block device for the memory behind a PCIe BAR");
MODULE_LICENSE("GPL");
MODULE_VERSION(IOPMEM_VERSION);
