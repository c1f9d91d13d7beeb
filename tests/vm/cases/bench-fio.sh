# bench/run.sh, boot 1: the same fio jobs on iopmem (raw, fsdax block
# device, a file on ext4 -o dax), the kernel's pmem driver on emulated
# pmem (memmap=256M!1G; block device, and a file on ext4 -o dax after
# ndctl makes the namespace fsdax) and brd.  Each result goes to the host
# as "# result TARGET JOB <fio JSON on one line>".
. /cases/tap.sh
. /cases/bench.sh
SIZE=192m

modprobe ext4
mkdir -p /mnt/b

# brd
modprobe brd rd_nr=1 rd_size=262144
run_jobs brd /dev/ram0
rmmod brd

# pmem on memmap= RAM
check "emulated pmem /dev/pmem0" pmem_load
run_jobs pmem-blk /dev/pmem0
if ndctl create-namespace -f -e namespace0.0 -m fsdax -M mem > /tmp/ndctl.out 2>&1 &&
	/usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/b; then
	touch /mnt/b/x
	is "$(dax-test statx /mnt/b/x)" dax "pmem: ext4 -o dax runs DAX"
	run_jobs pmem-dax-file /mnt/b/fio.dat
	umount /mnt/b
else
	not_ok "pmem: fsdax namespace and ext4 -o dax"
	diag "$(cat /tmp/ndctl.out)"
fi

# iopmem
modprobe iopmem ids=1af4:1110
dev=$(pci_find $IVSHMEM_ID)
run_jobs iopmem-raw /dev/iopmem0
check "iopmem: fsdax mode" iopmemctl mode $dev fsdax
run_jobs iopmem-fsdax-blk /dev/iopmem0
/usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mount -t ext4 -o dax /dev/iopmem0 /mnt/b
touch /mnt/b/x
is "$(dax-test statx /mnt/b/x)" dax "iopmem: ext4 -o dax runs DAX"
run_jobs iopmem-dax-file /mnt/b/fio.dat
umount /mnt/b
rmmod iopmem
exit 0
