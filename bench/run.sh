#!/bin/bash
# run.sh - `make bench`: four VM boots and a pair, then bench/report.py.
#   1. fio on iopmem (raw, fsdax, ext4 -o dax file), pmem (memmap=) and brd
#   2. P2P against bounce with iopmem-bench, chunks in flight 1..64, and
#      the same through an md RAID0 of two drives (topology raid)
#   3. bind time and struct page cost for BARs of 64 MiB .. 4 GiB
#   4. on the sid kernel (CONFIG_PCI_P2PDMA): its three P2P paths side by
#      side: the NVMe's own CMB, iopmem p2pdma, iopmem devdax (and bounce)
#   5. two guests on a VM-only link: fio over NVMe/TCP on the target's
#      iopmem and brd namespaces
# Raw results land in bench/out/ (not tracked); report.md and the charts
# also in Documentation/bench/, and a summary in README.md.
# BENCH_RUNTIME (seconds per fio job or copy, default 5) trades time for
# steadier figures.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernel-abi.sh"
out=$top/bench/out
runs=$VMCACHE/runs
export BENCH_RUNTIME=${BENCH_RUNTIME:-5}
# The BARs live in anonymous shared memory, as pmem's memmap= range lives
# in guest RAM: a BAR file on disk would add the host's page cache
# writeback to every store and measure the host's disk, not iopmem.
export IOPMEM_BAR_BACKEND=memfd
rm -rf "$out"
mkdir -p "$out/raw"
start=$(date +%s)

boot() { # NAME RUN-ARGS...: a guest, its TAP shown as progress
	local name=$1
	shift
	echo "bench: $name ..."
	"$top/tests/vm/run" -d "$runs/bench-$name" -T 1200 -c "bench_runtime=$BENCH_RUNTIME" "$@" 2>/dev/null |
		grep -E '^(ok|not ok)' | sed 's/^/  /'
	grep -E '^# (result|scale) ' "$runs/bench-$name/tap.log" > "$out/raw/$name.txt"
	cp "$runs/bench-$name/tap.log" "$out/raw/$name.tap"
}
boot fio -m 2G -c "memmap=256M!1G" bench-fio
boot p2p -t raid bench-p2p
boot scale -t scale -m 2G bench-scale
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
(export IOPMEM_KERNEL=sid; boot paths bench-p2p-paths)
echo "bench: report ..."
python3 "$top/bench/report.py" "$out" || exit 1
echo "bench: done in $(($(date +%s) - start)) s: ${out#"$top"/}/report.md"
