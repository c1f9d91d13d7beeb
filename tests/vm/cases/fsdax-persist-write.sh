# Power-off persistence, first boot (tests/42-vm-fsdax-persist.t): on a
# persistent BAR in fsdax mode, write and fsync files on ext4 -o dax, store
# through a MAP_SYNC mapping with no msync, write one file without fsync,
# then ask the host to kill the VM with SIGKILL (no clean shutdown).
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe ext4
modprobe iopmem ids=1af4:1110
check "persistent=1" write_sysfs $a/persistent 1
check "posted_durable=1 (MAP_SYNC)" write_sysfs $a/posted_durable 1
check "fsdax mode" write_sysfs $a/mode fsdax
check "mkfs.ext4" /usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mkdir -p /mnt/t
check "mount ext4 -o dax" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
for i in 1 2 3 4; do
	check "write and fsync file $i (seed 5$i, $i MiB)" iopmem-pattern write --create -s 5$i -l ${i}m /mnt/t/synced$i
done
check "create a 2 MiB file for MAP_SYNC stores (fsync)" iopmem-pattern write --create -s 1 -l 2m /mnt/t/mapsync
check "store seed 60 through MAP_SYNC, sfence, no msync" dax-test syncstore /mnt/t/mapsync 2m 60
# Not fsynced: may be lost.  (iopmem-pattern always fsyncs, so use dd.)
dd if=/dev/urandom of=/mnt/t/unsynced bs=64k count=4 2>/dev/null
ok "wrote a file without fsync"
echo "# power-cut"
sleep 1000
