# Proves: partitions come back after every change that re-creates the
# block device (mode, BAR), and opens that end by themselves, as udev's
# blkid probes make right after a device appears, do not make a change
# fail: 20 mode changes with a prober opening the disk in a loop all
# succeed, and "bind, then at once echo fsdax > mode" works while a probe
# of the new disk runs.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
drv=/sys/bus/pci/drivers/iopmem
modprobe iopmem ids=1af4:1110
printf 'label: dos\n,32M\n,32M\n' | /usr/local/sbin/sfdisk -q /dev/iopmem0 >/dev/null 2>&1
check "two partitions" test -b /dev/iopmem0p2
for m in fsdax raw; do
	check "switch to $m" write_sysfs $a/mode $m
	check "$m: partitions are there again" test -b /dev/iopmem0p1 -a -b /dev/iopmem0p2
	check "$m: partition 2 reads" dd if=/dev/iopmem0p2 of=/dev/null bs=4k count=1
done
check "switch to devdax and back to raw" sh -c "echo devdax > $a/mode && echo raw > $a/mode"
check "raw after devdax: partitions are there again" test -b /dev/iopmem0p2

rm -f /tmp/stop
(while [ ! -e /tmp/stop ]; do dd if=/dev/iopmem0 of=/dev/null bs=4k count=1 2>/dev/null; done) &
prober=$!
n=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	write_sysfs $a/mode fsdax && n=$((n + 1))
	write_sysfs $a/mode raw && n=$((n + 1))
done
touch /tmp/stop
wait $prober
is "$n" 20 "20 mode changes while a prober opens the disk in a loop"

check "unbind" write_sysfs $drv/unbind $dev
write_sysfs $drv/bind $dev
/usr/local/sbin/blkid /dev/iopmem0 >/dev/null 2>&1 &
check "bind, then at once fsdax while blkid probes" write_sysfs $a/mode fsdax
wait
check "unbind" write_sysfs $drv/unbind $dev
check "the module unloads" rmmod iopmem
exit 0
