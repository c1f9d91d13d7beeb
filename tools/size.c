// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "size.h"

int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	/*
	 * Decimal digits only: strtoull() would also take leading blanks, a
	 * sign (and negate), and base 0 would read "010" as octal 8.
	 */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'g': case 'G': shift = 30; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'k': case 'K': shift = 10; end++; break;
	}
	if (*end || (shift && v > (~0ULL >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}
