# Power-off persistence, second boot on the same BAR file: every fsynced
# file and the MAP_SYNC stores are intact; the file system checks clean
# after the journal replay at mount.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe ext4
modprobe iopmem ids=1af4:1110
check "persistent=1" write_sysfs $a/persistent 1
check "posted_durable=1 (MAP_SYNC)" write_sysfs $a/posted_durable 1
check "fsdax mode" write_sysfs $a/mode fsdax
mkdir -p /mnt/t
check "mount ext4 -o dax (replays the journal)" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
for i in 1 2 3 4; do
	check "fsynced file $i survived the power cut" iopmem-pattern check -s 5$i -l ${i}m /mnt/t/synced$i
done
check "the MAP_SYNC stores survived without msync" iopmem-pattern check -s 60 -l 2m /mnt/t/mapsync
if [ -e /mnt/t/unsynced ]; then diag "the unsynced file is there ($(stat -c %s /mnt/t/unsynced) bytes)"; else diag "the unsynced file was lost (allowed)"; fi
check "umount" umount /mnt/t
check "e2fsck -fn: clean" /usr/local/sbin/e2fsck -fn /dev/iopmem0
rmmod iopmem
exit 0
