# nvme-dma-check.awk - which addresses did the emulated NVMe controller DMA
# to or from, for the commands of a test?  Reads a QEMU trace with the
# events pci_nvme_read, pci_nvme_write and pci_nvme_map_addr: each
# map_addr line belongs to the read or write command traced before it.
#
#   awk -v bar_start=0xd0000000 -v bar_size=268435456 \
#       -v read_lo=LBA -v read_hi=LBA -v write_lo=LBA -v write_hi=LBA \
#       -f hexnum.awk -f nvme-dma-check.awk trace.log
#
# Counts the data DMA addresses of reads with LBAs in [read_lo, read_hi)
# (device -> buffer) and writes with LBAs in [write_lo, write_hi) (buffer
# -> device).  Prints "commands N inside M outside K" and exits 0 only when
# there were commands and every address range lay inside the BAR.
BEGIN { bs = num(bar_start); be = bs + num(bar_size); cur = 0 }
/^pci_nvme_read / || /^pci_nvme_write / {
	lba = num($NF)
	if ($1 == "pci_nvme_read")
		cur = lba >= num(read_lo) && lba < num(read_hi)
	else
		cur = lba >= num(write_lo) && lba < num(write_hi)
	cmds += cur
	next
}
/^pci_nvme_map_addr / {
	if (!cur)
		next
	a = num($3); l = num($5)
	if (a >= bs && a + l <= be) {
		inside++
	} else {
		outside++
		if (outside <= 5)
			printf "# outside the BAR: addr 0x%x len %d\n", a, l
	}
	next
}
/^pci_nvme_/ { cur = 0 }
END {
	printf "commands %d inside %d outside %d\n", cmds, inside, outside
	exit !(cmds > 0 && inside > 0 && outside == 0)
}
