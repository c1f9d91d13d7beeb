#!/bin/bash
# Proves: iopmem-pattern (used by the tests to prove where bytes landed)
# writes a pattern that depends only on seed and offset, detects a single
# changed byte, rejects bad arguments with a message and exit 2 (a failed
# open: exit 3); it
# creates a file only with --create and never under /dev.  Runs under
# valgrind (no memory error, no definite leak).
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
t=("${VG[@]}" "$top/tools/build/iopmem-pattern")
f=$(mktemp)
d=$(mktemp -d)
trap 'rm -rf "$f" "$d"' EXIT

check "write 3 MiB at an odd offset" "${t[@]}" write -s 5 -o 12345 -l 3m "$f"
check "check the whole range" "${t[@]}" check -s 5 -o 12345 -l 3m "$f"
check "check a sub-range (pattern depends only on the offset)" "${t[@]}" check -s 5 -o 1000000 -l 4097 "$f"
check_fails "another seed does not match" "${t[@]}" check -s 6 -o 12345 -l 4096 "$f"
printf '\x00' | dd of="$f" bs=1 seek=2000000 conv=notrunc status=none
out=$("${t[@]}" check -s 5 -o 12345 -l 3m "$f"); rc=$?
is "$rc" 1 "one changed byte: exit 1"
case $out in *"1 of 3145728 bytes differ, first at offset 2000000"*) ok "the mismatch is located: $out" ;; *) not_ok "the mismatch is located: $out" ;; esac
json=$("${t[@]}" check -j -s 5 -o 12345 -l 3m "$f")
check "--json parses (python3 json)" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["mismatches"]==1 and d["first_mismatch"]==2000000' "$json"
for bad in "check $f" "write -l 0 $f" "write -l 1q $f" "frobnicate -l 1 $f" "write -d -o 1 -l 4096 $f"; do
	# shellcheck disable=SC2086
	err=$("${t[@]}" $bad 2>&1 >/dev/null); rc=$?
	[ $rc = 2 ] && [ -n "$err" ] && ok "bad arguments ($bad): exit 2 with a message" ||
		not_ok "bad arguments ($bad): exit 2 with a message (exit $rc: $err)"
done
out=$("${t[@]}" check -l 4096 /nonexistent 2>&1); rc=$?
is "$rc" 3 "check of a missing file: exit 3 (the open failed)"
out=$("${t[@]}" write -s 1 -l 4096 "$d/new" 2>&1); rc=$?
is "$rc" 3 "write to a missing file without --create: exit 3 (the open failed)"
case $out in *"--create makes a new file"*) ok "... and the message says how" ;; *) not_ok "... and the message says how: $out" ;; esac
check_fails "... and no file was made" test -e "$d/new"
check "write --create makes it" "${t[@]}" write --create -s 1 -l 4096 "$d/new"
check "... and it checks" "${t[@]}" check -s 1 -l 4096 "$d/new"
out=$("${t[@]}" write -s 1 -l 4096 /dev/iopmem-no-such-device 2>&1); rc=$?
is "$rc" 3 "write to a missing /dev node: exit 3, nothing created"
check_fails "... no file under /dev" test -e /dev/iopmem-no-such-device
out=$("${t[@]}" write --create -s 1 -l 4096 /dev/iopmem-no-such-device 2>&1); rc=$?
is "$rc" 2 "--create under /dev is refused"
case $out in *"never makes files under /dev"*) ok "... and says why" ;; *) not_ok "... and says why: $out" ;; esac
check_fails "... no file under /dev" test -e /dev/iopmem-no-such-device
check "--version" sh -c '"$@" --version | grep -q "^iopmem-pattern [0-9]"' sh "${t[@]}"
done_testing
