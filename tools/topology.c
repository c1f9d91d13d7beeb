// SPDX-License-Identifier: GPL-2.0
/*
 * topology.c - the PCI topology the route check reasons about, read with
 * libpci: each device's chain of upstream bridges (PCI_FILL_PARENT), its
 * host bridge (the root bus at the top of the chain and the device the
 * kernel's pci_host_bridge_dev() would take for it), every function's ACS
 * control and port type (config space, which past 64 bytes only root
 * can read: then the hop says so rather than guess).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "libiopmem.h"

#ifndef PCI_EXT_CAP_ID_ACS
#define PCI_EXT_CAP_ID_ACS	0x0d
#endif
#define ACS_CTRL		6
#define ACS_RR			0x0004	/* P2P Request Redirect */
#define ACS_CR			0x0008	/* P2P Completion Redirect */
#define ACS_EC			0x0020	/* P2P Egress Control */

/*
 * libpci reports a failure it cannot recover from (no /sys/bus/pci, say)
 * through this and expects it not to return: say what failed, and exit
 * with the tools' "the operation failed" status.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
pci_failed(char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: cannot read the PCI bus: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

static void __attribute__((format(printf, 1, 2))) pci_quiet(char *fmt, ...)
{
	(void)fmt;
}

/* One scan of the bus per process: the topology does not change under us. */
struct pci_access *iopmem_pci_access(void)
{
	static struct pci_access *acc;

	if (!acc) {
		static char path[4096];	/* kept: libpci may point at it */

		acc = pci_alloc();
		acc->method = PCI_ACCESS_SYS_BUS_PCI;
		acc->error = pci_failed;
		acc->warning = pci_quiet;
		snprintf(path, sizeof(path), "%s/bus/pci", iopmem_sysfs());
		pci_set_param(acc, "sysfs.path", path);
		pci_init(acc);
		pci_scan_bus(acc);
	}
	return acc;
}

struct pci_dev *iopmem_pci_dev(const char *bdf)
{
	unsigned int dom, bus, dev, fn;
	struct pci_dev *d;

	if (iopmem_parse_bdf(bdf, &dom, &bus, &dev, &fn))
		return NULL;
	for (d = iopmem_pci_access()->devices; d; d = d->next)
		if ((unsigned int)d->domain == dom && d->bus == bus &&
		    d->dev == dev && d->func == fn)
			return d;
	return NULL;
}

static void dev_name(struct pci_dev *d, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%d", d->domain, d->bus, d->dev, d->func);
}

/*
 * Whether config space past the standard header can be read: sysfs gives
 * non-root users the first 64 bytes only (and libpci would read the rest
 * as all-ones).
 */
static bool config_readable(struct pci_dev *d)
{
	char path[4200], name[ROUTE_NAME];
	unsigned char byte;
	ssize_t n;
	int fd;

	dev_name(d, name, sizeof(name));
	iopmem_sys_path(path, sizeof(path), "/bus/pci/devices/%s/config", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = pread(fd, &byte, 1, 64);
	close(fd);
	return n == 1;
}

static int pcie_type(struct pci_dev *d)
{
	struct pci_cap *cap;

	pci_fill_info(d, PCI_FILL_CAPS);
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	return cap ? (pci_read_word(d, cap->addr + PCI_EXP_FLAGS) &
		      PCI_EXP_FLAGS_TYPE) >> 4 : -1;
}

static void describe_hop(struct pci_dev *d, struct route_hop *h, bool last)
{
	struct pci_cap *cap;

	dev_name(d, h->name, sizeof(h->name));
	h->kind = last ? ROUTE_PORT_ENDPOINT : ROUTE_PORT_BRIDGE;
	if (!config_readable(d)) {
		h->acs_unknown = true;
		return;
	}
	if (!last) {
		switch (pcie_type(d)) {
		case PCI_EXP_TYPE_ROOT_PORT: h->kind = ROUTE_PORT_ROOT; break;
		case PCI_EXP_TYPE_UPSTREAM: h->kind = ROUTE_PORT_UPSTREAM; break;
		case PCI_EXP_TYPE_DOWNSTREAM: h->kind = ROUTE_PORT_DOWNSTREAM; break;
		}
	}
	/* pci_bridge_has_acs_redir(): any function with ACS, ends included */
	pci_fill_info(d, PCI_FILL_EXT_CAPS);
	cap = pci_find_cap(d, PCI_EXT_CAP_ID_ACS, PCI_CAP_EXTENDED);
	if (cap)
		h->acs_redirect = pci_read_word(d, cap->addr + ACS_CTRL) &
				  (ACS_RR | ACS_CR | ACS_EC);
}

/*
 * The kernel's pci_host_bridge_dev(): the first device on the root bus
 * (lowest devfn: the order the bus was scanned in) if it is devfn 00.0 or
 * a PCIe root port.
 */
static void describe_host(struct pci_dev *top, struct route_host *h)
{
	struct pci_dev *d, *first = NULL;

	snprintf(h->root_bus, sizeof(h->root_bus), "%04x:%02x", top->domain, top->bus);
	h->dev = ROUTE_HOST_NONE;
	for (d = iopmem_pci_access()->devices; d; d = d->next)
		if (d->domain == top->domain && d->bus == top->bus &&
		    (!first || PCI_DEVFN(d->dev, d->func) < PCI_DEVFN(first->dev, first->func)))
			first = d;
	if (!first)
		return;
	pci_fill_info(first, PCI_FILL_IDENT);
	if (PCI_DEVFN(first->dev, first->func) == 0)
		h->dev = ROUTE_HOST_FOUND;
	else if (!config_readable(first))
		h->dev = ROUTE_HOST_UNKNOWN;
	else if (pcie_type(first) == PCI_EXP_TYPE_ROOT_PORT)
		h->dev = ROUTE_HOST_FOUND;
	h->vendor = first->vendor_id;
	h->device = first->device_id;
}

int iopmem_topology(const char *bdf, struct route_path *p, char *err,
		    size_t errlen)
{
	struct pci_dev *chain[ROUTE_MAX_DEPTH], *d = iopmem_pci_dev(bdf);
	int n = 0;

	memset(p, 0, sizeof(*p));
	if (!d) {
		iopmem_seterr(err, errlen, "no PCI function %s (see lspci)", bdf);
		return -1;
	}
	/* Up the parents to the root bus: a VMD domain's root bus ends it. */
	for (; d; d = d->parent) {
		if (n == ROUTE_MAX_DEPTH) {
			iopmem_seterr(err, errlen, "%s is more than %d bridges deep", bdf, ROUTE_MAX_DEPTH);
			return -1;
		}
		chain[n++] = d;
		pci_fill_info(d, PCI_FILL_PARENT);
	}
	p->n = n;
	for (int i = 0; i < n; i++)
		describe_hop(chain[n - 1 - i], &p->hops[i], i == n - 1);
	describe_host(chain[n - 1], &p->host);
	return 0;
}
