# Proves (kernels with CONFIG_PCI_P2PDMA): hot-unplug
# (QEMU device_del, a pciehp removal) of a BAR in p2pdma mode while a
# process maps an allocation of it and a copy through p2pmem runs: the
# removal returns, the copy ends with an error instead of hanging, the
# mapper gets SIGBUS at its next touch, other PCI work goes on, and the
# function plugged back serves p2pdma again.
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110
wait_for 10 test -b /dev/nvme0n1
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
p=/sys/bus/pci/devices/$dev/p2pmem
if ! write_sysfs $a/mode p2pdma; then
	echo "# p2pdma-unplug none: $(cat /tmp/write_sysfs.err)"
	rmmod nvme; rmmod iopmem
	exit 0
fi
rm -f /tmp/ready /tmp/go
dax-test hold $p/allocate 2m /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
holder=$!
check "an allocation is mapped" wait_for 10 test -e /tmp/ready
iopmem-bench --force -c 64 -s 1m -t 2 -D 600 --dst-offset 512m /dev/nvme0n1 /dev/nvme0n1 $p/allocate \
	> /tmp/copy.out 2>&1 &
copier=$!
sleep 2
check "a copy through p2pmem is running" test -e /proc/$copier
kmsg_mark
check "unplug with the allocation mapped and the copy running returns" bar_remove unplug $dev
check "the copy ends (no hang)" wait_for 60 ended $copier
wait $copier
rc=$?
[ $rc != 0 ] && ok "... with an error (exit $rc)" || not_ok "... with an error (exit 0)"
diag "$(tail -n 2 /tmp/copy.out)"
touch /tmp/go
wait $holder
is "$?" 0 "the mapper gets SIGBUS at its next touch"
check "a PCI bus rescan is not blocked" timeout 20 sh -c 'echo 1 > /sys/bus/pci/rescan'
check "the function comes back" bar_return unplug $dev
check "mode p2pdma on it" write_sysfs $a/mode p2pdma
is "$(cat $p/published 2>/dev/null)" 1 "... published"
check "mode raw" write_sysfs $a/mode raw
rmmod nvme
rmmod iopmem
exit 0
