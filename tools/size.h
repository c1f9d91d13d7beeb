/* SPDX-License-Identifier: GPL-2.0 */
/* size.h - the tools' parser of sizes on the command line. */
#ifndef IOPMEM_SIZE_H
#define IOPMEM_SIZE_H

#include <stdint.h>

/*
 * parse_size() - "4096", "64k", "1m", "2G" into bytes: decimal digits
 * (a leading zero is not octal), then at most one suffix k, m or g.
 * Return: 0, or -1 for anything else (a sign or blank in front, hex,
 * trailing junk, overflow).
 */
int parse_size(const char *s, uint64_t *out);

#endif
