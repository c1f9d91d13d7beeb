// SPDX-License-Identifier: GPL-2.0
/*
 * iopmemctl - manage iopmem devices, the way ndctl manages pmem: list,
 * bind, unbind, change mode, show one device, and check whether two PCI
 * devices can do peer-to-peer DMA.  See iopmemctl(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <spawn.h>

#include <json-c/json.h>

#include "config.h"
#include "libiopmem.h"

#include "exit.h"

#define EXIT_OK		IOPMEM_EXIT_OK
#define EXIT_NO_P2P	IOPMEM_EXIT_NO
#define EXIT_USAGE	IOPMEM_EXIT_USAGE
#define EXIT_FAILED	IOPMEM_EXIT_FAILED
#define EXIT_UNKNOWN	IOPMEM_EXIT_UNKNOWN

static const char usage[] =
"Usage: iopmemctl [--json] COMMAND [ARGS]\n"
"\n"
"  list [--all]                 iopmem devices; --all adds unbound functions\n"
"                               with memory BARs (candidates)\n"
"  bind PCI_ADDR [--bar N] [--mode raw|fsdax|devdax|p2pdma] [--persistent]\n"
"                               serve a function's BAR with iopmem\n"
"  unbind DEV [--reprobe]       release it; --reprobe then lets the kernel\n"
"                               bind its usual driver again\n"
"  mode DEV MODE                switch mode: raw, fsdax, devdax or p2pdma\n"
"  info DEV                     everything about one device\n"
"  apply [PCI_ADDR...] [--config FILE] [--test]\n"
"                               set up the functions /etc/iopmem.conf names\n"
"  check SRC DST [--trust-host-bridge]\n"
"                               can SRC DMA into DST's BAR peer to peer?\n"
"\n"
"DEV: a PCI function bound to iopmem (0000:04:00.0 or 04:00.0) or one of\n"
"iopmem's nodes (/dev/iopmem0, a partition of it, /dev/iopmem0.dax).\n"
"SRC, DST: a PCI address, a device node (/dev/nvme0n1) or a file on one.\n"
"  -j, --json      JSON output (every command)\n"
"  -V, --version   print the version\n"
"  -h, --help      this text (after a command: that command's)\n"
"\n"
"Exit status: 0 success (check: P2P allowed), 1 check: P2P not supported,\n"
"2 usage error, 3 the operation failed (the message says why), 4 check\n"
"cannot tell without root.  COMMAND --help: that command's options.\n";

static bool json;

static int __attribute__((format(printf, 2, 3)))
fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "iopmemctl: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static bool bound_to_iopmem(const char *bdf)
{
	char drv[64];

	iopmem_pci_driver(bdf, drv, sizeof(drv));
	return !strcmp(drv, "iopmem");
}

static void add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void add_int(json_object *o, const char *key, long long val)
{
	json_object_object_add(o, key, json_object_new_int64(val));
}

static long long attr_num(const char *bdf, const char *name)
{
	char buf[64];

	return iopmem_attr_read(bdf, name, buf, sizeof(buf)) ? -1 :
	       strtoll(buf, NULL, 0);
}

/*
 * An attribute as a JSON number, string or boolean; null when it cannot be
 * read (phys_addr, bus_addr and size are root's only), so the output has
 * the same keys for everyone.
 */
static void add_attr_num(json_object *o, const char *key, const char *bdf,
			 const char *name)
{
	char buf[64];

	json_object_object_add(o, key, iopmem_attr_read(bdf, name, buf, sizeof(buf)) ?
			       NULL : json_object_new_int64(strtoll(buf, NULL, 10)));
}

static void add_attr_str(json_object *o, const char *key, const char *bdf,
			 const char *name)
{
	char buf[256];

	json_object_object_add(o, key, iopmem_attr_read(bdf, name, buf, sizeof(buf)) ?
			       NULL : json_object_new_string(buf));
}

static void add_attr_bool(json_object *o, const char *key, const char *bdf,
			  const char *name)
{
	char buf[16];

	json_object_object_add(o, key, iopmem_attr_read(bdf, name, buf, sizeof(buf)) ?
			       NULL : json_object_new_boolean(!strcmp(buf, "1")));
}

/*
 * The kernel's P2PDMA memory a function provides (p2pmem in sysfs), or
 * NULL: size, available, allocated (their difference) and published.
 */
static json_object *describe_p2pmem(const char *bdf)
{
	struct iopmem_p2pmem p;
	json_object *o;

	if (iopmem_p2pmem_read(bdf, &p))
		return NULL;
	o = json_object_new_object();
	add_int(o, "size", (long long)p.size);
	add_int(o, "available", (long long)p.available);
	add_int(o, "allocated", (long long)(p.size - p.available));
	json_object_object_add(o, "published", json_object_new_boolean(p.published));
	return o;
}

/* Everything about one device, as JSON (the human output prints it too). */
static json_object *describe(const char *bdf, bool bound)
{
	json_object *o = json_object_new_object();
	struct iopmem_pci_info info;
	char buf[256], name[300];

	iopmem_pci_info(bdf, &info);
	add_str(o, "pci", bdf);
	snprintf(name, sizeof(name), "%04x:%04x", info.vendor, info.device);
	add_str(o, "id", name);
	iopmem_pci_name(bdf, name, sizeof(name));
	add_str(o, "name", name);
	json_object_object_add(o, "numa_node", info.numa_node < 0 ? NULL :
			       json_object_new_int(info.numa_node));
	json_object_object_add(o, "iommu_group", *info.iommu_group ?
			       json_object_new_int(atoi(info.iommu_group)) : NULL);
	json_object_object_add(o, "driver", *info.driver ? json_object_new_string(info.driver) : NULL);
	json_object_object_add(o, "p2pmem", describe_p2pmem(bdf));
	if (!bound) {
		struct iopmem_bar bars[6];
		int n = iopmem_pci_mem_bars(bdf, bars);
		json_object *a = json_object_new_array();

		for (int i = 0; i < n; i++) {
			json_object *b = json_object_new_object();

			add_int(b, "bar", bars[i].index);
			add_int(b, "size", bars[i].size);
			json_object_object_add(b, "prefetchable", json_object_new_boolean(bars[i].prefetch));
			json_object_object_add(b, "mem64", json_object_new_boolean(bars[i].mem64));
			json_object_array_add(a, b);
		}
		json_object_object_add(o, "memory_bars", a);
		return o;
	}
	add_attr_num(o, "bar", bdf, "bar");
	add_attr_num(o, "size", bdf, "size");
	add_attr_str(o, "phys_addr", bdf, "phys_addr");
	add_attr_str(o, "bus_addr", bdf, "bus_addr");
	add_attr_str(o, "mode", bdf, "mode");
	add_attr_str(o, "mapping", bdf, "mapping");
	/* Device names as ndctl and daxctl give them: no /dev/. */
	json_object_object_add(o, "blockdev",
			       !iopmem_attr_read(bdf, "block", buf, sizeof(buf)) && *buf ?
			       json_object_new_string(buf) : NULL);
	json_object_object_add(o, "chardev",
			       !iopmem_attr_read(bdf, "dax", buf, sizeof(buf)) && *buf ?
			       json_object_new_string(buf) : NULL);
	add_attr_bool(o, "persistent", bdf, "persistent");
	add_attr_bool(o, "posted_durable", bdf, "posted_durable");
	add_attr_num(o, "users", bdf, "users");
	json_object_object_add(o, "busy", json_object_new_boolean(attr_num(bdf, "users") > 0));
	add_attr_num(o, "align", bdf, "align");
	add_attr_num(o, "struct_page_bytes", bdf, "struct_page_bytes");
	add_attr_bool(o, "address_translated", bdf, "address_translated");
	return o;
}

/* A value as text: "" when missing, "unknown" when null (unreadable). */
static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return "";
	return v ? json_object_get_string(v) : "unknown";
}

/* A number; -1 when missing or null. */
static long long jnum(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : -1;
}

/* The p2pmem line of the human output, if @o has one. */
static void print_p2pmem(json_object *o, const char *label)
{
	json_object *p;

	if (!json_object_object_get_ex(o, "p2pmem", &p) || !p)
		return;
	printf("%s%lld MiB, %lld MiB available, %lld MiB allocated, %s\n", label,
	       jnum(p, "size") >> 20, jnum(p, "available") >> 20, jnum(p, "allocated") >> 20,
	       !strcmp(jstr(p, "published"), "true") ? "published" : "not published");
}

static void print_device(json_object *o)
{
	const char *dev = strcmp(jstr(o, "blockdev"), "unknown") ? jstr(o, "blockdev") :
			  jstr(o, "chardev");
	char size[32] = "unknown size";

	if (jnum(o, "size") >= 0)
		snprintf(size, sizeof(size), "%lld MiB", jnum(o, "size") >> 20);
	printf("%s  %s  %s\n", jstr(o, "pci"), jstr(o, "id"), jstr(o, "name"));
	printf("  device      %s%s (%s mode)\n", strcmp(dev, "unknown") ? "/dev/" : "",
	       strcmp(dev, "unknown") ? dev : "-", jstr(o, "mode"));
	printf("  bar         %s, %s at %s (bus %s), %s\n", jstr(o, "bar"), size,
	       jstr(o, "phys_addr"), jstr(o, "bus_addr"), jstr(o, "mapping"));
	printf("  persistent  %s (posted writes durable: %s)\n", jstr(o, "persistent"),
	       jstr(o, "posted_durable"));
	printf("  busy        %s (%lld users)\n", jstr(o, "busy"), jnum(o, "users"));
	printf("  numa_node   %s\n", strcmp(jstr(o, "numa_node"), "unknown") ? jstr(o, "numa_node") : "none");
	printf("  align       %lld\n", jnum(o, "align"));
	printf("  struct_page %lld bytes\n", jnum(o, "struct_page_bytes"));
	print_p2pmem(o, "  p2pmem      ");
	if (!strcmp(jstr(o, "address_translated"), "true"))
		printf("  WARNING     the BAR's bus address differs from its CPU address\n");
}

static int cmd_list(int argc, char **argv)
{
	bool all = argc > 1 && !strcmp(argv[1], "--all");
	json_object *devs = json_object_new_array(), *cands = json_object_new_array();
	json_object *provs = json_object_new_array();
	char **names;
	size_t n;

	if (argc > 1 + all) {
		json_object_put(devs);
		json_object_put(cands);
		json_object_put(provs);
		return fail(EXIT_USAGE, "list: unexpected argument %s%s", argv[1 + all], "");
	}
	names = iopmem_pci_functions(&n);
	if (!names) {
		json_object_put(devs);
		json_object_put(cands);
		json_object_put(provs);
		return fail(EXIT_FAILED, "list: out of memory%s%s", "", "");
	}
	for (size_t i = 0; i < n; i++) {
		struct iopmem_bar bars[6];
		struct iopmem_p2pmem p;

		if (bound_to_iopmem(names[i]))
			json_object_array_add(devs, describe(names[i], true));
		else if (all && iopmem_pci_mem_bars(names[i], bars) > 0)
			json_object_array_add(cands, describe(names[i], false));
		/* Every P2PDMA provider, whoever drives it (an NVMe CMB too). */
		if (!iopmem_p2pmem_read(names[i], &p))
			json_object_array_add(provs, describe(names[i], false));
	}
	iopmem_free_names(names);
	if (json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "devices", devs);
		if (all)
			json_object_object_add(o, "candidates", cands);
		else
			json_object_put(cands);
		json_object_object_add(o, "p2pdma_providers", provs);
		print_json(o);
		return EXIT_OK;
	}
	if (json_object_array_length(provs)) {
		printf("P2PDMA providers (the kernel's peer-to-peer memory, p2pmem in sysfs):\n");
		for (size_t i = 0; i < json_object_array_length(provs); i++) {
			json_object *c = json_object_array_get_idx(provs, i);

			printf("%s  %s  %s  (driver %s)\n", jstr(c, "pci"), jstr(c, "id"), jstr(c, "name"),
			       jstr(c, "driver"));
			print_p2pmem(c, "  p2pmem      ");
		}
		printf("\n");
	}
	json_object_put(provs);
	if (!json_object_array_length(devs))
		printf("no iopmem devices%s\n", all ? "" : " (iopmemctl list --all shows candidates)");
	for (size_t i = 0; i < json_object_array_length(devs); i++)
		print_device(json_object_array_get_idx(devs, i));
	if (all) {
		printf("%sCandidates (functions with memory BARs; one another driver holds must be unbound from it first):\n",
		       json_object_array_length(devs) ? "\n" : "");
		for (size_t i = 0; i < json_object_array_length(cands); i++) {
			json_object *c = json_object_array_get_idx(cands, i), *bars;

			printf("%s  %s  %s  (%s%s)\n", jstr(c, "pci"), jstr(c, "id"), jstr(c, "name"),
			       strcmp(jstr(c, "driver"), "unknown") ? "driver " : "no driver",
			       strcmp(jstr(c, "driver"), "unknown") ? jstr(c, "driver") : "");
			json_object_object_get_ex(c, "memory_bars", &bars);
			for (size_t j = 0; j < json_object_array_length(bars); j++) {
				json_object *b = json_object_array_get_idx(bars, j);

				printf("  bar %lld: %lld KiB%s%s\n", jnum(b, "bar"), jnum(b, "size") >> 10,
				       !strcmp(jstr(b, "mem64"), "true") ? ", 64-bit" : "",
				       !strcmp(jstr(b, "prefetchable"), "true") ? ", prefetchable" : "");
			}
		}
	}
	json_object_put(devs);
	json_object_put(cands);
	return EXIT_OK;
}

/* Resolve DEV to a function bound to iopmem. */
/*
 * A device node given to unbind, mode or info must be iopmem's own
 * (/dev/iopmemN, a partition of it, /dev/iopmemN.dax): the disk holding a
 * file, or another driver's device, is never a target.
 */
static int iopmem_node(const char *arg)
{
	char sys[160], real[PATH_MAX], *slash;
	struct stat st, attrs;
	const char *kind;

	if (stat(arg, &st))
		return 0;	/* not a path: iopmem_resolve() says what is wrong */
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		kind = S_ISREG(st.st_mode) ? "a regular file" :
		       S_ISDIR(st.st_mode) ? "a directory" : "not a device node";
		return fail(EXIT_FAILED, "%s is %s, not an iopmem device: give a PCI function bound to iopmem, /dev/iopmemN or /dev/iopmemN.dax",
			    arg, kind);
	}
	kind = S_ISBLK(st.st_mode) ? "block" : "char";
	/* The disk's (or, for a partition, its parent disk's) attributes. */
	for (int up = 0; up < (S_ISBLK(st.st_mode) ? 2 : 1); up++) {
		snprintf(sys, sizeof(sys), "/sys/dev/%s/%u:%u/%sdevice/iopmem", kind,
			 major(st.st_rdev), minor(st.st_rdev), up ? "../" : "");
		if (!stat(sys, &attrs))
			return 0;
	}
	snprintf(sys, sizeof(sys), "/sys/dev/%s/%u:%u", kind, major(st.st_rdev),
		 minor(st.st_rdev));
	slash = realpath(sys, real) ? strrchr(real, '/') : NULL;
	return fail(EXIT_FAILED, "%s is a %s device (%s), not one of iopmem's: give a PCI function bound to iopmem, /dev/iopmemN or /dev/iopmemN.dax",
		    arg, kind, slash ? slash + 1 : "unknown");
}

static int bound_dev(const char *arg, char bdf[IOPMEM_BDF_LEN])
{
	char err[IOPMEM_ERR_LEN];
	int rc = iopmem_node(arg);

	if (rc)
		return rc;
	if (iopmem_resolve(arg, bdf, err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	if (!bound_to_iopmem(bdf))
		return fail(EXIT_FAILED, "%s is not bound to iopmem (iopmemctl bind %s)", bdf, bdf);
	return 0;
}

static int show(const char *bdf)
{
	json_object *o = describe(bdf, true);

	if (json) {
		print_json(o);
	} else {
		print_device(o);
		json_object_put(o);
	}
	return EXIT_OK;
}

/*
 * Bind @bdf (not bound to any driver) to iopmem, over BAR @bar (NULL:
 * iopmem's default).  Returns 0, or an exit status after a message.
 */
static int bind_function(const char *bdf, const char *bar)
{
	char drv[64], choice[IOPMEM_BDF_LEN + 8], path[PATH_MAX];
	int rc = 0;

	iopmem_sys_path(path, sizeof(path), "/bus/pci/drivers/iopmem");
	if (access(path, F_OK))
		return fail(EXIT_FAILED, "the iopmem module is not loaded: modprobe iopmem%s%s", "", "");
	iopmem_pci_driver(bdf, drv, sizeof(drv));
	if (!strcmp(drv, "iopmem"))
		return fail(EXIT_FAILED, "%s is already bound to iopmem (iopmemctl info %s)", bdf, bdf);
	if (*drv) {
		fprintf(stderr, "iopmemctl: %s is bound to %s: unbind it from %s first (echo %s > /sys/bus/pci/drivers/%s/unbind)\n",
			bdf, drv, drv, bdf, drv);
		return EXIT_FAILED;
	}
	/*
	 * The BAR for this function only (the driver's bar_choice): a bind
	 * or hotplug of any other function is not affected.  A plain bind
	 * forgets an earlier choice, so it gets the default BAR.
	 */
	snprintf(choice, sizeof(choice), "%s %s", bdf, bar ? bar : "-1");
	errno = 0;
	if (iopmem_driver_write("bar_choice", choice))
		return fail(EXIT_FAILED, "cannot choose BAR %s for %s (bar_choice): %s",
			    bar ? bar : "-1", bdf, strerror(errno ? errno : EIO));
	if (iopmem_pci_write(bdf, "driver_override", "iopmem")) {
		rc = fail(EXIT_FAILED, "cannot set driver_override of %s: %s", bdf, strerror(errno));
	} else if (iopmem_driver_write("bind", bdf)) {
		fprintf(stderr, "iopmemctl: iopmem refused %s: %s (the kernel log says why: dmesg | grep iopmem)\n",
			bdf, strerror(errno ? errno : EIO));
		iopmem_pci_write(bdf, "driver_override", "\n");
		rc = EXIT_FAILED;
	}
	if (rc && bar) {
		snprintf(choice, sizeof(choice), "%s -1", bdf);
		iopmem_driver_write("bar_choice", choice);
	}
	return rc;
}

static int cmd_bind(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bar", required_argument, NULL, 'b' },
		{ "mode", required_argument, NULL, 'm' },
		{ "persistent", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	char bdf[IOPMEM_BDF_LEN], err[IOPMEM_ERR_LEN];
	const char *bar = NULL, *mode = NULL;
	bool persistent = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bar = optarg; break;
		case 'm': mode = optarg; break;
		case 'p': persistent = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return fail(EXIT_USAGE, "bind: give one PCI address%s%s", "", "");
	if (bar && (strlen(bar) != 1 || bar[0] < '0' || bar[0] > '5'))
		return fail(EXIT_USAGE, "bind: --bar %s: a BAR index is 0 to 5%s", bar, "");
	if (mode && !iopmem_mode_valid(mode))
		return fail(EXIT_USAGE, "bind: --mode %s: the modes are %s", mode, IOPMEM_MODES);
	if (iopmem_resolve(argv[optind], bdf, err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	rc = bind_function(bdf, bar);
	if (rc)
		return rc;
	if (persistent && iopmem_attr_write(bdf, "persistent", "1", err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	if (mode && iopmem_attr_write(bdf, "mode", mode, err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	return show(bdf);
}

static int cmd_unbind(int argc, char **argv)
{
	char bdf[IOPMEM_BDF_LEN], drv[64] = "";
	bool reprobe = argc == 3 && !strcmp(argv[2], "--reprobe");
	int rc;

	if (argc != 2 && !reprobe)
		return fail(EXIT_USAGE, "unbind: give one device, and optionally --reprobe");
	rc = bound_dev(argv[1], bdf);
	if (rc)
		return rc;
	if (iopmem_driver_write("unbind", bdf))
		return fail(EXIT_FAILED, "cannot unbind %s: %s", bdf, strerror(errno));
	/* As driverctl unset-override: no override left behind. */
	if (iopmem_pci_write(bdf, "driver_override", "\n"))
		return fail(EXIT_FAILED, "unbound %s, but cannot clear its driver_override: %s",
			    bdf, strerror(errno));
	if (reprobe) {
		/* Any driver but iopmem (which has no ID table) may take it. */
		if (iopmem_write_file("/sys/bus/pci/drivers_probe", bdf))
			return fail(EXIT_FAILED, "unbound %s, but the reprobe failed: %s",
				    bdf, strerror(errno));
		iopmem_pci_driver(bdf, drv, sizeof(drv));
	}
	if (json) {
		json_object *o = json_object_new_object();

		add_str(o, "pci", bdf);
		add_str(o, "driver", drv);
		print_json(o);
	} else if (reprobe) {
		printf("%s unbound from iopmem, now %s\n", bdf,
		       *drv ? drv : "without a driver (none matched)");
	} else {
		printf("%s unbound from iopmem\n", bdf);
	}
	return EXIT_OK;
}

static int cmd_mode(int argc, char **argv)
{
	char bdf[IOPMEM_BDF_LEN], err[IOPMEM_ERR_LEN];
	int rc;

	if (argc != 3)
		return fail(EXIT_USAGE, "mode: give a device and a mode (%s)%s", IOPMEM_MODES, "");
	if (!iopmem_mode_valid(argv[2]))
		return fail(EXIT_USAGE, "mode: %s is not a mode (%s)", argv[2], IOPMEM_MODES);
	rc = bound_dev(argv[1], bdf);
	if (rc)
		return rc;
	if (iopmem_attr_write(bdf, "mode", argv[2], err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	return show(bdf);
}

static int cmd_info(int argc, char **argv)
{
	char bdf[IOPMEM_BDF_LEN];
	int rc;

	if (argc != 2)
		return fail(EXIT_USAGE, "info: give one device%s%s", "", "");
	rc = bound_dev(argv[1], bdf);
	return rc ? rc : show(bdf);
}

/* modprobe iopmem, unless its driver is there already. */
static int load_module(void)
{
	char *const args[] = { "modprobe", "iopmem", NULL };
	extern char **environ;
	char path[PATH_MAX];
	int status;
	pid_t pid;

	iopmem_sys_path(path, sizeof(path), "/bus/pci/drivers/iopmem");
	if (!access(path, F_OK))
		return 0;
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, args, environ))
		return fail(EXIT_FAILED, "cannot run modprobe iopmem: %s", strerror(errno));
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || access(path, F_OK))
		return fail(EXIT_FAILED, "modprobe iopmem failed: is the module installed for this kernel (iopmem-dkms, or make install)?%s", "");
	return 0;
}

/* The function's vendor and device IDs, from sysfs; -1 if it has none. */
static int read_ids(const char *bdf, unsigned int *vendor, unsigned int *device)
{
	char v[16], d[16];

	if (iopmem_pci_read(bdf, "vendor", v, sizeof(v)) ||
	    iopmem_pci_read(bdf, "device", d, sizeof(d)))
		return -1;
	*vendor = (unsigned int)strtoul(v, NULL, 16);
	*device = (unsigned int)strtoul(d, NULL, 16);
	return 0;
}

/*
 * While apply gives @bdf its settings, /run/iopmem/apply/BDF exists, and
 * 60-iopmem.rules keeps the function's block devices from systemd
 * (SYSTEMD_READY=0) and from blkid: else a device that the next setting
 * remakes (bound in raw mode, then switched to fsdax) could be opened
 * meanwhile by blkid, or by the fsck and mount of an fstab line naming its
 * UUID, and the switch fail with EBUSY (a packaging test's boot did).
 * Without the mark the set-up still runs, unguarded, with a warning.
 */
static void applying_start(const char *bdf, char mark[PATH_MAX])
{
	int fd = -1;

	if (snprintf(mark, PATH_MAX, "%s/apply", iopmem_rundir()) < PATH_MAX &&
	    (mkdir(iopmem_rundir(), 0755) == 0 || errno == EEXIST) &&
	    (mkdir(mark, 0755) == 0 || errno == EEXIST) &&
	    snprintf(mark, PATH_MAX, "%s/apply/%s", iopmem_rundir(), bdf) < PATH_MAX)
		fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "iopmemctl: %s: cannot mark the set-up in %s/apply (%s): udev may probe its devices meanwhile\n",
			bdf, iopmem_rundir(), strerror(errno));
		*mark = '\0';
		return;
	}
	close(fd);
}

/* uevent "change" on block device @name (a disk or a partition). */
static void announce_block(const char *name)
{
	char path[PATH_MAX];

	if (!iopmem_sys_path(path, sizeof(path), "/class/block/%s/uevent", name))
		iopmem_write_file(path, "change");
}

/*
 * The set-up of @bdf is over: drop the mark, and announce its block
 * device and partitions as they are now (a change event each), so that
 * udev runs blkid on them and systemd may mount them.
 */
static void applying_end(const char *bdf, const char *mark)
{
	char disk[64], dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (!*mark)
		return;
	unlink(mark);
	if (iopmem_attr_read(bdf, "block", disk, sizeof(disk)) || !*disk)
		return;
	announce_block(disk);
	if (iopmem_sys_path(dir, sizeof(dir), "/class/block/%s", disk))
		return;
	d = opendir(dir);
	if (!d)
		return;
	/* Partitions are subdirectories named after the disk: iopmem0p1. */
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, disk, strlen(disk)) && e->d_name[strlen(disk)])
			announce_block(e->d_name);
	closedir(d);
}

/*
 * Give @bdf the settings of line @l: bind it (over the line's BAR) unless
 * iopmem holds it already, then write each setting that differs from what
 * the device has, mode last.  Run again, it changes nothing.
 */
static int apply_line(const char *bdf, const struct iopmem_conf_line *l,
		      const char *path)
{
	char err[IOPMEM_ERR_LEN], drv[64], cur[64];

	iopmem_pci_driver(bdf, drv, sizeof(drv));
	if (*drv && strcmp(drv, "iopmem"))
		return fail(EXIT_FAILED, "%s:%d names %s, but %s holds it: unbind it from %s, or keep %s from binding it (a modprobe.d blacklist or driverctl)",
			    path, l->lineno, bdf, drv, drv, drv);
	if (!*drv) {
		int rc = bind_function(bdf, l->val[IOPMEM_CONF_BAR]);

		if (rc)
			return rc;
	}
	for (int k = 0; k < IOPMEM_CONF_NKEYS; k++) {
		if (!l->val[k])
			continue;
		if (!iopmem_attr_read(bdf, iopmem_conf_keys[k], cur, sizeof(cur)) &&
		    !strcmp(cur, l->val[k]))
			continue;
		if (iopmem_attr_write(bdf, iopmem_conf_keys[k], l->val[k], err, sizeof(err)))
			return fail(EXIT_FAILED, "%s (%s:%d)", err, path, l->lineno);
	}
	return 0;
}

static int cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "test", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = IOPMEM_CONFIG_PATH;
	char err[IOPMEM_ERR_LEN], bdf[IOPMEM_BDF_LEN];
	struct iopmem_conf conf;
	json_object *out = json_object_new_array();
	char **all = NULL;
	size_t n = 0, applied = 0;
	bool test = false;
	int c, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 't': test = true; break;
		default: json_object_put(out); return EXIT_USAGE;
		}
	}
	if (test && argc - optind != 1) {
		json_object_put(out);
		return fail(EXIT_USAGE, "apply --test: give one PCI address%s%s", "", "");
	}
	if (iopmem_conf_load(path, &conf, err, sizeof(err))) {
		json_object_put(out);
		return fail(EXIT_USAGE, "%s%s", err, "");
	}
	if (optind == argc) {
		all = iopmem_pci_functions(&n);
		if (!all) {
			rc = fail(EXIT_FAILED, "cannot list the PCI functions: %s", strerror(ENOMEM));
			goto out;
		}
	} else {
		n = (size_t)(argc - optind);
	}
	for (size_t i = 0; i < n && rc != EXIT_USAGE; i++) {
		const char *arg = all ? all[i] : argv[optind + i];
		const struct iopmem_conf_line *l;
		unsigned int vendor, device;
		int one;

		if (iopmem_resolve(arg, bdf, err, sizeof(err))) {
			rc = fail(test ? IOPMEM_EXIT_NO : EXIT_FAILED, "%s%s", err, "");
			continue;
		}
		l = read_ids(bdf, &vendor, &device) ? NULL :
		    iopmem_conf_find(&conf, bdf, vendor, device);
		if (test) {		/* for udev: is it ours to set up? */
			rc = l ? EXIT_OK : IOPMEM_EXIT_NO;
			break;
		}
		if (!l) {
			if (!all)
				fprintf(stderr, "iopmemctl: %s: nothing in %s names %s%s\n",
					bdf, path, bdf, conf.count ? "" : " (it has no device lines)");
			continue;
		}
		one = load_module();
		if (!one) {
			char mark[PATH_MAX];

			applying_start(bdf, mark);
			one = apply_line(bdf, l, path);
			applying_end(bdf, mark);
		}
		if (one) {
			rc = one;
			continue;
		}
		applied++;
		if (json) {
			json_object_array_add(out, describe(bdf, true));
		} else {
			json_object *o = describe(bdf, true);

			print_device(o);
			json_object_put(o);
		}
	}
	if (!test && json)
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (!test && all && !applied && rc == EXIT_OK)
		printf("nothing to apply: %s names no PCI function present\n", path);
out:
	json_object_put(out);
	iopmem_free_names(all);
	iopmem_conf_free(&conf);
	return rc;
}

static const char *kind_text(enum route_verdict_kind k)
{
	switch (k) {
	case ROUTE_SELF: return "yes: the device is its own peer";
	case ROUTE_SWITCH: return "yes: direct, inside a PCIe switch";
	case ROUTE_HOST_BRIDGE: return "yes: through the root complex";
	case ROUTE_UNKNOWN: return "UNKNOWN: cannot tell without root";
	default: return "NO: peer-to-peer DMA not supported on this route";
	}
}

/* {"root_bus": "0000:00", "id": "8086:2030" or null} */
static json_object *host_json(const struct route_host *h)
{
	json_object *o = json_object_new_object();
	char id[16];

	add_str(o, "root_bus", h->root_bus);
	snprintf(id, sizeof(id), "%04x:%04x", h->vendor, h->device);
	json_object_object_add(o, "id", h->dev == ROUTE_HOST_FOUND ?
			       json_object_new_string(id) : NULL);
	return o;
}

/* "p1;p2" as a JSON array */
static json_object *ports_json(const char *list)
{
	json_object *a = json_object_new_array();
	char copy[ROUTE_PORTS], *tok, *save = NULL;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		json_object_array_add(a, json_object_new_string(tok));
	return a;
}

/* One route's verdict, as JSON: SRC's function DMAs into DST's BAR. */
static json_object *verdict_json(const char *src, const char *dst,
				 const struct route_input *in,
				 const struct route_verdict *v)
{
	json_object *o = json_object_new_object();

	add_str(o, "src", src);
	add_str(o, "dst", dst);
	/* true, false, or null: not known (not root) */
	json_object_object_add(o, "p2p", v->kind == ROUTE_UNKNOWN ? NULL :
			       json_object_new_boolean(v->ok));
	add_str(o, "route", route_kind_name(v->kind));
	add_int(o, "distance", v->distance);
	add_str(o, "path", v->path);
	json_object_object_add(o, "common_bridge", *v->common ?
			       json_object_new_string(v->common) : NULL);
	json_object_object_add(o, "src_host_bridge", host_json(&in->a.host));
	json_object_object_add(o, "dst_host_bridge", host_json(&in->b.host));
	json_object_object_add(o, "iommu_translates", json_object_new_boolean(in->iommu_translates));
	json_object_object_add(o, "acs_redirect", ports_json(v->acs_ports));
	json_object_object_add(o, "acs_unreadable", ports_json(v->acs_unknown));
	add_str(o, "reason", v->reason);
	json_object_object_add(o, "fix", *v->fix ? json_object_new_string(v->fix) : NULL);
	return o;
}

static void verdict_text(const char *src, const char *dst,
			 const struct route_input *in,
			 const struct route_verdict *v, const char *indent)
{
	printf("%s%s -> %s: %s\n", indent, src, dst, kind_text(v->kind));
	printf("%s  path      %s\n", indent, v->path);
	printf("%s  distance  %d\n", indent, v->distance);
	printf("%s  iommu     %s\n", indent, in->iommu_translates ?
	       "translating (DMA addresses are IOVAs)" : "none or passthrough");
	printf("%s  why       %s\n", indent, v->reason);
	if (*v->fix)
		printf("%s  fix       %s\n", indent, v->fix);
}

static int cmd_check(int argc, char **argv)
{
	char dst[IOPMEM_BDF_LEN], err[IOPMEM_ERR_LEN];
	struct iopmem_members m;
	json_object *members = NULL;
	bool trust = false;
	int nargs = 0, no = 0, unknown = 0;
	const char *args[2];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trust-host-bridge"))
			trust = true;
		else if (nargs < 2)
			args[nargs++] = argv[i];
		else
			return fail(EXIT_USAGE, "check: unexpected argument %s%s", argv[i], "");
	}
	if (nargs != 2)
		return fail(EXIT_USAGE, "check: give SRC and DST (PCI addresses or devices)%s%s", "", "");
	/* SRC may be a stack (md, dm, multipath): every member must reach DST. */
	if (iopmem_resolve_members(args[0], &m, err, sizeof(err)) ||
	    iopmem_resolve(args[1], dst, err, sizeof(err)))
		return fail(EXIT_FAILED, "%s%s", err, "");
	if (m.stacked) {
		members = json_object_new_array();
		if (!json)
			printf("%s (%s, %d member%s) -> %s:\n", args[0], m.top, m.count,
			       m.count == 1 ? "" : "s", dst);
	}
	for (int i = 0; i < m.count; i++) {
		struct route_input in;
		struct route_verdict v;

		if (iopmem_route_input(m.bdf[i], dst, &in, err, sizeof(err))) {
			json_object_put(members);
			return fail(EXIT_FAILED, "%s%s", err, "");
		}
		in.trust_host_bridge = trust;
		in.p2pdma_target = iopmem_is_p2pmem(args[1]);
		route_check(&in, &v);
		if (v.kind == ROUTE_UNKNOWN)
			unknown++;
		else if (!v.ok)
			no++;
		if (json && !m.stacked) {
			print_json(verdict_json(m.bdf[i], dst, &in, &v));
		} else if (json) {
			json_object *o = verdict_json(m.bdf[i], dst, &in, &v);

			add_str(o, "member", m.name[i]);
			json_object_array_add(members, o);
		} else {
			verdict_text(m.bdf[i], dst, &in, &v, m.stacked ? "  " : "");
			if (m.stacked)
				printf("    member    %s\n", m.name[i]);
		}
	}
	if (m.stacked && json) {
		json_object *o = json_object_new_object();

		add_str(o, "src", args[0]);
		add_str(o, "stacked", m.top);
		add_str(o, "dst", dst);
		json_object_object_add(o, "p2p", no ? json_object_new_boolean(false) :
				       unknown ? NULL : json_object_new_boolean(true));
		json_object_object_add(o, "members", members);
		print_json(o);
	} else if (m.stacked) {
		json_object_put(members);
		if (no)
			printf("NO: %d of %d members cannot DMA to %s peer to peer\n", no, m.count, dst);
		else if (unknown)
			printf("UNKNOWN: %d of %d members: cannot tell without root\n", unknown, m.count);
		else
			printf("yes: every member (%d) can DMA to %s peer to peer\n", m.count, dst);
	}
	if (no)
		return EXIT_NO_P2P;
	return unknown ? EXIT_UNKNOWN : EXIT_OK;
}

/* What "iopmemctl COMMAND --help" prints. */
static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{ "list", cmd_list,
	  "Usage: iopmemctl [--json] list [--all]\n"
	  "Every iopmem device: address, IDs, BAR, size, mode, device node, busy;\n"
	  "and every P2PDMA provider (p2pmem in sysfs), whoever drives it.\n"
	  "  --all   also functions with memory BARs that iopmem could serve\n"
	  "          (candidates), with the driver that holds each\n" },
	{ "bind", cmd_bind,
	  "Usage: iopmemctl [--json] bind PCI_ADDR [--bar N] [--mode MODE] [--persistent]\n"
	  "Serve a function's BAR with iopmem (driver_override, then bind).\n"
	  "  --bar N        BAR 0 to 5 for this function only (default: the largest\n"
	  "                 prefetchable memory BAR)\n"
	  "  --mode MODE    raw (default), fsdax, devdax or p2pdma\n"
	  "  --persistent   the BAR keeps its contents across power loss\n"
	  "A function another driver holds is refused: unbind it from that driver.\n" },
	{ "unbind", cmd_unbind,
	  "Usage: iopmemctl [--json] unbind DEV [--reprobe]\n"
	  "Release a function from iopmem and clear its driver_override.\n"
	  "  --reprobe   then let the kernel bind its usual driver again\n"
	  "DEV: a PCI function bound to iopmem, /dev/iopmemN or /dev/iopmemN.dax.\n" },
	{ "mode", cmd_mode,
	  "Usage: iopmemctl [--json] mode DEV raw|fsdax|devdax|p2pdma\n"
	  "Switch a device's mode; refused while it is open, mounted, mapped or\n"
	  "has pinned pages.\n" },
	{ "info", cmd_info,
	  "Usage: iopmemctl [--json] info DEV\n"
	  "Everything list says, for one device.\n" },
	{ "apply", cmd_apply,
	  "Usage: iopmemctl [--json] apply [PCI_ADDR...] [--config FILE] [--test]\n"
	  "Give the PCI functions named (default: every one present) what\n"
	  "/etc/iopmem.conf says (iopmem.conf(5)): bind each to iopmem over its\n"
	  "BAR, then set persistent, posted_durable, access_width, align and mode.\n"
	  "Loads the module first.  A function the file does not name is left\n"
	  "alone; run again, it changes nothing.  Run at boot and on hotplug for\n"
	  "each function the file names (udev, iopmem-apply@.service).\n"
	  "  --config FILE   read FILE instead\n"
	  "  --test          print nothing; exit 0 if the file names PCI_ADDR, else 1\n" },
	{ "check", cmd_check,
	  "Usage: iopmemctl [--json] check SRC DST [--trust-host-bridge]\n"
	  "Can SRC's device DMA into DST's BAR peer to peer, by the kernel's rules\n"
	  "(drivers/pci/p2pdma.c)?  SRC, DST: PCI addresses, device nodes or files.\n"
	  "  --trust-host-bridge   count the host bridge as routing P2P\n"
	  "Exit 0 yes, 1 no, 4 cannot tell without root (ACS is in config space).\n" },
};

int main(int argc, char **argv)
{
	size_t c;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			puts("iopmemctl " IOPMEM_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "iopmemctl: unknown option %s\n%s", argv[i], usage);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(argv[i], cmds[c].name))
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0])) {
		fprintf(stderr, "iopmemctl: unknown command %s\n%s", argv[i], usage);
		return EXIT_USAGE;
	}
	/* --json may also follow the command; --help there is the command's */
	for (int j = i + 1; j < argc; j++)
		if (!strcmp(argv[j], "--json") || !strcmp(argv[j], "-j")) {
			json = true;
			memmove(&argv[j], &argv[j + 1], (argc - j) * sizeof(*argv));
			argc--;
			j--;
		} else if (!strcmp(argv[j], "--help") || !strcmp(argv[j], "-h")) {
			fputs(cmds[c].help, stdout);
			return EXIT_OK;
		}
	return cmds[c].fn(argc - i, argv + i);
}
