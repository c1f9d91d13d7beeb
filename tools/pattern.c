// SPDX-License-Identifier: GPL-2.0
#include "pattern.h"

/* splitmix64: cheap, and every 8-byte word differs from its neighbours. */
static uint64_t word_at(uint64_t seed, uint64_t index)
{
	uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned char byte_at(uint64_t seed, uint64_t off)
{
	return (unsigned char)(word_at(seed, off / 8) >> (8 * (off % 8)));
}

void pattern_fill(uint64_t seed, uint64_t off, unsigned char *buf, size_t len)
{
	size_t i = 0;

	for (; i < len && (off + i) % 8; i++)
		buf[i] = byte_at(seed, off + i);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = word_at(seed, (off + i) / 8);

		for (int b = 0; b < 8; b++)
			buf[i + b] = (unsigned char)(w >> (8 * b));
	}
	for (; i < len; i++)
		buf[i] = byte_at(seed, off + i);
}

size_t pattern_check(uint64_t seed, uint64_t off, const unsigned char *buf,
		     size_t len, uint64_t *first)
{
	unsigned char want[4096];
	size_t bad = 0;

	for (size_t i = 0; i < len; i++) {
		if (i % sizeof(want) == 0) {
			size_t left = len - i;

			pattern_fill(seed, off + i, want,
				     left < sizeof(want) ? left : sizeof(want));
		}
		if (buf[i] != want[i % sizeof(want)] && !bad++)
			*first = off + i;
	}
	return bad;
}
