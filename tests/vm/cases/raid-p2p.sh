# Proves (with the host half in tests/34-vm-raid-p2p.t; topology raid: two
# NVMe drives, NSIDs 1 and 2, and the BAR below one switch): P2P copies
# through stacked block devices.  For each of md RAID0 and RAID1 over a
# partition of each drive, dm-linear over a partition of the first, and
# dm-striped over a partition of each: iopmemctl check follows the stack to
# its member drives and says yes; iopmem-bench (whose route check does the
# same) copies 32 MiB DEV -> BAR -> DEV through /dev/iopmem0.dax, and the
# bytes are checked in the guest.  Each copy is marked in QEMU's trace by a
# read of MARKER_LBA on nvme0n1 just before and after it; the last
# (segment 4, the control) goes through a RAM buffer.  Then dm-crypt and
# md RAID5, which handle the data with the CPU: their copies must be right
# too (the host reads where their DMA went).
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
for m in md_mod raid0 raid1 raid456 dm_mod dm_crypt xts; do modprobe $m; done
export DM_DISABLE_UDEV=1	# no udev here: dmsetup makes its nodes itself
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
for i in $(seq 1 20); do [ -b /dev/nvme0n1 ] && [ -b /dev/nvme1n1 ] && break; sleep 0.5; done
check "two NVMe drives and /dev/iopmem0.dax" test -b /dev/nvme0n1 -a -b /dev/nvme1n1 -a -c /dev/iopmem0.dax
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
# 1000 MiB in 512-byte blocks: past the partitions.
marker=$((1000 * 2048))
echo "# marker-lba $marker"
# Which drive is nvme0n1 (the drives probe in either order): its NSID.
echo "# nvme0n1-nsid $(cat /sys/block/nvme0n1/nsid)"
mark() { dd if=/dev/nvme0n1 of=/dev/null bs=4k count=1 skip=$((marker / 8)) iflag=direct 2>/dev/null; }
for d in nvme0n1 nvme1n1; do
	check "$d: GPT with four 180 MiB and two 100 MiB partitions" sh -c \
		"printf 'label: gpt\n,180M\n,180M\n,180M\n,180M\n,100M\n,100M\n' | sfdisk -q /dev/$d"
done
sleep 1
sectors() { cat /sys/class/block/$1/size; }

check "md RAID0 over nvme0n1p1 and nvme1n1p1" sh -c "mdadm --create /dev/md0 --run --level=0 \
	--raid-devices=2 --chunk=256 /dev/nvme0n1p1 /dev/nvme1n1p1 2>&1"
check "md RAID1 over nvme0n1p2 and nvme1n1p2 (no resync: --assume-clean)" sh -c "mdadm --create \
	/dev/md1 --run --level=1 --assume-clean --raid-devices=2 /dev/nvme0n1p2 /dev/nvme1n1p2 2>&1"
# No clean/dirty superblock write in the middle of a copy (md's safe mode).
echo 3600 > /sys/block/md1/md/safe_mode_delay
# Layers that touch the data with the CPU: dm-crypt (AES-XTS, a fixed test
# key) and md RAID5 (parity).
check "dm-crypt (aes-xts-plain64) over nvme0n1p5" dmsetup create cr --table \
	"0 $(sectors nvme0n1p5) crypt aes-xts-plain64 $(printf '%064d' 7) 0 /dev/nvme0n1p5 0"
# (Two members, one per drive: md warns of two on one disk.)
check "md RAID5 over nvme0n1p6 and nvme1n1p6 (--assume-clean)" sh -c "mdadm --create \
	/dev/md2 --run --level=5 --assume-clean --raid-devices=2 --chunk=64 /dev/nvme0n1p6 /dev/nvme1n1p6 2>&1"
echo 3600 > /sys/block/md2/md/safe_mode_delay
check "dm-linear over nvme0n1p3" dmsetup create lin --table "0 $(sectors nvme0n1p3) linear /dev/nvme0n1p3 0"
s=$(( ($(sectors nvme0n1p4) / 1024) * 1024 * 2 ))
check "dm-striped over nvme0n1p4 and nvme1n1p4 (256 KiB chunks)" dmsetup create str \
	--table "0 $s striped 2 512 /dev/nvme0n1p4 0 /dev/nvme1n1p4 0"

# layer NAME DEV MEMBERS BAR_MIB SEED: one copy, one trace segment.
layer() {
	iopmemctl check "$2" /dev/iopmem0.dax > /tmp/check.out 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q "yes: every member ($3) can DMA to $dev" /tmp/check.out; then
		ok "$1: iopmemctl check follows $2 to its $3 member(s): yes"
	else
		not_ok "$1: iopmemctl check follows $2 to its $3 member(s): yes"; diag "exit $rc: $(cat /tmp/check.out)"
	fi
	check "$1: fill $2 0..32 MiB with seed $5" iopmem-pattern write -d -s $5 -o 0 -b 0 -l 32m $2
	mark
	iopmem-bench --force -c 32 -s 1m -t 2 -o ${4}m --src-offset 0 --dst-offset 64m $2 $2 /dev/iopmem0.dax > /tmp/bench.out 2>&1
	rc=$?
	mark
	is "$rc" 0 "$1: iopmem-bench copies 32 MiB $2 -> BAR at $4 MiB -> $2 (route check passed)"
	[ $rc = 0 ] || diag "$(cat /tmp/bench.out)"
	check "$1: $2 at 64 MiB holds what was at 0" iopmem-pattern check -d -s $5 -o 64m -b 0 -l 32m $2
	check "$1: the BAR holds it at $4 MiB (guest view)" dax-test check /dev/iopmem0.dax ${4}m 32m $5 0
}
echo "# segment 0 raid0"
layer "md RAID0" /dev/md0 2 0 21
echo "# segment 1 raid1"
layer "md RAID1" /dev/md1 2 32 22
echo "# segment 2 linear"
layer "dm-linear" /dev/mapper/lin 1 64 23
echo "# segment 3 striped"
layer "dm-striped" /dev/mapper/str 2 96 24

# The control: the same copy through a RAM buffer must show in the trace.
echo "# segment 4 raid0 --bounce"
check "md RAID0: fill /dev/md0 0..32 MiB with seed 25" iopmem-pattern write -d -s 25 -o 0 -b 0 -l 32m /dev/md0
mark
check "md RAID0: the same copy through a RAM buffer (--bounce)" iopmem-bench --force --bounce -c 32 -s 1m -t 2 \
	--src-offset 0 --dst-offset 64m /dev/md0 /dev/md0 -
mark
# What the CPU layers do with the BAR's pages: the copies must be right
# (through a bounce or not); the host reads where the DMA went.
echo "# segment 5 dm-crypt"
layer "dm-crypt" /dev/mapper/cr 1 128 26
echo "# segment 6 raid5"
layer "md RAID5" /dev/md2 2 160 27
check "remove the dm devices" dmsetup remove lin str cr
check "stop the md arrays" mdadm --stop /dev/md0 /dev/md1 /dev/md2
rmmod nvme
rmmod iopmem
exit 0
