// SPDX-License-Identifier: GPL-2.0
/*
 * iopmem-pattern - write or check a reproducible pattern in a block device
 * or file, at any offset.  The tests write through /dev/iopmemN in the
 * guest and check the host's backing file of the BAR; an admin can use it
 * to see whether data survives a reboot or reaches the device.
 * See iopmem-pattern(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "exit.h"
#include "pattern.h"
#include "size.h"

#define CHUNK	(1024 * 1024)

static const char usage[] =
"Usage: iopmem-pattern write|check [OPTIONS] FILE\n"
"Write, or check, the pattern of SEED over [OFFSET, OFFSET+LENGTH) of FILE.\n"
"\n"
"  -s, --seed N      pattern seed (default 1)\n"
"  -o, --offset N    byte offset (default 0); suffixes k, m, g\n"
"  -l, --length N    bytes (required); suffixes k, m, g\n"
"  -b, --base N      pattern position of the range's first byte (default:\n"
"                    OFFSET); checks bytes copied from elsewhere\n"
"  -d, --direct      O_DIRECT (offset and length multiples of 4096)\n"
"  -c, --create      write: create FILE if it does not exist (never under\n"
"                    /dev, where a missing name means a missing device)\n"
"  -j, --json        print the result as JSON\n"
"  -V, --version     print the version\n"
"  -h, --help        this text\n"
"\n"
"Exit status: 0 written or matched, 1 the bytes differ, 2 usage error,\n"
"3 an open, read, write or fsync failed (the message says which).\n";

struct job {
	bool write, direct, json, have_base, create;
	uint64_t seed, off, len, base;
	const char *path;
};

static void report(const struct job *j, uint64_t done, size_t bad,
		   uint64_t first)
{
	if (j->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "file", json_object_new_string(j->path));
		json_object_object_add(o, "operation",
				       json_object_new_string(j->write ? "write" : "check"));
		json_object_object_add(o, "seed", json_object_new_uint64(j->seed));
		json_object_object_add(o, "offset", json_object_new_uint64(j->off));
		json_object_object_add(o, "length", json_object_new_uint64(done));
		if (!j->write) {
			json_object_object_add(o, "mismatches",
					       json_object_new_uint64(bad));
			json_object_object_add(o, "first_mismatch", bad ?
					       json_object_new_uint64(first) : NULL);
		}
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else if (j->write) {
		printf("%s: wrote %" PRIu64 " bytes at %" PRIu64 " (seed %" PRIu64 ")\n",
		       j->path, done, j->off, j->seed);
	} else if (bad) {
		printf("%s: %zu of %" PRIu64 " bytes differ, first at offset %" PRIu64 " (seed %" PRIu64 ")\n",
		       j->path, bad, done, first, j->seed);
	} else {
		printf("%s: %" PRIu64 " bytes at %" PRIu64 " match (seed %" PRIu64 ")\n",
		       j->path, done, j->off, j->seed);
	}
}

static int run(const struct job *j)
{
	int flags = (j->write ? O_WRONLY : O_RDONLY) |
		    (j->create ? O_CREAT : 0) | (j->direct ? O_DIRECT : 0);
	uint64_t done = 0, first = 0;
	unsigned char *buf;
	size_t bad = 0;
	int fd, rc = 0;

	if (posix_memalign((void **)&buf, 4096, CHUNK)) {
		fprintf(stderr, "iopmem-pattern: out of memory\n");
		return IOPMEM_EXIT_FAILED;
	}
	fd = open(j->path, flags, 0644);
	if (fd < 0) {
		fprintf(stderr, "iopmem-pattern: cannot open %s: %s%s\n", j->path,
			strerror(errno), errno == ENOENT && j->write && !j->create ?
			" (--create makes a new file)" : "");
		free(buf);
		return IOPMEM_EXIT_FAILED;
	}
	while (done < j->len) {
		size_t n = j->len - done < CHUNK ? j->len - done : CHUNK;
		uint64_t at = j->off + done, pat = j->base + done;
		ssize_t r;

		if (j->write) {
			pattern_fill(j->seed, pat, buf, n);
			r = pwrite(fd, buf, n, at);
		} else {
			r = pread(fd, buf, n, at);
		}
		if (r != (ssize_t)n) {
			fprintf(stderr, "iopmem-pattern: %s %s at offset %" PRIu64 ": %s\n",
				j->write ? "writing" : "reading", j->path, at,
				r < 0 ? strerror(errno) : "end of file or device");
			rc = IOPMEM_EXIT_FAILED;
			break;
		}
		if (!j->write) {
			uint64_t f = 0;
			size_t b = pattern_check(j->seed, pat, buf, n, &f);

			if (b && !bad)
				first = f - j->base + j->off;
			bad += b;
		}
		done += n;
	}
	if (!rc && j->write && fsync(fd)) {
		fprintf(stderr, "iopmem-pattern: fsync %s: %s\n", j->path,
			strerror(errno));
		rc = IOPMEM_EXIT_FAILED;
	}
	close(fd);
	free(buf);
	if (rc)
		return rc;
	report(j, done, bad, first);
	return bad ? IOPMEM_EXIT_NO : IOPMEM_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "base", required_argument, NULL, 'b' },
		{ "direct", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "create", no_argument, NULL, 'c' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct job j = { .seed = 1 };
	bool have_len = false;
	int c;

	while ((c = getopt_long(argc, argv, "s:o:l:b:dcjVh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_size(optarg, &j.seed))
				goto bad_number;
			break;
		case 'o':
			if (parse_size(optarg, &j.off))
				goto bad_number;
			break;
		case 'l':
			if (parse_size(optarg, &j.len))
				goto bad_number;
			have_len = true;
			break;
		case 'b':
			if (parse_size(optarg, &j.base))
				goto bad_number;
			j.have_base = true;
			break;
		case 'd':
			j.direct = true;
			break;
		case 'c':
			j.create = true;
			break;
		case 'j':
			j.json = true;
			break;
		case 'V':
			puts("iopmem-pattern " IOPMEM_VERSION);
			return IOPMEM_EXIT_OK;
		case 'h':
			fputs(usage, stdout);
			return IOPMEM_EXIT_OK;
		default:
			fputs(usage, stderr);
			return IOPMEM_EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || (strcmp(argv[optind], "write") &&
				   strcmp(argv[optind], "check"))) {
		fprintf(stderr, "iopmem-pattern: need write or check, and a FILE\n%s",
			usage);
		return IOPMEM_EXIT_USAGE;
	}
	if (!have_len || !j.len) {
		fprintf(stderr, "iopmem-pattern: --length is required and must not be 0\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (j.direct && ((j.off | j.len) & 4095)) {
		fprintf(stderr, "iopmem-pattern: --direct needs offset and length in multiples of 4096\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (!j.have_base)
		j.base = j.off;
	j.write = !strcmp(argv[optind], "write");
	j.path = argv[optind + 1];
	if (j.create && !j.write) {
		fprintf(stderr, "iopmem-pattern: --create goes with write\n");
		return IOPMEM_EXIT_USAGE;
	}
	if (j.create && !strncmp(j.path, "/dev/", 5)) {
		fprintf(stderr, "iopmem-pattern: %s: --create never makes files under /dev (a missing name there is a missing device)\n",
			j.path);
		return IOPMEM_EXIT_USAGE;
	}
	return run(&j);

bad_number:
	fprintf(stderr, "iopmem-pattern: \"%s\" is not a size (a number, optionally with k, m or g)\n",
		optarg);
	return IOPMEM_EXIT_USAGE;
}
