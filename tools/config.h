/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config - /etc/iopmem.conf, the settings "iopmemctl apply" gives the PCI
 * functions it names when they appear (at boot, through udev and
 * iopmem-apply@.service).  The format is in iopmem.conf(5): one line per
 * function,
 *
 *	DEVICE  [KEY=VALUE ...]
 *
 * DEVICE a PCI address ([DDDD:]BB:DD.F) or vendor:device IDs (VVVV:DDDD,
 * hex); KEY one of bar, mode, persistent, posted_durable, align,
 * access_width.  A line for an address wins over one for IDs.
 */
#ifndef IOPMEM_CONFIG_H
#define IOPMEM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define IOPMEM_CONFIG_PATH	"/etc/iopmem.conf"

/* The settings a line may give, in the order apply writes them. */
enum iopmem_conf_key {
	IOPMEM_CONF_BAR,		/* at bind, through bar_choice */
	IOPMEM_CONF_PERSISTENT,
	IOPMEM_CONF_POSTED_DURABLE,
	IOPMEM_CONF_ACCESS_WIDTH,
	IOPMEM_CONF_ALIGN,
	IOPMEM_CONF_MODE,		/* last: a mode change remakes the device */
	IOPMEM_CONF_NKEYS
};

/* The sysfs attribute (and config key) of each. */
extern const char *const iopmem_conf_keys[IOPMEM_CONF_NKEYS];

struct iopmem_conf_line {
	int lineno;
	bool by_id;			/* vendor:device, not an address */
	unsigned int vendor, device;
	char bdf[32];			/* the address, DDDD:BB:DD.F */
	/* Each key's value as sysfs takes it, or NULL when not given. */
	char *val[IOPMEM_CONF_NKEYS];
};

struct iopmem_conf {
	char *path;
	struct iopmem_conf_line *lines;
	size_t count;
};

/*
 * Read and check @path.  A missing file is an empty configuration.
 * Returns 0, or -1 with @err saying "FILE:LINE: what is wrong".
 */
int iopmem_conf_load(const char *path, struct iopmem_conf *conf, char *err,
		     size_t errlen);
void iopmem_conf_free(struct iopmem_conf *conf);

/* The line for function @bdf with these IDs: its address's, else its IDs'. */
const struct iopmem_conf_line *
iopmem_conf_find(const struct iopmem_conf *conf, const char *bdf,
		 unsigned int vendor, unsigned int device);

#endif
