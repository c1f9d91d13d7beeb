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

struct pci_access;
struct pci_dev;

#define IOPMEM_BDF_LEN	32
#define IOPMEM_ERR_LEN	512

/* @err = the formatted message (what went wrong, for the user), cut to @len. */
void iopmem_seterr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Turn what a user typed into a PCI function name (DDDD:BB:DD.F): a PCI
 * address with or without its domain, a block or character device
 * (/dev/nvme0n1, /dev/iopmem0.dax, a partition), or a file (the function
 * behind the block device holding it).  Returns 0, or -1 with @err set.
 */
int iopmem_resolve(const char *arg, char bdf[IOPMEM_BDF_LEN], char *err,
		   size_t errlen);

/*
 * The PCI functions whose devices do the DMA of what @arg names: the one
 * iopmem_resolve() finds, or for a stacked block device (md RAID,
 * device-mapper, an NVMe multipath namespace), or a partition or file on
 * one, each member's, found by following the devices' "slaves" (and
 * "multipath") in sysfs down to PCI functions.
 */
#define IOPMEM_MAX_MEMBERS	64
struct iopmem_members {
	bool stacked;			/* a stack (even of one member) */
	char top[64];			/* its block device (md0, dm-1) */
	int count;
	char bdf[IOPMEM_MAX_MEMBERS][IOPMEM_BDF_LEN];
	char name[IOPMEM_MAX_MEMBERS][64];	/* the member's block device */
};
/* Returns 0, or -1 with @err set. */
int iopmem_resolve_members(const char *arg, struct iopmem_members *m,
			   char *err, size_t errlen);

/* iopmem's attribute NAME of @bdf into @buf (trailing newline removed). */
int iopmem_attr_read(const char *bdf, const char *name, char *buf, size_t len);
/* Write it; on failure @err says what the kernel refused and where to look. */
int iopmem_attr_write(const char *bdf, const char *name, const char *val,
		      char *err, size_t errlen);

/*
 * The kernel's P2PDMA memory @bdf provides (CONFIG_PCI_P2PDMA kernels: an
 * NVMe CMB, iopmem's p2pdma mode): its p2pmem directory in sysfs.
 * Returns 0, or -1 when @bdf provides none.
 */
struct iopmem_p2pmem {
	unsigned long long size, available;
	bool published;
};
int iopmem_p2pmem_read(const char *bdf, struct iopmem_p2pmem *p);
/* Whether @path is a provider's p2pmem/allocate file. */
bool iopmem_is_p2pmem(const char *path);

/* The modes iopmem has (p2pdma only on CONFIG_PCI_P2PDMA kernels). */
#define IOPMEM_MODES	"raw, fsdax, devdax, p2pdma"
bool iopmem_mode_valid(const char *mode);

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

/* What libpci knows of a function. */
struct iopmem_pci_info {
	bool found;
	unsigned int vendor, device;
	int numa_node;			/* -1: none or unknown */
	char driver[64];		/* "" when none */
	char iommu_group[16];		/* "" when none */
};
void iopmem_pci_info(const char *bdf, struct iopmem_pci_info *info);

/* Every PCI function, sorted (free with iopmem_free_names()); NULL on ENOMEM. */
char **iopmem_pci_functions(size_t *count);
void iopmem_free_names(char **names);

/*
 * A PCI address, exactly: [DOMAIN:]BB:DD.F with a 4 to 8 digit domain
 * (Intel VMD: 10000:e1:00.0); no wildcards.  Returns 0, or -1.
 */
int iopmem_parse_bdf(const char *s, unsigned int *dom, unsigned int *bus,
		     unsigned int *dev, unsigned int *fn);

/* /sys, or $IOPMEM_SYSROOT/sys (tests on made-up trees). */
const char *iopmem_sysfs(void);
/* /run/iopmem, or $IOPMEM_SYSROOT/run/iopmem: iopmemctl's run-time state. */
const char *iopmem_rundir(void);
/* @buf = that, then the formatted rest; -1 when it does not fit. */
int iopmem_sys_path(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* libpci, one scan of the bus per process; the function named @bdf. */
struct pci_access *iopmem_pci_access(void);
struct pci_dev *iopmem_pci_dev(const char *bdf);

/*
 * The upstream path of @bdf: each function from the root bus down to it,
 * with its port type and ACS control, and its host bridge (topology.c).
 */
int iopmem_topology(const char *bdf, struct route_path *p, char *err,
		    size_t errlen);

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
 * paths and host bridges (iopmem_topology()), the CPU, the IOMMU mode and
 * the BAR's address translation.  Returns 0, or -1 with @err set.
 */
int iopmem_route_input(const char *master, const char *target,
		       struct route_input *in, char *err, size_t errlen);

#endif
