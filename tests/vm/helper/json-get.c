// SPDX-License-Identifier: GPL-2.0
/*
 * json-get - the guest's JSON reader for the tests (busybox has none):
 * parses standard input with json-c and prints the value at PATH, a
 * dot-separated list of keys and array indexes ("devices.0.mode"), or
 * "null" for a key whose value is null.  Exit 2 when the input is not
 * JSON, 1 when PATH is not in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	json_object *root, *o;
	char *path, *key, *save = NULL;
	int found = 1;

	buf[n] = '\0';
	root = json_tokener_parse(buf);
	if (!root) {
		fprintf(stderr, "json-get: the input is not JSON\n");
		return 2;
	}
	if (argc != 2) {
		puts("valid");
		return 0;
	}
	path = strdup(argv[1]);
	o = root;
	for (key = strtok_r(path, ".", &save); key && o; key = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, atoi(key));
		else
			found = json_object_object_get_ex(o, key, &o);
		found = found && (o || !strtok_r(NULL, "", &save));
	}
	free(path);
	if (!o && found) {
		puts("null");
		return 0;
	}
	if (!o) {
		fprintf(stderr, "json-get: no %s\n", argv[1]);
		return 1;
	}
	puts(json_object_get_string(o));
	json_object_put(root);
	return 0;
}
