#!/bin/bash
# lint.sh - the project's static checks, as TAP.  Fails on any finding.
#   checkpatch.pl --strict (from Debian's linux-source-6.1) over the module
#   and the test fixture; sparse (make C=2) with W=1 against each supported
#   kernel; cppcheck over the tools and the guest test program.
. "$(dirname "$0")/lib/tap.sh"
IOPMEM_KERNEL=bookworm . "$top/scripts/kernel-abi.sh"
"$top/scripts/setup.sh" >/dev/null
checkpatch="perl $CACHE/checkpatch/scripts/checkpatch.pl --no-tree --strict --terse --show-types"

cd "$top" || exit 1
for f in kernel/*.[ch] tests/vm/helper/iopmem_test_*.c; do
	case $f in *.mod.c) continue ;; esac
	ignore=
	# The compat header exists to compare kernel versions.
	[ "$f" = kernel/compat.h ] && ignore="--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON"
	# shellcheck disable=SC2086
	out=$($checkpatch $ignore -f "$f" 2>&1 | grep -E 'ERROR|WARNING|CHECK')
	is "$out" "" "checkpatch --strict: $f"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every supported kernel: what one version's headers accept another's
# may warn about.
for k in $IOPMEM_KERNELS; do
	for src in kernel tests/vm/helper; do
		d=$tmp/$k/$(basename "$src")
		mkdir -p "$d"
		cp "$src"/*.[ch] "$src/Kbuild" "$d/"
		[ "$src" = kernel ] && cp VERSION "$d/"
		rm -f "$d"/*.mod.c
		out=$(IOPMEM_KERNEL=$k "$top/scripts/kbuild.sh" "$d" W=1 C=2 CHECK=sparse 2>&1)
		is "$?:$(grep -E 'warning:|error:' <<<"$out")" "0:" "sparse and W=1, $k: $src"
	done
done

out=$(cppcheck --error-exitcode=1 --enable=warning,style,performance,portability \
	--std=c11 --quiet --inline-suppr \
	$(pkg-config --cflags-only-I json-c) tools tests/vm/helper/dax-test.c tests/vm/helper/json-get.c tests/vm/helper/elapsed.c tests/unit 2>&1)
rc=$?
is "$rc:$out" "0:" "cppcheck: tools, the guest test program, the unit tests"
done_testing
