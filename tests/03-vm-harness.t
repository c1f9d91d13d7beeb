#!/bin/bash
# Proves: the VM harness can fail.  A WARNING in the guest's kernel log, a
# hung-task report, a known kernel report that names iopmem code, a guest
# panic, a hung case, a case that does not exist and QEMU's death of
# SIGBUS on a full disk each make tests/vm/run print "not ok" and exit
# non-zero, even when every line the guest printed was ok; the known
# report alone (tests/vm/known-kernel-reports) does not.
. "$(dirname "$0")/lib/tap.sh"

# expect_failure DESC PATTERN RUN-ARGS...: the run fails and says PATTERN.
expect_failure() {
	local d=$1 pat=$2 out rc
	shift 2
	out=$("$top/tests/vm/run" "$@" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -q "^not ok - .*$pat" <<<"$out"; then
		ok "$d"
	else
		not_ok "$d (exit $rc)"
		diag "$out"
	fi
}

expect_failure "a WARNING in the guest log fails the run" "guest kernel log is clean" harness-warn
expect_failure "a hung task report fails the run" "guest kernel log is clean" harness-hungtask
expect_failure "a known kernel report that names iopmem code fails the run" "guest kernel log is clean" -c iopmem_known_ours harness-known-report
out=$("$top/tests/vm/run" harness-known-report 2>&1)
rc=$?
[ $rc = 0 ] && ok "the known pciehp lockdep report alone passes (tests/vm/known-kernel-reports)" ||
	{ not_ok "the known pciehp lockdep report alone passes (exit $rc)"; diag "$out"; }
expect_failure "a guest panic fails the run" "panic or crash" harness-panic
# -T is in stock-kernel seconds, which the harness scales by the kernel's
# VM_TIMEOUT_SCALE; the debug kernel's boot alone takes 90 s or more of
# its 6 * 25, so it gets 40.
hang=25
[ "$VM_TIMEOUT_SCALE" -gt 1 ] && hang=40
expect_failure "a hung case is killed at the timeout and fails the run" \
	"timed out after $((hang * VM_TIMEOUT_SCALE))s" -T $hang harness-hang
expect_failure "an unknown case fails the run" "case no-such-case exists" no-such-case
# A full disk: the run directory (BAR file, images, logs) on an 8 MiB
# tmpfs in a mount namespace of its own; the guest writes 32 MiB to the
# BAR, QEMU dies of SIGBUS, and the run says that.
full=$(mktemp -d)
out=$(unshare --mount sh -c 'mount -t tmpfs -o size=8m tmpfs "$1" && exec "$2" -d "$1/run" harness-fill' \
	sh "$full" "$top/tests/vm/run" 2>&1)
rc=$?
rmdir "$full"
if [ $rc != 0 ] && grep -q "^not ok - guest ran every case.*QEMU died of SIGBUS (is the file system of .* full?" <<<"$out"; then
	ok "QEMU's SIGBUS on a full BAR file system fails the run and is named"
else
	not_ok "QEMU's SIGBUS on a full BAR file system fails the run and is named (exit $rc)"
	diag "$out"
fi
done_testing
