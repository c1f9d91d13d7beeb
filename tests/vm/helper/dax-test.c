// SPDX-License-Identifier: GPL-2.0
/*
 * dax-test - exercises the mmap semantics of /dev/iopmemN.dax in the test
 * guest (tests/vm/cases/devdax-*.sh).  Each subcommand prints one line and
 * exits 0 when the device behaved as a device-dax device must.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../tools/pattern.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

static sigjmp_buf jump;
static volatile sig_atomic_t last_signal, last_code;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	last_signal = sig;
	last_code = si->si_code;
	siglongjmp(jump, 1);
}

/* Touch one byte; return the signal it raised, or 0. */
static int touch(volatile unsigned char *p, int write)
{
	last_signal = 0;
	if (!sigsetjmp(jump, 1)) {
		if (write)
			*p = 0x5a;
		else
			(void)*p;
	}
	return last_signal;
}

static int open_dev(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		fprintf(stderr, "dax-test: open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void *map(int fd, size_t len, off_t off, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);

	if (p == MAP_FAILED) {
		fprintf(stderr, "dax-test: mmap %zu at %lld: %s\n", len,
			(long long)off, strerror(errno));
		exit(2);
	}
	return p;
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EINVAL: return "EINVAL";
	case ENXIO: return "ENXIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	default: return strerror(e);
	}
}

/* A size: a number with an optional k, m or g suffix. */
static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'g': v <<= 10; /* fall through */
	case 'm': v <<= 10; /* fall through */
	case 'k': v <<= 10; break;
	}
	return v;
}

/* Create @path holding @addr, whole at once (written aside, renamed). */
static int say_ready(const char *path, void *addr)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%p\n", addr) < 0 || fclose(f) || rename(tmp, path)) {
		printf("%s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	const char *cmd = argc > 2 ? argv[1] : "";
	const char *dev = argc > 2 ? argv[2] : "";
	int fd;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	if (!strcmp(cmd, "mmap") && argc == 6) {
		/* mmap DEV OFF LEN shared|private|sync: print the errno name */
		int flags = !strcmp(argv[5], "private") ? MAP_PRIVATE :
			    !strcmp(argv[5], "sync") ? MAP_SHARED_VALIDATE | MAP_SYNC :
			    MAP_SHARED;
		void *p;

		fd = open_dev(dev, O_RDWR);
		p = mmap(NULL, num(argv[4]), PROT_READ | PROT_WRITE, flags, fd,
			 num(argv[3]));
		puts(errname(p == MAP_FAILED ? errno : 0));
		return 0;
	}
	if ((!strcmp(cmd, "write") || !strcmp(cmd, "check")) &&
	    (argc == 6 || argc == 7)) {
		/*
		 * write|check DEV OFF LEN SEED [BASE]: the pattern through a
		 * mapping; BASE is the pattern position of OFF (default OFF).
		 */
		size_t len = num(argv[4]);
		off_t off = num(argv[3]);
		uint64_t base = argc == 7 ? num(argv[6]) : (uint64_t)off;
		unsigned char *p;
		uint64_t first = 0;
		size_t bad = 0;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, len, off, MAP_SHARED);
		if (!strcmp(cmd, "write")) {
			pattern_fill(num(argv[5]), base, p, len);
			if (msync(p, len, MS_SYNC)) {
				printf("msync: %s\n", strerror(errno));
				return 1;
			}
		}
		bad = pattern_check(num(argv[5]), base, p, len, &first);
		if (bad)
			printf("%zu bytes differ, first at %llu\n", bad,
			       (unsigned long long)first);
		else
			printf("%zu bytes match\n", len);
		return bad ? 1 : 0;
	}
	if (!strcmp(cmd, "statx") && argc == 3) {
		/* statx FILE: is the file in DAX mode (STATX_ATTR_DAX)? */
		struct statx stx;

		if (statx(AT_FDCWD, dev, 0, STATX_BASIC_STATS, &stx)) {
			printf("statx: %s\n", strerror(errno));
			return 2;
		}
		puts(stx.stx_attributes & STATX_ATTR_DAX ? "dax" : "not dax");
		return stx.stx_attributes & STATX_ATTR_DAX ? 0 : 1;
	}
	if (!strcmp(cmd, "syncstore") && argc == 5) {
		/*
		 * syncstore FILE LEN SEED: store the pattern through a MAP_SYNC
		 * mapping, drain the stores with sfence, and no msync: on a
		 * synchronous DAX mapping that is enough to be durable.
		 */
		size_t len = num(argv[3]);
		unsigned char *p;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, len, 0, MAP_SHARED_VALIDATE | MAP_SYNC);
		pattern_fill(num(argv[4]), 0, p, len);
		__builtin_ia32_sfence();
		printf("%zu bytes stored through MAP_SYNC, no msync\n", len);
		return 0;
	}
	if (!strcmp(cmd, "fork") && argc == 3) {
		/* Parent and child share the mapping, both ways. */
		volatile unsigned char *p;
		int status;
		pid_t pid;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, 2 << 20, 0, MAP_SHARED);
		p[0] = 0xa5;
		pid = fork();
		if (pid == 0) {
			if (p[0] != 0xa5)
				_exit(1);
			p[4096] = 0x3c;
			munmap((void *)p, 2 << 20);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) || p[4096] != 0x3c) {
			puts("the child did not see the parent's store, or the reverse");
			return 1;
		}
		if (touch(p, 1)) {
			puts("the child's munmap broke the parent's mapping");
			return 1;
		}
		puts("parent and child see each other's stores");
		return 0;
	}
	if (!strcmp(cmd, "munmap") && argc == 3) {
		volatile unsigned char *p;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, 2 << 20, 0, MAP_SHARED);
		p[0] = 1;
		munmap((void *)p, 2 << 20);
		if (touch(p, 0) != SIGSEGV) {
			puts("a touch after munmap did not fault");
			return 1;
		}
		puts("a touch after munmap gets SIGSEGV");
		return 0;
	}
	if (!strcmp(cmd, "beyond") && argc == 4) {
		/* beyond DEV SIZE: grow a mapping of the last 2 MiB past the end */
		size_t size = num(argv[3]);
		volatile unsigned char *p;
		int sig;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, 2 << 20, size - (2 << 20), MAP_SHARED);
		if (touch(p, 1)) {
			puts("the last 2 MiB are not accessible");
			return 1;
		}
		p = mremap((void *)p, 2 << 20, 4 << 20, MREMAP_MAYMOVE);
		if (p == MAP_FAILED) {
			printf("mremap: %s\n", strerror(errno));
			return 1;
		}
		sig = touch(p + (2 << 20), 0);
		printf("a touch beyond the end: %s\n",
		       sig == SIGBUS ? "SIGBUS" : sig ? "other signal" : "no fault");
		return sig == SIGBUS ? 0 : 1;
	}
	if (!strcmp(cmd, "touch") && (argc == 4 || argc == 5)) {
		/* touch DEV LEN [ro]: write (or with ro read) a byte every 4 KiB */
		size_t len = num(argv[3]);
		int wr = argc == 4;
		volatile unsigned char *p;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, len, 0, MAP_SHARED);
		for (size_t i = 0; i < len; i += 4096)
			if (touch(p + i, wr)) {
				printf("fault at %zu\n", i);
				return 1;
			}
		printf("mapped at %p, touched %zu bytes\n", (void *)p, len);
		return 0;
	}
	if (!strcmp(cmd, "hold") && (argc == 6 || argc == 7)) {
		/*
		 * hold DEV LEN READY GO [ro]: map (read-only with ro), touch,
		 * create READY holding the mapping's address, wait for GO,
		 * touch again
		 */
		size_t len = num(argv[3]);
		int ro = argc == 7 && !strcmp(argv[6], "ro");
		volatile unsigned char *p;
		struct stat st;
		int sig;

		fd = open_dev(dev, ro ? O_RDONLY : O_RDWR);
		p = mmap(NULL, len, ro ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			printf("mmap: %s\n", strerror(errno));
			return 2;
		}
		if (touch(p, 0))
			return 1;
		/* READY holds where, for a look at the mapping's page table. */
		if (say_ready(argv[4], (void *)p))
			return 2;
		while (stat(argv[5], &st))
			usleep(50000);
		sig = touch(p, 0);
		printf("a touch after removal: %s\n",
		       sig == SIGBUS ? "SIGBUS" : sig ? "other signal" : "no fault");
		return sig == SIGBUS ? 0 : 1;
	}
	if (!strcmp(cmd, "poison") && (argc == 3 || argc == 4)) {
		/*
		 * poison DEV [MAPLEN]: map MAPLEN (default 2 MiB), then have
		 * the kernel treat the page at 4 KiB as failed memory
		 * (MADV_HWPOISON, as a machine check would): memory_failure()
		 * must find this process through page->mapping and send it
		 * SIGBUS with BUS_MCEERR_AR
		 */
		size_t maplen = argc == 4 ? num(argv[3]) : 2 << 20;
		volatile unsigned char *p;
		int rc = 0;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, maplen, 0, MAP_SHARED);
		if (touch(p + 4096, 1))
			return 2;
		last_signal = 0;
		if (!sigsetjmp(jump, 1))
			rc = madvise((void *)(p + 4096), 4096, MADV_HWPOISON);
		if (last_signal)
			printf("%s %s\n", last_signal == SIGBUS ? "SIGBUS" : "other signal",
			       last_code == BUS_MCEERR_AR ? "BUS_MCEERR_AR" : "other code");
		else if (rc)
			printf("madvise: %s, no signal\n", strerror(errno));
		else
			puts("no signal");
		return last_signal == SIGBUS && last_code == BUS_MCEERR_AR ? 0 : 1;
	}
	if (!strcmp(cmd, "loop") && argc == 5) {
		/*
		 * loop DEV LEN READY: map, say READY, store to every 4 KiB in
		 * a loop until a touch faults; print which signal and exit 0
		 * on SIGBUS
		 */
		size_t len = num(argv[3]);
		volatile unsigned char *p;
		unsigned long passes = 0;
		int sig = 0;

		fd = open_dev(dev, O_RDWR);
		p = map(fd, len, 0, MAP_SHARED);
		close(open(argv[4], O_CREAT | O_WRONLY, 0644));
		while (!sig) {
			for (size_t i = 0; i < len && !sig; i += 4096)
				sig = touch(p + i, 1);
			passes++;
		}
		printf("%s after %lu passes\n", sig == SIGBUS ? "SIGBUS" : "other signal",
		       passes);
		return sig == SIGBUS ? 0 : 1;
	}
	if (!strcmp(cmd, "pin") && (argc == 6 || argc == 7)) {
		/*
		 * pin DEV LEN READY GO [UNIT]: vmsplice LEN bytes of a mapping
		 * (whole UNITs, default 2 MiB, the default align) into a pipe
		 * (the pipe holds references on those pages), unmap and close
		 * the device, say READY, wait for GO, close the pipe.
		 */
		size_t len = num(argv[3]);
		size_t unit = argc == 7 ? num(argv[6]) : 2 << 20;
		size_t maplen = (len + unit - 1) / unit * unit;
		struct iovec iov;
		struct stat st;
		int pfd[2];
		ssize_t n;
		unsigned char *p;

		if (pipe(pfd) || fcntl(pfd[1], F_SETPIPE_SZ, (int)len) < 0) {
			printf("pipe: %s\n", strerror(errno));
			return 2;
		}
		fd = open_dev(dev, O_RDWR);
		p = map(fd, maplen, 0, MAP_SHARED);
		memset(p, 0x77, len);
		iov.iov_base = p;
		iov.iov_len = len;
		n = vmsplice(pfd[1], &iov, 1, SPLICE_F_NONBLOCK);
		if (n != (ssize_t)len) {
			printf("vmsplice: %zd of %zu bytes: %s\n", n, len,
			       strerror(errno));
			return 2;
		}
		munmap(p, maplen);
		close(fd);
		printf("%zu bytes (%zu pages) pinned by a pipe, device closed\n",
		       len, len / 4096);
		fflush(stdout);
		close(open(argv[4], O_CREAT | O_WRONLY, 0644));
		while (stat(argv[5], &st))
			usleep(50000);
		close(pfd[0]);
		close(pfd[1]);
		return 0;
	}
	if (!strcmp(cmd, "excl") && argc == 3) {
		/* O_EXCL: exclusive against every other open, both ways */
		int a, b;

		a = open_dev(dev, O_RDWR | O_EXCL);
		b = open(dev, O_RDWR);
		printf("open while an O_EXCL open holds it: %s\n",
		       errname(b < 0 ? errno : 0));
		if (b >= 0)
			return 1;
		close(a);
		a = open_dev(dev, O_RDWR);
		b = open(dev, O_RDWR | O_EXCL);
		printf("O_EXCL open while another open holds it: %s\n",
		       errname(b < 0 ? errno : 0));
		return b < 0 && errno == EBUSY ? 0 : 1;
	}
	fprintf(stderr, "usage: dax-test mmap|write|check|statx|syncstore|fork|munmap|beyond|touch|hold|loop|pin|poison|excl DEV ...\n");
	return 2;
}
