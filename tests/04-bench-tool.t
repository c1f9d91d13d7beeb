#!/bin/bash
# Proves: iopmem-bench rejects bad arguments with a message and exit 2,
# refuses a BUFFER that is not an iopmem devdax device, and its --bounce
# path copies and checks correctly between two plain files (the P2P path
# itself is proven in the VM: tests/31-vm-devdax-p2p.t).
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
b=$top/tools/build/iopmem-bench
# Not /tmp: O_DIRECT needs a file system that supports it (tmpfs does not).
mkdir -p "$top/.cache"
tmp=$(mktemp -d -p "$top/.cache")
trap 'rm -rf "$tmp"' EXIT
truncate -s 64M "$tmp/src" "$tmp/dst"

expect_usage_error() { # DESC ARGS...: exit 2 and a message naming the problem
	local d=$1 err rc
	shift
	err=$("$b" "$@" 2>&1 >/dev/null); rc=$?
	if [ $rc = 2 ] && [ -n "$err" ]; then ok "$d: exit 2, \"$(head -n1 <<<"$err")\""; else
		not_ok "$d (exit $rc)"; diag "$err"; fi
}
expect_usage_error "no arguments"
expect_usage_error "a chunk size not a multiple of 4096" -s 1000 "$tmp/src" "$tmp/dst" -
expect_usage_error "zero threads" -t 0 "$tmp/src" "$tmp/dst" -
expect_usage_error "a bad number" -c 12x "$tmp/src" "$tmp/dst" -
expect_usage_error "an unaligned source offset" --src-offset 100 "$tmp/src" "$tmp/dst" -
expect_usage_error "a bad host access width" --host-access-sz 3 "$tmp/src" "$tmp/dst" -
expect_usage_error "a BUFFER that is neither a devdax device nor a file" "$tmp/src" "$tmp/dst" /dev/null
expect_usage_error "a missing source" "$tmp/nope" "$tmp/dst" -
out=$("$b" --bounce --check --seed 9 -c 8 -s 1m -t 2 --dst-offset 16m "$tmp/src" "$tmp/dst" - 2>&1)
rc=$?
is "$rc" 0 "--bounce --check between files succeeds"
diag "$out"
check "the destination holds the pattern" "$top/tools/build/iopmem-pattern" check -s 9 -o 16m -b 0 -l 8m "$tmp/dst"
json=$("$b" --bounce --verify -j -c 4 -s 1m "$tmp/src" "$tmp/dst" - 2>&1)
check "--json output parses and reports the bytes" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["bytes"]==4<<20 and d["verify_mismatches"]==0 and d["path"]=="bounce"' "$json"
done_testing
