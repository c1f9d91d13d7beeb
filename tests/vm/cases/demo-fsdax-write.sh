# `make demo`, second boot: ext4 -o dax on the BAR (fsdax, persistent),
# write a file, fsync, then a clean power-off.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe ext4
modprobe iopmem
iopmemctl bind $dev --persistent >/dev/null
check "iopmemctl mode $dev fsdax (bound --persistent)" iopmemctl mode $dev fsdax
/usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mkdir -p /mnt/dax
check "mount ext4 -o dax on /dev/iopmem0" mount -t ext4 -o dax /dev/iopmem0 /mnt/dax
echo "  $(grep ' /mnt/dax ' /proc/mounts)"
echo "iopmem was here: $(date -u)" > /mnt/dax/hello.txt
iopmem-pattern write --create -s 2018 -l 8m /mnt/dax/data.bin >/dev/null
sync
echo "  /mnt/dax/hello.txt: $(cat /mnt/dax/hello.txt)"
echo "  /mnt/dax/data.bin:  8 MiB, $(dax-test statx /mnt/dax/data.bin) (statx), md5 $(md5sum < /mnt/dax/data.bin | cut -d' ' -f1)"
umount /mnt/dax
rmmod iopmem
exit 0
