// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <pci/pci.h>

#include "libiopmem.h"

/*
 * Where sysfs, procfs and /run are: IOPMEM_SYSROOT (for tests on made-up
 * trees) is put in front of /sys, /proc and /run.
 */
static const char *sysroot(void)
{
	const char *root = getenv("IOPMEM_SYSROOT");

	return root ? root : "";
}

int iopmem_sys_path(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = (size_t)snprintf(buf, len, "%s", iopmem_sysfs());
	va_list ap;
	int n;

	if (used >= len) {
		*buf = '\0';
		return -1;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - used) {
		*buf = '\0';	/* a cut path must not name another file */
		return -1;
	}
	return 0;
}

const char *iopmem_sysfs(void)
{
	static char path[PATH_MAX];

	if (!*path)
		snprintf(path, sizeof(path), "%s/sys", sysroot());
	return path;
}

const char *iopmem_rundir(void)
{
	static char path[PATH_MAX];

	if (!*path)
		snprintf(path, sizeof(path), "%s/run/iopmem", sysroot());
	return path;
}

void iopmem_seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* @n hex digits (at least @min, at most @max) at *s; moves *s past them. */
static bool hex_run(const char **s, size_t min, size_t max)
{
	size_t n = strspn(*s, "0123456789abcdefABCDEF");

	*s += n;
	return n >= min && n <= max;
}

/*
 * A PCI address, exactly: [DOMAIN:]BB:DD.F, the domain 4 to 8 hex digits
 * (Intel VMD's are 5: 10000:e1:00.0), no wildcards; the values are parsed
 * by libpci's pci_filter_parse_slot().  Without a domain, domain 0.
 */
int iopmem_parse_bdf(const char *s, unsigned int *dom, unsigned int *bus,
		     unsigned int *dev, unsigned int *fn)
{
	const char *p = s;
	struct pci_filter f;
	char copy[IOPMEM_BDF_LEN];

	if (!hex_run(&p, 2, 8))
		return -1;
	if (*p == ':' && p - s >= 4) {		/* a domain, then BB */
		p++;
		if (!hex_run(&p, 2, 2))
			return -1;
	} else if (p - s != 2) {
		return -1;
	}
	if (*p++ != ':' || !hex_run(&p, 2, 2) || *p++ != '.' ||
	    *p < '0' || *p > '7' || p[1])
		return -1;
	snprintf(copy, sizeof(copy), "%s", s);
	pci_filter_init(NULL, &f);
	if (pci_filter_parse_slot(&f, copy) || f.bus < 0 || f.slot < 0 || f.func < 0)
		return -1;
	*dom = f.domain < 0 ? 0 : (unsigned int)f.domain;
	*bus = (unsigned int)f.bus;
	*dev = (unsigned int)f.slot;
	*fn = (unsigned int)f.func;
	return 0;
}

static bool is_bdf(const char *s)
{
	unsigned int d, b, s2, f;

	return strchr(s, ':') != strrchr(s, ':') && !iopmem_parse_bdf(s, &d, &b, &s2, &f);
}

/* On failure @buf is "" (never stale or uninitialised) and -1 returned. */
static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	*buf = '\0';
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/* The last path component of @real that names a PCI function. */
static int last_bdf(const char *real, char bdf[IOPMEM_BDF_LEN])
{
	char copy[PATH_MAX], *tok, *save = NULL;
	bool found = false;

	snprintf(copy, sizeof(copy), "%s", real);
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
		if (is_bdf(tok)) {
			snprintf(bdf, IOPMEM_BDF_LEN, "%s", tok);
			found = true;
		}
	return found ? 0 : -1;
}

/*
 * Whether @arg is a file of a device in sysfs, such as a P2PDMA
 * provider's /sys/bus/pci/devices/<BDF>/p2pmem/allocate: then @real is
 * its path under /sys/devices, which names the device.
 */
static bool sysfs_device_file(const char *arg, char real[PATH_MAX])
{
	char devices[PATH_MAX], top[PATH_MAX];
	size_t n;

	if (iopmem_sys_path(devices, sizeof(devices), "/devices") ||
	    !realpath(devices, top) || !realpath(arg, real))
		return false;
	n = strlen(top);
	return !strncmp(real, top, n) && real[n] == '/';
}

/*
 * The sysfs directory of the device @arg is or whose file system holds
 * @arg, or for a device's sysfs file that file (@real); -1 with @err set
 * when @arg is not there.
 */
static int sys_node(const char *arg, char real[PATH_MAX], char *err, size_t errlen)
{
	char sys[PATH_MAX];
	struct stat st;

	if (stat(arg, &st)) {
		iopmem_seterr(err, errlen, "%s: %s (give a PCI address such as 0000:03:00.0, a device or a file)",
			      arg, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode) && sysfs_device_file(arg, real))
		return 0;
	if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))
		iopmem_sys_path(sys, sizeof(sys), "/dev/%s/%u:%u", S_ISBLK(st.st_mode) ? "block" : "char",
				major(st.st_rdev), minor(st.st_rdev));
	else
		iopmem_sys_path(sys, sizeof(sys), "/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	if (!realpath(sys, real)) {
		iopmem_seterr(err, errlen, "%s is not backed by a PCI function", arg);
		return -1;
	}
	return 0;
}

int iopmem_resolve(const char *arg, char bdf[IOPMEM_BDF_LEN], char *err,
		   size_t errlen)
{
	char real[PATH_MAX];
	unsigned int d, b, s, f;

	if (!iopmem_parse_bdf(arg, &d, &b, &s, &f)) {
		char sys[PATH_MAX];
		struct stat st;

		snprintf(bdf, IOPMEM_BDF_LEN, "%04x:%02x:%02x.%u", d, b, s, f);
		iopmem_sys_path(sys, sizeof(sys), "/bus/pci/devices/%s", bdf);
		if (stat(sys, &st)) {
			iopmem_seterr(err, errlen, "no PCI function %s (see lspci)", bdf);
			return -1;
		}
		return 0;
	}
	if (sys_node(arg, real, err, errlen))
		return -1;
	if (last_bdf(real, bdf)) {
		iopmem_seterr(err, errlen, "%s is not backed by a PCI function", arg);
		return -1;
	}
	return 0;
}

static int add_members(const char *dir, struct iopmem_members *m, int depth);

/*
 * Older kernels (6.1 and 6.12; 7.2 has one) have no "multipath" directory:
 * an NVMe multipath namespace nvmeSnH sits below its subsystem
 * (nvme-subsysS), which links its controllers; each controller holds its
 * path to the namespace as nvmeScCnH.
 */
static int add_nvme_paths(const char *dir, struct iopmem_members *m, int depth)
{
	char path[PATH_MAX], real[PATH_MAX], subsys[PATH_MAX];
	const char *name = strrchr(dir, '/') + 1;
	unsigned int s, h, s2, c, h2;
	struct dirent *e, *p;
	struct stat st;
	DIR *d, *ctrl;
	int n = 0, rc = 0;

	snprintf(path, sizeof(path), "%s/multipath", dir);
	if (!stat(path, &st) || sscanf(name, "nvme%un%u%n", &s, &h, &n) != 2 || name[n])
		return 0;
	snprintf(subsys, sizeof(subsys), "%s", dir);
	*strrchr(subsys, '/') = '\0';
	if (strncmp(strrchr(subsys, '/') + 1, "nvme-subsys", 11))
		return 0;
	d = opendir(subsys);
	if (!d)
		return 0;
	while (!rc && (e = readdir(d))) {
		if (sscanf(e->d_name, "nvme%u%n", &c, &n) != 1 || e->d_name[n])
			continue;	/* not a controller */
		if (snprintf(path, sizeof(path), "%s/%s", subsys, e->d_name) >= (int)sizeof(path))
			continue;
		ctrl = opendir(path);
		if (!ctrl)
			continue;
		while (!rc && (p = readdir(ctrl))) {
			if (sscanf(p->d_name, "nvme%uc%un%u%n", &s2, &c, &h2, &n) != 3 ||
			    p->d_name[n] || s2 != s || h2 != h)
				continue;
			if (snprintf(path, sizeof(path), "%s/%s/%s", subsys, e->d_name,
				     p->d_name) < (int)sizeof(path) && realpath(path, real))
				rc = add_members(real, m, depth + 1);
		}
		closedir(ctrl);
	}
	closedir(d);
	return rc;
}

/*
 * Add to @m the PCI functions under the block device at sysfs path @dir:
 * its own, or those of each device it stacks on, followed down; a
 * partition's are its disk's.
 */
static int add_members(const char *dir, struct iopmem_members *m, int depth)
{
	char path[PATH_MAX], real[PATH_MAX], bdf[IOPMEM_BDF_LEN];
	struct dirent *e;
	struct stat st;
	int rc = 0;

	if (!last_bdf(dir, bdf)) {
		for (int i = 0; i < m->count; i++)
			if (!strcmp(m->bdf[i], bdf))
				return 0;
		if (m->count == IOPMEM_MAX_MEMBERS)
			return -1;
		snprintf(m->bdf[m->count], IOPMEM_BDF_LEN, "%s", bdf);
		snprintf(m->name[m->count], sizeof(m->name[0]), "%s", strrchr(dir, '/') + 1);
		m->count++;
		return 0;
	}
	if (depth > 16)		/* a loop, or a stack no one builds */
		return -1;
	snprintf(path, sizeof(path), "%s/partition", dir);
	if (!stat(path, &st)) {	/* the disk of a partition */
		snprintf(real, sizeof(real), "%s", dir);
		*strrchr(real, '/') = '\0';
		return add_members(real, m, depth + 1);
	}
	/* md and dm list their members in "slaves"; an NVMe multipath
	 * namespace its paths (nvmeXcYnZ, below each controller) in
	 * "multipath" (7.2; 6.1 and 6.12: see add_nvme_paths). */
	for (int k = 0; k < 2 && !rc; k++) {
		const char *list = k ? "multipath" : "slaves";
		DIR *slaves;

		snprintf(path, sizeof(path), "%s/%s", dir, list);
		slaves = opendir(path);
		if (!slaves)
			continue;
		while (!rc && (e = readdir(slaves))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", dir, list, e->d_name);
			if (realpath(path, real))
				rc = add_members(real, m, depth + 1);
		}
		closedir(slaves);
	}
	return rc ? rc : add_nvme_paths(dir, m, depth);
}

int iopmem_resolve_members(const char *arg, struct iopmem_members *m,
			   char *err, size_t errlen)
{
	char real[PATH_MAX];

	memset(m, 0, sizeof(*m));
	if (!iopmem_resolve(arg, m->bdf[0], err, errlen)) {
		m->count = 1;
		return 0;
	}
	if (iopmem_parse_bdf(arg, &(unsigned int){ 0 }, &(unsigned int){ 0 },
			     &(unsigned int){ 0 }, &(unsigned int){ 0 }) == 0 ||
	    sys_node(arg, real, err, errlen))
		return -1;
	if (add_members(real, m, 0)) {
		iopmem_seterr(err, errlen, "%s stacks more than %d PCI functions, or loops", arg,
			      IOPMEM_MAX_MEMBERS);
		return -1;
	}
	if (!m->count) {
		iopmem_seterr(err, errlen, "%s is not backed by a PCI function (nor stacked on one)", arg);
		return -1;
	}
	m->stacked = true;
	snprintf(m->top, sizeof(m->top), "%s", strrchr(real, '/') + 1);
	return 0;
}

int iopmem_pci_read(const char *bdf, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];

	iopmem_sys_path(path, sizeof(path), "/bus/pci/devices/%s/%s", bdf, file);
	return read_file(path, buf, len);
}

bool iopmem_mode_valid(const char *mode)
{
	static const char *const modes[] = { "raw", "fsdax", "devdax", "p2pdma" };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i]))
			return true;
	return false;
}

int iopmem_p2pmem_read(const char *bdf, struct iopmem_p2pmem *p)
{
	char size[32], avail[32], pub[8];

	if (iopmem_pci_read(bdf, "p2pmem/size", size, sizeof(size)) ||
	    iopmem_pci_read(bdf, "p2pmem/available", avail, sizeof(avail)) ||
	    iopmem_pci_read(bdf, "p2pmem/published", pub, sizeof(pub)))
		return -1;
	p->size = strtoull(size, NULL, 10);
	p->available = strtoull(avail, NULL, 10);
	p->published = atoi(pub) != 0;
	return 0;
}

bool iopmem_is_p2pmem(const char *path)
{
	static const char tail[] = "/p2pmem/allocate";
	char real[PATH_MAX];
	size_t n;

	if (!realpath(path, real))
		return false;
	n = strlen(real);
	return n > sizeof(tail) - 1 && !strcmp(real + n - (sizeof(tail) - 1), tail);
}

int iopmem_write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs(val, f) < 0 ? -1 : 0;
	if (fclose(f))
		rc = -1;
	return rc;
}

int iopmem_pci_write(const char *bdf, const char *file, const char *val)
{
	char path[PATH_MAX];

	iopmem_sys_path(path, sizeof(path), "/bus/pci/devices/%s/%s", bdf, file);
	return iopmem_write_file(path, val);
}

int iopmem_driver_write(const char *file, const char *val)
{
	char path[PATH_MAX];

	iopmem_sys_path(path, sizeof(path), "/bus/pci/drivers/iopmem/%s", file);
	return iopmem_write_file(path, val);
}

void iopmem_pci_driver(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	const char *slash;

	iopmem_sys_path(path, sizeof(path), "/bus/pci/devices/%s/driver", bdf);
	if (!realpath(path, real)) {
		*buf = '\0';
		return;
	}
	slash = strrchr(real, '/');
	snprintf(buf, len, "%s", slash ? slash + 1 : real);
}

int iopmem_attr_read(const char *bdf, const char *name, char *buf, size_t len)
{
	char file[128];

	snprintf(file, sizeof(file), "iopmem/%s", name);
	return iopmem_pci_read(bdf, file, buf, len);
}

int iopmem_attr_write(const char *bdf, const char *name, const char *val,
		      char *err, size_t errlen)
{
	char file[128];

	snprintf(file, sizeof(file), "iopmem/%s", name);
	errno = 0;
	if (!iopmem_pci_write(bdf, file, val))
		return 0;
	if (errno == EBUSY)
		iopmem_seterr(err, errlen, "%s: cannot set %s to %s: the device is in use (open, mounted, mapped, or pages pinned): close, unmount or unmap it first (the kernel log says which)",
		       bdf, name, val);
	else
		iopmem_seterr(err, errlen, "%s: cannot set %s to %s: %s (the kernel log says why: dmesg | grep iopmem)",
		       bdf, name, val, strerror(errno ? errno : EIO));
	return -1;
}

void iopmem_pci_name(const char *bdf, char *buf, size_t len)
{
	struct pci_dev *dev = iopmem_pci_dev(bdf);
	char name[256];

	if (!dev) {
		snprintf(buf, len, "unknown device");
		return;
	}
	pci_fill_info(dev, PCI_FILL_IDENT);
	snprintf(buf, len, "%s", pci_lookup_name(iopmem_pci_access(), name, sizeof(name),
						 PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
						 dev->vendor_id, dev->device_id));
}

/* Resource flags as libpci reads them from sysfs (PCI_FILL_IO_FLAGS). */
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000

int iopmem_pci_mem_bars(const char *bdf, struct iopmem_bar bars[6])
{
	struct pci_dev *d = iopmem_pci_dev(bdf);
	int n = 0;

	if (!d)
		return 0;
	pci_fill_info(d, PCI_FILL_BASES | PCI_FILL_SIZES | PCI_FILL_IO_FLAGS);
	if (!(d->known_fields & PCI_FILL_IO_FLAGS))
		return 0;
	for (int i = 0; i < 6; i++) {
		if (!(d->flags[i] & IORESOURCE_MEM) || d->size[i] < 4096)
			continue;
		bars[n].index = i;
		bars[n].start = d->base_addr[i] & PCI_ADDR_MEM_MASK;
		bars[n].size = d->size[i];
		bars[n].prefetch = d->flags[i] & IORESOURCE_PREFETCH;
		bars[n].mem64 = d->flags[i] & IORESOURCE_MEM_64;
		n++;
	}
	return n;
}

void iopmem_pci_info(const char *bdf, struct iopmem_pci_info *info)
{
	struct pci_dev *d = iopmem_pci_dev(bdf);
	const char *s;

	memset(info, 0, sizeof(*info));
	info->numa_node = -1;
	if (!d)
		return;
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_NUMA_NODE | PCI_FILL_DRIVER |
		      PCI_FILL_IOMMU_GROUP);
	info->found = true;
	info->vendor = d->vendor_id;
	info->device = d->device_id;
	if (d->known_fields & PCI_FILL_NUMA_NODE)
		info->numa_node = d->numa_node;
	s = pci_get_string_property(d, PCI_FILL_DRIVER);
	snprintf(info->driver, sizeof(info->driver), "%s", s ? s : "");
	s = pci_get_string_property(d, PCI_FILL_IOMMU_GROUP);
	snprintf(info->iommu_group, sizeof(info->iommu_group), "%s", s ? s : "");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **iopmem_pci_functions(size_t *count)
{
	struct pci_dev *d;
	char **names;
	size_t n = 0;

	for (d = iopmem_pci_access()->devices; d; d = d->next)
		n++;
	names = calloc(n + 1, sizeof(*names));
	if (!names)
		return NULL;
	n = 0;
	for (d = iopmem_pci_access()->devices; d; d = d->next) {
		names[n] = malloc(IOPMEM_BDF_LEN);
		if (!names[n]) {
			iopmem_free_names(names);
			return NULL;
		}
		snprintf(names[n++], IOPMEM_BDF_LEN, "%04x:%02x:%02x.%d", d->domain,
			 d->bus, d->dev, d->func);
	}
	qsort(names, n, sizeof(*names), by_name);
	*count = n;
	return names;
}

void iopmem_free_names(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* DMA of @bdf is translated when its IOMMU group is not identity-mapped. */
static bool iommu_translates(const char *bdf)
{
	char type[32];

	if (iopmem_pci_read(bdf, "iommu_group/type", type, sizeof(type)))
		return false;		/* no IOMMU group: no IOMMU */
	return strncmp(type, "identity", 8) != 0;
}

static bool cpu_is_amd_zen(void)
{
	char line[256];
	bool amd = false;
	int family = 0;
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/cpuinfo", sysroot());
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "vendor_id", 9))
			amd = strstr(line, "AuthenticAMD") != NULL;
		else if (!strncmp(line, "cpu family", 10))
			sscanf(strchr(line, ':') + 1, "%d", &family);
		else if (line[0] == '\n')
			break;
	}
	fclose(f);
	return amd && family >= 0x17;
}

int iopmem_route_input(const char *master, const char *target,
		       struct route_input *in, char *err, size_t errlen)
{
	char buf[16];

	memset(in, 0, sizeof(*in));
	if (iopmem_topology(master, &in->a, err, errlen) ||
	    iopmem_topology(target, &in->b, err, errlen))
		return -1;
	in->amd_zen = cpu_is_amd_zen();
	in->iommu_translates = iommu_translates(master) || iommu_translates(target);
	in->bar_translated = !iopmem_attr_read(target, "address_translated", buf,
					       sizeof(buf)) && !strcmp(buf, "1");
	return 0;
}
