# dma-bytes.awk - where did the emulated NVMe drives' data DMA go, per run
# of a make bench boot?  Reads a QEMU trace with the events pci_nvme_read,
# pci_nvme_write and pci_nvme_map_addr (each map_addr line belongs to the
# command traced before it).  The guest separates its runs with marker
# reads (tests/vm/guest/tap.sh, dma_mark): a 4 KiB read at LBA mark_lba +
# 8 * N starts run N; the marker's own DMA is not counted.
#
#   awk -v bar_start=0x... -v bar_size=N -v ram_size=N -v mark_lba=2048000 \
#       -f tests/lib/hexnum.awk -f bench/dma-bytes.awk trace.log
#
# Prints "N COMMANDS BAR_BYTES RAM_BYTES OTHER_BYTES" per run: the NVMe
# read and write commands, and the bytes they moved to or from iopmem's
# BAR, system RAM (below ram_size: a q35 guest of up to 2 GiB has all its
# RAM there, and the PCI hole above it) and other device memory (an NVMe
# drive's CMB).
BEGIN { bs = num(bar_start); be = bs + num(bar_size); rs = num(ram_size); ml = num(mark_lba); run = -1 }
/^pci_nvme_read / || /^pci_nvme_write / {
	lba = num($NF)
	if ($1 == "pci_nvme_read" && lba >= ml && (lba - ml) % 8 == 0 && lba < ml + 8 * 1000) {
		run = (lba - ml) / 8
		seen[run] = 1
		cur = 0
		next
	}
	cur = run >= 0
	if (cur)
		cmds[run]++
	next
}
/^pci_nvme_map_addr / {
	if (!cur)
		next
	a = num($3); l = num($5)
	if (a >= bs && a + l <= be)
		bar[run] += l
	else if (a + l <= rs)
		ram[run] += l
	else
		other[run] += l
	next
}
/^pci_nvme_/ { cur = 0 }
END {
	for (r in seen)
		printf "%d %d %d %d %d\n", r, cmds[r], bar[r], ram[r], other[r]
}
