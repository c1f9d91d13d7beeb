# bench/run.sh, boot 4 (the sid kernel, CONFIG_PCI_P2PDMA): the three P2P
# paths of a 7.2 kernel side by side in one boot (a guest that counts
# instructions), NVMe -> buffer -> NVMe, 64 x 1 MiB chunks, 4 in flight,
# once each, between marker reads as in bench-p2p.sh: the NVMe's own CMB
# (the kernel's P2PDMA memory, published by the nvme driver), iopmem in
# p2pdma mode (the same kernel path over the BAR), iopmem in devdax mode,
# and a RAM bounce.
# Results go to the host as "# result paths NAME <iopmem-bench JSON>".
. /cases/tap.sh
. /cases/bench.sh
modprobe nvme
modprobe iopmem ids=1af4:1110
wait_for 10 test -b /dev/nvme0n1
IV=$(pci_find $IVSHMEM_ID)
NV=$(pci_find $NVME_ID)
a=/sys/bus/pci/devices/$IV/iopmem
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
iopmem-pattern write -d -s 1 -l 64m -o 0 /dev/nvme0n1 >/dev/null
# run NAME ARGS...: 64 x 1 MiB chunks, 4 in flight, marked on nvme0n1.
run() { n=$1; shift; bench_copy paths /dev/nvme0n1 $n -c 64 -s 1m -t 4 "$@"; }
run nvme-cmb /dev/nvme0n1 /dev/nvme0n1 /sys/bus/pci/devices/$NV/p2pmem/allocate
write_sysfs $a/mode p2pdma || not_ok "mode p2pdma: $(cat /tmp/write_sysfs.err)"
run iopmem-p2pdma /dev/nvme0n1 /dev/nvme0n1 /sys/bus/pci/devices/$IV/p2pmem/allocate
write_sysfs $a/mode devdax || not_ok "mode devdax: $(cat /tmp/write_sysfs.err)"
run iopmem-devdax /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
run bounce --bounce /dev/nvme0n1 /dev/nvme0n1 -
ok "the P2P paths of a 7.2 kernel"
exit 0
