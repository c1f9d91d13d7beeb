#!/bin/bash
# Proves: iopmem-bench rejects bad arguments with a message and exit 2
# (what it cannot open or is refused: exit 3, as exit.h tables)
# (sizes whose product overflows included, where it used to die of
# SIGFPE), refuses a BUFFER that is not an iopmem devdax device, refuses to
# write a block device without --force (before opening it), names the file
# an open failed on, calls a copy through a page-cache file "ram", not
# "p2p", and its --bounce path copies and checks correctly between two
# plain files (the P2P path itself is proven in the VM:
# tests/31-vm-devdax-p2p.t).  Runs under valgrind.
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
b=("${VG[@]}" "$top/tools/build/iopmem-bench")
# Not /tmp: O_DIRECT needs a file system that supports it (tmpfs does not).
mkdir -p "$top/.cache"
tmp=$(mktemp -d -p "$top/.cache")
trap 'rm -rf "$tmp"' EXIT
truncate -s 64M "$tmp/src" "$tmp/dst"

expect_exit() { # CODE DESC ARGS...: exit CODE and a message
	local code=$1 d=$2 err rc
	shift 2
	err=$("${b[@]}" "$@" 2>&1 >/dev/null); rc=$?
	if [ $rc = "$code" ] && [ -n "$err" ]; then ok "$d: exit $code, \"$(head -n1 <<<"$err")\""; else
		not_ok "$d (exit $rc, not $code)"; diag "$err"; fi
}
expect_usage_error() { expect_exit 2 "$@"; }
expect_usage_error "no arguments"
expect_usage_error "a chunk size not a multiple of 4096" -s 1000 "$tmp/src" "$tmp/dst" -
expect_usage_error "zero threads" -t 0 "$tmp/src" "$tmp/dst" -
expect_usage_error "a bad number" -c 12x "$tmp/src" "$tmp/dst" -
expect_usage_error "an unaligned source offset" --src-offset 100 "$tmp/src" "$tmp/dst" -
expect_usage_error "a bad host access width" --host-access-sz 3 "$tmp/src" "$tmp/dst" -
expect_exit 3 "a BUFFER that is neither a devdax device nor a file: refused" "$tmp/src" "$tmp/dst" /dev/null
expect_exit 3 "a missing source: the open fails" --bounce "$tmp/nope" "$tmp/dst" -
expect_usage_error "chunks x chunk size beyond 2^63 (was SIGFPE)" --bounce -c 17179869184 -s 1g "$tmp/src" "$tmp/dst" -
expect_usage_error "an offset that overflows" --bounce --dst-offset 9223372036854771712 "$tmp/src" "$tmp/dst" -
err=$("${b[@]}" --bounce "$tmp/src" "$tmp/missing-dst" - 2>&1); rc=$?
is "$rc" 3 "a missing destination: exit 3 (the open failed)"
case $err in *"$tmp/missing-dst"*) ok "... and the message names the destination" ;; *) not_ok "... and the message names the destination: $err" ;; esac
# A block device node of a major no driver has (from the range kept for
# local use, skipping any that /proc/devices lists): the refusal must come
# before any open, and with --force the open fails naming it.
major=$(awk '/^Block devices:/ { b = 1; next } b && NF == 2 { used[$1] = 1 }
	END { for (m = 240; m <= 254; m++) if (!(m in used)) { print m; exit } }' /proc/devices)
[ -n "$major" ] && mknod "$tmp/blk" b "$major" 0 2>/dev/null
if [ -b "$tmp/blk" ]; then
	err=$("${b[@]}" --bounce "$tmp/src" "$tmp/blk" - 2>&1); rc=$?
	is "$rc" 3 "writing a block device without --force: refused, exit 3"
	case $err in *"would be overwritten: give --force"*) ok "... and the message says so" ;; *) not_ok "... and the message says so: $err" ;; esac
	err=$("${b[@]}" --force --bounce "$tmp/src" "$tmp/blk" - 2>&1); rc=$?
	case "$rc:$err" in "3:"*"cannot open $tmp/blk"*) ok "with --force the open is tried, and its failure names the node" ;;
		*) not_ok "with --force the open is tried, and its failure names the node: $rc $err" ;; esac
else
	ok "# SKIP cannot make a block device node here"
	ok "# SKIP cannot make a block device node here"
	ok "# SKIP cannot make a block device node here"
fi
truncate -s 8M "$tmp/buffer"
json=$("${b[@]}" -j -c 4 -s 1m "$tmp/src" "$tmp/dst" "$tmp/buffer" 2>&1)
check "a page-cache file as BUFFER: the copy is called ram, not p2p" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["path"]=="ram" and "page cache" in d["buffer_kind"], d' "$json"
check "--version" sh -c '"$@" --version | grep -q "^iopmem-bench [0-9]"' sh "${b[@]}"
out=$("${b[@]}" --bounce --check --seed 9 -c 8 -s 1m -t 2 --dst-offset 16m "$tmp/src" "$tmp/dst" - 2>&1)
rc=$?
is "$rc" 0 "--bounce --check between files succeeds"
diag "$out"
check "the destination holds the pattern" "$top/tools/build/iopmem-pattern" check -s 9 -o 16m -b 0 -l 8m "$tmp/dst"
json=$("${b[@]}" --bounce --verify -j -c 4 -s 1m "$tmp/src" "$tmp/dst" - 2>&1)
check "--json output parses and reports the bytes" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["bytes"]==4<<20 and d["verify_mismatches"]==0 and d["path"]=="bounce"' "$json"
done_testing
