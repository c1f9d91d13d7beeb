# Proves: unbind during a running P2P copy (NVMe DMA into the BAR's pages
# in flight) does not oops and does not wait: pages the DMA holds are
# kept, the copy stops with an error instead of a signal, the pages are
# released once it has stopped, and then the module unloads.
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
dev=$(pci_find $IVSHMEM_ID)
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
iopmem-bench --force -c 64 -s 1m -t 8 -D 30 /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax > /tmp/copy.out 2>&1 &
copier=$!
sleep 3
check "the copy is running" kill -0 $copier
kmsg_mark
check "unbind during the copy" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
wait $copier
rc=$?
is "$rc" 3 "the copy stops with an I/O error (exit 3, failed), not a signal"
diag "$(cat /tmp/copy.out)"
# (kept only if a chunk was in flight at the unbind, nearly always)
check "the pages are released once the copy stopped" wait_for 30 pages_settled
check "the module unloads" rmmod iopmem
rmmod nvme
exit 0
