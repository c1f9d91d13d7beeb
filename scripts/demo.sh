#!/bin/bash
# demo.sh - `make demo`: boot the default topology (an NVMe SSD and a
# 256 MiB ivshmem BAR behind one PCIe switch), serve the BAR with iopmem,
# and print a short readable report.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/.cache/vm/runs/demo
fails=0

echo "iopmem demo: Debian's $(sed -n 's/^KABI=//p' "$top/scripts/kernel-abi.sh") kernel in QEMU (q35, TCG),"
echo "an NVMe SSD (64 MiB CMB) and a 256 MiB ivshmem BAR behind one PCIe switch."
echo
while IFS= read -r line; do
	case $line in
	"ok - "*) echo "  [ok] ${line#ok - }" ;;
	"not ok - "*) echo "  [FAILED] ${line#not ok - }"; fails=$((fails + 1)) ;;
	"# case "*|"# logs: "*|"#   "*) ;;
	"1.."*) ;;
	*) echo "$line" ;;
	esac
done < <("$top/tests/vm/run" -d "$dir" demo-raw 2>/dev/null)
echo
echo "Host: the BAR's bytes live in $dir/bar0.mem"
if "$top/tools/build/iopmem-pattern" check -s 2016 -o $((200 << 20)) -l 1m "$dir/bar0.mem" >/dev/null; then
	echo "  [ok] the 1 MiB the guest wrote at offset 200 MiB is there, byte for byte"
else
	echo "  [FAILED] the guest's pattern is not at offset 200 MiB of the BAR file"
	fails=$((fails + 1))
fi
echo
if [ $fails = 0 ]; then
	echo "demo: everything worked (logs in ${dir#"$top"/})"
else
	echo "demo: $fails check(s) failed (logs in ${dir#"$top"/})"
	exit 1
fi
