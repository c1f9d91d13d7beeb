#!/bin/bash
# Proves: peer-to-peer DMA through stacked block devices: md RAID0, md
# RAID1, dm-linear and dm-striped over two NVMe drives (guest case
# raid-p2p).  After the VM stops, the host finds each copy's bytes in the
# BAR's backing file, and in QEMU's trace of each copy (a segment between
# two marker reads) every data DMA address of every drive is inside the
# BAR, with each member drive doing its share: reads and writes on both
# drives for RAID0 and dm-striped, writes on both for RAID1 (its reads may
# come from either), commands on nvme0n1's drive only for dm-linear.  The
# same check fails for a copy through a RAM buffer (--bounce).  dm-crypt
# and md RAID5, which handle the data with the CPU, copy right too; the
# trace says where their DMA went: dm-crypt reads into the BAR and writes
# from its own pages, RAID5 writes from its stripe cache.
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/raid-p2p
vm -d "$dir" -t raid -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr raid-p2p
make -s -C "$top/tools" >/dev/null
pat=$top/tools/build/iopmem-pattern
read -r _ _ bar_start bar_size < <(grep '^# bar-range ' "$dir/tap.log")
read -r _ _ marker < <(grep '^# marker-lba ' "$dir/tap.log")
# NSIDs of nvme0n1 (which dm-linear and dm-crypt sit on) and of the other
read -r _ _ first < <(grep '^# nvme0n1-nsid ' "$dir/tap.log")
other=$((3 - ${first:-1}))
segs=$(awk -v bar_start="$bar_start" -v bar_size="$bar_size" -v marker="$marker" \
	-f "$top/tests/lib/hexnum.awk" -f "$top/tests/lib/nvme-dma-segments.awk" "$dir/trace.log" 2>&1 | sort)
diag "$segs"
# seg N NSID FIELD: that count of segment N's commands on drive NSID
seg() { awk -v s="$1" -v n="$2" -v f="$3" '$2 == s && $4 == n { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' <<<"$segs"; }
i=0
for layer in "md RAID0:0:21:both:both" "md RAID1:32:22:any:both" "dm-linear:64:23:first:first" "dm-striped:96:24:both:both"; do
	IFS=: read -r name mib seed reads writes <<<"$layer"
	check "host: $name: the BAR file holds its 32 MiB at $mib MiB" "$pat" check -s "$seed" -o "${mib}m" -b 0 -l 32m "$dir/bar0.mem"
	out=0 in=0
	for n in 1 2; do
		out=$((out + $(seg $i $n outside || echo 0) + 0))
		in=$((in + $(seg $i $n inside || echo 0) + 0))
	done
	[ "$in" -gt 0 ] && [ "$out" = 0 ] &&
		ok "trace: $name: every data DMA address of both drives is inside the BAR ($in inside, $out outside)" ||
		not_ok "trace: $name: every data DMA address of both drives is inside the BAR ($in inside, $out outside)"
	r1=$(seg $i "$first" reads) r2=$(seg $i "$other" reads) w1=$(seg $i "$first" writes) w2=$(seg $i "$other" writes)
	r1=${r1:-0} r2=${r2:-0} w1=${w1:-0} w2=${w2:-0}
	case $reads in
	both) ok=$(( r1 > 0 && r2 > 0 )) ;;
	any) ok=$(( r1 + r2 > 0 )) ;;
	first) ok=$(( r1 > 0 && r2 == 0 )) ;;
	esac
	case $writes in
	both) ok=$(( ok && w1 > 0 && w2 > 0 )) ;;
	first) ok=$(( ok && w1 > 0 && w2 == 0 )) ;;
	esac
	[ "$ok" = 1 ] && ok "trace: $name: reads on $reads, writes on $writes of the drives (reads $r1+$r2, writes $w1+$w2)" ||
		not_ok "trace: $name: reads on $reads, writes on $writes of the drives (reads $r1+$r2, writes $w1+$w2)"
	i=$((i + 1))
done
# The control (segment 4): md RAID0 through a RAM buffer fails that check.
out=$(( $(seg 4 1 outside || echo 0) + $(seg 4 2 outside || echo 0) + 0 ))
[ "$out" -gt 0 ] && ok "trace: the --bounce copy through md RAID0 fails the same check ($out outside the BAR)" ||
	not_ok "trace: the --bounce copy through md RAID0 fails the same check (0 outside the BAR)"
# Layers that handle the data with the CPU: right bytes, and where the
# drives' DMA went (sum over both drives).
sum() { local t=0 n; for n in 1 2; do t=$((t + $(seg "$1" $n "$2" || echo 0) + 0)); done; echo $t; }
check "host: dm-crypt: the BAR file holds its 32 MiB at 128 MiB" "$pat" check -s 26 -o 128m -b 0 -l 32m "$dir/bar0.mem"
r_in=$(sum 5 rin) r_out=$(sum 5 rout) w_in=$(sum 5 win) w_out=$(sum 5 wout)
[ "$r_in" -gt 0 ] && [ "$r_out" = 0 ] && [ "$w_in" = 0 ] && [ "$w_out" -gt 0 ] &&
	ok "trace: dm-crypt: reads DMA straight into the BAR (decrypted there in place), writes go out of dm-crypt's own RAM pages (reads $r_in in/$r_out out, writes $w_in in/$w_out out)" ||
	not_ok "trace: dm-crypt: reads into the BAR, writes from RAM (reads $r_in in/$r_out out, writes $w_in in/$w_out out)"
check "host: md RAID5: the BAR file holds its 32 MiB at 160 MiB" "$pat" check -s 27 -o 160m -b 0 -l 32m "$dir/bar0.mem"
r_in=$(sum 6 rin) r_out=$(sum 6 rout) w_in=$(sum 6 win) w_out=$(sum 6 wout)
[ "$w_in" = 0 ] && [ "$w_out" -gt 0 ] &&
	ok "trace: md RAID5: writes go out of its stripe cache in RAM, data and parity (writes $w_in in/$w_out out; reads $r_in in/$r_out out)" ||
	not_ok "trace: md RAID5: writes from its stripe cache (writes $w_in in/$w_out out; reads $r_in in/$r_out out)"
done_testing
