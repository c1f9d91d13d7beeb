/* SPDX-License-Identifier: GPL-2.0 */
/*
 * route.h - can two PCI functions do peer-to-peer DMA, and how?
 *
 * The rules of the kernel's drivers/pci/p2pdma.c (calc_map_type_and_dist()
 * and the host bridge whitelist), plus what iopmem adds for a kernel
 * without CONFIG_PCI_P2PDMA: a peer maps iopmem's pages with the ordinary
 * DMA API, so an IOMMU in translation mode hands it IOVAs, and a BAR whose
 * bus address differs from its CPU address is reached only through an
 * IOMMU.  Plain C, no kernel or libpci types: the caller describes the
 * topology (sysfs + config space in libiopmem, made-up ones in the unit
 * tests).
 */
#ifndef IOPMEM_ROUTE_H
#define IOPMEM_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#define ROUTE_MAX_DEPTH	16
#define ROUTE_TEXT	1024
#define ROUTE_PORTS	256

enum route_kind {
	ROUTE_PORT_ENDPOINT,
	ROUTE_PORT_ROOT,	/* PCIe root port */
	ROUTE_PORT_UPSTREAM,	/* switch upstream port */
	ROUTE_PORT_DOWNSTREAM,	/* switch downstream port */
	ROUTE_PORT_BRIDGE,	/* any other bridge */
};

/* One function on the way from the host bridge down to a device. */
struct route_hop {
	char name[32];		/* "0000:02:00.0" */
	enum route_kind kind;
	bool acs_redirect;	/* ACS P2P Request or Completion Redirect on */
};

/* A device and its upstream bridges: hops[0] is the top, hops[n-1] it. */
struct route_path {
	struct route_hop hops[ROUTE_MAX_DEPTH];
	int n;
	int domain;
};

struct route_input {
	struct route_path a, b;		/* a: the DMA master, b: the BAR */
	uint16_t host_vendor, host_device;	/* first device of the root bus */
	bool amd_zen;			/* AMD family 17h or later */
	bool trust_host_bridge;		/* the admin vouches for it */
	bool iommu_translates;		/* either device's DMA is translated */
	bool bar_translated;		/* b's BAR: bus address != CPU address */
};

enum route_verdict_kind {
	ROUTE_SELF,		/* a device that is its own peer */
	ROUTE_SWITCH,		/* inside a switch, bus addresses */
	ROUTE_HOST_BRIDGE,	/* up through the root complex and back */
	ROUTE_NOT_SUPPORTED,
};

struct route_verdict {
	enum route_verdict_kind kind;
	bool ok;
	int distance;			/* hops, as the kernel counts them */
	char common[32];		/* common upstream bridge, or "" */
	char path[ROUTE_TEXT];		/* "a -> bridge -> ... -> b" */
	char reason[ROUTE_TEXT];
	char fix[ROUTE_TEXT];		/* "" when ok */
	char acs_ports[ROUTE_PORTS];	/* "p1;p2", ports with ACS redirect */
};

void route_check(const struct route_input *in, struct route_verdict *out);
bool route_host_bridge_known_good(uint16_t vendor, uint16_t device,
				  bool same_host_bridge);
const char *route_kind_name(enum route_verdict_kind kind);

#endif
