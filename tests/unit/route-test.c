// SPDX-License-Identifier: GPL-2.0
/*
 * route-test - unit tests of tools/route.c on made-up topologies, as TAP.
 * Each case builds the two devices' upstream paths and host bridges by
 * hand and checks the verdict, distance, path, reason and fix against
 * what drivers/pci/p2pdma.c would decide.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../tools/route.h"

/* A typed end of path(): a bare NULL in varargs is not portable. */
#define END ((const char *)0)

static int n, failed;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed += !cond;
}

/*
 * path(root_bus, "0000:00:01.0 R", "0000:01:00.0 U", ..., END): the letter
 * after each name is its kind: R root port, U upstream, D downstream,
 * A downstream with ACS redirect, E endpoint, X endpoint with ACS
 * redirect, Q downstream whose ACS cannot be read.  The host bridge is
 * 8086:29c0 (not whitelisted) unless host() changes it.
 */
static struct route_path path(const char *root_bus, ...)
{
	struct route_path p = { .host = { .dev = ROUTE_HOST_FOUND,
					  .vendor = 0x8086, .device = 0x29c0 } };
	const char *s;
	va_list ap;

	snprintf(p.host.root_bus, sizeof(p.host.root_bus), "%s", root_bus);
	va_start(ap, root_bus);
	while ((s = va_arg(ap, const char *))) {
		struct route_hop *h = &p.hops[p.n++];

		sscanf(s, "%31s", h->name);
		switch (s[strlen(s) - 1]) {
		case 'R': h->kind = ROUTE_PORT_ROOT; break;
		case 'U': h->kind = ROUTE_PORT_UPSTREAM; break;
		case 'D': h->kind = ROUTE_PORT_DOWNSTREAM; break;
		case 'A': h->kind = ROUTE_PORT_DOWNSTREAM; h->acs_redirect = true; break;
		case 'Q': h->kind = ROUTE_PORT_BRIDGE; h->acs_unknown = true; break;
		case 'X': h->kind = ROUTE_PORT_ENDPOINT; h->acs_redirect = true; break;
		default: h->kind = ROUTE_PORT_ENDPOINT;
		}
	}
	va_end(ap);
	return p;
}

static void host(struct route_path *p, enum route_host_dev dev, uint16_t device)
{
	p->host.dev = dev;
	p->host.device = device;
}

static struct route_verdict run(struct route_input *in)
{
	struct route_verdict v;

	route_check(in, &v);
	printf("# %s: %s (distance %d) %s%s%s\n", route_kind_name(v.kind),
	       v.path, v.distance, v.reason, *v.fix ? " FIX: " : "", v.fix);
	return v;
}

int main(void)
{
	struct route_input in = { 0 };
	struct route_verdict v;
	struct route_path nvme_sw = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U",
					 "0000:02:00.0 D", "0000:03:00.0 E", END);
	struct route_path bar_sw = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U",
					"0000:02:01.0 D", "0000:04:00.0 E", END);
	struct route_path nvme_rp = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 E", END);
	struct route_path bar_rp = path("0000:00", "0000:00:02.0 R", "0000:02:00.0 E", END);
	struct route_path bar_rp80 = path("0000:80", "0000:80:02.0 R", "0000:81:00.0 E", END);

	/* 1. one switch */
	in.a = nvme_sw;
	in.b = bar_sw;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH, "same switch: direct, inside the switch");
	ok(v.distance == 4, "same switch: distance 4 (2 up, 2 down), got %d", v.distance);
	ok(!strcmp(v.common, "0000:01:00.0"), "same switch: the common bridge is the upstream port");
	ok(!strcmp(v.path, "0000:03:00.0 -> 0000:02:00.0 -> 0000:01:00.0 -> 0000:02:01.0 -> 0000:04:00.0"),
	   "same switch: the path names each bridge");
	ok(!*v.fix, "a yes carries no fix");

	/* 2. sibling switches below one switch; two functions below one bridge */
	in.a = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 D",
		    "0000:03:00.0 U", "0000:04:00.0 D", "0000:05:00.0 E", END);
	in.b = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 D",
		    "0000:06:00.0 U", "0000:07:00.0 D", "0000:08:00.0 E", END);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH && v.distance == 8,
	   "sibling switches under one switch: direct, distance 8 (got %d)", v.distance);
	in.a = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 E", END);
	in.b = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:03:00.0 E", END);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH && v.distance == 2,
	   "two functions below one bridge: distance 2");

	/* 3. two root ports of one host bridge */
	in.a = nvme_rp;
	in.b = bar_rp;
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_NOT_SUPPORTED, "two root ports, host bridge 8086:29c0 not whitelisted: not supported");
	ok(strstr(v.reason, "8086:29c0") && strstr(v.fix, "one PCIe switch") &&
	   !strstr(v.fix, "iommu") && !strstr(v.fix, "acs"),
	   "the reason names the host bridge; the fix says one switch, nothing about ACS or the IOMMU");
	ok(v.distance == 4, "two root ports: distance 4 (the whole depth of both)");
	ok(strstr(v.path, "host bridge 0000:00") != NULL, "the path goes through the host bridge");
	host(&in.a, ROUTE_HOST_FOUND, 0x2030);
	host(&in.b, ROUTE_HOST_FOUND, 0x2030);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "two root ports, Skylake-E host bridge 8086:2030: through the host bridge");
	host(&in.a, ROUTE_HOST_FOUND, 0x29c0);
	host(&in.b, ROUTE_HOST_FOUND, 0x29c0);
	in.trust_host_bridge = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE && strstr(v.reason, "admin"), "two root ports, admin override: allowed");
	in.trust_host_bridge = false;
	in.amd_zen = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE && strstr(v.reason, "AMD Zen"), "two root ports on AMD Zen: allowed");
	in.amd_zen = false;
	host(&in.a, ROUTE_HOST_NONE, 0);
	host(&in.b, ROUTE_HOST_NONE, 0);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "nothing to whitelist"),
	   "a root bus whose first device is neither 00.0 nor a root port: never whitelisted");

	/* 4. Xeon E5: whitelisted only within one host bridge */
	in.a = nvme_rp;
	in.b = bar_rp;
	host(&in.a, ROUTE_HOST_FOUND, 0x3c00);
	host(&in.b, ROUTE_HOST_FOUND, 0x3c00);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "Xeon E5, two root ports of one host bridge: allowed");
	in.b = bar_rp80;
	host(&in.b, ROUTE_HOST_FOUND, 0x3c00);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "only within one host bridge"),
	   "Xeon E5, root buses 00 and 80 (two host bridges of one domain): not supported");
	ok(strstr(v.path, "host bridge 0000:00 -> host bridge 0000:80") != NULL,
	   "the path crosses both host bridges");
	in.b = path("0001:00", "0001:00:02.0 R", "0001:01:00.0 E", END);
	host(&in.b, ROUTE_HOST_FOUND, 0x3c00);
	v = run(&in);
	ok(!v.ok, "Xeon E5, two PCI domains: not supported");
	host(&in.a, ROUTE_HOST_FOUND, 0x2030);
	host(&in.b, ROUTE_HOST_FOUND, 0x2020);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "two domains, both host bridges Skylake-E: allowed");
	host(&in.b, ROUTE_HOST_FOUND, 0x29c0);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "8086:29c0"),
	   "two host bridges, only one whitelisted: not supported, naming the other");

	/* 5. ACS on the path */
	in.a = nvme_sw;
	in.b = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 A",
		    "0000:04:00.0 E", END);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "0000:02:01.0"),
	   "ACS redirect on the path: the traffic goes up; not supported on 8086:29c0");
	ok(strstr(v.fix, "pci=disable_acs_redir=0000:02:01.0") != NULL,
	   "the fix is the kernel parameter naming the port");
	in.a = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 A",
		    "0000:03:00.0 E", END);
	v = run(&in);
	ok(strstr(v.fix, "pci=disable_acs_redir=0000:02:00.0;0000:02:01.0") != NULL,
	   "ACS on both sides: both ports in the parameter");
	host(&in.a, ROUTE_HOST_FOUND, 0x2020);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "ACS redirect with a whitelisted host bridge: allowed through it");
	in.a = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 D",
		    "0000:03:00.0 X", END);
	in.b = bar_sw;
	v = run(&in);
	ok(!v.ok && strstr(v.fix, "pci=disable_acs_redir=0000:03:00.0"),
	   "ACS redirect on the DMA master itself (an endpoint): counted, as the kernel does");
	in.a = nvme_sw;
	in.b = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 D",
		    "0000:04:00.0 X", END);
	v = run(&in);
	ok(!v.ok && strstr(v.fix, "pci=disable_acs_redir=0000:04:00.0"),
	   "ACS redirect on the BAR's device: counted");
	in.a = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 A", "0000:02:05.0 E", END);
	in.b = bar_rp;
	v = run(&in);
	ok(!v.ok && !strstr(v.fix, "acs"),
	   "ACS redirect but no common switch: no ACS advice (clearing it cannot help)");

	/* 6. what cannot be read (not root) */
	in.a = nvme_sw;
	in.b = path("0000:00", "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 Q",
		    "0000:04:00.0 E", END);
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_UNKNOWN && strstr(v.fix, "root"),
	   "a switch whose ACS cannot be read: no verdict, run as root");
	in.a = nvme_rp;
	in.b = path("0000:00", "0000:00:02.0 Q", "0000:02:00.0 E", END);
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_NOT_SUPPORTED,
	   "unreadable ACS where no switch is shared: the host bridge decides, a known no");
	in.b = bar_rp;
	host(&in.a, ROUTE_HOST_UNKNOWN, 0);
	host(&in.b, ROUTE_HOST_UNKNOWN, 0);
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_UNKNOWN, "a host bridge device whose type cannot be read: no verdict");
	in.amd_zen = true;
	v = run(&in);
	ok(v.ok, "... but AMD Zen needs no whitelist: yes");
	in.amd_zen = false;

	/* 7. IOMMU */
	in.a = nvme_sw;
	in.b = bar_sw;
	in.iommu_translates = true;
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "IOMMU") && strstr(v.fix, "iommu=pt") && !strstr(v.fix, "one PCIe switch"),
	   "IOMMU on, same switch, unknown host bridge: not supported, fix iommu=pt");
	in.a = nvme_rp;
	in.b = bar_rp;
	v = run(&in);
	ok(!v.ok && strstr(v.fix, "one PCIe switch") && strstr(v.fix, "iommu=pt"),
	   "IOMMU on, no common switch: the fix names both the switch and iommu=pt");
	in.a = nvme_sw;
	in.b = bar_sw;
	in.amd_zen = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "IOMMU on, AMD Zen: through the root complex");
	in.amd_zen = false;
	in.p2pdma_target = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH && strstr(v.reason, "never sees"),
	   "IOMMU on, same switch, the target is P2PDMA memory: direct, bus addresses (as the kernel maps it)");
	in.a = nvme_rp;
	in.b = bar_rp;
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_NOT_SUPPORTED,
	   "... but with no common switch P2PDMA memory goes through the host bridge: not supported");
	in.a = nvme_sw;
	in.b = bar_sw;
	in.p2pdma_target = false;
	in.iommu_translates = false;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH, "IOMMU off: back to direct");

	/* 8. Intel VMD: a disk on the VMD's own root bus (domain 10000) */
	in.a = path("10000:e0", "10000:e0:06.0 R", "10000:e1:00.0 E", END);
	in.b = bar_rp;
	host(&in.a, ROUTE_HOST_FOUND, 0x467f);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "different host bridges") &&
	   strstr(v.path, "10000:e1:00.0 -> 10000:e0:06.0 -> host bridge 10000:e0 -> host bridge 0000:00"),
	   "a disk behind VMD: its own host bridge, never the VMD controller's");

	/* 9. a device that is its own peer */
	in.a = bar_sw;
	in.b = bar_sw;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SELF && v.distance == 0, "a device is its own peer: distance 0");

	/* 10. the translation trap */
	in.a = nvme_sw;
	in.b = bar_sw;
	in.b.host.device = 0x2030;
	in.a.host.device = 0x2030;
	in.bar_translated = true;
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "bus address differs"), "translated BAR without an IOMMU: not supported, even in one switch");
	in.iommu_translates = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "translated BAR with an IOMMU that maps it: allowed through the root complex");
	in.iommu_translates = false;
	in.p2pdma_target = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH, "translated BAR as P2PDMA memory: the kernel applies the bus offset, direct");
	in.p2pdma_target = false;

	/* 11. the whitelist's entries */
	ok(route_host_bridge_known_good(0x8086, 0x09a2, false), "whitelist: Ice Lake-SP 8086:09a2");
	ok(!route_host_bridge_known_good(0x8086, 0x3c01, false) &&
	   route_host_bridge_known_good(0x8086, 0x3c01, true),
	   "whitelist: Xeon E5 8086:3c01 only within one host bridge");
	ok(route_host_bridge_known_good(0x8086, 0x0b25, false), "whitelist: Sapphire Rapids DSA 8086:0b25 (newer mainline entry)");
	ok(route_host_bridge_known_good(0x8086, 0x4948, false), "whitelist: QAT 6xxx 8086:4948");
	ok(route_host_bridge_known_good(0x1ae0, 0x0042, false) &&
	   route_host_bridge_known_good(0x1ae0, 0xabcd, false),
	   "whitelist: any Google (1ae0) device, a vendor-wide entry");
	ok(!route_host_bridge_known_good(0x1af4, 0x1000, true), "whitelist: anything else is not on it");
	ok(!strcmp(route_whitelist_synced, "Linux 7.2"), "the whitelist says which kernel it was compared with");

	printf("1..%d\n", n);
	return failed != 0;
}
