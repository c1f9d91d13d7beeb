# Proves (with the host half in tests/35-vm-p2pdma.t): p2pdma mode.  On a
# kernel with CONFIG_PCI_P2PDMA the BAR becomes a published P2PDMA
# provider: p2pmem in sysfs with the BAR's size, listed by iopmemctl; an
# O_DIRECT copy NVMe -> a p2pmem/allocate mapping -> NVMe moves 32 MiB
# through it (the host checks the BAR file, the NVMe image and the trace);
# nvmet enables a namespace on that NVMe drive with iopmem as its p2pmem;
# a mode change while an allocation is mapped is refused (EBUSY, with the
# count), and goes through once it is gone; an unbind with an allocation
# mapped completes, and the mapper gets SIGBUS; a rebind serves p2pdma
# again.  On a kernel without it, the mode is refused (EOPNOTSUPP) with a
# message that says why, and raw stays.
. /cases/tap.sh
. /cases/nvmf.sh
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

# NVMe over Fabrics: nvmet's p2pmem option takes iopmem's provider for a
# namespace on the NVMe drive below the same switch (the kernel checks the
# P2PDMA distance when the namespace is enabled).  Only nvmet-rdma stages
# data there (Documentation/iopmem.rst); this kernel accepting the
# configuration is what a VM without an RDMA function can show.
n=/sys/kernel/config/nvmet/subsystems/nqn.2026-11.org.iopmem:p2p
if modprobe nvmet 2>/dev/null; then
	nvmet_configfs
	check "nvmet: a namespace on nvme0n1 with p2pmem=$dev (iopmem's provider) enables" sh -c "
		mkdir $n && mkdir $n/namespaces/1 && echo /dev/nvme0n1 > $n/namespaces/1/device_path &&
		echo $dev > $n/namespaces/1/p2pmem && echo 1 > $n/namespaces/1/enable"
	is "$(cat $n/namespaces/1/p2pmem)" "$dev" "... its p2pmem reads back iopmem's function"
	check "nvmet: namespace and subsystem removed, nvmet unloads" sh -c "
		echo 0 > $n/namespaces/1/enable && rmdir $n/namespaces/1 && rmdir $n && rmmod nvmet"
else
	not_ok "nvmet loads (this kernel has P2PDMA; Debian builds nvmet with it)"
fi

# memtype NAME PID ADDR PHYS: the cache mode of PID's mapping at ADDR and
# of the kernel's mapping of PHYS (tests/vm/helper/iopmem_test_pte.c).
memtype() {
	kmsg_mark
	insmod /lib/modules/$(uname -r)/extra/iopmem_test_pte.ko pid=$2 addr=$3 phys=$4
	rmmod iopmem_test_pte
	user=$(kmsg_since | sed -n 's/.*iopmem_test_pte: user .*cache mode \([^ ]*\).*/\1/p')
	kern=$(kmsg_since | sed -n 's/.*iopmem_test_pte: kernel mapping .*cache mode \([^ ]*\).*/\1/p')
	echo "# memtype $1 user ${user:-none} kernel ${kern:-none}"
}

# Busy: an allocation mapped refuses a mode change.
rm -f /tmp/ready /tmp/go
dax-test hold $p/allocate 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
holder=$!
wait_for 10 test -e /tmp/ready
check "an allocation of 2 MiB is mapped" test -e /tmp/ready
memtype iopmem-p2pdma $holder $(cat /tmp/ready) $(cat $a/phys_addr)
# Measured, as Documentation/iopmem.rst says: the kernel's p2pmem mmap
# (vm_insert_page() with the VMA's default protection) writes WB page
# table bits; the pages' kernel mapping has the BAR's WC (mapped first).
is "$user:$kern" "WB:WC" "memory types, p2pdma: a p2pmem/allocate mapping WB bits, the kernel's mapping of the pages WC"
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
# The same measures for devdax (iopmem's own mapping) and the NVMe's CMB
# (the kernel's own provider).
check "mode devdax" write_sysfs $a/mode devdax
rm -f /tmp/ready /tmp/go
dax-test hold /dev/iopmem0.dax 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
holder=$!
wait_for 10 test -e /tmp/ready
memtype iopmem-devdax $holder $(cat /tmp/ready) $(cat $a/phys_addr)
is "$user:$kern" "WC:WC" "memory types, devdax: the user mapping and the kernel's mapping both WC (one type)"
touch /tmp/go
wait $holder
NV=$(pci_find $NVME_ID)
if [ -e /sys/bus/pci/devices/$NV/p2pmem/allocate ]; then
	rm -f /tmp/ready /tmp/go
	dax-test hold /sys/bus/pci/devices/$NV/p2pmem/allocate 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
	holder=$!
	wait_for 10 test -e /tmp/ready
	set -- $(sed -n 3p /sys/bus/pci/devices/$NV/resource)
	memtype nvme-cmb $holder $(cat /tmp/ready) $1
	is "$user:$kern" "WB:UC-" "memory types, the NVMe's CMB (the kernel's own provider): WB bits for the user, UC- for the kernel"
	touch /tmp/go
	wait $holder
fi
check "mode raw" write_sysfs $a/mode raw
rmmod nvme
rmmod iopmem
exit 0
