# Proves (topology iommu, intel_iommu=on): DMA is translated, so check says
# the route must go through the root complex, which Q35's host bridge is
# not known to do: no, with the IOMMU fix; trusted, the copy works (the
# host checks that the NVMe's DMA addresses were IOVAs and that the bytes
# still landed in the BAR).
. /cases/tap.sh
p2p_setup
check "the NVMe's DMA is translated (IOMMU group type DMA)" sh -c "grep -q DMA /sys/bus/pci/devices/$NV/iommu_group/type"
is "$(run_rc iopmemctl check /dev/nvme0n1 /dev/iopmem0.dax)" 1 "check: not supported (exit 1)"
diag "$(cat /tmp/out)"
check "the reason: the IOMMU hands out IOVAs" grep -q "an IOMMU translates DMA" /tmp/out
check "the fix: iommu=pt" grep -q "fix       boot with iommu=pt" /tmp/out
is "$(iopmemctl --json check /dev/nvme0n1 /dev/iopmem0.dax | json-get iommu_translates)" true "json: iommu_translates"
is "$(run_rc iopmemctl check --trust-host-bridge /dev/nvme0n1 /dev/iopmem0.dax)" 0 "check --trust-host-bridge: allowed through the root complex"
check "fill NVMe 16..48 MiB with seed 99" iopmem-pattern write -d -s 99 -o 16m -b 0 -l 32m /dev/nvme0n1
echo "# trace-start"
check "iopmem-bench --force --trust-host-bridge: 32 MiB NVMe -> BAR (offset 64 MiB) -> NVMe" iopmem-bench --force --trust-host-bridge -c 32 -s 1m -t 4 -o 64m --src-offset 16m --dst-offset 512m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
check "NVMe 512 MiB holds the bytes" iopmem-pattern check -d -s 99 -o 512m -b 0 -l 32m /dev/nvme0n1
check "the BAR holds them at 64 MiB" dax-test check /dev/iopmem0.dax 64m 32m 99 0
rmmod nvme
iopmemctl unbind $IV >/dev/null
rmmod iopmem
exit 0
