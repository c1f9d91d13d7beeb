// SPDX-License-Identifier: GPL-2.0
/*
 * iopmem-bench - copy between block devices through a BAR, peer to peer.
 *
 * Reads chunks from SRC with O_DIRECT into a MAP_SHARED mapping of BUFFER
 * (/dev/iopmemN.dax), then writes them from there to DST with O_DIRECT.
 * Because the mapping is the BAR's ZONE_DEVICE pages, the block driver of
 * SRC and DST hands the BAR's bus address to its device, which DMAs into
 * and out of the BAR: the data never crosses system RAM.  --bounce does
 * the same through an ordinary RAM buffer, for comparison.  The options
 * follow p2pmem-test's.
 *
 * Chunks in flight are threads, each doing synchronous pread/pwrite: it
 * needs nothing beyond libc, every thread's chunk lands in its own slot of
 * the mapping, and N threads keep N chunks in flight, which is what the
 * comparison needs.  See iopmem-bench(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "exit.h"
#include "libiopmem.h"
#include "pattern.h"
#include "size.h"

#define MIB		(1024.0 * 1024.0)
#define MAP_ALIGN	(2u << 20)

struct opts {
	const char *src, *dst, *buffer;
	uint64_t chunks, chunk, threads, offset, src_off, dst_off, seed;
	uint64_t host_accesses, host_access_sz;
	double duration;
	bool check, verify, bounce, json, force, ignore_route, trust_host_bridge;
};

/* What BUFFER is, which decides whether the copy is peer to peer. */
enum buffer_kind {
	BUF_RAM,	/* --bounce: an anonymous RAM buffer */
	BUF_DEVDAX,	/* /dev/iopmemN.dax: the BAR's pages */
	BUF_P2PMEM,	/* a p2pmem allocation (kernel P2PDMA) */
	BUF_FSDAX_FILE,	/* a file on a DAX file system over an iopmem BAR */
	BUF_FILE,	/* any other file: page cache in system RAM */
};

static const char *const buffer_kind_name[] = {
	[BUF_RAM] = "RAM buffer",
	[BUF_DEVDAX] = "iopmem devdax mapping",
	[BUF_P2PMEM] = "p2pmem allocation",
	[BUF_FSDAX_FILE] = "file on DAX over an iopmem BAR",
	[BUF_FILE] = "file in the page cache (system RAM, not peer to peer)",
};

struct run {
	const struct opts *o;
	int src_fd, dst_fd;
	unsigned char *buf;		/* mapping (or RAM) of nslots chunks */
	uint64_t nslots;
	atomic_uint_fast64_t next;	/* next chunk to copy */
	uint64_t total;			/* chunks in this pass */
	atomic_int error;
	char errmsg[256];
	pthread_mutex_t errlock;
};

static const char usage[] =
"Usage: iopmem-bench [OPTIONS] SRC DST BUFFER\n"
"Copy chunks from block device SRC to DST through a mapping of BUFFER\n"
"(/dev/iopmemN.dax, or a file on a DAX file system on /dev/iopmemN):\n"
"device to BAR, BAR to device, both peer to peer.\n"
"\n"
"DESTRUCTIVE: it overwrites DST (and SRC with --check) from the given\n"
"offsets.  Use scratch devices.  Writing a device needs --force, and a\n"
"mounted or otherwise open device is refused (O_EXCL).\n"
"\n"
"  -c, --chunks N          chunks to copy (default 64)\n"
"  -s, --chunk-size N      bytes per chunk (default 1m; k, m, g suffixes)\n"
"  -t, --threads N         chunks in flight, one per thread (default 1)\n"
"  -D, --duration SEC      repeat the copy for at least SEC seconds\n"
"  -o, --offset N          offset into the BUFFER mapping (default 0)\n"
"      --src-offset N      byte offset in SRC (default 0)\n"
"      --dst-offset N      byte offset in DST (default 0)\n"
"      --check             fill SRC with a seeded pattern first, check DST after\n"
"      --seed N            pattern seed for --check (default 1)\n"
"      --verify            compare DST with SRC after the copy\n"
"      --bounce            use a RAM buffer instead of BUFFER (BUFFER may be -)\n"
"      --force             confirm that DST (and SRC with --check) may be overwritten\n"
"      --ignore-route      copy even where iopmemctl check says P2P is unsafe\n"
"      --trust-host-bridge count the host bridge as routing P2P (as in check)\n"
"      --host-accesses N   first probe the mapping with N CPU stores and loads\n"
"      --host-access-sz N  width of each probe access: 1, 2, 4 or 8 (default 8)\n"
"  -j, --json              print the result as JSON\n"
"  -V, --version           print the version\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 success, 1 the bytes differ (--check, --verify), 2 usage\n"
"error, 3 the copy failed or was refused (the message says why), 4 the\n"
"route check cannot tell without root.\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Busy CPU seconds of the whole system (all CPUs), from /proc/stat. */
static double system_busy_seconds(void)
{
	unsigned long long v[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return 0;
	/* user nice system (idle iowait) irq softirq steal */
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
}

static void fail(struct run *r, const char *fmt, const char *what,
		 uint64_t off, int err)
{
	pthread_mutex_lock(&r->errlock);
	if (!atomic_load(&r->error)) {
		snprintf(r->errmsg, sizeof(r->errmsg), fmt, what, off,
			 strerror(err));
		atomic_store(&r->error, 1);
	}
	pthread_mutex_unlock(&r->errlock);
}

static void *copier(void *arg)
{
	struct run *r = arg;
	const struct opts *o = r->o;
	uint64_t i;

	while (!atomic_load(&r->error) &&
	       (i = atomic_fetch_add(&r->next, 1)) < r->total) {
		unsigned char *slot = r->buf + (i % r->nslots) * o->chunk;
		uint64_t c = i % o->chunks;
		off_t s = o->src_off + c * o->chunk, d = o->dst_off + c * o->chunk;
		ssize_t n;

		n = pread(r->src_fd, slot, o->chunk, s);
		if (n != (ssize_t)o->chunk) {
			fail(r, "reading %s at %" PRIu64 ": %s", o->src, s,
			     n < 0 ? errno : EIO);
			break;
		}
		n = pwrite(r->dst_fd, slot, o->chunk, d);
		if (n != (ssize_t)o->chunk) {
			fail(r, "writing %s at %" PRIu64 ": %s", o->dst, d,
			     n < 0 ? errno : EIO);
			break;
		}
	}
	return NULL;
}

/* A decimal number from a (sysfs) file. */
static int read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* Is block device @dev (major:minor) served by iopmem? */
static bool on_iopmem(dev_t dev)
{
	char sys[128];
	struct stat st;

	/* A partition's parent disk is one directory up. */
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/device/iopmem",
		 major(dev), minor(dev));
	if (!stat(sys, &st))
		return true;
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/../device/iopmem",
		 major(dev), minor(dev));
	return !stat(sys, &st);
}

/*
 * What BUFFER is and the bytes it offers: the BAR behind /dev/iopmemN.dax
 * (from sysfs), a p2pmem allocate file (its provider's size), or a file's
 * size.  A file is peer to peer only on a DAX file system over an iopmem
 * BAR; any other file is page cache in system RAM.
 */
static int classify_buffer(const char *path, enum buffer_kind *kind,
			   uint64_t *size, uint64_t *unit)
{
	char sys[160];
	struct statx stx;
	struct stat st;

	if (stat(path, &st))
		return -1;
	if (S_ISREG(st.st_mode) && iopmem_is_p2pmem(path)) {
		char *slash;

		snprintf(sys, sizeof(sys), "%s", path);
		slash = strrchr(sys, '/');
		snprintf(slash, sizeof(sys) - (slash - sys), "/available");
		*kind = BUF_P2PMEM;
		return read_u64(sys, size);
	}
	if (S_ISREG(st.st_mode)) {
		*size = st.st_size;
		*kind = BUF_FILE;
		if (!statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx) &&
		    (stx.stx_attributes & STATX_ATTR_DAX) && on_iopmem(st.st_dev))
			*kind = BUF_FSDAX_FILE;
		return 0;
	}
	if (!S_ISCHR(st.st_mode))
		return -1;
	/* Mappings of the devdax device come in its align unit. */
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/device/iopmem/align",
		 major(st.st_rdev), minor(st.st_rdev));
	if (read_u64(sys, unit) || !*unit)
		return -1;
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/device/iopmem/size",
		 major(st.st_rdev), minor(st.st_rdev));
	*kind = BUF_DEVDAX;
	return read_u64(sys, size);
}

/*
 * Open SRC or DST.  A block device that will be written is opened O_EXCL,
 * so a mounted or otherwise claimed device is refused, and only with
 * --force.  @same is an fd already open on the same device (SRC and DST
 * may be one device at two offsets: a second O_EXCL open would fail).
 */
static int open_dev(const struct opts *o, const char *path, bool write,
		    int same_fd, const char *same_path)
{
	struct stat st, st2;
	int fd, flags = (write ? O_RDWR : O_RDONLY) | O_DIRECT;

	if (stat(path, &st)) {
		fprintf(stderr, "iopmem-bench: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (same_fd >= 0 && !stat(same_path, &st2) && S_ISBLK(st.st_mode) &&
	    S_ISBLK(st2.st_mode) && st.st_rdev == st2.st_rdev)
		return dup(same_fd);
	if (S_ISBLK(st.st_mode) && write) {
		if (!o->force) {
			fprintf(stderr, "iopmem-bench: %s would be overwritten: give --force to confirm (use a scratch device)\n",
				path);
			return -1;
		}
		flags |= O_EXCL;
	}
	fd = open(path, flags);
	if (fd < 0)
		fprintf(stderr, "iopmem-bench: cannot open %s: %s%s\n", path,
			strerror(errno), errno == EBUSY ?
			" (mounted or open elsewhere: unmount or close it first)" : "");
	return fd;
}

/* CPU stores then loads of one width at spread offsets: do they match? */
static void host_probe(const struct opts *o, unsigned char *p, uint64_t len,
		       uint64_t *match, uint64_t *mismatch)
{
	uint64_t w = o->host_access_sz, slots = len / w;

	for (uint64_t i = 0; i < o->host_accesses; i++) {
		uint64_t at = ((i * 2654435761u) % slots) * w;
		uint64_t v = 0x0123456789abcdefULL ^ (i * 0x9e3779b97f4a7c15ULL);
		uint64_t got;

		switch (w) {
		case 1: *(volatile uint8_t *)(p + at) = (uint8_t)v;
			got = *(volatile uint8_t *)(p + at); v = (uint8_t)v; break;
		case 2: *(volatile uint16_t *)(p + at) = (uint16_t)v;
			got = *(volatile uint16_t *)(p + at); v = (uint16_t)v; break;
		case 4: *(volatile uint32_t *)(p + at) = (uint32_t)v;
			got = *(volatile uint32_t *)(p + at); v = (uint32_t)v; break;
		default: *(volatile uint64_t *)(p + at) = v;
			got = *(volatile uint64_t *)(p + at); break;
		}
		if (got == v)
			(*match)++;
		else
			(*mismatch)++;
	}
}

/* Write the pattern over the source range, or check it in a range of fd. */
static int pattern_io(int fd, const struct opts *o, uint64_t off, bool write,
		      uint64_t *bad)
{
	uint64_t len = o->chunks * o->chunk, done = 0;
	unsigned char *buf;

	if (posix_memalign((void **)&buf, 4096, o->chunk))
		return -1;
	for (; done < len; done += o->chunk) {
		uint64_t first;
		ssize_t n;

		if (write) {
			pattern_fill(o->seed, done, buf, o->chunk);
			n = pwrite(fd, buf, o->chunk, off + done);
		} else {
			n = pread(fd, buf, o->chunk, off + done);
			if (n == (ssize_t)o->chunk)
				*bad += pattern_check(o->seed, done, buf,
						      o->chunk, &first);
		}
		if (n != (ssize_t)o->chunk) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

/* Compare DST's range with SRC's. */
static int compare(const struct run *r, uint64_t *bad)
{
	const struct opts *o = r->o;
	unsigned char *a, *b;
	int rc = 0;

	a = b = NULL;
	if (posix_memalign((void **)&a, 4096, o->chunk) ||
	    posix_memalign((void **)&b, 4096, o->chunk)) {
		free(a);
		return -1;
	}
	for (uint64_t c = 0; c < o->chunks && !rc; c++) {
		if (pread(r->src_fd, a, o->chunk, o->src_off + c * o->chunk) != (ssize_t)o->chunk ||
		    pread(r->dst_fd, b, o->chunk, o->dst_off + c * o->chunk) != (ssize_t)o->chunk)
			rc = -1;
		for (uint64_t i = 0; !rc && i < o->chunk; i++)
			*bad += a[i] != b[i];
	}
	free(a);
	free(b);
	return rc;
}

/*
 * The route check of iopmemctl, for both legs of the copy: SRC's device
 * DMAs into the BAR, DST's device DMAs out of it; for a stacked device
 * (md, dm, multipath), each of its members'.  Returns 0 to go on, or
 * the exit status: IOPMEM_EXIT_FAILED for a no, IOPMEM_EXIT_UNKNOWN when
 * the check cannot tell (not root).
 */
static int route_ok(const struct opts *o)
{
	const char *devs[2] = { o->src, o->dst };
	char bar[IOPMEM_BDF_LEN], err[IOPMEM_ERR_LEN];
	bool p2pdma = iopmem_is_p2pmem(o->buffer);
	int bad = 0, unknown = 0;

	if (iopmem_resolve(o->buffer, bar, err, sizeof(err))) {
		if (o->ignore_route)
			return 0;
		fprintf(stderr, "iopmem-bench: cannot check the route: %s (--ignore-route copies anyway)\n",
			err);
		return IOPMEM_EXIT_FAILED;
	}
	for (int i = 0; i < 2; i++) {
		struct iopmem_members m;

		/* A stack (md, dm, multipath): each member does its own DMA. */
		if (iopmem_resolve_members(devs[i], &m, err, sizeof(err))) {
			fprintf(stderr, "iopmem-bench: cannot check the route: %s%s\n",
				err, o->ignore_route ? "" : " (--ignore-route copies anyway)");
			bad++;
			continue;
		}
		for (int j = 0; j < m.count; j++) {
			struct route_input in;
			struct route_verdict v;

			if (iopmem_route_input(m.bdf[j], bar, &in, err, sizeof(err))) {
				fprintf(stderr, "iopmem-bench: cannot check the route: %s%s\n",
					err, o->ignore_route ? "" : " (--ignore-route copies anyway)");
				bad++;
				continue;
			}
			in.trust_host_bridge = o->trust_host_bridge;
			in.p2pdma_target = p2pdma;
			route_check(&in, &v);
			if (v.ok)
				continue;
			fprintf(stderr, "iopmem-bench: %s (%s%s%s) %s %s peer to peer: %s\n",
				devs[i], m.stacked ? m.name[j] : "", m.stacked ? " at " : "", m.bdf[j],
				v.kind == ROUTE_UNKNOWN ? "may or may not DMA to" : "cannot DMA to",
				bar, v.reason);
			fprintf(stderr, "iopmem-bench: fix: %s%s\n", v.fix,
				o->ignore_route ? "" : " (or --ignore-route to copy anyway)");
			if (v.kind == ROUTE_UNKNOWN)
				unknown++;
			else
				bad++;
		}
	}
	if (o->ignore_route)
		return 0;
	return bad ? IOPMEM_EXIT_FAILED : unknown ? IOPMEM_EXIT_UNKNOWN : 0;
}

/*
 * The member devices of a stacked SRC or DST (md, dm, NVMe multipath) and
 * the sectors each read and wrote, from its sysfs stat: how the stack
 * spread the copy over the drives.  The counts are the whole device's, so
 * other I/O to a member at the same time shows in them too.
 */
struct member_io {
	int count;
	char name[2 * IOPMEM_MAX_MEMBERS][64];
	char bdf[2 * IOPMEM_MAX_MEMBERS][IOPMEM_BDF_LEN];
	uint64_t rd[2 * IOPMEM_MAX_MEMBERS][2], wr[2 * IOPMEM_MAX_MEMBERS][2];
};

static void members_find(const struct opts *o, struct member_io *mio)
{
	const char *devs[2] = { o->src, o->dst };
	char err[IOPMEM_ERR_LEN];

	mio->count = 0;
	for (int i = 0; i < 2; i++) {
		struct iopmem_members m;

		if (iopmem_resolve_members(devs[i], &m, err, sizeof(err)) || !m.stacked)
			continue;
		for (int j = 0; j < m.count; j++) {
			int k;

			for (k = 0; k < mio->count; k++)
				if (!strcmp(mio->name[k], m.name[j]))
					break;
			if (k < mio->count)
				continue;
			snprintf(mio->name[k], sizeof(mio->name[k]), "%s", m.name[j]);
			snprintf(mio->bdf[k], sizeof(mio->bdf[k]), "%s", m.bdf[j]);
			mio->count++;
		}
	}
}

/* Snapshot @when (0 before, 1 after) of each member's sectors. */
static void members_stat(struct member_io *mio, int when)
{
	for (int k = 0; k < mio->count; k++) {
		char path[PATH_MAX];
		uint64_t rd = 0, wr = 0;
		FILE *f = NULL;

		/* stat: reads, merges, sectors read, ms, writes, merges, sectors written */
		if (!iopmem_sys_path(path, sizeof(path), "/class/block/%s/stat", mio->name[k]))
			f = fopen(path, "re");
		if (f) {
			if (fscanf(f, "%*u %*u %" SCNu64 " %*u %*u %*u %" SCNu64, &rd, &wr) != 2)
				rd = wr = 0;
			fclose(f);
		}
		mio->rd[k][when] = rd;
		mio->wr[k][when] = wr;
	}
}

static uint64_t member_bytes(const uint64_t v[2])
{
	return v[1] >= v[0] ? (v[1] - v[0]) * 512 : 0;
}

static int run_copy(const struct opts *o, enum buffer_kind kind,
		    uint64_t bar_size, uint64_t unit)
{
	struct member_io mio;
	struct run r = { .o = o, .errlock = PTHREAD_MUTEX_INITIALIZER,
			 .src_fd = -1, .dst_fd = -1 };
	uint64_t map_len = 0, bytes, passes = 0, started = 0;
	uint64_t match = 0, mismatch = 0, check_bad = 0, verify_bad = 0;
	const char *path = o->bounce ? "bounce" : kind == BUF_FILE ? "ram" : "p2p";
	double t0, t1, c0, c1, s0, s1;
	pthread_t *tids = NULL;
	int rc = IOPMEM_EXIT_FAILED, dax_fd = -1;

	r.src_fd = open_dev(o, o->src, o->check, -1, NULL);
	if (r.src_fd < 0)
		goto out;
	r.dst_fd = open_dev(o, o->dst, true, o->check ? r.src_fd : -1, o->src);
	if (r.dst_fd < 0)
		goto out;

	map_len = o->chunks * o->chunk;
	if (o->bounce) {
		if (posix_memalign((void **)&r.buf, MAP_ALIGN, map_len)) {
			fprintf(stderr, "iopmem-bench: no memory for a %" PRIu64 "-byte bounce buffer\n",
				map_len);
			goto out;
		}
		memset(r.buf, 0, map_len);
	} else {
		if (o->offset % unit || o->offset >= bar_size) {
			fprintf(stderr, "iopmem-bench: --offset must be a multiple of %" PRIu64 " bytes (the buffer's mapping unit) below its size (%" PRIu64 ")\n",
				unit, bar_size);
			goto out;
		}
		/* Whole chunks that fit, in whole mapping units. */
		if (map_len > bar_size - o->offset)
			map_len = (bar_size - o->offset) / o->chunk * o->chunk;
		map_len = (map_len + unit - 1) / unit * unit;
		if (map_len > bar_size - o->offset)
			map_len -= unit;
		if (map_len < o->chunk) {
			fprintf(stderr, "iopmem-bench: a %" PRIu64 "-byte chunk does not fit in the buffer after --offset\n",
				o->chunk);
			goto out;
		}
		dax_fd = open(o->buffer, O_RDWR);
		if (dax_fd < 0) {
			fprintf(stderr, "iopmem-bench: cannot open %s: %s\n",
				o->buffer, strerror(errno));
			goto out;
		}
		r.buf = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			     dax_fd, o->offset);
		if (r.buf == MAP_FAILED) {
			r.buf = NULL;
			fprintf(stderr, "iopmem-bench: cannot map %s: %s (see the kernel log)\n",
				o->buffer, strerror(errno));
			goto out;
		}
	}
	r.nslots = map_len / o->chunk;
	if (o->host_accesses)
		host_probe(o, r.buf, map_len, &match, &mismatch);
	if (o->check && pattern_io(r.src_fd, o, o->src_off, true, &check_bad)) {
		fprintf(stderr, "iopmem-bench: cannot write the pattern to %s: %s\n",
			o->src, strerror(errno));
		goto out;
	}

	tids = calloc(o->threads, sizeof(*tids));
	if (!tids) {
		fprintf(stderr, "iopmem-bench: out of memory\n");
		goto out;
	}
	members_find(o, &mio);
	members_stat(&mio, 0);
	t0 = now();
	c0 = cpu_seconds();
	s0 = system_busy_seconds();
	do {
		int err = 0;

		r.total = o->chunks;
		atomic_store(&r.next, 0);
		for (started = 0; started < o->threads && !err; started++)
			err = pthread_create(&tids[started], NULL, copier, &r);
		if (err) {
			started--;
			fail(&r, "starting thread %s%" PRIu64 ": %s", "", started, err);
		}
		for (uint64_t i = 0; i < started; i++)
			pthread_join(tids[i], NULL);
		passes++;
	} while (!atomic_load(&r.error) && now() - t0 < o->duration);
	t1 = now();
	c1 = cpu_seconds();
	s1 = system_busy_seconds();
	members_stat(&mio, 1);
	if (atomic_load(&r.error)) {
		fprintf(stderr, "iopmem-bench: %s\n", r.errmsg);
		goto out;
	}

	if (o->check && pattern_io(r.dst_fd, o, o->dst_off, false, &check_bad)) {
		fprintf(stderr, "iopmem-bench: cannot read back %s\n", o->dst);
		goto out;
	}
	if (o->verify && compare(&r, &verify_bad)) {
		fprintf(stderr, "iopmem-bench: cannot read back for --verify\n");
		goto out;
	}
	rc = check_bad || verify_bad || mismatch ? IOPMEM_EXIT_NO : IOPMEM_EXIT_OK;

	bytes = passes * o->chunks * o->chunk;
	if (o->json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "path", json_object_new_string(path));
		json_object_object_add(j, "buffer_kind", json_object_new_string(buffer_kind_name[kind]));
		json_object_object_add(j, "src", json_object_new_string(o->src));
		json_object_object_add(j, "dst", json_object_new_string(o->dst));
		json_object_object_add(j, "buffer", json_object_new_string(o->bounce ? "ram" : o->buffer));
		json_object_object_add(j, "chunk_size", json_object_new_uint64(o->chunk));
		json_object_object_add(j, "chunks", json_object_new_uint64(o->chunks));
		json_object_object_add(j, "threads", json_object_new_uint64(o->threads));
		json_object_object_add(j, "passes", json_object_new_uint64(passes));
		json_object_object_add(j, "bytes", json_object_new_uint64(bytes));
		json_object_object_add(j, "seconds", json_object_new_double(t1 - t0));
		json_object_object_add(j, "mib_per_second", json_object_new_double(bytes / MIB / (t1 - t0)));
		json_object_object_add(j, "cpu_seconds", json_object_new_double(c1 - c0));
		json_object_object_add(j, "system_cpu_seconds", json_object_new_double(s1 - s0));
		if (o->host_accesses) {
			json_object_object_add(j, "host_access_match", json_object_new_uint64(match));
			json_object_object_add(j, "host_access_mismatch", json_object_new_uint64(mismatch));
		}
		if (o->check)
			json_object_object_add(j, "check_mismatches", json_object_new_uint64(check_bad));
		if (o->verify)
			json_object_object_add(j, "verify_mismatches", json_object_new_uint64(verify_bad));
		if (mio.count) {
			json_object *a = json_object_new_array();

			for (int k = 0; k < mio.count; k++) {
				json_object *m = json_object_new_object();

				json_object_object_add(m, "device", json_object_new_string(mio.name[k]));
				json_object_object_add(m, "pci", json_object_new_string(mio.bdf[k]));
				json_object_object_add(m, "read_bytes",
						       json_object_new_uint64(member_bytes(mio.rd[k])));
				json_object_object_add(m, "written_bytes",
						       json_object_new_uint64(member_bytes(mio.wr[k])));
				json_object_array_add(a, m);
			}
			json_object_object_add(j, "members", a);
		}
		puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		printf("path:        %s (%s -> %s -> %s)\n", path,
		       o->src, o->bounce ? "RAM" : o->buffer, o->dst);
		printf("buffer:      %s\n", buffer_kind_name[kind]);
		printf("chunks:      %" PRIu64 " x %" PRIu64 " bytes, %" PRIu64 " in flight, %" PRIu64 " pass(es)\n",
		       o->chunks, o->chunk, o->threads, passes);
		if (o->host_accesses)
			printf("host access: %" PRIu64 " x %" PRIu64 "-byte store+load: %" PRIu64 " match, %" PRIu64 " mismatch\n",
			       o->host_accesses, o->host_access_sz, match, mismatch);
		printf("moved:       %.1f MiB in %.3f s, %.1f MiB/s\n", bytes / MIB,
		       t1 - t0, bytes / MIB / (t1 - t0));
		printf("cpu:         %.3f s this process, %.3f s whole system\n",
		       c1 - c0, s1 - s0);
		if (o->check)
			printf("check:       %s (seed %" PRIu64 ", %" PRIu64 " bytes differ)\n",
			       check_bad ? "MISMATCH" : "ok", o->seed, check_bad);
		if (o->verify)
			printf("verify:      %s (%" PRIu64 " bytes differ)\n",
			       verify_bad ? "MISMATCH" : "ok", verify_bad);
		for (int k = 0; k < mio.count; k++)
			printf("member:      %s (%s): read %.1f MiB, wrote %.1f MiB\n",
			       mio.name[k], mio.bdf[k], member_bytes(mio.rd[k]) / MIB,
			       member_bytes(mio.wr[k]) / MIB);
	}
out:
	free(tids);
	if (r.buf && o->bounce)
		free(r.buf);
	else if (r.buf)
		munmap(r.buf, map_len);
	if (dax_fd >= 0)
		close(dax_fd);
	if (r.src_fd >= 0)
		close(r.src_fd);
	if (r.dst_fd >= 0)
		close(r.dst_fd);
	return rc;
}

int main(int argc, char **argv)
{
	enum { O_SRC_OFF = 256, O_DST_OFF, O_CHECK, O_SEED, O_VERIFY, O_BOUNCE,
	       O_HOST_N, O_HOST_SZ, O_FORCE, O_TRUST, O_IGNORE_ROUTE };
	static const struct option longopts[] = {
		{ "chunks", required_argument, NULL, 'c' },
		{ "chunk-size", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'D' },
		{ "offset", required_argument, NULL, 'o' },
		{ "src-offset", required_argument, NULL, O_SRC_OFF },
		{ "dst-offset", required_argument, NULL, O_DST_OFF },
		{ "check", no_argument, NULL, O_CHECK },
		{ "seed", required_argument, NULL, O_SEED },
		{ "verify", no_argument, NULL, O_VERIFY },
		{ "bounce", no_argument, NULL, O_BOUNCE },
		{ "force", no_argument, NULL, O_FORCE },
		{ "ignore-route", no_argument, NULL, O_IGNORE_ROUTE },
		{ "version", no_argument, NULL, 'V' },
		{ "trust-host-bridge", no_argument, NULL, O_TRUST },
		{ "host-accesses", required_argument, NULL, O_HOST_N },
		{ "host-access-sz", required_argument, NULL, O_HOST_SZ },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .chunks = 64, .chunk = 1 << 20, .threads = 1,
			  .seed = 1, .host_access_sz = 8 };
	enum buffer_kind kind = BUF_RAM;
	uint64_t unit = MAP_ALIGN;
	uint64_t buf_size = 0;
	uint64_t *target;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "c:s:t:D:o:jVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': target = &o.chunks; goto size;
		case 's': target = &o.chunk; goto size;
		case 't': target = &o.threads; goto size;
		case 'o': target = &o.offset; goto size;
		case O_SRC_OFF: target = &o.src_off; goto size;
		case O_DST_OFF: target = &o.dst_off; goto size;
		case O_SEED: target = &o.seed; goto size;
		case O_HOST_N: target = &o.host_accesses; goto size;
		case O_HOST_SZ: target = &o.host_access_sz; goto size;
		case 'D':
			o.duration = strtod(optarg, &end);
			if (*end || o.duration < 0)
				goto bad_number;
			break;
		case O_CHECK: o.check = true; break;
		case O_VERIFY: o.verify = true; break;
		case O_BOUNCE: o.bounce = true; break;
		case O_FORCE: o.force = true; break;
		case O_IGNORE_ROUTE: o.ignore_route = true; break;
		case 'V': puts("iopmem-bench " IOPMEM_VERSION); return IOPMEM_EXIT_OK;
		case O_TRUST: o.trust_host_bridge = true; break;
		case 'j': o.json = true; break;
		case 'h': fputs(usage, stdout); return IOPMEM_EXIT_OK;
		default: fputs(usage, stderr); return IOPMEM_EXIT_USAGE;
		}
		continue;
size:
		if (parse_size(optarg, target))
			goto bad_number;
	}
	if (argc - optind != 3) {
		fprintf(stderr, "iopmem-bench: need SRC, DST and BUFFER\n%s", usage);
		return IOPMEM_EXIT_USAGE;
	}
	o.src = argv[optind];
	o.dst = argv[optind + 1];
	o.buffer = argv[optind + 2];
	if (!o.chunks || !o.threads || o.threads > 1024) {
		fprintf(stderr, "iopmem-bench: --chunks must be at least 1, --threads 1 to 1024\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (!o.chunk || o.chunk % 4096) {
		fprintf(stderr, "iopmem-bench: --chunk-size must be a multiple of 4096 (O_DIRECT)\n");
		return IOPMEM_EXIT_USAGE;
	}
	if ((o.src_off | o.dst_off) % 4096) {
		fprintf(stderr, "iopmem-bench: --src-offset and --dst-offset must be multiples of 4096 (O_DIRECT)\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (o.host_access_sz != 1 && o.host_access_sz != 2 &&
	    o.host_access_sz != 4 && o.host_access_sz != 8) {
		fprintf(stderr, "iopmem-bench: --host-access-sz must be 1, 2, 4 or 8\n");
		return IOPMEM_EXIT_USAGE;
	}
	/* Every byte offset the copy reaches must fit an off_t. */
	if (o.chunks > INT64_MAX / o.chunk ||
	    o.src_off > INT64_MAX - o.chunks * o.chunk ||
	    o.dst_off > INT64_MAX - o.chunks * o.chunk) {
		fprintf(stderr, "iopmem-bench: --chunks x --chunk-size (plus an offset) is beyond the largest file offset\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (!o.bounce) {
		if (classify_buffer(o.buffer, &kind, &buf_size, &unit)) {
			fprintf(stderr, "iopmem-bench: %s is not an iopmem devdax device (/dev/iopmemN.dax in devdax mode), a p2pmem allocate file nor a file\n",
				o.buffer);
			return IOPMEM_EXIT_FAILED;
		}
		/* A page-cache file is not a P2P target: no route to check. */
		if (kind != BUF_FILE) {
			int rc = route_ok(&o);

			if (rc)
				return rc;
		}
	}
	return run_copy(&o, kind, buf_size, unit);

bad_number:
	fprintf(stderr, "iopmem-bench: \"%s\" is not a valid number for this option\n",
		optarg);
	return IOPMEM_EXIT_USAGE;
}
