# The guest half of `make demo` (scripts/demo.sh): bind the ivshmem BAR,
# say what was bound, run a short fio verify and an ext4 round trip, and
# leave a pattern at a known offset for the host to find in its BAR file.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
modprobe iopmem
echo "$ iopmemctl list --all"
iopmemctl list --all | sed 's/^/  /'
echo "$ iopmemctl bind $dev"
iopmemctl bind $dev > /tmp/bind.out 2>&1
rc=$?
sed 's/^/  /' /tmp/bind.out
is "$rc" 0 "iopmemctl bind $dev"
a=/sys/bus/pci/devices/$dev/iopmem
disk=/dev/$(cat $a/block)
echo "Bound device"
echo "  PCI function   $(lspci -s $dev | cut -d' ' -f2-)"
echo "  BAR            $(cat $a/bar), $(($(cat $a/size) >> 20)) MiB at $(cat $a/phys_addr), mapped $(cat $a/mapping)"
node=$(cat /sys/bus/pci/devices/$dev/numa_node)
[ "$node" = -1 ] && node="-1 (the platform reports no NUMA affinity)"
echo "  NUMA node      $node"
echo "  block device   $disk, $(($(blockdev --getsize64 $disk) >> 20)) MiB, $(cat /sys/block/$(basename $disk)/queue/logical_block_size)/$(cat /sys/block/$(basename $disk)/queue/physical_block_size)-byte blocks"
echo "  mode           $(cat $a/mode), persistent=$(cat $a/persistent)"
echo
echo "fio: random writes (4k-1M, 4 jobs), then crc32c verification of every block"
fio --name=demo --filename=$disk --direct=1 --ioengine=psync --rw=randwrite \
	--bsrange=4k-1m --numjobs=4 --size=16m --offset_increment=16m \
	--verify=crc32c --do_verify=1 --verify_fatal=1 --group_reporting \
	--output-format=json > /tmp/fio.json 2>/tmp/fio.err
rc=$?
echo "  wrote $(($(fio_num write io_bytes /tmp/fio.json) >> 20)) MiB at $(($(fio_num write bw_bytes /tmp/fio.json) >> 20)) MiB/s," \
	"read back and verified $(($(fio_num read io_bytes /tmp/fio.json) >> 20)) MiB at $(($(fio_num read bw_bytes /tmp/fio.json) >> 20)) MiB/s"
is "$rc" 0 "fio verify: zero errors"
echo
echo "ext4: mkfs, mount, write, fsync, umount, fsck, remount, compare"
modprobe ext4
/usr/local/sbin/mkfs.ext4 -q -F $disk
mkdir -p /mnt/demo
mount -t ext4 $disk /mnt/demo
iopmem-pattern write --create -s 11 -l 32m /mnt/demo/file >/dev/null
sum1=$(md5sum < /mnt/demo/file)
sync
umount /mnt/demo
check "fsck -fn: clean" /usr/local/sbin/e2fsck -fn $disk
mount -t ext4 $disk /mnt/demo
sum2=$(md5sum < /mnt/demo/file)
echo "  32 MiB file md5 ${sum1%% *} before, ${sum2%% *} after remount"
is "$sum2" "$sum1" "file content equal after remount"
umount /mnt/demo
echo
off=$((200 * 1024 * 1024))
check "write 1 MiB pattern (seed 2016) at offset 200 MiB of $disk for the host to check" \
	iopmem-pattern write -d -s 2016 -o $off -l 1m $disk
iopmemctl unbind $dev >/dev/null
rmmod iopmem
exit 0
