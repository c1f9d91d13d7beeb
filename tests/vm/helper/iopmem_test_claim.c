// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture, loaded only in the test VM: holds the memory region of
 * one BAR of a PCI function, as another driver would, so that the tests
 * can prove iopmem refuses a BAR that is already claimed.
 *
 *   insmod iopmem_test_claim.ko dev=0000:03:00.0 bar=2
 */
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pci.h>

static char *dev = "";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "PCI function, DDDD:BB:DD.F");

static int bar = -1;
module_param(bar, int, 0444);
MODULE_PARM_DESC(bar, "BAR whose memory region to hold");

static struct resource *held;

static int __init claim_init(void)
{
	unsigned int domain, bus, slot, fn;
	struct pci_dev *pdev;

	if (sscanf(dev, "%x:%x:%x.%x", &domain, &bus, &slot, &fn) != 4 ||
	    bar < 0 || bar >= PCI_STD_NUM_BARS)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(domain, bus, PCI_DEVFN(slot, fn));
	if (!pdev)
		return -ENODEV;
	held = request_mem_region(pci_resource_start(pdev, bar),
				  pci_resource_len(pdev, bar),
				  "iopmem-test-claim");
	pci_dev_put(pdev);
	return held ? 0 : -EBUSY;
}

static void __exit claim_exit(void)
{
	release_mem_region(held->start, resource_size(held));
}

module_init(claim_init);
module_exit(claim_exit);
MODULE_DESCRIPTION("iopmem test fixture: hold a PCI BAR's memory region");
MODULE_LICENSE("GPL");
