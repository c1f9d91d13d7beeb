#!/bin/bash
# run.sh - `make bench`: four VM boots and a pair, then bench/report.py.
#   1. fio on iopmem (raw, fsdax, ext4 -o dax file), pmem (memmap=) and brd,
#      and a perf profile of the 1M jobs on brd, pmem and iopmem raw
#   2. P2P against bounce with iopmem-bench, and the same through an md
#      RAID0 of two drives (topology raid)
#   3. bind time and struct page cost per devdax align for BARs of 64 MiB
#      .. 4 GiB
#   4. on the sid kernel (CONFIG_PCI_P2PDMA): its three P2P paths side by
#      side: the NVMe's own CMB, iopmem p2pdma, iopmem devdax (and bounce)
#   5. two guests on a VM-only link: fio over NVMe/TCP on the target's
#      iopmem and brd namespaces
# Boots 1 to 4 run on a guest clock that counts instructions (tests/vm/run
# -I: 1 ns per guest instruction, one vCPU) and do a fixed amount of work,
# so that their guest times are CPU costs and the host's load does not
# enter; boots 2 and 4 also trace the NVMe drives' DMA (bench/dma-bytes.awk).
# Boot 5 (two guests and a network between them) runs on wall-clock time.
# Raw results land in bench/out/ (not tracked), each run's fio results
# also in $CACHE/bench-history/ (report.py compares the last three);
# report.md and the charts also in Documentation/bench/, and a summary in
# README.md.  BENCH_RUNTIME (seconds per job, default 5) is boot 5's.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-abi.sh"
out=$top/bench/out
runs=$VMCACHE/runs
history=$CACHE/bench-history
export BENCH_RUNTIME=${BENCH_RUNTIME:-5}
# Each fio job's amount of I/O (boot 1): 32768 4 KiB and 512 1 MiB I/Os.
BENCH_IO="bench_io_4k=128m bench_io_1m=512m"
# The BARs live in anonymous shared memory, as pmem's memmap= range lives
# in guest RAM: a BAR file on disk would add the host's page cache
# writeback to every store and measure the host's disk, not iopmem.
export IOPMEM_BAR_BACKEND=memfd
NVME_EVENTS=pci_nvme_read,pci_nvme_write,pci_nvme_map_addr
rm -rf "$out"
mkdir -p "$out/raw" "$history"
start=$(date +%s)

boot() { # NAME RUN-ARGS...: a guest, its TAP shown as progress
	local name=$1
	shift
	echo "bench: $name ..."
	"$top/tests/vm/run" -d "$runs/bench-$name" -T 1800 "$@" 2>/dev/null |
		grep -E '^(ok|not ok)' | sed 's/^/  /'
	grep -E '^# (result|scale|mark|profile) ' "$runs/bench-$name/tap.log" > "$out/raw/$name.txt"
	cp "$runs/bench-$name/tap.log" "$out/raw/$name.tap"
}

# dma NAME RAM-SIZE: boot NAME's DMA per run, from its QEMU trace.
dma() {
	local bar
	bar=$(sed -n 's/^# bar-range //p' "$runs/bench-$1/tap.log" | head -n 1)
	awk -v bar_start="${bar% *}" -v bar_size="${bar#* }" -v ram_size="$2" -v mark_lba=2048000 \
		-f "$top/tests/lib/hexnum.awk" -f "$top/bench/dma-bytes.awk" \
		"$runs/bench-$1/trace.log" | sort -n > "$out/raw/$1-dma.txt"
	rm -f "$runs/bench-$1/trace.log"
}

"$top/bench/perf-cpio.sh" "$CACHE/perf.cpio" || exit 1
boot fio -I -m 2G -x "$CACHE/perf.cpio" -c "memmap=256M!1G $BENCH_IO" bench-fio,bench-profile
cp "$out/raw/fio.txt" "$history/fio-$(date +%Y%m%d-%H%M%S).txt"
boot p2p -I -t raid -e "$NVME_EVENTS" bench-p2p
dma p2p 1073741824
boot scale -I -t scale -m 2G bench-scale
# Boot 5: a target and a host guest at once, on their own link.
echo "bench: nvmf ..."
read -r pt ph < <("$top/tests/vm/udp-ports" 2)
"$top/tests/vm/run" -t bare -d "$runs/bench-nvmf-target" -T 1200 -c "bench_runtime=$BENCH_RUNTIME" \
	-n "$pt:$ph" bench-nvmf-target > "$out/raw/nvmf-target.out" 2>&1 &
target=$!
"$top/tests/vm/run" -t bare -b 1M -d "$runs/bench-nvmf-host" -T 1200 -c "bench_runtime=$BENCH_RUNTIME" \
	-n "$ph:$pt" bench-nvmf-host 2>/dev/null | grep -E '^(ok|not ok)' | sed 's/^/  host: /'
wait $target
grep -E '^(ok|not ok)' "$out/raw/nvmf-target.out" | sed 's/^/  target: /'
grep -E '^# result ' "$runs/bench-nvmf-host/tap.log" > "$out/raw/nvmf.txt"
echo "bench: the sid kernel's image ..."
IOPMEM_KERNEL=sid make -s -C "$top" vm-image >/dev/null || exit 1
(export IOPMEM_KERNEL=sid; boot paths -I -e "$NVME_EVENTS" bench-p2p-paths && dma paths 1073741824)
echo "bench: report ..."
python3 "$top/bench/report.py" "$out" || exit 1
echo "bench: done in $(($(date +%s) - start)) s: ${out#"$top"/}/report.md"
