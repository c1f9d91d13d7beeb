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

done_testing() { echo "1..$_n"; [ $_fails = 0 ]; }
