# Proves (BAR of 512 MiB, enough for xfs): fsdax mode gives /dev/iopmem0
# with a dax_device: ext4 -o dax and xfs -o dax=always run in DAX mode
# (mount options, statx DAX attribute, the kernel's word), files write,
# read and mmap, fsck is clean; MAP_SYNC is refused unless the BAR is
# marked persistent and its posted writes durable, and msync of a DAX file
# reads the BAR back otherwise; mode switches raw <-> fsdax <->
# devdax keep the BAR's bytes and are refused while mounted.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110
modprobe ext4
modprobe xfs
size=$(cat $a/size)

# Bytes survive every mode switch.
check "raw: write a pattern at 300 MiB" iopmem-pattern write -d -s 41 -o 300m -l 8m /dev/iopmem0
check "switch to fsdax" write_sysfs $a/mode fsdax
is "$(cat $a/mode):$(cat $a/block)" fsdax:iopmem0 "fsdax mode serves the block device iopmem0"
is "$(blockdev --getsize64 /dev/iopmem0)" "$size" "capacity is the whole BAR (no metadata in the BAR)"
is "$(cat /sys/block/iopmem0/queue/dax)" 1 "the queue says DAX"
is "$(cat $a/struct_page_bytes)" $((size / 4096 * 64)) "struct pages reported"
check "fsdax: the pattern is there" iopmem-pattern check -d -s 41 -o 300m -l 8m /dev/iopmem0
check "switch to devdax" write_sysfs $a/mode devdax
check "devdax: the pattern is there" dax-test check /dev/iopmem0.dax 300m 8m 41
check "switch back to fsdax" write_sysfs $a/mode fsdax

# ext4 -o dax
check "mkfs.ext4" /usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mkdir -p /mnt/t
check "mount ext4 -o dax" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
# (6.1's ext4 prints nothing about DAX at mount: the options and statx say it)
check "/proc/mounts shows dax" grep -q 'iopmem0 /mnt/t ext4 .*dax' /proc/mounts
check "write a file" iopmem-pattern write --create -s 42 -l 24m /mnt/t/file
is "$(dax-test statx /mnt/t/file)" dax "the file is in DAX mode (statx)"
check "read it back" iopmem-pattern check -s 42 -l 24m /mnt/t/file
check "write through an mmap of the file, msync" dax-test write /mnt/t/file 4m 4m 43
check "read through another mmap" dax-test check /mnt/t/file 4m 4m 43
is "$(dax-test mmap /mnt/t/file 0 2m sync)" EOPNOTSUPP "MAP_SYNC refused: the BAR is not marked persistent"
kmsg_mark
check_fails "persistent=1 while mounted: refused" write_sysfs $a/persistent 1
check_kmsg "fsdax mode is in use" "the kernel says fsdax is in use"
check_fails "mode switch while mounted: refused" write_sysfs $a/mode raw
check "umount" umount /mnt/t
check "e2fsck -fn: clean" /usr/local/sbin/e2fsck -fn /dev/iopmem0
check "persistent=1 after umount" write_sysfs $a/persistent 1
check "mount again" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
is "$(dax-test mmap /mnt/t/file 0 2m sync)" EOPNOTSUPP "MAP_SYNC refused on a persistent BAR without posted_durable"
f0=$(cat $a/flushes)
check "msync of a DAX file mapping" dax-test write /mnt/t/file 4m 4m 43
f1=$(cat $a/flushes)
check "msync of a DAX file reads the BAR back (flushes $f0 -> $f1)" test "$f1" -gt "$f0"
umount /mnt/t
check "posted_durable=1 after umount" write_sysfs $a/posted_durable 1
check "mount again" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
is "$(dax-test mmap /mnt/t/file 0 2m sync)" ok "MAP_SYNC works with persistent=1 and posted_durable=1"
check "the mmap-written data is there" dax-test check /mnt/t/file 4m 4m 43
umount /mnt/t
check "switch to raw after umount" write_sysfs $a/mode raw
check "raw: the file system is intact" /usr/local/sbin/e2fsck -fn /dev/iopmem0
check "switch to fsdax" write_sysfs $a/mode fsdax

# xfs -o dax=always
check "mkfs.xfs" /usr/local/sbin/mkfs.xfs -q -f /dev/iopmem0
kmsg_mark
check "mount xfs -o dax=always" mount -t xfs -o dax=always /dev/iopmem0 /mnt/t
check "/proc/mounts: xfs with dax=always" grep -q "^/dev/iopmem0 /mnt/t xfs .*dax=always" /proc/mounts
check "write a file" iopmem-pattern write --create -s 44 -l 24m /mnt/t/file
is "$(dax-test statx /mnt/t/file)" dax "the file is in DAX mode (statx)"
check "write through an mmap of the file, msync" dax-test write /mnt/t/file 8m 4m 45
check "read it back through another mmap" dax-test check /mnt/t/file 8m 4m 45
is "$(dax-test mmap /mnt/t/file 0 2m sync)" ok "MAP_SYNC works on a persistent BAR (xfs)"
check "umount" umount /mnt/t
check "xfs_repair -n: clean" /usr/local/sbin/xfs_repair -n /dev/iopmem0
check "mount again: the data is there" sh -c "mount -t xfs -o dax=always /dev/iopmem0 /mnt/t && iopmem-pattern check -s 44 -l 4m /mnt/t/file && dax-test check /mnt/t/file 8m 4m 45"
umount /mnt/t
rmmod iopmem
exit 0
