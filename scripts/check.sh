#!/bin/bash
# check.sh - what `make check` runs: the host tests once, then the whole VM
# suite on every kernel of IOPMEM_KERNELS (scripts/kernel-abi.sh: Debian
# 12's 6.1, 13's 6.12 and sid's 7.2), all kernels' files in one pool, as
# TAP under prove, and a summary saying per kernel what passed.  Exit
# status 0 only when all did.
#
#   IOPMEM_KERNELS_ONLY="trixie"   only some kernels
#   IOPMEM_VM_TESTS="tests/10-vm-raw-bind.t ..."   only these VM test files
#   IOPMEM_JOBS=N             test files run at once (default: CPUs; the VM
#                             files one more, see below)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/kernel-abi.sh
kernels=${IOPMEM_KERNELS_ONLY:-$IOPMEM_KERNELS}
jobs=${IOPMEM_JOBS:-$(nproc)}
# VM test files: one more than CPUs.  A guest often waits (pciehp's 5 s
# before a removal, keep-alive timeouts, the hung-case test's timeout, a
# second guest's boot): on 2 cores, the make check at 7199b85 (one guest
# per CPU) kept the CPUs busy 69% of its VM time, the one at 27dfb07 (one
# more) 81-91%.  Two more (9d7dd7f) was no faster: 6.1's files took 549 s
# against 542 s, each guest slower by as much as the CPUs were busier.
vmjobs=${IOPMEM_JOBS:-$(($(nproc) + 1))}
summary=()
rc=0

# run NAME PROVE-ARGS...: prove, remembering a line for the summary
run() {
	local name=$1 out start=$SECONDS status
	shift
	out=$(mktemp)
	prove "$@" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	[ "$status" = 0 ] || rc=1
	summary+=("$(printf '%-34s %s (%s, %d s)' "$name" \
		"$([ "$status" = 0 ] && echo pass || echo FAIL)" \
		"$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\),.*/\1 files, \2 tests/p' "$out")" \
		$((SECONDS - start)))")
	grep -E '^(tests/.*(Wstat|Failed)|  Failed tests?:)' "$out" | sed 's/^/    /' >> "$out.fail"
	[ -s "$out.fail" ] && summary+=("$(cat "$out.fail")")
	rm -f "$out" "$out.fail"
}

# vm_tests_longest_first: every VM test file, those whose guests ran longest
# (summed kernel uptime of their boots, make check at 7199b85; 36, two
# guests at once, by its own runs) first, then the rest by name.
long_vm_tests="71-vm-package 36-vm-nvmf 61-vm-churn 34-vm-raid-p2p 03-vm-harness
	60-vm-unplug-busy 51-vm-ctl-check 12-vm-raw-io 15-vm-sysfs-input
	30-vm-devdax 43-vm-fsdax-remove 40-vm-fsdax"
vm_tests_longest_first() {
	local t
	for t in $long_vm_tests; do echo "tests/$t.t"; done
	ls tests/*-vm-*.t | grep -v -F -f <(printf '%s\n' $long_vm_tests)
}

wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
# Every kernel's VM image (module, test fixture, initramfs: each in its
# own $VMCACHE/build), built in the background while the host tests run:
# one after the other they took about a minute and a half of a clean
# clone's make check (the run at 57f0602), mostly one CPU busy.
for k in $kernels; do
	(IOPMEM_KERNEL=$k make --no-print-directory vm-image > "$wrap/image-$k.log" 2>&1
	 echo $? > "$wrap/image-$k.rc") &
done

# The host tests: every file but the VM ones.
run "host (tools, unit, lint, packages)" -v -j "$jobs" $(ls tests/*.t | grep -v -- -vm-)
wait

# The VM tests of all kernels in one pool, so that only one file at the
# very end runs alone, not one per kernel.  Each file runs through a
# wrapper named KERNEL/tests/FILE that sets IOPMEM_KERNEL; each kernel's
# runs have their own directories.
pool=()
declare -A kabi
for k in $kernels; do
	kabi[$k]=$(IOPMEM_KERNEL=$k; . scripts/kernel-abi.sh; echo "$KABI")
	echo "# kernel $k: ${kabi[$k]}"
	cat "$wrap/image-$k.log"
	if [ "$(cat "$wrap/image-$k.rc" 2>/dev/null)" != 0 ]; then
		summary+=("$(printf '%-34s %s' "VM, $k" "FAIL (the image does not build)")")
		rc=1
		continue
	fi
	pool+=("$k")
	mkdir -p "$wrap/$k/tests"
	for t in ${IOPMEM_VM_TESTS:-tests/*-vm-*.t}; do
		printf '#!/bin/sh\nIOPMEM_KERNEL=%s exec bash %s "$@"\n' "$k" "$top/$t" > "$wrap/$k/$t"
		chmod +x "$wrap/$k/$t"
	done
done
# The images are up to date: the runs need not each check again.
export IOPMEM_VM_IMAGES_BUILT=1
if [ ${#pool[@]} -gt 0 ]; then
	# The longest files first (the packaging test, a whole machine, takes
	# minutes), then the rest; the three longest one kernel after the
	# other, so that the packaging tests of all kernels (each a compile,
	# an apt install and a systemd boot) do not all start at once: in the
	# run at 57f0602 they did, and two of them took 378 s against 220 s.
	files=()
	for k in "${pool[@]}"; do
		for t in $(vm_tests_longest_first | head -n 3); do
			[ -e "$wrap/$k/$t" ] && files+=("$wrap/$k/$t")
		done
	done
	for t in $(vm_tests_longest_first | tail -n +4); do
		for k in "${pool[@]}"; do
			[ -e "$wrap/$k/$t" ] && files+=("$wrap/$k/$t")
		done
	done
	out=$(mktemp)
	start=$SECONDS
	prove -v --timer -j "$vmjobs" "${files[@]}" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	[ "$status" = 0 ] || rc=1
	for k in "${pool[@]}"; do
		failed=$(grep -E "^$wrap/$k/tests/.*(Wstat|Failed)" "$out" | sed "s|^$wrap/$k/||")
		summary+=("$(printf '%-34s %s (%d files)' \
			"VM, $k (${kabi[$k]})" \
			"$([ -z "$failed" ] && [ "$status" = 0 ] && echo pass || echo FAIL)" \
			"$(ls "$wrap/$k"/tests/*.t | wc -l)")")
		[ -n "$failed" ] && summary+=("$(echo "$failed" | sed 's/^/    /')")
	done
	summary+=("$(printf '%-34s %s (%s, %d s)' "VM, every kernel at once" \
		"$([ "$status" = 0 ] && echo pass || echo FAIL)" \
		"$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\),.*/\1 files, \2 tests/p' "$out")" \
		$((SECONDS - start)))")
	rm -f "$out"
fi

echo
echo "make check summary"
printf '%s\n' "${summary[@]}"
exit $rc
