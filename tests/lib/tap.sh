# tap.sh - TAP for the host-side tests (sourced by tests/*.t, bash).
# Lines are numbered here; done_testing prints the plan at the end.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# KABI, VMCACHE (VM runs: $VMCACHE/runs) of the kernel under test.
. "$top/scripts/kernel-abi.sh"
_n=0
_fails=0

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _fails=$((_fails + 1)); echo "not ok $_n - $*"; }
diag() { sed 's/^/#   /' <<<"$*"; }

# The tools' host tests run them under valgrind: any memory error or
# definite leak makes the command exit 99.
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--suppressions="$top/tests/valgrind.supp")

# check DESC CMD...: ok when CMD succeeds; its output is shown when not.
check() {
	local d=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$d"; else not_ok "$d"; diag "$out"; fi
}

# check_fails DESC CMD...: ok when CMD fails.
check_fails() {
	local d=$1 out
	shift
	if out=$("$@" 2>&1); then not_ok "$d"; diag "unexpected success: $out"; else ok "$d"; fi
}

is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got '$1', want '$2'"; fi; }

# vm ARGS...: boot a guest with tests/vm/run ARGS and number its TAP lines.
vm() { vm_tap "" < <("$top/tests/vm/run" "$@" 2>&1); }

# vm_tap PREFIX: number the TAP lines of a tests/vm/run output read from
# stdin, each description after PREFIX (several guests' runs, kept apart).
vm_tap() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$1${line#ok - }" ;;
		"not ok - "*) not_ok "$1${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done
}

# The run directories of this file's guests (tests/vm/run appends each).
# Once every test of the file passed, done_testing frees their disk
# images, BAR files and the packaging test's root overlay, and keeps the
# logs.  Kept, a whole make check's runs took 14 GiB (4.4 to 4.8 GiB per
# kernel), and a CI run lost a guest to SIGBUS (QEMU touching a BAR file
# page its file system cannot supply) and lost prove's summary, both what
# a full disk does (this machine had 12 GiB free then).  A failed file
# keeps all; IOPMEM_KEEP_RUNS=1 keeps all always.
export IOPMEM_RUN_DIRS=${TMPDIR:-/tmp}/iopmem-run-dirs.$$
rm -f "$IOPMEM_RUN_DIRS"
free_runs() {
	local d
	[ -f "$IOPMEM_RUN_DIRS" ] || return 0
	[ "${IOPMEM_KEEP_RUNS:-0}" = 1 ] ||
		sort -u "$IOPMEM_RUN_DIRS" | while IFS= read -r d; do
			[ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 \
				! -name '*.log' ! -name '*.out' -exec rm -rf {} +
		done
	rm -f "$IOPMEM_RUN_DIRS"
}

done_testing() {
	echo "1..$_n"
	if [ $_fails = 0 ]; then free_runs; else rm -f "$IOPMEM_RUN_DIRS"; return 1; fi
}
