// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "route.h"

/*
 * drivers/pci/p2pdma.c pci_p2pdma_whitelist[]: host bridges known to route
 * peer-to-peer traffic between root ports.  Some only within one host
 * bridge.
 */
static const struct {
	uint16_t vendor, device;
	bool same_host_bridge_only;
} known_good[] = {
	{ 0x8086, 0x3c00, true }, { 0x8086, 0x3c01, true },	/* Xeon E5 */
	{ 0x8086, 0x2f00, true }, { 0x8086, 0x2f01, true },	/* Xeon E5 v3 */
	{ 0x8086, 0x2030, false }, { 0x8086, 0x2031, false },	/* SkyLake-E */
	{ 0x8086, 0x2032, false }, { 0x8086, 0x2033, false },
	{ 0x8086, 0x2020, false }, { 0x8086, 0x09a2, false },
};

bool route_host_bridge_known_good(uint16_t vendor, uint16_t device,
				  bool same_host_bridge)
{
	for (size_t i = 0; i < sizeof(known_good) / sizeof(known_good[0]); i++)
		if (known_good[i].vendor == vendor &&
		    known_good[i].device == device)
			return same_host_bridge || !known_good[i].same_host_bridge_only;
	return false;
}

const char *route_kind_name(enum route_verdict_kind kind)
{
	switch (kind) {
	case ROUTE_SELF: return "self";
	case ROUTE_SWITCH: return "switch";
	case ROUTE_HOST_BRIDGE: return "host-bridge";
	default: return "not-supported";
	}
}

static void append(char *buf, size_t size, const char *fmt, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, fmt, s);
}

/* ACS redirect on hop i of @p: the kernel checks every device it passes. */
static void note_acs(const struct route_path *p, int i, int *count,
		     struct route_verdict *out)
{
	if (!p->hops[i].acs_redirect)
		return;
	(*count)++;
	append(out->acs_ports, sizeof(out->acs_ports),
	       *out->acs_ports ? ";%s" : "%s", p->hops[i].name);
}

void route_check(const struct route_input *in, struct route_verdict *out)
{
	const struct route_path *a = &in->a, *b = &in->b;
	int ia, ib = -1, acs = 0, dist_a, dist_b = 0, i;
	bool via_host = false;

	memset(out, 0, sizeof(*out));

	/*
	 * Walk up from a; for each of its hops look for it on b's way up
	 * (the kernel's loop: the first common one is the closest).
	 */
	for (ia = a->n - 1; ia >= 0; ia--) {
		note_acs(a, ia, &acs, out);
		if (a->domain != b->domain)
			continue;
		for (ib = b->n - 1; ib >= 0; ib--)
			if (!strcmp(a->hops[ia].name, b->hops[ib].name))
				break;
		if (ib >= 0)
			break;
	}
	dist_a = a->n - 1 - (ia >= 0 ? ia : -1);
	if (ia >= 0) {
		dist_b = b->n - 1 - ib;
		/* b's side, below the common bridge */
		for (i = b->n - 1; i > ib; i--)
			note_acs(b, i, &acs, out);
		snprintf(out->common, sizeof(out->common), "%s", a->hops[ia].name);
	} else {
		dist_a = a->n;
		dist_b = b->n;
	}
	out->distance = dist_a + dist_b;

	/* The path: up from a, then down to b. */
	for (i = a->n - 1; i >= (ia >= 0 ? ia : 0); i--)
		append(out->path, sizeof(out->path),
		       *out->path ? " -> %s" : "%s", a->hops[i].name);
	if (ia < 0)
		append(out->path, sizeof(out->path), " -> %s", "host bridge");
	for (i = (ia >= 0 ? ib + 1 : 0); i < b->n; i++)
		append(out->path, sizeof(out->path), " -> %s", b->hops[i].name);

	if (ia >= 0 && a->n && b->n && !strcmp(a->hops[a->n - 1].name, b->hops[b->n - 1].name)) {
		out->kind = ROUTE_SELF;
	} else if (ia < 0) {
		via_host = true;
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 a->domain != b->domain ?
			 "the devices are in different PCI domains (host bridges)" :
			 "the devices share no upstream bridge: traffic crosses the root complex");
	} else if (acs) {
		via_host = true;
		snprintf(out->reason, ROUTE_TEXT,
			 "ACS redirect is set on %s: the switch sends the traffic up to the root complex",
			 out->acs_ports);
	} else if (in->iommu_translates) {
		via_host = true;
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "an IOMMU translates DMA: the peer is handed IOVAs, which only the root complex turns into the BAR's address");
	} else {
		out->kind = ROUTE_SWITCH;
		snprintf(out->reason, ROUTE_TEXT,
			 "both devices are below %s: the traffic stays in the switch, with bus addresses",
			 out->common);
	}

	if (via_host) {
		bool good = in->amd_zen ||
			route_host_bridge_known_good(in->host_vendor,
						     in->host_device,
						     a->domain == b->domain);

		out->kind = ROUTE_HOST_BRIDGE;
		if (!good && !in->trust_host_bridge) {
			size_t len = strlen(out->reason);

			out->kind = ROUTE_NOT_SUPPORTED;
			snprintf(out->reason + len, ROUTE_TEXT - len,
				 "; host bridge %04x:%04x is not known to route peer-to-peer traffic",
				 in->host_vendor, in->host_device);
			if (acs && !in->iommu_translates)
				snprintf(out->fix, ROUTE_TEXT,
					 "clear ACS redirect with the kernel parameter pci=disable_acs_redir=%s, put both devices under one switch, or pass --trust-host-bridge if the platform routes P2P",
					 out->acs_ports);
			else if (in->iommu_translates && ia >= 0)
				snprintf(out->fix, ROUTE_TEXT, "%s",
					 "boot with iommu=pt (or intel_iommu=off / amd_iommu=off) so that peers use bus addresses inside the switch, or pass --trust-host-bridge if the platform routes P2P");
			else
				snprintf(out->fix, ROUTE_TEXT, "%s",
					 "put both devices under one PCIe switch, or pass --trust-host-bridge if the platform routes P2P between root ports");
		} else {
			size_t len = strlen(out->reason);

			snprintf(out->reason + len, ROUTE_TEXT - len, "%s",
				 in->amd_zen ? "; AMD Zen root complexes route P2P" :
				 good ? "; the host bridge is known to route P2P" :
				 "; the admin trusts the host bridge to route P2P");
		}
	}
	if (out->kind == ROUTE_SELF)
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "the device is its own peer: the access never leaves it");

	/* The translation trap: without an IOMMU a peer gets the CPU address. */
	if (in->bar_translated && !in->iommu_translates &&
	    out->kind != ROUTE_SELF) {
		out->kind = ROUTE_NOT_SUPPORTED;
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "the BAR's bus address differs from its CPU address (a translating host bridge): a peer's DMA mapping would carry the CPU address");
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "enable an IOMMU that maps the BAR for the peer, or use a kernel with CONFIG_PCI_P2PDMA");
	}
	out->ok = out->kind != ROUTE_NOT_SUPPORTED;
}
