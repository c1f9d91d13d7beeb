# `make demo`, third boot on the same BAR file: the file is still there.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe ext4
modprobe iopmem
iopmemctl bind $dev --persistent >/dev/null
iopmemctl mode $dev fsdax >/dev/null
mkdir -p /mnt/dax
check "mount ext4 -o dax after the restart" mount -t ext4 -o dax /dev/iopmem0 /mnt/dax
echo "  /mnt/dax/hello.txt: $(cat /mnt/dax/hello.txt 2>&1)"
echo "  /mnt/dax/data.bin:  md5 $(md5sum < /mnt/dax/data.bin | cut -d' ' -f1)"
check "data.bin holds its 8 MiB pattern" iopmem-pattern check -s 2018 -l 8m /mnt/dax/data.bin
umount /mnt/dax
check "e2fsck -fn: clean" /usr/local/sbin/e2fsck -fn /dev/iopmem0
rmmod iopmem
exit 0
