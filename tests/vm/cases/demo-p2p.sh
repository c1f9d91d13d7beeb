# The P2P half of `make demo` (scripts/demo.sh): switch the BAR to devdax,
# copy 64 MiB NVMe -> BAR -> NVMe peer to peer, verify, and for comparison
# do the same through RAM.  The host counts the NVMe's DMA addresses that
# fell inside the BAR (QEMU trace).
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe nvme
modprobe iopmem
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
iopmemctl bind $dev >/dev/null
check "iopmemctl mode $dev devdax" iopmemctl mode $dev devdax
echo "$ iopmemctl check /dev/nvme0n1 /dev/$(cat $a/dax)"
iopmemctl check /dev/nvme0n1 /dev/$(cat $a/dax) > /tmp/check.out 2>&1
rc=$?
sed 's/^/  /' /tmp/check.out
is "$rc" 0 "the route check allows P2P between the NVMe and the BAR"
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
echo "Peer-to-peer: /dev/nvme0n1 -> /dev/$(cat $a/dax) -> /dev/nvme0n1"
echo "  struct pages for the 256 MiB BAR cost $(($(cat $a/struct_page_bytes) >> 10)) KiB of RAM"
iopmem-pattern write -d -s 2017 -o 16m -b 0 -l 64m /dev/nvme0n1 >/dev/null
iopmem-pattern write -d -s 2017 -o 80m -b 0 -l 64m /dev/nvme0n1 >/dev/null
iopmem-bench --force -c 64 -s 1m -t 4 --src-offset 16m --dst-offset 512m \
	/dev/nvme0n1 /dev/nvme0n1 /dev/$(cat $a/dax) > /tmp/p2p.out 2>&1
rc=$?
sed 's/^/  /' /tmp/p2p.out
is "$rc" 0 "P2P copy of 64 MiB"
# Checked against the pattern, so that no read of the source range
# through RAM muddies the host's count of the copy's DMA addresses.
check "the destination holds the source's 64 MiB" iopmem-pattern check -d -s 2017 -o 512m -b 0 -l 64m /dev/nvme0n1
echo "Through RAM (--bounce), for comparison:"
iopmem-bench --force -c 64 -s 1m -t 4 --src-offset 80m --dst-offset 768m --bounce \
	/dev/nvme0n1 /dev/nvme0n1 - > /tmp/bounce.out 2>&1
rc=$?
sed 's/^/  /' /tmp/bounce.out
is "$rc" 0 "bounce copy of 64 MiB"
check "the destination holds the source's 64 MiB" iopmem-pattern check -d -s 2017 -o 768m -b 0 -l 64m /dev/nvme0n1
iopmemctl unbind $dev >/dev/null
rmmod nvme
rmmod iopmem
exit 0
