# bench/run.sh, boot 2 (topology raid, a guest that counts instructions):
# P2P against bounce, NVMe -> BAR or RAM -> NVMe, 256 x 1 MiB chunks, 4
# in flight, once each, and the same through an md RAID0 of two drives.
# Each run starts and ends with a marker read (dma_mark), so that the host can
# count from QEMU's trace the bytes each run's NVMe commands moved to and
# from the BAR and RAM (bench/dma-bytes.awk).  Results go to the host as
# "# result p2p NAME <iopmem-bench JSON on one line>" and "# mark N NAME".
. /cases/tap.sh
. /cases/bench.sh
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
modprobe md_mod
modprobe raid0
wait_for 30 sh -c '. /cases/tap.sh; ns 1 && ns 2' >/dev/null
dev=$(pci_find $IVSHMEM_ID)
echo "# bar-range $(cat /sys/bus/pci/devices/$dev/iopmem/phys_addr) $(cat /sys/bus/pci/devices/$dev/iopmem/size)"
# NSIDs 1 and 2: the two 1 GiB drives.
A=$(ns 1) B=$(ns 2)
iopmem-pattern write -d -s 1 -l 256m -o 0 /dev/$A >/dev/null
# run NAME ARGS...: 256 x 1 MiB chunks, marked on drive A.
run() { n=$1; shift; bench_copy p2p /dev/$A $n -c 256 -s 1m "$@"; }
run p2p-t4 -t 4 /dev/$A /dev/$A /dev/iopmem0.dax
run bounce-t4 -t 4 --bounce /dev/$A /dev/$A -
# md RAID0 over both drives (256 KiB chunks): the same copy, 4 in flight.
if mdadm --create /dev/md0 --run --level=0 --raid-devices=2 --chunk=256 /dev/$A /dev/$B >/tmp/md.err 2>&1; then
	iopmem-pattern write -d -s 1 -l 256m -o 0 /dev/md0 >/dev/null
	run p2p-raid0-t4 -t 4 /dev/md0 /dev/md0 /dev/iopmem0.dax
	run bounce-raid0-t4 -t 4 --bounce /dev/md0 /dev/md0 -
	mdadm --stop /dev/md0 >/dev/null 2>&1
else
	not_ok "md RAID0 over $A and $B"; diag "$(cat /tmp/md.err)"
fi
ok "P2P and bounce runs"
exit 0
