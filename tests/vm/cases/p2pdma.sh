# Proves (with the host half in tests/35-vm-p2pdma.t): p2pdma mode.  On a
# kernel with CONFIG_PCI_P2PDMA the BAR becomes a published P2PDMA
# provider: p2pmem in sysfs with the BAR's size, listed by iopmemctl; an
# O_DIRECT copy NVMe -> a p2pmem/allocate mapping -> NVMe moves 32 MiB
# through it (the host checks the BAR file, the NVMe image and the trace);
# a mode change while an allocation is mapped is refused (EBUSY, with the
# count), and goes through once it is gone; an unbind with an allocation
# mapped completes, and the mapper gets SIGBUS; a rebind serves p2pdma
# again.  On a kernel without it, the mode is refused (EOPNOTSUPP) with a
# message that says why, and raw stays.
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
p=/sys/bus/pci/devices/$dev/p2pmem
wait_for 10 test -b /dev/nvme0n1
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
kmsg_mark
if ! write_sysfs $a/mode p2pdma; then
	case "$(cat /tmp/write_sysfs.err)" in
	*"not supported"*) ok "no CONFIG_PCI_P2PDMA ($(uname -r)): mode p2pdma refused with EOPNOTSUPP" ;;
	*) not_ok "mode p2pdma taken, or refused with EOPNOTSUPP"; diag "$(cat /tmp/write_sysfs.err)" ;;
	esac
	check_kmsg "p2pdma mode needs a kernel built with CONFIG_PCI_P2PDMA" "... the kernel log says why"
	is "$(cat $a/mode)" raw "... and the mode stays raw"
	echo "# p2pdma none"
	rmmod nvme; rmmod iopmem
	exit 0
fi
is "$(cat $a/mode)" p2pdma "mode p2pdma taken"
check_kmsg "added peer-to-peer DMA memory" "... the kernel added the BAR as P2PDMA memory"
is "$(cat $p/size 2>/dev/null)" "$(cat $a/size)" "p2pmem/size is the BAR's size"
is "$(cat $p/published 2>/dev/null)" 1 "p2pmem/published is 1"
is "$(cat $a/struct_page_bytes)" $(( $(cat $a/size) / 4096 * 64 )) "struct_page_bytes counts the kernel's pages of it (64 bytes per 4 KiB)"
iopmemctl --json list > /tmp/list.json
check "iopmemctl list --json names it among the P2PDMA providers" grep -q "\"pci\":\"$dev\"" /tmp/list.json
iopmemctl info $dev > /tmp/info.txt
check "iopmemctl info shows its p2pmem line" grep -q "p2pmem .* MiB available, 0 MiB allocated, published" /tmp/info.txt
diag "$(cat /tmp/info.txt)"
check "iopmemctl check: nvme0n1 can DMA into its p2pmem (yes)" iopmemctl check /dev/nvme0n1 $p/allocate

# The copy: NVMe 16..48 MiB -> p2pmem -> NVMe 512 MiB.
check "fill NVMe 16..48 MiB with seed 91" iopmem-pattern write -d -s 91 -o 16m -b 0 -l 32m /dev/nvme0n1
echo "# trace-start"
iopmem-bench --force -c 32 -s 1m -t 4 --src-offset 16m --dst-offset 512m \
	/dev/nvme0n1 /dev/nvme0n1 $p/allocate > /tmp/p2p.out 2>&1
is "$?" 0 "P2P copy of 32 MiB NVMe -> iopmem's p2pmem -> NVMe succeeds"
diag "$(cat /tmp/p2p.out)"
echo "# trace-end"
check "NVMe 512 MiB holds what was read from 16 MiB" iopmem-pattern check -d -s 91 -o 512m -b 0 -l 32m /dev/nvme0n1
is "$(cat $p/available)" "$(cat $p/size)" "after the copy every page is back in the pool"

# Busy: an allocation mapped refuses a mode change.
rm -f /tmp/ready /tmp/go
dax-test hold $p/allocate 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
holder=$!
wait_for 10 test -e /tmp/ready
check "an allocation of 2 MiB is mapped" test -e /tmp/ready
kmsg_mark
check_fails "mode raw while it is mapped: refused" write_sysfs $a/mode raw
case "$(cat /tmp/write_sysfs.err)" in *busy*) ok "... with EBUSY" ;; *) not_ok "... with EBUSY"; diag "$(cat /tmp/write_sysfs.err)" ;; esac
check_kmsg "512 pages of BAR 2 are allocated from its P2PDMA memory" "... the kernel log counts the 512 pages"
is "$(cat $a/mode)" p2pdma "... and p2pdma stays"
touch /tmp/go
wait $holder
check "mode raw once the mapping is gone" write_sysfs $a/mode raw
check "... and p2pmem is gone from sysfs" test ! -e $p
check "mode p2pdma again" write_sysfs $a/mode p2pdma

# Removal with an allocation mapped.
rm -f /tmp/ready /tmp/go
dax-test hold $p/allocate 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
holder=$!
wait_for 10 test -e /tmp/ready
check "unbind with an allocation mapped completes" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "... p2pmem is gone" test ! -e $p
touch /tmp/go
wait $holder
is "$?" 0 "... and the mapper gets SIGBUS on its next touch"
diag "$(cat /tmp/hold.out)"
check "bind again" write_sysfs /sys/bus/pci/drivers/iopmem/bind $dev
check "mode p2pdma after the rebind" write_sysfs $a/mode p2pdma
is "$(cat $p/published 2>/dev/null)" 1 "... published again"
check "mode raw" write_sysfs $a/mode raw
rmmod nvme
rmmod iopmem
exit 0
