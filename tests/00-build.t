#!/bin/bash
# Proves: iopmem.ko and the test fixture build against the pinned Debian
# headers with no warning at W=1, the module's version is VERSION's, and
# the tools build with -Werror.
. "$(dirname "$0")/lib/tap.sh"
IOPMEM_KERNEL=stock . "$top/scripts/kernel-abi.sh"
"$top/scripts/setup.sh" >/dev/null

# Build a copy, so that the tree (and the VM image made from it) is untouched.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$top/VERSION" "$tmp/"	# Kbuild reads the module's version from ../VERSION
for src in kernel tests/vm/helper; do
	cp -r "$top/$src" "$tmp/$(basename "$src")"
	out=$(make -C "$KDIR" M="$tmp/$(basename "$src")" W=1 modules 2>&1)
	rc=$?
	is "$rc" 0 "$src builds against linux-headers-$KABI"
	warnings=$(grep -E 'warning:|error:' <<<"$out")
	is "$warnings" "" "$src: no warnings at W=1"
done
check "iopmem.ko has the module metadata" modinfo -F license "$tmp/kernel/iopmem.ko"
is "$(modinfo -F vermagic "$tmp/kernel/iopmem.ko" | cut -d' ' -f1)" "$KABI" "built for $KABI"
is "$(modinfo -F version "$tmp/kernel/iopmem.ko")" "$(cat "$top/VERSION")" "its MODULE_VERSION is VERSION's"
cp -r "$top/tools" "$tmp/tools"
rm -rf "$tmp/tools/build"
check "tools build with -Wall -Wextra -Werror" make -C "$tmp/tools"
done_testing
