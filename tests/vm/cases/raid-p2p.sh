# Proves (with the host half in tests/34-vm-raid-p2p.t; topology raid:
# NVMe namespaces with NSIDs 1 to 5, NSID 5 shared by two controllers, and
# the BAR below one switch): P2P copies through stacked block devices.
# For each of md RAID0 and RAID1 over a partition of NSIDs 1 and 2,
# dm-linear over a partition of NSID 1, dm-striped over a partition of
# each, and the NVMe multipath namespace (NSID 5, round-robin over its two
# controllers): iopmemctl check follows the stack to its member drives and
# says yes; iopmem-bench (whose route check does the same) copies 32 MiB
# DEV -> BAR -> DEV through /dev/iopmem0.dax, the bytes are checked in the
# guest, and iopmem-bench's per-member counts show every member writing.
# Each copy is marked in QEMU's trace by a read of MARKER_LBA on NSID 1
# just before and after it; one (the control) goes through a RAM buffer.
# Then dm-crypt and md RAID5 and RAID6, which handle the data with the
# CPU: their copies must be right too (the host reads where their DMA
# went).  On a kernel with CONFIG_PCI_P2PDMA, the same layers again with
# the kernel's own P2PDMA memory (nvme0's CMB, p2pmem/allocate): a copy
# is right or refused with an error, never silently wrong.
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
for m in md_mod raid0 raid1 raid456 dm_mod dm_crypt xts; do modprobe $m; done
export DM_DISABLE_UDEV=1	# no udev here: dmsetup makes its nodes itself
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
all_ns() { for n in 1 2 3 4 5; do ns $n >/dev/null || return 1; done; }
wait_for 30 all_ns
check "five NVMe namespaces (NSIDs 1 to 5) and /dev/iopmem0.dax" sh -c "test -c /dev/iopmem0.dax"
all_ns || not_ok "NSIDs 1 to 5 present: $(ls /sys/block)"
A=$(ns 1) B=$(ns 2) C=$(ns 3) D=$(ns 4) M=$(ns 5)
echo "# namespaces 1=$A 2=$B 3=$C 4=$D 5=$M"
# mpaths NSID: its multipath path nodes (nvmeScCnH, hidden from /dev)
mpaths() { for b in /sys/block/nvme*c*; do [ -e "$b/nsid" ] && [ "$(cat $b/nsid)" = "$1" ] && echo "${b##*/}"; done; }
is "$(mpaths 5 | wc -l)" 2 "NSID 5 ($M) is one namespace over two controllers (NVMe multipath: $(mpaths 5 | tr '\n' ' '))"
for s in /sys/class/nvme-subsystem/*; do
	[ -e "$s/$M" ] && echo round-robin > "$s/iopolicy"
done
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
# 1000 MiB in 512-byte blocks: past the partitions.
marker=$((1000 * 2048))
echo "# marker-lba $marker"
mark() { dd if=/dev/$A of=/dev/null bs=4k count=1 skip=$((marker / 8)) iflag=direct 2>/dev/null; }
for d in $A $B; do
	check "$d: GPT with four 120 MiB and three 100 MiB partitions" sh -c \
		"printf 'label: gpt\n,120M\n,120M\n,120M\n,120M\n,100M\n,100M\n,100M\n' | sfdisk -q /dev/$d"
done
sleep 1
sectors() { cat /sys/class/block/$1/size; }

check "md RAID0 over ${A}p1 and ${B}p1" sh -c "mdadm --create /dev/md0 --run --level=0 \
	--raid-devices=2 --chunk=256 /dev/${A}p1 /dev/${B}p1 2>&1"
check "md RAID1 over ${A}p2 and ${B}p2 (no resync: --assume-clean)" sh -c "mdadm --create \
	/dev/md1 --run --level=1 --assume-clean --raid-devices=2 /dev/${A}p2 /dev/${B}p2 2>&1"
# No clean/dirty superblock write in the middle of a copy (md's safe mode).
echo 3600 > /sys/block/md1/md/safe_mode_delay
# Layers that touch the data with the CPU: dm-crypt (AES-XTS, a fixed test
# key) and md RAID5 and RAID6 (parity).
check "dm-crypt (aes-xts-plain64) over ${A}p5" dmsetup create cr --table \
	"0 $(sectors ${A}p5) crypt aes-xts-plain64 $(printf '%064d' 7) 0 /dev/${A}p5 0"
# (One member per disk: md warns of two on one disk.)
check "md RAID5 over ${A}p6 and ${B}p6 (--assume-clean)" sh -c "mdadm --create \
	/dev/md2 --run --level=5 --assume-clean --raid-devices=2 --chunk=64 /dev/${A}p6 /dev/${B}p6 2>&1"
echo 3600 > /sys/block/md2/md/safe_mode_delay
check "md RAID6 over ${A}p7, ${B}p7, $C and $D (--assume-clean)" sh -c "mdadm --create \
	/dev/md3 --run --level=6 --assume-clean --raid-devices=4 --chunk=64 \
	/dev/${A}p7 /dev/${B}p7 /dev/$C /dev/$D 2>&1"
echo 3600 > /sys/block/md3/md/safe_mode_delay
check "dm-linear over ${A}p3" dmsetup create lin --table "0 $(sectors ${A}p3) linear /dev/${A}p3 0"
s=$(( ($(sectors ${A}p4) / 1024) * 1024 * 2 ))
check "dm-striped over ${A}p4 and ${B}p4 (256 KiB chunks)" dmsetup create str \
	--table "0 $s striped 2 512 /dev/${A}p4 0 /dev/${B}p4 0"

# members_busy JSON N: iopmem-bench's JSON (spaces taken out) names N
# members, and each of them wrote (RAID1 may read from one only).
members_busy() {
	[ "$(grep -o '"device"' "$1" | wc -l)" = "$2" ] && ! grep -q '"written_bytes":0}' "$1"
}
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
	iopmem-bench --force --json -c 32 -s 1m -t 2 -o ${4}m --src-offset 0 --dst-offset 64m $2 $2 \
		/dev/iopmem0.dax > /tmp/bench.out 2>&1
	rc=$?
	mark
	is "$rc" 0 "$1: iopmem-bench copies 32 MiB $2 -> BAR at $4 MiB -> $2 (route check passed)"
	[ $rc = 0 ] || diag "$(cat /tmp/bench.out)"
	tr -d ' \n' < /tmp/bench.out > /tmp/bench.json
	if [ "$3" -gt 1 ] && members_busy /tmp/bench.json "$3"; then
		ok "$1: iopmem-bench's per-member counts: each of the $3 members wrote"
	elif [ "$3" -gt 1 ]; then
		not_ok "$1: iopmem-bench's per-member counts: each of the $3 members wrote"
		diag "$(cat /tmp/bench.out)"
	fi
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
echo "# segment 7 multipath"
layer "NVMe multipath" /dev/$M 2 192 28
echo "# segment 8 raid6"
layer "md RAID6" /dev/md3 4 224 29

# The kernel's own P2PDMA memory through the same layers (kernels with
# CONFIG_PCI_P2PDMA; QEMU's nvme0, NSID 1, publishes its CMB).
cmb=
for c in /sys/class/nvme/nvme*; do
	[ "$(tr -d ' ' < $c/serial)" = iopmem-nvme0 ] && cmb=$(basename "$(readlink -f $c/device)")
done
p2pmem=/sys/bus/pci/devices/$cmb/p2pmem/allocate
if [ -n "$cmb" ] && [ -e "$p2pmem" ]; then
	# The CMB is the BAR p2pmem/size fits in (QEMU puts it in BAR 2).
	set -- $(sed -n 3p /sys/bus/pci/devices/$cmb/resource)
	echo "# cmb-range $1 $(($2 - $1 + 1))"
	echo "# p2pmem $cmb $(cat /sys/bus/pci/devices/$cmb/p2pmem/size) bytes"
	seg=9 seed=40
	for l in "nvme:/dev/${B}p3" "md RAID0:/dev/md0" "md RAID1:/dev/md1" "NVMe multipath:/dev/$M" \
		 "dm-linear:/dev/mapper/lin" "dm-striped:/dev/mapper/str" "dm-crypt:/dev/mapper/cr" \
		 "md RAID5:/dev/md2" "md RAID6:/dev/md3"; do
		name=${l%%:*} d=${l#*:}
		iopmem-pattern write -d -s $seed -o 0 -b 0 -l 8m $d
		mark
		iopmem-bench --force -c 8 -s 1m -t 2 --src-offset 0 --dst-offset 64m $d $d $p2pmem \
			> /tmp/bench.out 2>&1
		rc=$?
		mark
		if [ $rc = 0 ]; then
			echo "# p2pmem-result $seg $name copied"
			check "p2pmem, $name: the copy through nvme0's CMB is right" \
				iopmem-pattern check -d -s $seed -o 64m -b 0 -l 8m $d
		elif grep -q "Remote I/O error" /tmp/bench.out; then
			echo "# p2pmem-result $seg $name refused"
			# Refused before any I/O: DST holds none of it.
			check_fails "p2pmem, $name: refused with EREMOTEIO (Remote I/O error), DST untouched" \
				iopmem-pattern check -d -s $seed -o 64m -b 0 -l 8m $d
		else
			echo "# p2pmem-result $seg $name failed"
			not_ok "p2pmem, $name: the copy is right or refused with EREMOTEIO"; diag "$(cat /tmp/bench.out)"
		fi
		seg=$((seg + 1)) seed=$((seed + 1))
	done
else
	echo "# p2pmem none: $(uname -r) has no P2PDMA provider here (CONFIG_PCI_P2PDMA off)"
fi
check "remove the dm devices" dmsetup remove lin str cr
check "stop the md arrays" mdadm --stop /dev/md0 /dev/md1 /dev/md2 /dev/md3
rmmod nvme
rmmod iopmem
exit 0
