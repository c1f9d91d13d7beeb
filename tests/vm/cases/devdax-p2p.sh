# Proves (with the host half in tests/31-vm-devdax-p2p.t): NVMe -> BAR and
# BAR -> NVMe with O_DIRECT through a mapping of /dev/iopmem0.dax: 64 MiB,
# checked in the guest; the host then checks the BAR's backing file, the
# NVMe image, and QEMU's trace of the NVMe's DMA addresses.
#   p2p:    NVMe LBA 16 MiB..80 MiB -> BAR offset 64 MiB -> NVMe 512 MiB
#   bounce: NVMe LBA 80 MiB..144 MiB (the same bytes) -> RAM -> NVMe 768 MiB
#           (the same run with --bounce: its DMA must not be in the BAR)
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
check "/dev/nvme0n1 and /dev/iopmem0.dax exist" test -b /dev/nvme0n1 -a -c /dev/iopmem0.dax
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
check "fill NVMe 16..80 MiB with seed 77" iopmem-pattern write -d -s 77 -o 16m -b 0 -l 64m /dev/nvme0n1
check "and 80..144 MiB with the same bytes" iopmem-pattern write -d -s 77 -o 80m -b 0 -l 64m /dev/nvme0n1
echo "# trace-start"
iopmem-bench --force -c 64 -s 1m -t 4 -o 64m --src-offset 16m --dst-offset 512m \
	--host-accesses 1000 --host-access-sz 8 \
	/dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax > /tmp/p2p.out 2>&1
is "$?" 0 "P2P copy of 64 MiB (NVMe -> BAR -> NVMe, 4 in flight) succeeds"
diag "$(cat /tmp/p2p.out)"
case "$(cat /tmp/p2p.out)" in *"1000 match, 0 mismatch"*) ok "host-access probe: 1000 8-byte stores and loads match" ;; *) not_ok "host-access probe" ;; esac
iopmem-bench --force -c 64 -s 1m -t 4 --bounce --src-offset 80m --dst-offset 768m \
	/dev/nvme0n1 /dev/nvme0n1 - > /tmp/bounce.out 2>&1
is "$?" 0 "the same copy through a RAM buffer (--bounce) succeeds"
diag "$(cat /tmp/bounce.out)"
echo "# trace-end"
check "the BAR holds the 64 MiB at offset 64 MiB (guest view)" dax-test check /dev/iopmem0.dax 64m 64m 77 0
check "NVMe 512 MiB holds what was read from 16 MiB" iopmem-pattern check -d -s 77 -o 512m -b 0 -l 64m /dev/nvme0n1
check "NVMe 768 MiB (bounce) holds it too" iopmem-pattern check -d -s 77 -o 768m -b 0 -l 64m /dev/nvme0n1
check "iopmem-bench --force --check (fill, copy, check) passes" iopmem-bench --force --check --seed 78 -c 16 -s 1m -t 2 --src-offset 160m --dst-offset 256m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
rmmod nvme
rmmod iopmem
exit 0
