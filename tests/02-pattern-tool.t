#!/bin/bash
# Proves: iopmem-pattern (used by the tests to prove where bytes landed)
# writes a pattern that depends only on seed and offset, detects a single
# changed byte, and rejects bad arguments with a message and exit 2.
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
t=$top/tools/build/iopmem-pattern
f=$(mktemp)
trap 'rm -f "$f"' EXIT

check "write 3 MiB at an odd offset" "$t" write -s 5 -o 12345 -l 3m "$f"
check "check the whole range" "$t" check -s 5 -o 12345 -l 3m "$f"
check "check a sub-range (pattern depends only on the offset)" "$t" check -s 5 -o 1000000 -l 4097 "$f"
check_fails "another seed does not match" "$t" check -s 6 -o 12345 -l 4096 "$f"
printf '\x00' | dd of="$f" bs=1 seek=2000000 conv=notrunc status=none
out=$("$t" check -s 5 -o 12345 -l 3m "$f"); rc=$?
is "$rc" 1 "one changed byte: exit 1"
case $out in *"1 of 3145728 bytes differ, first at offset 2000000"*) ok "the mismatch is located: $out" ;; *) not_ok "the mismatch is located: $out" ;; esac
json=$("$t" check -j -s 5 -o 12345 -l 3m "$f")
check "--json parses (python3 json)" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["mismatches"]==1 and d["first_mismatch"]==2000000' "$json"
for bad in "check $f" "write -l 0 $f" "write -l 1q $f" "frobnicate -l 1 $f" "write -d -o 1 -l 4096 $f" "check -l 4096 /nonexistent"; do
	# shellcheck disable=SC2086
	err=$("$t" $bad 2>&1 >/dev/null); rc=$?
	[ $rc = 2 ] && [ -n "$err" ] && ok "bad arguments ($bad): exit 2 with a message" ||
		not_ok "bad arguments ($bad): exit 2 with a message (exit $rc: $err)"
done
done_testing
