// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "route.h"

#define ANY_DEVICE	0xffff

/*
 * drivers/pci/p2pdma.c pci_p2pdma_whitelist[]: host bridges known to route
 * peer-to-peer traffic between root ports, some only within one host
 * bridge (REQ_SAME_HOST_BRIDGE).  ANY_DEVICE (the kernel's PCI_ANY_ID):
 * every device of the vendor.  As in __host_bridge_whitelist(), the first
 * entry that matches decides.  Compared entry by entry with the list of
 * Linux 7.2 (Debian's linux-source-7.2, 7.2.13); device IDs from its
 * include/linux/pci_ids.h.
 */
const char route_whitelist_synced[] = "Linux 7.2";
static const struct {
	uint16_t vendor, device;
	bool same_host_bridge_only;
} known_good[] = {
	{ 0x8086, 0x3c00, true }, { 0x8086, 0x3c01, true },	/* Xeon E5/Core i7 */
	{ 0x8086, 0x2f00, true }, { 0x8086, 0x2f01, true },	/* Xeon E7 v3/E5 v3/Core i7 */
	{ 0x8086, 0x2030, false }, { 0x8086, 0x2031, false },	/* Skylake-E */
	{ 0x8086, 0x2032, false }, { 0x8086, 0x2033, false },
	{ 0x8086, 0x2020, false }, { 0x8086, 0x09a2, false },
	{ 0x8086, 0x0b25, false },	/* PCI_DEVICE_ID_INTEL_DSA_SPR0 */
	{ 0x8086, 0x0cfe, false },	/* PCI_DEVICE_ID_INTEL_IAX_SPR0 */
	{ 0x8086, 0x11fb, false },	/* PCI_DEVICE_ID_INTEL_DSA_GNRD */
	{ 0x8086, 0x1212, false },	/* PCI_DEVICE_ID_INTEL_DSA_DMR */
	{ 0x8086, 0x1216, false },	/* PCI_DEVICE_ID_INTEL_IAA_DMR */
	{ 0x8086, 0x4940, false },	/* PCI_DEVICE_ID_INTEL_QAT_4XXX */
	{ 0x8086, 0x4942, false },	/* PCI_DEVICE_ID_INTEL_QAT_401XX */
	{ 0x8086, 0x4944, false },	/* PCI_DEVICE_ID_INTEL_QAT_402XX */
	{ 0x8086, 0x4946, false },	/* PCI_DEVICE_ID_INTEL_QAT_420XX */
	{ 0x8086, 0x4948, false },	/* PCI_DEVICE_ID_INTEL_QAT_6XXX */
	{ 0x1ae0, ANY_DEVICE, false },	/* Google SoCs: any device */
};

bool route_host_bridge_known_good(uint16_t vendor, uint16_t device,
				  bool same_host_bridge)
{
	for (size_t i = 0; i < sizeof(known_good) / sizeof(known_good[0]); i++)
		if (known_good[i].vendor == vendor &&
		    (known_good[i].device == device ||
		     known_good[i].device == ANY_DEVICE))
			return same_host_bridge || !known_good[i].same_host_bridge_only;
	return false;
}

const char *route_kind_name(enum route_verdict_kind kind)
{
	switch (kind) {
	case ROUTE_SELF: return "self";
	case ROUTE_SWITCH: return "switch";
	case ROUTE_HOST_BRIDGE: return "host-bridge";
	case ROUTE_UNKNOWN: return "unknown";
	default: return "not-supported";
	}
}

static void __attribute__((format(printf, 3, 4)))
append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static void add_port(char *list, size_t size, const char *name)
{
	append(list, size, *list ? ";%s" : "%s", name);
}

/*
 * Hop i of @p is on the checked path: note ACS redirect (the kernel's
 * pci_bridge_has_acs_redir() on every function it passes, both end
 * devices included) or that it could not be read.
 */
static void note_acs(const struct route_path *p, int i, struct route_verdict *out)
{
	if (p->hops[i].acs_redirect)
		add_port(out->acs_ports, sizeof(out->acs_ports), p->hops[i].name);
	else if (p->hops[i].acs_unknown)
		add_port(out->acs_unknown, sizeof(out->acs_unknown), p->hops[i].name);
}

static void host_text(const struct route_host *h, char *buf, size_t len)
{
	if (h->dev == ROUTE_HOST_FOUND)
		snprintf(buf, len, "host bridge %04x:%04x (root bus %s)", h->vendor,
			 h->device, h->root_bus);
	else if (h->dev == ROUTE_HOST_UNKNOWN)
		snprintf(buf, len, "the host bridge of root bus %s (its first device's type is unreadable)",
			 h->root_bus);
	else
		snprintf(buf, len, "root bus %s (no devfn 00.0 or root port first on it, so nothing to whitelist)",
			 h->root_bus);
}

/* The kernel's host_bridge_whitelist(): both, and one bridge for some. */
static bool host_ok(const struct route_host *h, bool same)
{
	return h->dev == ROUTE_HOST_FOUND &&
	       route_host_bridge_known_good(h->vendor, h->device, same);
}

static void common_and_path(const struct route_input *in, int *ia_out,
			    int *ib_out, struct route_verdict *out)
{
	const struct route_path *a = &in->a, *b = &in->b;
	int ia, ib = -1, i;

	/*
	 * Walk up from a; for each of its hops look for it on b's way up
	 * (the kernel's loop: the first common one is the closest).  Names
	 * carry the domain, so hops of two hierarchies never match.
	 */
	for (ia = a->n - 1; ia >= 0; ia--) {
		for (ib = b->n - 1; ib >= 0; ib--)
			if (!strcmp(a->hops[ia].name, b->hops[ib].name))
				break;
		if (ib >= 0)
			break;
	}
	if (ia >= 0) {
		/* a's side up to and with the common bridge, b's below it */
		for (i = a->n - 1; i >= ia; i--)
			note_acs(a, i, out);
		for (i = b->n - 1; i > ib; i--)
			note_acs(b, i, out);
		snprintf(out->common, sizeof(out->common), "%s", a->hops[ia].name);
		out->distance = (a->n - 1 - ia) + (b->n - 1 - ib);
	} else {
		out->distance = a->n + b->n;
	}

	/* The path: up from a, then down to b. */
	for (i = a->n - 1; i >= (ia >= 0 ? ia : 0); i--)
		append(out->path, sizeof(out->path), *out->path ? " -> %s" : "%s",
		       a->hops[i].name);
	if (ia < 0) {
		if (strcmp(a->host.root_bus, b->host.root_bus))
			append(out->path, sizeof(out->path), " -> host bridge %s -> host bridge %s",
			       a->host.root_bus, b->host.root_bus);
		else
			append(out->path, sizeof(out->path), " -> host bridge %s",
			       a->host.root_bus);
	}
	for (i = (ia >= 0 ? ib + 1 : 0); i < b->n; i++)
		append(out->path, sizeof(out->path), " -> %s", b->hops[i].name);
	*ia_out = ia;
	*ib_out = ib;
}

/* Up through the root complex: may the host bridge(s) route it? */
static void through_host(const struct route_input *in, bool common,
			 struct route_verdict *out)
{
	const struct route_host *ha = &in->a.host, *hb = &in->b.host;
	bool same = !strcmp(ha->root_bus, hb->root_bus);
	bool good = same ? host_ok(ha, true) : host_ok(ha, false) && host_ok(hb, false);
	char ta[160], tb[160];

	out->kind = ROUTE_HOST_BRIDGE;
	if (in->amd_zen) {
		append(out->reason, ROUTE_TEXT, "%s", "; AMD Zen root complexes route P2P");
		return;
	}
	if (good) {
		append(out->reason, ROUTE_TEXT, "%s", "; the host bridge is known to route P2P");
		return;
	}
	if (in->trust_host_bridge) {
		append(out->reason, ROUTE_TEXT, "%s", "; the admin trusts the host bridge to route P2P");
		return;
	}
	host_text(ha, ta, sizeof(ta));
	host_text(hb, tb, sizeof(tb));
	if (ha->dev == ROUTE_HOST_UNKNOWN || hb->dev == ROUTE_HOST_UNKNOWN) {
		out->kind = ROUTE_UNKNOWN;
		append(out->reason, ROUTE_TEXT, "; cannot tell whether %s is whitelisted",
		       ha->dev == ROUTE_HOST_UNKNOWN ? ta : tb);
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "run as root: PCI config space past 64 bytes is readable by root only");
		return;
	}
	out->kind = ROUTE_NOT_SUPPORTED;
	if (same)
		append(out->reason, ROUTE_TEXT, "; %s is not known to route peer-to-peer traffic", ta);
	else if (host_ok(ha, true) && host_ok(hb, true))
		append(out->reason, ROUTE_TEXT,
		       "; %s and %s route peer-to-peer traffic only within one host bridge", ta, tb);
	else
		append(out->reason, ROUTE_TEXT, "; %s is not known to route peer-to-peer traffic to another host bridge",
		       !host_ok(ha, false) ? ta : tb);

	/* Advice only where it can help. */
	if (common && *out->acs_ports && !in->iommu_translates)
		snprintf(out->fix, ROUTE_TEXT,
			 "clear ACS redirect with the kernel parameter pci=disable_acs_redir=%s, or pass --trust-host-bridge if the platform routes P2P",
			 out->acs_ports);
	else if (common && in->iommu_translates) {
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "boot with iommu=pt (or intel_iommu=off / amd_iommu=off) so that peers use bus addresses inside the switch");
		if (*out->acs_ports)
			append(out->fix, ROUTE_TEXT, ", and clear ACS redirect with pci=disable_acs_redir=%s",
			       out->acs_ports);
		append(out->fix, ROUTE_TEXT, "%s", ", or pass --trust-host-bridge if the platform routes P2P");
	}
	else if (in->iommu_translates)
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "put both devices under one PCIe switch and boot with iommu=pt (or intel_iommu=off / amd_iommu=off): while an IOMMU translates, even a switch sends the traffic up; or pass --trust-host-bridge if the platform routes P2P between root ports");
	else
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "put both devices under one PCIe switch, or pass --trust-host-bridge if the platform routes P2P between root ports");
}

void route_check(const struct route_input *in, struct route_verdict *out)
{
	const struct route_path *a = &in->a, *b = &in->b;
	int ia, ib;

	memset(out, 0, sizeof(*out));
	common_and_path(in, &ia, &ib, out);

	if (ia >= 0 && a->n && b->n &&
	    !strcmp(a->hops[a->n - 1].name, b->hops[b->n - 1].name)) {
		out->kind = ROUTE_SELF;
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "the device is its own peer: the access never leaves it");
	} else if (ia < 0) {
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 strcmp(a->host.root_bus, b->host.root_bus) ?
			 "the devices are below different host bridges: traffic crosses the root complex" :
			 "the devices share no upstream bridge: traffic crosses the root complex");
		through_host(in, false, out);
	} else if (*out->acs_ports) {
		snprintf(out->reason, ROUTE_TEXT,
			 "ACS redirect or egress control is set on %s: the traffic goes up to the root complex",
			 out->acs_ports);
		through_host(in, true, out);
	} else if (in->iommu_translates && !in->p2pdma_target) {
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "an IOMMU translates DMA: the peer is handed IOVAs, which only the root complex turns into the BAR's address");
		through_host(in, true, out);
	} else if (*out->acs_unknown) {
		out->kind = ROUTE_UNKNOWN;
		snprintf(out->reason, ROUTE_TEXT,
			 "both devices are below %s, but the ACS control of %s cannot be read: whether the switch redirects the traffic up is unknown",
			 out->common, out->acs_unknown);
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "run as root: PCI config space past 64 bytes (where ACS lives) is readable by root only");
	} else {
		out->kind = ROUTE_SWITCH;
		snprintf(out->reason, ROUTE_TEXT,
			 "both devices are below %s: the traffic stays in the switch, with bus addresses",
			 out->common);
		if (in->iommu_translates)
			append(out->reason, ROUTE_TEXT, "%s",
			       " (P2PDMA memory: the kernel hands the peer bus addresses, which an IOMMU never sees)");
	}

	/*
	 * The translation trap: without an IOMMU a peer gets the CPU
	 * address.  Not for P2PDMA memory: the kernel applies the offset.
	 */
	if (in->bar_translated && !in->iommu_translates && !in->p2pdma_target &&
	    out->kind != ROUTE_SELF) {
		out->kind = ROUTE_NOT_SUPPORTED;
		snprintf(out->reason, ROUTE_TEXT, "%s",
			 "the BAR's bus address differs from its CPU address (a translating host bridge): a peer's DMA mapping would carry the CPU address");
		snprintf(out->fix, ROUTE_TEXT, "%s",
			 "enable an IOMMU that maps the BAR for the peer, or use a kernel with CONFIG_PCI_P2PDMA");
	}
	out->ok = out->kind != ROUTE_NOT_SUPPORTED && out->kind != ROUTE_UNKNOWN;
	if (out->ok)
		*out->fix = '\0';
}
