# Proves: devdax pages record who maps them (page->mapping, as device-dax
# does), so that memory_failure() on a BAR page (injected with
# MADV_HWPOISON, as a machine check would report it) finds the process
# that maps it and sends it SIGBUS (BUS_MCEERR_AR).  Also: persistent
# cannot flip while a MAP_SYNC mapping exists.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110 mode=devdax
D=/dev/iopmem0.dax
# /proc/sys/vm/memory_failure_recovery exists iff CONFIG_MEMORY_FAILURE.
if [ -e /proc/sys/vm/memory_failure_recovery ]; then
	is "$(dax-test poison $D)" "SIGBUS BUS_MCEERR_AR" "memory_failure() finds the mapper of a devdax page: SIGBUS, action required"
else
	ok "# SKIP this kernel has no CONFIG_MEMORY_FAILURE: memory_failure() cannot be injected"
fi

write_sysfs $a/persistent 1
write_sysfs $a/posted_durable 1
rm -f /tmp/ready /tmp/go
dax-test hold $D 2m /tmp/ready /tmp/go > /dev/null &
holder=$!
wait_for 10 test -e /tmp/ready
check_fails "persistent cannot flip while the device is mapped" write_sysfs $a/persistent 0
is "$(cat $a/persistent)" 1 "persistent stays 1"
touch /tmp/go
wait $holder
check "persistent flips once unmapped" write_sysfs $a/persistent 0
write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "the module unloads" rmmod iopmem
exit 0
