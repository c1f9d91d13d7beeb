# Proves (with the host half in tests/41-vm-fsdax-p2p.t): P2P into files.
# O_DIRECT from the NVMe into an mmap of a file on ext4 -o dax lands in the
# BAR (NVMe 16 MiB -> file -> NVMe 512 MiB); the guest says where the file's
# blocks are, so the host can find the bytes in the BAR's backing file.
. /cases/tap.sh
modprobe nvme
modprobe ext4
modprobe iopmem ids=1af4:1110 mode=fsdax
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
/usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mkdir -p /mnt/t
check "mount ext4 -o dax" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
check "a 64 MiB buffer file" iopmem-pattern write --create -s 1 -l 64m /mnt/t/buffer
check "fill NVMe 16..80 MiB with seed 88" iopmem-pattern write -d -s 88 -o 16m -b 0 -l 64m /dev/nvme0n1
iopmem-bench --force -c 64 -s 1m -t 4 --src-offset 16m --dst-offset 512m \
	/dev/nvme0n1 /dev/nvme0n1 /mnt/t/buffer > /tmp/p2p.out 2>&1
is "$?" 0 "P2P copy NVMe -> file on the DAX fs -> NVMe succeeds"
diag "$(cat /tmp/p2p.out)"
check "the file holds the NVMe's 64 MiB" iopmem-pattern check -s 88 -b 0 -l 64m /mnt/t/buffer
check "NVMe 512 MiB holds them too" iopmem-pattern check -d -s 88 -o 512m -b 0 -l 64m /dev/nvme0n1
# The file's extents: "# extent FILE_OFFSET BAR_OFFSET LENGTH" in bytes
# (offsets in /dev/iopmem0 are offsets in the BAR).
filefrag -e -b4096 /mnt/t/buffer |
	awk -F'[: .]+' '/^ *[0-9]+:/ { print "# extent", $3 * 4096, $5 * 4096, $7 * 4096 }'
umount /mnt/t
rmmod nvme
rmmod iopmem
exit 0
