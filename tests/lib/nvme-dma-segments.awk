# nvme-dma-segments.awk - where did each emulated NVMe drive DMA the data
# of each copy?  Reads a QEMU trace (pci_nvme_read, pci_nvme_write,
# pci_nvme_map_addr and, for a drive DMAing into its own CMB,
# pci_nvme_map_addr_cmb; each map_addr line belongs to the command traced
# before it) in which the guest marked each copy by reading LBA @marker of
# one drive just before and just after it.  The commands
# between the Nth pair of markers form segment N (from 0).
#
#   awk -v bar_start=0xd0000000 -v bar_size=268435456 -v marker=LBA \
#       -f hexnum.awk -f nvme-dma-segments.awk trace.log
#
# Prints, for each segment and NSID with commands:
#   segment S nsid N reads R writes W inside I outside O rin RI rout RO win WI wout WO
# (I, O: data DMA address ranges inside and outside the BAR; RI, RO of
# reads, WI, WO of writes).
BEGIN { bs = num(bar_start); be = bs + num(bar_size); m = num(marker); marks = 0; cur = "" }
/^pci_nvme_read / || /^pci_nvme_write / {
	# cid C [opname 'OP'] nsid N nlb L count B lba X
	for (i = 2; i < NF; i++)
		if ($i == "nsid")
			nsid = $(i + 1) + 0
	if ($1 == "pci_nvme_read" && num($NF) == m) {
		marks++
		cur = ""
		next
	}
	cur = marks % 2 ? int(marks / 2) SUBSEP nsid : ""
	if (cur == "")
		next
	seen[cur] = 1
	op = $1 == "pci_nvme_read" ? "r" : "w"
	if (op == "r")
		reads[cur]++
	else
		writes[cur]++
	next
}
/^pci_nvme_map_addr / || /^pci_nvme_map_addr_cmb / {
	if (cur == "")
		next
	a = num($3); l = num($5)
	if (a >= bs && a + l <= be) {
		inside[cur]++
		dir[cur, op "in"]++
	} else {
		outside[cur]++
		dir[cur, op "out"]++
	}
}
END {
	for (k in seen) {
		split(k, p, SUBSEP)
		printf "segment %d nsid %d reads %d writes %d inside %d outside %d rin %d rout %d win %d wout %d\n",
			p[1], p[2], reads[k], writes[k], inside[k], outside[k],
			dir[k, "rin"], dir[k, "rout"], dir[k, "win"], dir[k, "wout"]
	}
}
