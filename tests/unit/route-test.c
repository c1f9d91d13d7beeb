// SPDX-License-Identifier: GPL-2.0
/*
 * route-test - unit tests of tools/route.c on made-up topologies, as TAP.
 * Each case builds the two devices' upstream paths by hand and checks the
 * verdict, distance, path and fix.
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

/* path("0000:00:01.0 R", "0000:01:00.0 U", ..., NULL): kind letter after. */
static struct route_path path(int domain, ...)
{
	struct route_path p = { .domain = domain };
	const char *s;
	va_list ap;

	va_start(ap, domain);
	while ((s = va_arg(ap, const char *))) {
		struct route_hop *h = &p.hops[p.n++];

		sscanf(s, "%31s", h->name);
		switch (s[strlen(s) - 1]) {
		case 'R': h->kind = ROUTE_PORT_ROOT; break;
		case 'U': h->kind = ROUTE_PORT_UPSTREAM; break;
		case 'D': h->kind = ROUTE_PORT_DOWNSTREAM; break;
		case 'A': h->kind = ROUTE_PORT_DOWNSTREAM; h->acs_redirect = true; break;
		default: h->kind = ROUTE_PORT_ENDPOINT;
		}
	}
	va_end(ap);
	return p;
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
	struct route_input in = { .host_vendor = 0x8086, .host_device = 0x29c0 };
	struct route_verdict v;
	struct route_path nvme_sw = path(0, "0000:00:01.0 R", "0000:01:00.0 U",
					 "0000:02:00.0 D", "0000:03:00.0 E", END);
	struct route_path bar_sw = path(0, "0000:00:01.0 R", "0000:01:00.0 U",
					"0000:02:01.0 D", "0000:04:00.0 E", END);
	struct route_path nvme_rp = path(0, "0000:00:01.0 R", "0000:01:00.0 E", END);
	struct route_path bar_rp = path(0, "0000:00:02.0 R", "0000:02:00.0 E", END);

	/* 1. one switch */
	in.a = nvme_sw;
	in.b = bar_sw;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH, "same switch: direct, inside the switch");
	ok(v.distance == 4, "same switch: distance 4 (2 up, 2 down), got %d", v.distance);
	ok(!strcmp(v.common, "0000:01:00.0"), "same switch: the common bridge is the upstream port");
	ok(!strcmp(v.path, "0000:03:00.0 -> 0000:02:00.0 -> 0000:01:00.0 -> 0000:02:01.0 -> 0000:04:00.0"),
	   "same switch: the path names each bridge");

	/* 2. sibling switches below one root port (and one upstream switch) */
	in.a = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 D",
		    "0000:03:00.0 U", "0000:04:00.0 D", "0000:05:00.0 E", END);
	in.b = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 D",
		    "0000:06:00.0 U", "0000:07:00.0 D", "0000:08:00.0 E", END);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH && v.distance == 8,
	   "sibling switches under one switch: direct, distance 8 (got %d)", v.distance);
	in.a = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 E", END);
	in.b = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:03:00.0 E", END);
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH && v.distance == 2,
	   "two functions below one bridge: distance 2");

	/* 3./4. two root ports */
	in.a = nvme_rp;
	in.b = bar_rp;
	v = run(&in);
	ok(!v.ok && v.kind == ROUTE_NOT_SUPPORTED, "two root ports, host bridge 8086:29c0 not known good: not supported");
	ok(strstr(v.reason, "8086:29c0") && strstr(v.fix, "one PCIe switch"),
	   "the reason names the host bridge, the fix says: one switch");
	ok(v.distance == 4, "two root ports: distance 4 (the whole depth of both)");
	ok(strstr(v.path, "host bridge") != NULL, "the path goes through the host bridge");
	in.host_device = 0x2030;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "two root ports, SkyLake-E host bridge 8086:2030: through the host bridge");
	in.host_device = 0x29c0;
	in.trust_host_bridge = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE && strstr(v.reason, "admin"), "two root ports, admin override: allowed");
	in.trust_host_bridge = false;
	in.amd_zen = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE && strstr(v.reason, "AMD Zen"), "two root ports on AMD Zen: allowed");
	in.amd_zen = false;

	/* Xeon E5: whitelisted only within one host bridge */
	in.host_device = 0x3c00;
	v = run(&in);
	ok(v.ok, "Xeon E5 host bridge, same domain: allowed");
	in.b.domain = 1;
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "different PCI domains"), "Xeon E5, different domains: not supported");
	in.b.domain = 0;
	in.host_device = 0x29c0;

	/* 5. ACS redirect on a downstream port of the switch */
	in.a = nvme_sw;
	in.b = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:01.0 A",
		    "0000:04:00.0 E", END);
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "ACS redirect is set on 0000:02:01.0"),
	   "ACS redirect on the path: the traffic goes up; not supported on 8086:29c0");
	ok(strstr(v.fix, "pci=disable_acs_redir=0000:02:01.0") != NULL,
	   "the fix is the kernel parameter naming the port");
	in.a = path(0, "0000:00:01.0 R", "0000:01:00.0 U", "0000:02:00.0 A",
		    "0000:03:00.0 E", END);
	v = run(&in);
	ok(strstr(v.fix, "pci=disable_acs_redir=0000:02:00.0;0000:02:01.0") != NULL,
	   "ACS on both sides: both ports in the parameter");
	in.host_device = 0x2020;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "ACS redirect with a known-good host bridge: allowed through it");
	in.host_device = 0x29c0;

	/* 6. IOMMU */
	in.a = nvme_sw;
	in.b = bar_sw;
	in.iommu_translates = true;
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "IOMMU") && strstr(v.fix, "iommu=pt"),
	   "IOMMU on, same switch, unknown host bridge: not supported, fix iommu=pt");
	in.amd_zen = true;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "IOMMU on, AMD Zen: through the root complex");
	in.amd_zen = false;
	in.iommu_translates = false;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SWITCH, "IOMMU off: back to direct");

	/* 7. a device that is its own peer */
	in.a = bar_sw;
	in.b = bar_sw;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_SELF && v.distance == 0, "a device is its own peer: distance 0");

	/* 8. the translation trap */
	in.a = nvme_sw;
	in.b = bar_sw;
	in.bar_translated = true;
	v = run(&in);
	ok(!v.ok && strstr(v.reason, "bus address differs"), "translated BAR without an IOMMU: not supported, even in one switch");
	in.iommu_translates = true;
	in.host_device = 0x2030;
	v = run(&in);
	ok(v.ok && v.kind == ROUTE_HOST_BRIDGE, "translated BAR with an IOMMU that maps it: allowed through the root complex");

	printf("1..%d\n", n);
	return failed != 0;
}
