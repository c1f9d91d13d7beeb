#!/bin/bash
# demo.sh - `make demo`: on the default topology (an NVMe SSD and a 256 MiB
# ivshmem BAR behind one PCIe switch), serve the BAR with iopmem as a block
# device (fio, ext4), as a devdax P2P target (NVMe -> BAR -> NVMe), then as
# a DAX file system that survives a restart; print a short readable report.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-abi.sh"
dir=$VMCACHE/runs/demo
fails=0

# boot ARGS...: run a guest, print its report lines, count failures.
boot() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) echo "  [ok] ${line#ok - }" ;;
		"not ok - "*) echo "  [FAILED] ${line#not ok - }"; fails=$((fails + 1)) ;;
		"#"*|"1.."*) ;;
		*) echo "$line" ;;
		esac
	done < <("$top/tests/vm/run" -d "$dir" "$@" 2>/dev/null)
}
host_check() { # DESC CMD...
	if "${@:2}" >/dev/null 2>&1; then echo "  [ok] $1"; else echo "  [FAILED] $1"; fails=$((fails + 1)); fi
}

echo "iopmem demo: Debian's $(. "$top/scripts/kernel-abi.sh"; echo "$KABI") kernel in QEMU (q35, TCG),"
echo "an NVMe SSD (64 MiB CMB) and a 256 MiB ivshmem BAR behind one PCIe switch."
echo
echo "== Boot 1: raw block device, then peer-to-peer DMA"
rm -rf "$dir"
boot -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr demo-raw,demo-p2p
echo
echo "Host: the BAR's bytes live in ${dir#"$top"/}/bar0.mem"
host_check "the 1 MiB the guest wrote at offset 200 MiB is there, byte for byte" \
	"$top/tools/build/iopmem-pattern" check -s 2016 -o $((200 << 20)) -l 1m "$dir/bar0.mem"

# The NVMe commands of each copy, by LBA range, and where their data went.
dma() { "$top/tests/lib/nvme-dma-check" "$dir" "$1" "$2" 64 | tail -n1; }
bar_start=$(sed -n 's/^# bar-range \([^ ]*\) .*/\1/p' "$dir/tap.log")
set -- $(dma 16 512)
echo "QEMU's trace of the NVMe controller's DMA (BAR at $bar_start):"
echo "  P2P copy:    $2 NVMe commands, $4 DMA ranges inside the BAR, $6 outside"
p2p_outside=$6 p2p_inside=$4
set -- $(dma 80 768)
echo "  bounce copy: $2 NVMe commands, $4 DMA ranges inside the BAR, $6 outside (system RAM)"
if [ "$p2p_outside" = 0 ] && [ "${p2p_inside:-0}" -gt 0 ]; then
	echo "  [ok] the P2P data never touched system RAM"
else
	echo "  [FAILED] some P2P data went through system RAM"
	fails=$((fails + 1))
fi
echo
echo "== Boot 2: a DAX file system on the BAR"
boot -k demo-fsdax-write
echo
echo "== Boot 3: the same BAR after a restart"
boot -k demo-fsdax-check
echo
if [ $fails = 0 ]; then
	echo "demo: everything worked (logs in ${dir#"$top"/})"
else
	echo "demo: $fails check(s) failed (logs in ${dir#"$top"/})"
	exit 1
fi
