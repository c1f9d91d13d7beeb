# Proves: unbind while the block device is open or mounted does not oops:
# I/O then fails with an error, umount and close work, the module unloads
# once the last user is gone.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
drv=/sys/bus/pci/drivers/iopmem
modprobe iopmem ids=1af4:1110
modprobe ext4

# Open (a reader holding the device) during unbind.
exec 4</dev/iopmem0
check "unbind while open" write_sysfs $drv/unbind $dev
check_fails "read through the stale descriptor fails" dd if=/dev/fd/4 of=/dev/null bs=4096 count=1 iflag=direct
check_fails "rmmod refused while the old disk is open" rmmod iopmem
exec 4<&-
check "bind again" write_sysfs $drv/bind $dev
check "/dev/iopmem0 is back" test -b /dev/iopmem0

# Mounted during unbind.
/usr/local/sbin/mkfs.ext4 -q -F /dev/iopmem0
mkdir -p /mnt/t
check "mount" mount -t ext4 /dev/iopmem0 /mnt/t
iopmem-pattern write --create -s 1 -l 1m /mnt/t/a >/dev/null
check "unbind while mounted" write_sysfs $drv/unbind $dev
check_fails "writing and syncing a file then fails" sh -c 'iopmem-pattern write --create -s 2 -l 4m /mnt/t/b'
check "umount after removal" umount /mnt/t
check "module unloads once the last user is gone" rmmod iopmem
check "module loads and binds again" modprobe iopmem ids=1af4:1110
check "/dev/iopmem0 is back" test -b /dev/iopmem0
check "fsck after the removal" /usr/local/sbin/e2fsck -fn /dev/iopmem0
rmmod iopmem
exit 0
