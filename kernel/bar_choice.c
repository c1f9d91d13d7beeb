// SPDX-License-Identifier: GPL-2.0
/*
 * The BAR to serve, chosen per PCI function before it is bound:
 * /sys/bus/pci/drivers/iopmem/bar_choice.  Writing "DDDD:BB:DD.F N" makes
 * every later bind of that function serve BAR N, and "DDDD:BB:DD.F -1"
 * forgets the choice; reading lists the choices, one per line.  Unlike the
 * bar module parameter, a choice touches no other function, so a
 * concurrent bind or hotplug of another function is not affected.  It
 * outlives unbind and removal: a function bound again (by the admin, by
 * new_id or ids=, after a hot-replug) gets the same BAR.  Unloading the
 * module forgets every choice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "iopmem.h"

/* More choices than functions iopmem can serve make no sense. */
#define IOPMEM_MAX_CHOICES	IOPMEM_MAX_DEVICES
/* "DDDDDDDD:BB:DD.F", the longest name (a VMD domain has 5 digits) */
#define IOPMEM_PCI_NAME_MAX	17

struct iopmem_bar_choice {
	struct list_head node;
	char name[IOPMEM_PCI_NAME_MAX];	/* as pci_name() spells it */
	int bar;
};

static LIST_HEAD(iopmem_choices);
static DEFINE_MUTEX(iopmem_choices_lock);
static unsigned int iopmem_nr_choices;

static struct iopmem_bar_choice *iopmem_choice_find(const char *name)
{
	struct iopmem_bar_choice *c;

	lockdep_assert_held(&iopmem_choices_lock);
	list_for_each_entry(c, &iopmem_choices, node)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The BAR chosen for @pdev, or -1 when none was. */
int iopmem_bar_choice(struct pci_dev *pdev)
{
	struct iopmem_bar_choice *c;
	int bar = -1;

	mutex_lock(&iopmem_choices_lock);
	c = iopmem_choice_find(pci_name(pdev));
	if (c)
		bar = c->bar;
	mutex_unlock(&iopmem_choices_lock);
	return bar;
}

void iopmem_bar_choices_free(void)
{
	struct iopmem_bar_choice *c, *next;

	mutex_lock(&iopmem_choices_lock);
	list_for_each_entry_safe(c, next, &iopmem_choices, node) {
		list_del(&c->node);
		kfree(c);
	}
	iopmem_nr_choices = 0;
	mutex_unlock(&iopmem_choices_lock);
}

/*
 * A PCI function's name exactly as pci_name() prints it: lower-case hex,
 * a domain of 4 to 8 digits, "BB:DD.F" with a slot below 32 and a
 * function below 8.  The function need not exist yet (it may be plugged
 * in later).
 */
static bool iopmem_pci_name_valid(const char *s)
{
	unsigned int domain, bus, slot, fn;
	char canon[IOPMEM_PCI_NAME_MAX];
	size_t i, len = strlen(s);

	if (len < 12 || len >= IOPMEM_PCI_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f') &&
		    s[i] != ':' && s[i] != '.')
			return false;
	if (sscanf(s, "%x:%x:%x.%x", &domain, &bus, &slot, &fn) != 4 ||
	    bus > 0xff || slot > 0x1f || fn > 7)
		return false;
	snprintf(canon, sizeof(canon), "%04x:%02x:%02x.%u", domain, bus, slot, fn);
	return !strcmp(canon, s);
}

static ssize_t bar_choice_show(struct device_driver *drv, char *buf)
{
	struct iopmem_bar_choice *c;
	int len = 0;

	mutex_lock(&iopmem_choices_lock);
	list_for_each_entry(c, &iopmem_choices, node)
		len += sysfs_emit_at(buf, len, "%s %d\n", c->name, c->bar);
	mutex_unlock(&iopmem_choices_lock);
	return len;
}

static ssize_t bar_choice_store(struct device_driver *drv, const char *buf,
				size_t count)
{
	char shown[IOPMEM_SHOWN_LEN], name[IOPMEM_PCI_NAME_MAX];
	const char *space = memchr(buf, ' ', count);
	struct iopmem_bar_choice *c, *fresh = NULL;
	int bar, rc;

	if (!space || space - buf >= IOPMEM_PCI_NAME_MAX)
		goto bad;
	memcpy(name, buf, space - buf);
	name[space - buf] = '\0';
	if (!iopmem_pci_name_valid(name) ||
	    iopmem_parse_int(space + 1, count - (space + 1 - buf), &bar) ||
	    bar < -1 || bar >= PCI_STD_NUM_BARS)
		goto bad;

	/* Allocate outside the lock; most writes add a choice. */
	if (bar >= 0) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		if (!fresh)
			return -ENOMEM;
		strscpy(fresh->name, name, sizeof(fresh->name));
		fresh->bar = bar;
	}
	rc = count;
	mutex_lock(&iopmem_choices_lock);
	c = iopmem_choice_find(name);
	if (c && bar >= 0) {
		c->bar = bar;
	} else if (c) {
		list_del(&c->node);
		iopmem_nr_choices--;
		kfree(c);
	} else if (bar >= 0 && iopmem_nr_choices >= IOPMEM_MAX_CHOICES) {
		pr_err("bar_choice: already %u choices, the most kept: forget one (\"DDDD:BB:DD.F -1\")\n",
		       iopmem_nr_choices);
		rc = -ENOSPC;
	} else if (bar >= 0) {
		list_add_tail(&fresh->node, &iopmem_choices);
		iopmem_nr_choices++;
		fresh = NULL;
	}
	mutex_unlock(&iopmem_choices_lock);
	kfree(fresh);
	return rc;

bad:
	pr_err("bar_choice: \"%s\" is not \"DDDD:BB:DD.F N\" (a function as lspci -D names it; BAR 0-%d, or -1 to forget)\n",
	       iopmem_shown(buf, count, shown), PCI_STD_NUM_BARS - 1);
	return -EINVAL;
}
static DRIVER_ATTR_RW(bar_choice);

static struct attribute *iopmem_drv_attrs[] = {
	&driver_attr_bar_choice.attr,
	NULL
};

static const struct attribute_group iopmem_drv_group = {
	.attrs = iopmem_drv_attrs,
};

const struct attribute_group *iopmem_drv_groups[] = {
	&iopmem_drv_group,
	NULL
};
