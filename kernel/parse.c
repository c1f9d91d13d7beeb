// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parsing of what users write to iopmem's attributes.
 *
 * sysfs hands a store callback @count bytes (plus a NUL the caller must
 * not rely on to end the value).  A value is accepted only whole: no NUL
 * inside, at most one trailing newline, no leading or trailing blanks,
 * and every byte of it used by the conversion.  kstrto*() already reject
 * overflow and trailing garbage; kstrtobool() looks at the first one or
 * two characters only ("yes please" would be true), so booleans are
 * matched against its words exactly before it converts them.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include "iopmem.h"

/* Longest value any attribute takes ("18446744073709551615" and a suffix). */
#define IOPMEM_TOKEN_MAX	24

/*
 * iopmem_parse_token() - copy the value in @buf (@count bytes from sysfs)
 * into @tok, NUL terminated, without its one trailing newline.
 *
 * Return: the value's length, or -EINVAL when it is empty, has a NUL or
 * a blank in it, or does not fit @size.
 */
int iopmem_parse_token(const char *buf, size_t count, char *tok, size_t size)
{
	size_t len = count, i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= size)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!buf[i] || isspace(buf[i]))
			return -EINVAL;
	memcpy(tok, buf, len);
	tok[len] = '\0';
	return len;
}

int iopmem_parse_bool(const char *buf, size_t count, bool *val)
{
	static const char * const words[] = {
		"0", "1", "n", "y", "N", "Y", "no", "yes", "off", "on",
		"false", "true",
	};
	char tok[IOPMEM_TOKEN_MAX];
	int rc = iopmem_parse_token(buf, count, tok, sizeof(tok));

	if (rc < 0)
		return rc;
	if (match_string(words, ARRAY_SIZE(words), tok) < 0)
		return -EINVAL;
	return kstrtobool(tok, val);
}

/* Decimal only: a leading 0 is not octal, "0x" is not hex. */
int iopmem_parse_uint(const char *buf, size_t count, unsigned int *val)
{
	char tok[IOPMEM_TOKEN_MAX];
	int rc = iopmem_parse_token(buf, count, tok, sizeof(tok));

	return rc < 0 ? rc : kstrtouint(tok, 10, val);
}

int iopmem_parse_int(const char *buf, size_t count, int *val)
{
	char tok[IOPMEM_TOKEN_MAX];
	int rc = iopmem_parse_token(buf, count, tok, sizeof(tok));

	return rc < 0 ? rc : kstrtoint(tok, 10, val);
}

/* A decimal size with an optional K, M or G (binary) suffix. */
int iopmem_parse_size(const char *buf, size_t count, unsigned long long *val)
{
	char tok[IOPMEM_TOKEN_MAX];
	unsigned int shift = 0;
	unsigned long long v;
	int len, rc;

	len = iopmem_parse_token(buf, count, tok, sizeof(tok));
	if (len < 0)
		return len;
	switch (tok[len - 1]) {
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	}
	if (shift)
		tok[len - 1] = '\0';
	rc = kstrtoull(tok, 10, &v);
	if (rc)
		return rc;
	if (v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*val = v << shift;
	return 0;
}

/*
 * iopmem_shown() - @buf as a kernel log message may show it: at most 32
 * bytes (then "..."), without its trailing newline, every byte that is not
 * printable ASCII escaped as \xHH.  A write may be 4 KiB of anything.
 */
const char *iopmem_shown(const char *buf, size_t count,
			 char shown[IOPMEM_SHOWN_LEN])
{
	size_t len = count;
	int n;

	if (len && buf[len - 1] == '\n')
		len--;
	n = string_escape_mem(buf, min_t(size_t, len, 32), shown,
			      IOPMEM_SHOWN_LEN - 4, ESCAPE_HEX | ESCAPE_NAP, NULL);
	n = min_t(int, n, IOPMEM_SHOWN_LEN - 4);
	strscpy(shown + n, len > 32 ? "..." : "", 4);
	return shown;
}
