// SPDX-License-Identifier: GPL-2.0
/*
 * config - read /etc/iopmem.conf (config.h, iopmem.conf(5)).  Every value
 * is checked here, so that a mistake is reported with its file and line
 * before anything is bound, and normalised to what sysfs takes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "libiopmem.h"

const char *const iopmem_conf_keys[IOPMEM_CONF_NKEYS] = {
	[IOPMEM_CONF_BAR] = "bar",
	[IOPMEM_CONF_PERSISTENT] = "persistent",
	[IOPMEM_CONF_POSTED_DURABLE] = "posted_durable",
	[IOPMEM_CONF_ACCESS_WIDTH] = "access_width",
	[IOPMEM_CONF_ALIGN] = "align",
	[IOPMEM_CONF_MODE] = "mode",
};

/* "vvvv:dddd", four hex digits each. */
static int parse_ids(const char *s, unsigned int *vendor, unsigned int *device)
{
	char *end;
	unsigned long v, d;

	if (strlen(s) != 9 || s[4] != ':')
		return -1;
	for (int i = 0; i < 9; i++)
		if (i != 4 && !strchr("0123456789abcdefABCDEF", s[i]))
			return -1;
	v = strtoul(s, &end, 16);
	d = strtoul(s + 5, &end, 16);
	*vendor = (unsigned int)v;
	*device = (unsigned int)d;
	return 0;
}

/* The booleans the kernel takes (kstrtobool), as 0 or 1. */
static const char *parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i]))
			return "1";
		if (!strcasecmp(s, no[i]))
			return "0";
	}
	return NULL;
}

/* @val checked and normalised for @key; NULL (and @why) when it is wrong. */
static const char *normalise(enum iopmem_conf_key key, const char *val,
			     const char **why)
{
	const char *v = NULL;

	switch (key) {
	case IOPMEM_CONF_BAR:
		if (strlen(val) == 1 && val[0] >= '0' && val[0] <= '5')
			v = val;
		*why = "a BAR index, 0 to 5";
		break;
	case IOPMEM_CONF_MODE:
		if (iopmem_mode_valid(val))
			v = val;
		*why = "raw, fsdax, devdax or p2pdma";
		break;
	case IOPMEM_CONF_PERSISTENT:
	case IOPMEM_CONF_POSTED_DURABLE:
		v = parse_bool(val);
		*why = "a boolean: 0/1, y/n, yes/no, on/off, true/false";
		break;
	case IOPMEM_CONF_ALIGN:
		if (!strcmp(val, "4096") || !strcasecmp(val, "4K") || !strcasecmp(val, "4KiB"))
			v = "4096";
		else if (!strcmp(val, "2097152") || !strcasecmp(val, "2M") || !strcasecmp(val, "2MiB"))
			v = "2097152";
		else if (!strcmp(val, "1073741824") || !strcasecmp(val, "1G") || !strcasecmp(val, "1GiB"))
			v = "1073741824";
		*why = "4K, 2M or 1G";
		break;
	case IOPMEM_CONF_ACCESS_WIDTH:
		if (!strcmp(val, "64") || !strcmp(val, "32"))
			v = val;
		*why = "64 or 32 (bits)";
		break;
	case IOPMEM_CONF_NKEYS:
		break;
	}
	return v;
}

static void free_line(struct iopmem_conf_line *l)
{
	for (int k = 0; k < IOPMEM_CONF_NKEYS; k++)
		free(l->val[k]);
}

void iopmem_conf_free(struct iopmem_conf *conf)
{
	for (size_t i = 0; i < conf->count; i++)
		free_line(&conf->lines[i]);
	free(conf->lines);
	free(conf->path);
	memset(conf, 0, sizeof(*conf));
}

/* One line's DEVICE and settings into @l; -1 with @err set. */
static int parse_line(char *text, struct iopmem_conf_line *l, const char *where,
		      char *err, size_t errlen)
{
	char *save = NULL, *word = strtok_r(text, " \t", &save);
	unsigned int d, b, s, f;

	if (strchr(word, '.')) {
		if (iopmem_parse_bdf(word, &d, &b, &s, &f)) {
			iopmem_seterr(err, errlen, "%s: %s is not a PCI address ([DDDD:]BB:DD.F, as lspci -D shows)",
			       where, word);
			return -1;
		}
		snprintf(l->bdf, sizeof(l->bdf), "%04x:%02x:%02x.%x", d, b, s, f);
	} else if (!parse_ids(word, &l->vendor, &l->device)) {
		l->by_id = true;
	} else {
		iopmem_seterr(err, errlen, "%s: %s is neither a PCI address (0000:04:00.0) nor vendor:device IDs (1af4:1110)",
		       where, word);
		return -1;
	}
	while ((word = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(word, '=');
		const char *v, *why = "";
		int k;

		if (!eq || eq == word) {
			iopmem_seterr(err, errlen, "%s: %s: settings are KEY=VALUE (bar, mode, persistent, posted_durable, align, access_width)",
			       where, word);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < IOPMEM_CONF_NKEYS; k++)
			if (!strcmp(word, iopmem_conf_keys[k]))
				break;
		if (k == IOPMEM_CONF_NKEYS) {
			iopmem_seterr(err, errlen, "%s: unknown setting %s (bar, mode, persistent, posted_durable, align, access_width)",
			       where, word);
			return -1;
		}
		if (l->val[k]) {
			iopmem_seterr(err, errlen, "%s: %s is given twice", where, word);
			return -1;
		}
		v = normalise(k, eq + 1, &why);
		if (!v) {
			iopmem_seterr(err, errlen, "%s: %s=%s: %s is %s", where, word,
			       eq + 1, word, why);
			return -1;
		}
		l->val[k] = strdup(v);
		if (!l->val[k]) {
			iopmem_seterr(err, errlen, "%s: out of memory", where);
			return -1;
		}
	}
	return 0;
}

static bool same_device(const struct iopmem_conf_line *a,
			const struct iopmem_conf_line *b)
{
	if (a->by_id != b->by_id)
		return false;
	return a->by_id ? a->vendor == b->vendor && a->device == b->device :
			  !strcmp(a->bdf, b->bdf);
}

int iopmem_conf_load(const char *path, struct iopmem_conf *conf, char *err,
		     size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL, where[600];
	size_t cap = 0;
	int lineno = 0, rc = 0;

	memset(conf, 0, sizeof(*conf));
	conf->path = strdup(path);
	if (!conf->path) {
		iopmem_seterr(err, errlen, "out of memory");
		if (fp)
			fclose(fp);
		return -1;
	}
	if (!fp) {
		if (errno == ENOENT)
			return 0;
		iopmem_seterr(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && getline(&text, &cap, fp) >= 0) {
		struct iopmem_conf_line l = { 0 }, *grown;
		char *hash = strchr(text, '#');

		lineno++;
		if (hash)
			*hash = '\0';
		text[strcspn(text, "\r\n")] = '\0';
		if (!text[strspn(text, " \t")])
			continue;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		l.lineno = lineno;
		if (parse_line(text, &l, where, err, errlen)) {
			free_line(&l);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < conf->count; i++) {
			if (same_device(&conf->lines[i], &l)) {
				iopmem_seterr(err, errlen, "%s: this device already has line %d",
				       where, conf->lines[i].lineno);
				rc = -1;
			}
		}
		grown = rc ? NULL : realloc(conf->lines, (conf->count + 1) * sizeof(l));
		if (!grown) {
			if (!rc)
				iopmem_seterr(err, errlen, "%s: out of memory", where);
			free_line(&l);
			rc = -1;
			break;
		}
		conf->lines = grown;
		conf->lines[conf->count++] = l;
	}
	if (!rc && ferror(fp)) {
		iopmem_seterr(err, errlen, "cannot read %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(text);
	fclose(fp);
	if (rc)
		iopmem_conf_free(conf);
	return rc;
}

const struct iopmem_conf_line *
iopmem_conf_find(const struct iopmem_conf *conf, const char *bdf,
		 unsigned int vendor, unsigned int device)
{
	const struct iopmem_conf_line *by_id = NULL;

	for (size_t i = 0; i < conf->count; i++) {
		const struct iopmem_conf_line *l = &conf->lines[i];

		if (!l->by_id && !strcmp(l->bdf, bdf))
			return l;
		if (l->by_id && l->vendor == vendor && l->device == device)
			by_id = l;
	}
	return by_id;
}
