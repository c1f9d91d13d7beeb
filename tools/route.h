/* SPDX-License-Identifier: GPL-2.0 */
/*
 * route.h - can two PCI functions do peer-to-peer DMA, and how?
 *
 * The rules of the kernel's drivers/pci/p2pdma.c (calc_map_type_and_dist(),
 * pci_bridge_has_acs_redir(), host_bridge_whitelist() and the whitelist),
 * plus what iopmem adds for a kernel without CONFIG_PCI_P2PDMA: a peer
 * maps iopmem's pages with the ordinary DMA API, so an IOMMU in
 * translation mode hands it IOVAs, and a BAR whose bus address differs
 * from its CPU address is reached only through an IOMMU.  Plain C, no
 * kernel or libpci types: the caller describes the topology (libpci in
 * topology.c, made-up ones in the unit tests).
 */
#ifndef IOPMEM_ROUTE_H
#define IOPMEM_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#define ROUTE_MAX_DEPTH	16
#define ROUTE_NAME	32
#define ROUTE_TEXT	1024
#define ROUTE_PORTS	256

enum route_kind {
	ROUTE_PORT_ENDPOINT,
	ROUTE_PORT_ROOT,	/* PCIe root port */
	ROUTE_PORT_UPSTREAM,	/* switch upstream port */
	ROUTE_PORT_DOWNSTREAM,	/* switch downstream port */
	ROUTE_PORT_BRIDGE,	/* any other bridge, or a port of unknown type */
};

/* One function on the way from the root bus down to a device. */
struct route_hop {
	char name[ROUTE_NAME];	/* "0000:02:00.0", "10000:e1:00.0" behind VMD */
	enum route_kind kind;
	/* ACS P2P Request Redirect, Completion Redirect or Egress Control */
	bool acs_redirect;
	/* its config space past 64 bytes (where ACS lives) is unreadable */
	bool acs_unknown;
};

/*
 * The host bridge above a device: its root bus, and the device the
 * kernel's pci_host_bridge_dev() takes for it (the first device on the
 * root bus, if that is devfn 00.0 or a PCIe root port).
 */
enum route_host_dev {
	ROUTE_HOST_NONE,	/* no such device: never whitelisted */
	ROUTE_HOST_FOUND,
	ROUTE_HOST_UNKNOWN,	/* its port type could not be read */
};

struct route_host {
	char root_bus[ROUTE_NAME];	/* "0000:80", "10000:e0" */
	enum route_host_dev dev;
	uint16_t vendor, device;	/* when FOUND */
};

/* A device and its upstream bridges: hops[0] is on the root bus, hops[n-1] it. */
struct route_path {
	struct route_hop hops[ROUTE_MAX_DEPTH];
	int n;
	struct route_host host;
};

struct route_input {
	struct route_path a, b;		/* a: the DMA master, b: the BAR */
	bool amd_zen;			/* AMD family 17h or later */
	bool trust_host_bridge;		/* the admin vouches for it */
	bool iommu_translates;		/* either device's DMA is translated */
	bool bar_translated;		/* b's BAR: bus address != CPU address */
	/*
	 * b is the kernel's P2PDMA memory (p2pmem/allocate): its DMA
	 * mappings carry bus addresses inside a switch, whatever the IOMMU
	 * (PCI_P2PDMA_MAP_BUS_ADDR), with the bus offset applied.
	 */
	bool p2pdma_target;
};

enum route_verdict_kind {
	ROUTE_SELF,		/* a device that is its own peer */
	ROUTE_SWITCH,		/* inside a switch, bus addresses */
	ROUTE_HOST_BRIDGE,	/* up through the root complex and back */
	ROUTE_NOT_SUPPORTED,
	ROUTE_UNKNOWN,		/* the answer needs what could not be read */
};

struct route_verdict {
	enum route_verdict_kind kind;
	bool ok;			/* a yes; never for ROUTE_UNKNOWN */
	int distance;			/* hops, as the kernel counts them */
	char common[ROUTE_NAME];	/* common upstream bridge, or "" */
	char path[ROUTE_TEXT];		/* "a -> bridge -> ... -> b" */
	char reason[ROUTE_TEXT];
	char fix[ROUTE_TEXT];		/* "" when ok or nothing helps */
	char acs_ports[ROUTE_PORTS];	/* "p1;p2", functions with ACS redirect */
	char acs_unknown[ROUTE_PORTS];	/* "p1;p2", functions whose ACS is unreadable */
};

void route_check(const struct route_input *in, struct route_verdict *out);
/* Whether the whitelist admits @vendor:@device (for @same_host_bridge). */
bool route_host_bridge_known_good(uint16_t vendor, uint16_t device,
				  bool same_host_bridge);
/* The kernel version the whitelist was last compared with. */
extern const char route_whitelist_synced[];
const char *route_kind_name(enum route_verdict_kind kind);

#endif
