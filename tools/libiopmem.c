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

#define SYS_PCI	"/sys/bus/pci/devices"

#ifndef PCI_EXT_CAP_ID_ACS
#define PCI_EXT_CAP_ID_ACS	0x0d
#endif
#define ACS_CTRL		6
#define ACS_RR			0x0004	/* P2P Request Redirect */
#define ACS_CR			0x0008	/* P2P Completion Redirect */

static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static bool is_bdf(const char *s)
{
	unsigned int d, b, s2, f;
	char tail;

	return sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &s2, &f, &tail) == 4 &&
	       strlen(s) == 12;
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

int iopmem_resolve(const char *arg, char bdf[IOPMEM_BDF_LEN], char *err,
		   size_t errlen)
{
	char sys[128], real[PATH_MAX];
	struct stat st;
	unsigned int b, s, f;

	if (is_bdf(arg) || (sscanf(arg, "%2x:%2x.%1x", &b, &s, &f) == 3 &&
			    strlen(arg) == 7)) {
		snprintf(bdf, IOPMEM_BDF_LEN, "%s%s", is_bdf(arg) ? "" : "0000:", arg);
		for (char *p = bdf; *p; p++)
			*p = tolower((unsigned char)*p);
		snprintf(sys, sizeof(sys), SYS_PCI "/%s", bdf);
		if (stat(sys, &st)) {
			seterr(err, errlen, "no PCI function %s (see lspci)", bdf);
			return -1;
		}
		return 0;
	}
	if (stat(arg, &st)) {
		seterr(err, errlen, "%s: %s (give a PCI address such as 0000:03:00.0, a device or a file)",
		       arg, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))
		snprintf(sys, sizeof(sys), "/sys/dev/%s/%u:%u",
			 S_ISBLK(st.st_mode) ? "block" : "char",
			 major(st.st_rdev), minor(st.st_rdev));
	else
		snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u",
			 major(st.st_dev), minor(st.st_dev));
	if (!realpath(sys, real) || last_bdf(real, bdf)) {
		seterr(err, errlen, "%s is not backed by a PCI function", arg);
		return -1;
	}
	return 0;
}

int iopmem_pci_read(const char *bdf, const char *file, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), SYS_PCI "/%s/%s", bdf, file);
	return read_file(path, buf, len);
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
	char path[256];

	snprintf(path, sizeof(path), SYS_PCI "/%s/%s", bdf, file);
	return iopmem_write_file(path, val);
}

int iopmem_driver_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/iopmem/%s", file);
	return iopmem_write_file(path, val);
}

void iopmem_pci_driver(const char *bdf, char *buf, size_t len)
{
	char path[256], real[PATH_MAX];
	const char *slash;

	snprintf(path, sizeof(path), SYS_PCI "/%s/driver", bdf);
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
		seterr(err, errlen, "%s: cannot set %s to %s: the device is in use (open, mounted, mapped, or pages pinned): close, unmount or unmap it first (the kernel log says which)",
		       bdf, name, val);
	else
		seterr(err, errlen, "%s: cannot set %s to %s: %s (the kernel log says why: dmesg | grep iopmem)",
		       bdf, name, val, strerror(errno ? errno : EIO));
	return -1;
}

static struct pci_access *pci_acc(void)
{
	static struct pci_access *acc;

	if (!acc) {
		acc = pci_alloc();
		pci_init(acc);
	}
	return acc;
}

static struct pci_dev *pci_dev_of(const char *bdf)
{
	unsigned int d, b, s, f;

	if (sscanf(bdf, "%x:%x:%x.%x", &d, &b, &s, &f) != 4)
		return NULL;
	return pci_get_dev(pci_acc(), d, b, s, f);
}

void iopmem_pci_name(const char *bdf, char *buf, size_t len)
{
	struct pci_dev *dev = pci_dev_of(bdf);
	char name[256];

	if (!dev) {
		snprintf(buf, len, "unknown device");
		return;
	}
	pci_fill_info(dev, PCI_FILL_IDENT);
	snprintf(buf, len, "%s", pci_lookup_name(pci_acc(), name, sizeof(name),
						 PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
						 dev->vendor_id, dev->device_id));
	pci_free_dev(dev);
}

int iopmem_pci_mem_bars(const char *bdf, struct iopmem_bar bars[6])
{
	char path[256], line[128];
	int i = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), SYS_PCI "/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (i < 6 && fgets(line, sizeof(line), f)) {
		unsigned long long start, end, flags;

		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 &&
		    (flags & 0x200) && end > start && end - start + 1 >= 4096) {
			bars[n].index = i;
			bars[n].start = start;
			bars[n].size = end - start + 1;
			bars[n].prefetch = flags & 0x2000;	/* IORESOURCE_PREFETCH */
			bars[n].mem64 = flags & 0x100000;	/* IORESOURCE_MEM_64 */
			n++;
		}
		i++;
	}
	fclose(f);
	return n;
}

/* One hop: its PCIe port type and whether ACS redirects P2P traffic. */
static void describe_hop(struct route_hop *h, bool last)
{
	struct pci_dev *dev = pci_dev_of(h->name);
	struct pci_cap *cap;

	h->kind = last ? ROUTE_PORT_ENDPOINT : ROUTE_PORT_BRIDGE;
	if (!dev)
		return;
	pci_fill_info(dev, PCI_FILL_IDENT | PCI_FILL_CAPS | PCI_FILL_EXT_CAPS);
	cap = pci_find_cap(dev, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (cap && !last) {
		switch ((pci_read_word(dev, cap->addr + PCI_EXP_FLAGS) &
			 PCI_EXP_FLAGS_TYPE) >> 4) {
		case PCI_EXP_TYPE_ROOT_PORT: h->kind = ROUTE_PORT_ROOT; break;
		case PCI_EXP_TYPE_UPSTREAM: h->kind = ROUTE_PORT_UPSTREAM; break;
		case PCI_EXP_TYPE_DOWNSTREAM: h->kind = ROUTE_PORT_DOWNSTREAM; break;
		}
	}
	cap = pci_find_cap(dev, PCI_EXT_CAP_ID_ACS, PCI_CAP_EXTENDED);
	if (cap && !last)
		h->acs_redirect = pci_read_word(dev, cap->addr + ACS_CTRL) &
				  (ACS_RR | ACS_CR);
	pci_free_dev(dev);
}

static int build_path(const char *bdf, struct route_path *p, char *err,
		      size_t errlen)
{
	char sys[128], real[PATH_MAX], *tok, *save = NULL;

	memset(p, 0, sizeof(*p));
	snprintf(sys, sizeof(sys), SYS_PCI "/%s", bdf);
	if (!realpath(sys, real)) {
		seterr(err, errlen, "no PCI function %s", bdf);
		return -1;
	}
	for (tok = strtok_r(real, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!is_bdf(tok) || p->n == ROUTE_MAX_DEPTH)
			continue;
		snprintf(p->hops[p->n++].name, sizeof(p->hops[0].name), "%s", tok);
	}
	if (!p->n) {
		seterr(err, errlen, "%s has no PCI path in sysfs", bdf);
		return -1;
	}
	for (int i = 0; i < p->n; i++)
		describe_hop(&p->hops[i], i == p->n - 1);
	{
		unsigned int domain = 0;

		sscanf(bdf, "%x", &domain);
		p->domain = (int)domain;
	}
	return 0;
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
	FILE *f = fopen("/proc/cpuinfo", "r");

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

/* The first device on the root bus of @domain, as the kernel picks it. */
static void host_bridge(int domain, unsigned short *vendor,
			unsigned short *device)
{
	char prefix[16], best[256] = "", buf[32];
	struct dirent *e;
	DIR *d = opendir(SYS_PCI);

	*vendor = *device = 0;
	if (!d)
		return;
	snprintf(prefix, sizeof(prefix), "%04x:00:", domain);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, 8) &&
		    (!*best || strcmp(e->d_name, best) < 0))
			snprintf(best, sizeof(best), "%s", e->d_name);
	closedir(d);
	if (!*best)
		return;
	if (!iopmem_pci_read(best, "vendor", buf, sizeof(buf)))
		*vendor = (unsigned short)strtoul(buf, NULL, 16);
	if (!iopmem_pci_read(best, "device", buf, sizeof(buf)))
		*device = (unsigned short)strtoul(buf, NULL, 16);
}

int iopmem_route_input(const char *master, const char *target,
		       struct route_input *in, char *err, size_t errlen)
{
	char buf[16];
	unsigned short v, d;

	memset(in, 0, sizeof(*in));
	if (build_path(master, &in->a, err, errlen) ||
	    build_path(target, &in->b, err, errlen))
		return -1;
	host_bridge(in->b.domain, &v, &d);
	in->host_vendor = v;
	in->host_device = d;
	in->amd_zen = cpu_is_amd_zen();
	in->iommu_translates = iommu_translates(master) || iommu_translates(target);
	in->bar_translated = !iopmem_attr_read(target, "address_translated", buf,
					       sizeof(buf)) && !strcmp(buf, "1");
	return 0;
}
