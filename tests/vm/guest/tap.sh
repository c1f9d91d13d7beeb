# tap.sh - TAP helpers for the guest's test cases (sourced, busybox ash).
# Each case prints unnumbered "ok - ..." / "not ok - ..." lines; the host
# harness counts them and writes the plan.

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
diag() { echo "$*" | sed 's/^/#   /'; }

# check DESC CMD...: ok when CMD succeeds; its output is shown when not.
check() {
	_d=$1; shift
	if _out=$("$@" 2>&1); then ok "$_d"; else not_ok "$_d"; diag "$_out"; fi
}

# check_fails DESC CMD...: ok when CMD fails (an error path).
check_fails() {
	_d=$1; shift
	if _out=$("$@" 2>&1); then not_ok "$_d"; diag "unexpected success: $_out"; else ok "$_d"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got '$1', want '$2'"; fi
}

# free_ram_kib: free RAM in KiB: the free lists (MemFree) and the pages
# waiting in the per-CPU lists, which MemFree does not count ("count:" in
# zoneinfo), with every CPU's pending counter updates folded in first.
# Pages freed by one mode change wait in those lists, and a later
# allocation takes them first.
free_ram_kib() {
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	awk '/^ *pages free/ { f += $3 } /^ *count:/ { f += $2 } END { print f * 4 }' /proc/zoneinfo
}

# dma_mark N DEV: a 4 KiB O_DIRECT read of NVMe DEV at 1000 MiB + N * 4 KiB,
# which QEMU's trace shows as a read at LBA 2048000 + 8 * N: where a run of
# a make bench boot starts or ends (bench/dma-bytes.awk).
dma_mark() {
	dd if="$2" of=/dev/null bs=4096 count=1 skip=$((256000 + $1)) iflag=direct 2>/dev/null
}

# kmsg_mark: remember where the kernel log is; kmsg_since: what came after.
kmsg_mark() { _kmsg_lines=$(dmesg | wc -l); }
kmsg_since() { dmesg | tail -n +$((_kmsg_lines + 1)); }

# check_kmsg PATTERN DESC: the kernel said PATTERN since kmsg_mark.
check_kmsg() {
	if kmsg_since | grep -q -- "$1"; then ok "$2"; else
		not_ok "$2"; diag "no kernel message matching: $1"; kmsg_since | diag "$(cat)"; fi
}

# The PCI functions of the default topologies, found by vendor:device.
pci_find() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = "$1" ] && { basename "$d"; return 0; }
	done
	return 1
}
IVSHMEM_ID=0x1af4:0x1110

# ns NSID: the block device of NVMe namespace NSID (topology raid gives
# every namespace its own NSID; the drives probe in any order, so names
# are not fixed; a multipath path node, nvmeScCnH, is not one).
ns() {
	for _b in /sys/block/nvme*; do
		case ${_b##*/} in *c*) continue ;; esac
		[ "$(cat "$_b/nsid" 2>/dev/null)" = "$1" ] && { echo "${_b##*/}"; return 0; }
	done
	return 1
}
NVME_ID=0x1b36:0x0010

# write_sysfs FILE VALUE: like echo VALUE > FILE, but the status is kept.
write_sysfs() { echo "$2" > "$1" 2>/tmp/write_sysfs.err; }

# Unbind whatever iopmem holds and unload it, for the next case.
iopmem_reset() {
	for d in /sys/bus/pci/drivers/iopmem/0000:*; do
		[ -e "$d" ] && echo "$(basename "$d")" > /sys/bus/pci/drivers/iopmem/unbind
	done
	for d in /sys/bus/pci/devices/*; do
		[ -w "$d/driver_override" ] && [ -n "$(cat "$d/driver_override" 2>/dev/null | grep -v '(null)')" ] &&
			echo > "$d/driver_override"
	done
	rmmod iopmem 2>/dev/null
	return 0
}

# fio_num SECTION FIELD FILE: a number from fio's JSON output, e.g.
# fio_num write io_bytes /tmp/fio.json (first job, or the group).
fio_num() {
	awk -v sec="\"$1\" : {" -v key="\"$2\"" \
		'index($0, sec) { f = 1 } f && index($0, key) { gsub(/[^0-9]/, ""); print; exit }' "$3"
}

# p2p_setup: nvme loaded, ivshmem bound with iopmemctl in devdax mode.
p2p_setup() {
	modprobe nvme
	modprobe iopmem
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
	IV=$(pci_find $IVSHMEM_ID)
	NV=$(pci_find $NVME_ID)
	check "iopmemctl bind $IV --mode devdax" iopmemctl bind $IV --mode devdax
	echo "# bar-range $(cat /sys/bus/pci/devices/$IV/iopmem/phys_addr) $(cat /sys/bus/pci/devices/$IV/iopmem/size)"
}

# run_rc CMD...: run CMD, its output in /tmp/out, its status echoed.
run_rc() { "$@" > /tmp/out 2>&1; echo $?; }

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	_t=$(($1 * 5)); shift
	while [ $_t -gt 0 ]; do "$@" 2>/dev/null && return 0; sleep 0.2; _t=$((_t - 1)); done
	return 1
}

# kmsg_has PATTERN: the kernel said PATTERN since kmsg_mark.
kmsg_has() { kmsg_since | grep -q -- "$1"; }

# host_ask WHAT: ask the host harness (tests/vm/run) to act, on the TAP
# port itself, so that a caller capturing our output cannot swallow it.
host_ask() { echo "# host: $1" > /dev/ttyS1; }

# bar_remove unbind|unplug FUNCTION: take the BAR function away from
# iopmem, by sysfs unbind or by a QEMU device_del (pciehp hot-unplug,
# driven by the host harness).  Succeeds once the function is unbound
# (unbind) or gone from the bus (unplug).
bar_remove() {
	case $1 in
	unbind) write_sysfs /sys/bus/pci/drivers/iopmem/unbind "$2" ;;
	unplug)
		host_ask unplug
		wait_for 40 sh -c "! test -e /sys/bus/pci/devices/$2" ;;
	esac
}

# bar_return unbind|unplug FUNCTION: bring the function back to iopmem:
# bind it again, or have the host hot-plug a new BAR device at the same
# slot over the same file.  Succeeds once iopmem serves it.
bar_return() {
	case $1 in
	unbind) echo iopmem > "/sys/bus/pci/devices/$2/driver_override"
		write_sysfs /sys/bus/pci/drivers/iopmem/bind "$2" ;;
	unplug)
		host_ask replug
		wait_for 40 test -e "/sys/bus/pci/drivers/iopmem/$2" ;;
	esac
}

# ended PID: the process has exited (gone, or a zombie not yet reaped).
ended() { [ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }

# pages_settled: since kmsg_mark, iopmem either kept no struct pages after
# a removal, or has released the ones it kept.
pages_settled() { kmsg_has "released the struct pages" || ! kmsg_has "keeping its struct pages"; }
