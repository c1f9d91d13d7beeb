// SPDX-License-Identifier: GPL-2.0
/*
 * size-test - unit tests of tools/size.c, as TAP: decimal sizes with
 * k/m/g suffixes are read; octal, hex, signs, blanks, junk and overflow
 * are refused.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../../tools/size.h"

static int n, failed;

static void accepts(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int ok = !parse_size(s, &v) && v == want;

	printf("%sok %d - \"%s\" is %" PRIu64 " (got %" PRIu64 ")\n", ok ? "" : "not ",
	       ++n, s, want, v);
	failed += !ok;
}

static void refuses(const char *s, const char *why)
{
	uint64_t v = 0;
	int ok = parse_size(s, &v) != 0;

	printf("%sok %d - \"%s\" is refused: %s\n", ok ? "" : "not ", ++n, s, why);
	failed += !ok;
}

int main(void)
{
	accepts("0", 0);
	accepts("4096", 4096);
	accepts("010", 10);		/* not octal 8 */
	accepts("64k", 65536);
	accepts("1m", 1 << 20);
	accepts("2G", 2ULL << 30);
	accepts("18446744073709551615", UINT64_MAX);
	accepts("17179869183g", 17179869183ULL << 30);
	refuses("", "empty");
	refuses(" 1", "a leading blank");
	refuses("\t1", "a leading tab");
	refuses("-1", "a sign (strtoull would negate it)");
	refuses("+1", "a plus sign");
	refuses("0x10", "hex");
	refuses("1q", "an unknown suffix");
	refuses("1kk", "two suffixes");
	refuses("1 ", "a trailing blank");
	refuses("k", "a suffix without a number");
	refuses("18446744073709551616", "beyond 2^64 - 1");
	refuses("17179869184g", "beyond 2^64 - 1 after the suffix");
	printf("1..%d\n", n);
	return failed != 0;
}
