/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libiopmem - what iopmemctl and iopmem-bench share: naming devices,
 * reading and writing iopmem's sysfs attributes, and describing the PCI
 * topology between two devices for the route check (route.h).
 */
#ifndef LIBIOPMEM_H
#define LIBIOPMEM_H

#include <stdbool.h>
#include <stddef.h>

#include "route.h"

#define IOPMEM_BDF_LEN	32
#define IOPMEM_ERR_LEN	512

/*
 * Turn what a user typed into a PCI function name (DDDD:BB:DD.F): a PCI
 * address with or without its domain, a block or character device
 * (/dev/nvme0n1, /dev/iopmem0.dax, a partition), or a file (the function
 * behind the block device holding it).  Returns 0, or -1 with @err set.
 */
int iopmem_resolve(const char *arg, char bdf[IOPMEM_BDF_LEN], char *err,
		   size_t errlen);

/* iopmem's attribute NAME of @bdf into @buf (trailing newline removed). */
int iopmem_attr_read(const char *bdf, const char *name, char *buf, size_t len);
/* Write it; on failure @err says what the kernel refused and where to look. */
int iopmem_attr_write(const char *bdf, const char *name, const char *val,
		      char *err, size_t errlen);

/* Any PCI sysfs file of @bdf ("driver_override", "numa_node", ...). */
int iopmem_pci_read(const char *bdf, const char *file, char *buf, size_t len);
int iopmem_pci_write(const char *bdf, const char *file, const char *val);
/* Write @val to a (sysfs) file; -1 with errno set on failure. */
int iopmem_write_file(const char *path, const char *val);
/* /sys/bus/pci/drivers/iopmem/FILE (bind, unbind, new_id) */
int iopmem_driver_write(const char *file, const char *val);
/* Name of the driver bound to @bdf, or "" */
void iopmem_pci_driver(const char *bdf, char *buf, size_t len);

/* "Vendor Device" from pci.ids via libpci. */
void iopmem_pci_name(const char *bdf, char *buf, size_t len);

/* A memory BAR of a PCI function, from its sysfs resource file. */
struct iopmem_bar {
	int index;
	unsigned long long start, size;
	bool prefetch, mem64;
};
/* The function's memory BARs of at least 4 KiB; returns how many. */
int iopmem_pci_mem_bars(const char *bdf, struct iopmem_bar bars[6]);

/*
 * Fill @in for DMA from @master into the BAR of @target: both upstream
 * paths with each bridge's kind and ACS redirect bits (config space, via
 * libpci), the host bridge, the CPU, the IOMMU mode and the BAR's address
 * translation.  Returns 0, or -1 with @err set.
 */
int iopmem_route_input(const char *master, const char *target,
		       struct route_input *in, char *err, size_t errlen);

#endif
