#!/bin/bash
# Proves, on a made-up machine (tests/lib/fakesys.py, IOPMEM_SYSROOT) and
# under valgrind, that iopmemctl check follows a stacked block device down
# to the PCI functions that do its DMA (sysfs "slaves" of md and dm,
# "multipath" of an NVMe multipath head, a partition's disk, recursively)
# and answers for the whole set: yes only when every member can reach the
# BAR, with each member's verdict in text and JSON:
# - md0 over a partition of nvme0n1 and over nvme1n1, both below the
#   BAR's switch: yes, two members;
# - dm-0 over md0 and a partition of md0: the same two members, once each;
# - dm-1 over nvme0n1 and nvme2n1, which is below the other host bridge of
#   a Xeon E5: no (exit 1), "1 of 2 members", that member's reason;
# - an NVMe multipath head over two controllers' paths: two members, found
#   through its "multipath" directory (7.2) or, as 6.1 and 6.12 show it,
#   with none, through its
#   subsystem's controllers;
# - the target may be a P2PDMA provider's p2pmem/allocate file (an NVMe
#   CMB): the provider's function is the target; list shows every such
#   provider with its sizes;
# - a stacked device with no PCI function under it (a loop device): exit 3
#   and a message.
# Real md, dm and multipath devices, and the copies through them, are
# shown in a VM (issue: P2P through RAID and device-mapper).
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
c=("${VG[@]}" "$top/tools/build/iopmemctl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (mknod of the device nodes, config space)"
	exit 0
fi

sw=pci0000:00/0000:00:01.0/0000:01:00.0
python3 "$top/tests/lib/fakesys.py" "$tmp/m" <<SPEC
dev pci0000:00/0000:00:00.0 id=8086:3c00 class=060000 pcie=root
dev pci0000:00/0000:00:01.0 id=8086:3c02 class=060400 pcie=root
dev $sw id=10b5:8747 class=060400 pcie=up
dev $sw/0000:02:00.0 id=10b5:8747 class=060400 pcie=down acs=0
dev $sw/0000:02:01.0 id=10b5:8747 class=060400 pcie=down acs=0
dev $sw/0000:02:02.0 id=10b5:8747 class=060400 pcie=down acs=0
dev $sw/0000:02:03.0 id=10b5:8747 class=060400 pcie=down acs=0
dev $sw/0000:02:04.0 id=10b5:8747 class=060400 pcie=down acs=0
dev $sw/0000:02:00.0/0000:03:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme block=259:0:nvme0n1 p2pmem=67108864
dev $sw/0000:02:01.0/0000:04:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme block=259:1:nvme1n1
dev $sw/0000:02:02.0/0000:05:00.0 id=1af4:1110 class=050000 pcie=ep mem=268435456 iopmem block=251:0:iopmem0
dev $sw/0000:02:03.0/0000:06:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme block=259:10:nvme6c6n1
dev $sw/0000:02:04.0/0000:07:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme block=259:11:nvme6c7n1
dev pci0000:80/0000:80:00.0 id=8086:3c00 class=060000 pcie=root
dev pci0000:80/0000:80:02.0 id=8086:3c04 class=060400 pcie=root
dev pci0000:80/0000:80:02.0/0000:81:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme block=259:2:nvme2n1
part 259:3 nvme0n1p1 of=nvme0n1
vblk 9:0 md0 slaves=nvme0n1p1,nvme1n1
part 9:1 md0p1 of=md0
vblk 253:0 dm-0 slaves=md0,md0p1
vblk 253:1 dm-1 slaves=nvme0n1,nvme2n1
vblk 259:12 nvme6n1 multipath=nvme6c6n1,nvme6c7n1
vblk 7:0 loop0
nvmehead 259:13 nvme8n1 paths=nvme8c8n1@0000:06:00.0,nvme8c9n1@0000:07:00.0
SPEC
for n in nvme8n1:259:13 nvme1n1:259:1 nvme2n1:259:2 md0:9:0 dm-0:253:0 dm-1:253:1 nvme6n1:259:12 loop0:7:0 iopmem0:251:0 md0p1:9:1; do
	IFS=: read -r name maj min <<<"$n"
	mknod "$tmp/$name" b "$maj" "$min"
done
# on ARGS...: iopmemctl ARGS on the made-up machine; output in $tmp/out
on() { IOPMEM_SYSROOT=$tmp/m "${c[@]}" "$@" >"$tmp/out" 2>&1; echo $?; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/out" "$1" 2>&1; }

is "$(on check "$tmp/md0" "$tmp/iopmem0")" 0 "md0 (nvme0n1p1 + nvme1n1) -> BAR: yes (exit 0)"
check "... every member, both named" grep -q "yes: every member (2) can DMA to 0000:05:00.0" "$tmp/out"
diag "$(cat "$tmp/out")"
on --json check "$tmp/md0" "$tmp/iopmem0" >/dev/null
is "$(json 'd["stacked"], d["p2p"], [(m["member"], m["src"], m["p2p"], m["route"]) for m in d["members"]]')" \
	"('md0', True, [('nvme0n1p1', '0000:03:00.0', True, 'switch'), ('nvme1n1', '0000:04:00.0', True, 'switch')])" \
	"--json: stacked md0, p2p true, each member (the device md0 holds) with its verdict"
is "$(on check "$tmp/md0p1" "$tmp/iopmem0")" 0 "a partition of md0: its disk's members, yes"
on --json check "$tmp/dm-0" "$tmp/iopmem0" >/dev/null
is "$(json 'sorted(m["src"] for m in d["members"])')" "['0000:03:00.0', '0000:04:00.0']" \
	"dm-0 over md0 and md0p1: the two functions, once each"
is "$(on check "$tmp/dm-1" "$tmp/iopmem0")" 1 "dm-1 (nvme0n1 + nvme2n1 on the other E5 host bridge): no (exit 1)"
check "... 1 of 2 members" grep -q "NO: 1 of 2 members cannot DMA to 0000:05:00.0" "$tmp/out"
check "... with that member's reason" grep -q "route peer-to-peer traffic only within one host bridge" "$tmp/out"
on --json check "$tmp/dm-1" "$tmp/iopmem0" >/dev/null
is "$(json 'd["p2p"], [m["p2p"] for m in d["members"]]')" "(False, [True, False])" "--json: p2p false, one member false"
on --json check "$tmp/nvme6n1" "$tmp/iopmem0" >/dev/null
is "$(json 'd["p2p"], sorted(m["src"] for m in d["members"])')" "(True, ['0000:06:00.0', '0000:07:00.0'])" \
	"an NVMe multipath head: each controller's path, yes"
on --json check "$tmp/nvme8n1" "$tmp/iopmem0" >/dev/null
is "$(json 'd["p2p"], sorted((m["member"], m["src"]) for m in d["members"])')" \
	"(True, [('nvme8c8n1', '0000:06:00.0'), ('nvme8c9n1', '0000:07:00.0')])" \
	"an NVMe multipath head as 6.1 and 6.12 show it (no multipath directory): its paths, via the subsystem's controllers"
p2pmem=$tmp/m/sys/bus/pci/devices/0000:03:00.0/p2pmem/allocate
is "$(on check "$tmp/nvme1n1" "$p2pmem")" 0 "nvme1n1 -> nvme0's P2PDMA memory (its p2pmem/allocate file): yes"
check "... naming the provider's function" grep -q "0000:03:00.0" "$tmp/out"
diag "$(cat "$tmp/out")"
is "$(on check "$tmp/nvme2n1" "$p2pmem")" 1 "nvme2n1 (the other host bridge) -> that memory: no (exit 1)"
on --json list >/dev/null
is "$(json '[(p["pci"], p["driver"], p["p2pmem"]) for p in d["p2pdma_providers"]]')" \
	"[('0000:03:00.0', 'nvme', {'size': 67108864, 'available': 67108864, 'allocated': 0, 'published': True})]" \
	"list --json: every P2PDMA provider, whoever drives it, with its p2pmem sizes"
on list >/dev/null
check "list: the provider in the text output" grep -q "p2pmem      64 MiB, 64 MiB available, 0 MiB allocated, published" "$tmp/out"
is "$(on check "$tmp/loop0" "$tmp/iopmem0")" 3 "a loop device (nothing PCI under it): exit 3"
check "... saying so" grep -q "loop0 is not backed by a PCI function (nor stacked on one)" "$tmp/out"
done_testing
