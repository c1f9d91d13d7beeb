# Proves (topology named by iopmem_topology= on the kernel command line;
# run after a ctl-check case of that topology): on a kernel with
# CONFIG_PCI_P2PDMA, iopmemctl check and the kernel agree.  The BAR is
# made the kernel's P2PDMA provider (p2pdma mode); iopmemctl check says
# whether nvme0n1 can DMA into it; then a real copy through
# p2pmem/allocate (iopmem-bench --ignore-route, so only the kernel
# decides) either moves the right bytes or is refused by the kernel (its
# log says the devices "cannot be used for peer-to-peer DMA", or
# EREMOTEIO).  A yes with a refusal, or a no with a copy, fails and names
# the topology.  Behind QEMU's IOMMU the bytes cannot be checked: QEMU
# sends every DMA through it, where a real switch routes peer traffic
# itself.
. /cases/tap.sh
topo=${iopmem_topology:-unnamed}
modprobe nvme
modprobe iopmem
wait_for 10 test -b /dev/nvme0n1
IV=$(pci_find $IVSHMEM_ID)
p=/sys/bus/pci/devices/$IV/p2pmem
if ! iopmemctl bind $IV --mode p2pdma > /tmp/bind.out 2>&1; then
	if grep -q "Operation not supported" /tmp/bind.out; then
		echo "# p2pdma-route none: $(uname -r) has no CONFIG_PCI_P2PDMA"
	else
		not_ok "$topo: bind in p2pdma mode"; diag "$(cat /tmp/bind.out)"
	fi
	iopmemctl unbind $IV >/dev/null 2>&1
	rmmod nvme; rmmod iopmem
	exit 0
fi
iopmemctl check /dev/nvme0n1 $p/allocate > /tmp/check.out 2>&1
verdict=$?
iopmem-pattern write -d -s 61 -o 200m -b 0 -l 4m /dev/nvme0n1 >/dev/null
kmsg_mark
iopmem-bench --force --ignore-route -c 4 -s 1m --src-offset 200m --dst-offset 600m \
	/dev/nvme0n1 /dev/nvme0n1 $p/allocate > /tmp/copy.out 2>&1
copy=$?
if [ $copy = 0 ]; then
	kernel=allowed
	if kmsg_has "DMAR: \[DMA Write"; then
		# The kernel handed the NVMe the BAR's bus address (both are in
		# one switch); QEMU sends every DMA through its IOMMU, which has
		# no mapping for it, where a real switch routes it to the peer.
		echo "# $topo: QEMU's IOMMU faulted the bus-address DMA (a limit of the model, not of the route): bytes not checked"
	else
		check "$topo: the copy the kernel allowed is right" iopmem-pattern check -d -s 61 -o 600m -b 0 -l 4m /dev/nvme0n1
	fi
elif grep -q "Remote I/O error" /tmp/copy.out || kmsg_has "cannot be used for peer-to-peer DMA"; then
	kernel=refused
else
	kernel="failed otherwise"
fi
case $verdict:$kernel in
0:allowed) ok "$topo: iopmemctl check and the kernel agree: yes, and the kernel let the copy through" ;;
1:refused) ok "$topo: iopmemctl check and the kernel agree: no, and the kernel refused the copy" ;;
*) not_ok "$topo: iopmemctl check (exit $verdict) and the kernel ($kernel) disagree"
   diag "$(cat /tmp/check.out)"; diag "$(cat /tmp/copy.out)"; kmsg_since | diag "$(cat)" ;;
esac
diag "$(grep -E '^ *(yes|no|NO|why)' /tmp/check.out | head -3)"
iopmemctl unbind $IV >/dev/null 2>&1
rmmod nvme
rmmod iopmem
exit 0
