# Proves: hot-unplug (QEMU device_del, pciehp) of the BAR while it is busy,
# three ways, each followed by a hot-plug of a new BAR device at the same
# slot: (a) fio writing to the raw block device: fio ends with errors;
# (b) a process storing to every page of a devdax mapping in a loop: it
# gets SIGBUS; (c) a P2P copy NVMe -> BAR -> NVMe through a devdax
# mapping: the copy ends with an I/O error, not a signal.  Each time
# nothing hangs, the new device binds and works (the kernel log check of
# the harness covers oopses and hangs).
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
wait_for 10 test -b /dev/nvme0n1

# (a) raw, fio writing
fio --name=w --filename=/dev/iopmem0 --rw=randwrite --bs=4k --direct=1 \
	--ioengine=psync --time_based --runtime=120 > /tmp/fio.out 2>&1 &
fio=$!
sleep 3
check "(a) fio is writing" kill -0 $fio
check "(a) unplug during fio" bar_remove unplug $dev
check "(a) fio ends" wait_for 30 ended $fio
wait $fio
check "(a) fio reports errors" test $? -ne 0
diag "$(grep -i 'err' /tmp/fio.out | head -3)"
check "(a) a new BAR device comes back" bar_return unplug $dev
check "(a) it serves raw I/O" sh -c "iopmem-pattern write -d -s 11 -l 8m /dev/iopmem0 && iopmem-pattern check -d -s 11 -l 8m /dev/iopmem0"

# (b) devdax, a process storing in a loop
check "(b) switch to devdax" write_sysfs $a/mode devdax
rm -f /tmp/ready
dax-test loop /dev/iopmem0.dax 16m /tmp/ready > /tmp/loop.out &
looper=$!
wait_for 10 test -e /tmp/ready
sleep 1
kmsg_mark
check "(b) unplug during the store loop" bar_remove unplug $dev
check "(b) the loop ends" wait_for 30 ended $looper
wait $looper
is "$?:$(cat /tmp/loop.out | cut -d' ' -f1)" "0:SIGBUS" "(b) the looping process got SIGBUS"
check "(b) a new BAR device comes back" bar_return unplug $dev
check "(b) the old pages are released" wait_for 30 pages_settled
check "(b) the new device serves devdax" write_sysfs $a/mode devdax
check "(b) and works" sh -c "dax-test write /dev/iopmem0.dax 0 4m 12 && dax-test check /dev/iopmem0.dax 0 4m 12"

# (c) a P2P copy through a devdax mapping
iopmem-bench --force -c 64 -s 1m -t 8 -D 60 /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax > /tmp/copy.out 2>&1 &
copier=$!
sleep 3
check "(c) the copy is running" kill -0 $copier
kmsg_mark
check "(c) unplug during the copy" bar_remove unplug $dev
check "(c) the copy ends" wait_for 60 ended $copier
wait $copier
is "$?" 3 "(c) the copy stops with an I/O error (exit 3, failed), not a signal"
check "(c) a new BAR device comes back" bar_return unplug $dev
check "(c) the old pages are released" wait_for 30 pages_settled
check "(c) the new device serves devdax" write_sysfs $a/mode devdax
check "(c) and a copy works" iopmem-bench --force -c 8 -s 1m -t 4 /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "the module unloads" rmmod iopmem
rmmod nvme
exit 0
