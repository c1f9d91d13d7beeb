#!/bin/bash
# Proves: P2P into files.  O_DIRECT from the NVMe into an mmap of a file on
# ext4 -o dax (guest case fsdax-p2p): the host finds the bytes in the BAR's
# backing file where the file's extents are, and QEMU's trace shows every
# data DMA address of the copy's NVMe commands inside the BAR.
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/fsdax-p2p
vm -d "$dir" -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr fsdax-p2p
make -s -C "$top/tools" >/dev/null
n=0
while read -r _ _ file_off bar_off len; do
	n=$((n + 1))
	check "host: file extent $n (file offset $file_off, $len bytes) is in the BAR file at $bar_off" \
		"$top/tools/build/iopmem-pattern" check -s 88 -o "$bar_off" -b "$file_off" -l "$len" "$dir/bar0.mem"
done < <(grep '^# extent ' "$dir/tap.log")
[ $n -gt 0 ] && ok "the guest reported the file's extents ($n)" || not_ok "the guest reported the file's extents"

out=$("$top/tests/lib/nvme-dma-check" "$dir" 16 512 64)
rc=$?
[ $rc = 0 ] && ok "trace: every data DMA address of the copy is inside the BAR ($out)" ||
	{ not_ok "trace: every data DMA address of the copy is inside the BAR"; diag "$out"; }
done_testing
