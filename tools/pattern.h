/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reproducible byte pattern: the byte at any absolute offset depends
 * only on the seed and the offset, so a range written in one place (the
 * guest's /dev/iopmem0) can be checked in another (the host's copy of the
 * BAR) without storing a reference copy.
 */
#ifndef IOPMEM_PATTERN_H
#define IOPMEM_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Fill buf with the pattern bytes of [off, off + len). */
void pattern_fill(uint64_t seed, uint64_t off, unsigned char *buf, size_t len);

/*
 * Compare buf with the pattern of [off, off + len).  Returns the number of
 * differing bytes; *first is set to the offset of the first one.
 */
size_t pattern_check(uint64_t seed, uint64_t off, const unsigned char *buf,
		     size_t len, uint64_t *first);

#endif
