# Proves: coherency rules.  A mode is busy while its device is open,
# mounted or mapped: switching mode, BAR or align then gets EBUSY and a
# message, and loses nothing; O_EXCL opens are exclusive.  Unbind while a
# process maps the device zaps the mapping (the next touch gets SIGBUS, no
# oops), even after a new device is bound at the same address; the module
# unloads once that process is gone.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
drv=/sys/bus/pci/drivers/iopmem
modprobe iopmem ids=1af4:1110 mode=devdax
modprobe ext4
is "$(cat $a/mode)" devdax "mode=devdax at load gives devdax"
D=/dev/iopmem0.dax
check "write a pattern" dax-test write $D 0 4m 31

# Open (no mapping).
sleep 30 < $D &
holder=$!; sleep 1
kmsg_mark
check_fails "mode switch while the dax device is open: refused" write_sysfs $a/mode raw
is "$(grep -o 'Device or resource busy' /tmp/write_sysfs.err)" "Device or resource busy" "the refusal is EBUSY"
check_kmsg "devdax mode is in use" "the kernel says devdax is in use"
check_fails "align change while open: refused" write_sysfs $a/align 4K
kill $holder; wait $holder 2>/dev/null

# Mapped (the file descriptor closed, the mapping holds the file).
rm -f /tmp/ready /tmp/go
dax-test hold $D 2m /tmp/ready /tmp/go > /tmp/hold.out &
holder=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
check_fails "mode switch while mapped: refused" write_sysfs $a/mode raw
check_fails "BAR switch while mapped: refused" write_sysfs $a/bar 0
touch /tmp/go; wait $holder

check "O_EXCL opens are exclusive" dax-test excl $D
check "switch to raw when idle" write_sysfs $a/mode raw
check "the pattern survived the refused switches" iopmem-pattern check -d -s 31 -l 4m -o 0 /dev/iopmem0 -b 0

# Mounted.
/usr/local/sbin/mkfs.ext4 -q -F /dev/iopmem0
mkdir -p /mnt/t
mount -t ext4 /dev/iopmem0 /mnt/t
iopmem-pattern write --create -s 3 -l 1m /mnt/t/f >/dev/null
check_fails "switch to devdax while mounted: refused" write_sysfs $a/mode devdax
check "the mounted file system still works" iopmem-pattern check -s 3 -l 1m /mnt/t/f
umount /mnt/t
check "switch to devdax after umount" write_sysfs $a/mode devdax
check "write a pattern at 64 MiB" dax-test write $D 64m 4m 32

# Unbind while mapped.
rm -f /tmp/ready /tmp/go
dax-test hold $D 4m /tmp/ready /tmp/go > /tmp/hold.out &
holder=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
check "unbind while a process maps the device" write_sysfs $drv/unbind $dev
check_fails "rmmod refused while the process holds the old device" rmmod iopmem
# A new device at the same address must not revive the old mapping.
echo iopmem > /sys/bus/pci/devices/$dev/driver_override
check "bind again (a new devdax device, same BAR)" write_sysfs $drv/bind $dev
check "the new device works and sees the data" dax-test check $D 64m 4m 32
touch /tmp/go
wait $holder
rc=$?
is "$rc:$(cat /tmp/hold.out)" "0:a touch after removal: SIGBUS" "the old mapping's next touch gets SIGBUS"
check "unbind the new device" write_sysfs $drv/unbind $dev
echo > /sys/bus/pci/devices/$dev/driver_override
check "the module unloads once the process is gone" rmmod iopmem
exit 0
