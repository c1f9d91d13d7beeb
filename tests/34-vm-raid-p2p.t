#!/bin/bash
# Proves: peer-to-peer DMA through stacked block devices: md RAID0, md
# RAID1, dm-linear and dm-striped over two NVMe drives, and an NVMe
# multipath namespace over two controllers (guest case raid-p2p).  After
# the VM stops, the host finds each copy's bytes in the BAR's backing
# file, and in QEMU's trace of each copy (a segment between two marker
# reads) every data DMA address of every drive is inside the BAR, with
# each member drive doing its share: reads and writes on both drives for
# RAID0 and dm-striped, writes on both for RAID1 (its reads may come from
# either), commands on NSID 1 only for dm-linear.  The same check fails
# for a copy through a RAM buffer (--bounce).  dm-crypt and md RAID5 and
# RAID6, which handle the data with the CPU, copy right too; the trace
# says where their DMA went: dm-crypt reads into the BAR and writes from
# its own pages, RAID5 and RAID6 write from their stripe cache.  On a
# kernel with CONFIG_PCI_P2PDMA (7.2), the kernel's own P2PDMA memory (an
# NVMe CMB) through the same layers: copied through the CMB where the
# block layer lets P2PDMA pages pass (NVMe, md RAID0, RAID1, multipath),
# refused with EREMOTEIO and no DMA at all where it does not (dm, RAID5/6).
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/raid-p2p
vm -d "$dir" -t raid -e pci_nvme_read,pci_nvme_write,pci_nvme_map_addr,pci_nvme_map_addr_cmb raid-p2p
make -s -C "$top/tools" >/dev/null
pat=$top/tools/build/iopmem-pattern
read -r _ _ bar_start bar_size < <(grep '^# bar-range ' "$dir/tap.log")
read -r _ _ marker < <(grep '^# marker-lba ' "$dir/tap.log")
# segments START SIZE: per segment and NSID, where the DMA went
segments() {
	awk -v bar_start="$1" -v bar_size="$2" -v marker="$marker" \
		-f "$top/tests/lib/hexnum.awk" -f "$top/tests/lib/nvme-dma-segments.awk" "$dir/trace.log" 2>&1 | sort
}
segs=$(segments "$bar_start" "$bar_size")
diag "$segs"
# seg N NSID FIELD: that count of segment N's commands on namespace NSID
seg() { awk -v s="$1" -v n="$2" -v f="$3" '$2 == s && $4 == n { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' <<<"$segs"; }
# sum N FIELD: over all five namespaces
sum() { local t=0 n; for n in 1 2 3 4 5; do t=$((t + $(seg "$1" $n "$2" || echo 0) + 0)); done; echo $t; }
i=0
for layer in "md RAID0:0:21:both:both" "md RAID1:32:22:any:both" "dm-linear:64:23:first:first" "dm-striped:96:24:both:both"; do
	IFS=: read -r name mib seed reads writes <<<"$layer"
	check "host: $name: the BAR file holds its 32 MiB at $mib MiB" "$pat" check -s "$seed" -o "${mib}m" -b 0 -l 32m "$dir/bar0.mem"
	out=$(sum $i outside) in=$(sum $i inside)
	[ "$in" -gt 0 ] && [ "$out" = 0 ] &&
		ok "trace: $name: every data DMA address of both drives is inside the BAR ($in inside, $out outside)" ||
		not_ok "trace: $name: every data DMA address of both drives is inside the BAR ($in inside, $out outside)"
	r1=$(seg $i 1 reads) r2=$(seg $i 2 reads) w1=$(seg $i 1 writes) w2=$(seg $i 2 writes)
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
out=$(sum 4 outside)
[ "$out" -gt 0 ] && ok "trace: the --bounce copy through md RAID0 fails the same check ($out outside the BAR)" ||
	not_ok "trace: the --bounce copy through md RAID0 fails the same check (0 outside the BAR)"
# Layers that handle the data with the CPU: right bytes, and where the
# drives' DMA went.
check "host: dm-crypt: the BAR file holds its 32 MiB at 128 MiB" "$pat" check -s 26 -o 128m -b 0 -l 32m "$dir/bar0.mem"
r_in=$(sum 5 rin) r_out=$(sum 5 rout) w_in=$(sum 5 win) w_out=$(sum 5 wout)
[ "$r_in" -gt 0 ] && [ "$r_out" = 0 ] && [ "$w_in" = 0 ] && [ "$w_out" -gt 0 ] &&
	ok "trace: dm-crypt: reads DMA straight into the BAR (decrypted there in place), writes go out of dm-crypt's own RAM pages (reads $r_in in/$r_out out, writes $w_in in/$w_out out)" ||
	not_ok "trace: dm-crypt: reads into the BAR, writes from RAM (reads $r_in in/$r_out out, writes $w_in in/$w_out out)"
for l in "md RAID5:6:160:27:2" "md RAID6:8:224:29:4"; do
	IFS=: read -r name s mib seed n <<<"$l"
	check "host: $name: the BAR file holds its 32 MiB at $mib MiB" "$pat" check -s "$seed" -o "${mib}m" -b 0 -l 32m "$dir/bar0.mem"
	r_in=$(sum $s rin) r_out=$(sum $s rout) w_in=$(sum $s win) w_out=$(sum $s wout)
	drives=0
	for ns in 1 2 3 4; do [ "$(seg $s $ns writes || echo 0)" -gt 0 ] 2>/dev/null && drives=$((drives + 1)); done
	[ "$w_in" = 0 ] && [ "$w_out" -gt 0 ] && [ "$drives" = "$n" ] &&
		ok "trace: $name: writes go out of its stripe cache in RAM, data and parity, to all $n drives (writes $w_in in/$w_out out on $drives drives; reads $r_in in/$r_out out)" ||
		not_ok "trace: $name: writes from its stripe cache to all $n drives (writes $w_in in/$w_out out on $drives drives; reads $r_in in/$r_out out)"
done
# The NVMe multipath namespace (NSID 5): both controllers' commands carry
# NSID 5, so the trace counts them together; the guest's per-path counts
# showed both paths writing.
check "host: NVMe multipath: the BAR file holds its 32 MiB at 192 MiB" "$pat" check -s 28 -o 192m -b 0 -l 32m "$dir/bar0.mem"
r=$(seg 7 5 reads) w=$(seg 7 5 writes) in=$(seg 7 5 inside) out=$(sum 7 outside)
[ "${r:-0}" -gt 0 ] && [ "${w:-0}" -gt 0 ] && [ "${in:-0}" -gt 0 ] && [ "$out" = 0 ] &&
	ok "trace: NVMe multipath: NSID 5 read and wrote, every data DMA address inside the BAR (${in:-0} inside, $out outside)" ||
	not_ok "trace: NVMe multipath: NSID 5 read and wrote, every data DMA inside the BAR (reads ${r:-0}, writes ${w:-0}, ${in:-0} inside, $out outside)"

# The kernel's P2PDMA memory (7.2): what its block layer lets through.
if read -r _ _ cmb_start cmb_size < <(grep '^# cmb-range ' "$dir/tap.log"); then
	segs=$(segments "$cmb_start" "$cmb_size")
	diag "CMB: $cmb_start, $cmb_size bytes"
	diag "$segs"
	# 7.2: NVMe (and its multipath head) and md RAID0/1/10 set
	# BLK_FEAT_PCI_P2PDMA; dm and RAID5/6 do not, so get_user_pages
	# refuses the CMB's pages (FOLL_PCI_P2PDMA unset: EREMOTEIO).
	for l in "nvme:copied" "md RAID0:copied" "md RAID1:copied" "NVMe multipath:copied" \
		 "dm-linear:refused" "dm-striped:refused" "dm-crypt:refused" "md RAID5:refused" "md RAID6:refused"; do
		name=${l%:*} want=${l##*:}
		read -r _ _ s got < <(grep "^# p2pmem-result [0-9]* $name [a-z]*\$" "$dir/tap.log" |
			sed 's/^\(# p2pmem-result [0-9]*\) .* \([a-z]*\)$/\1 \2/')
		is "${got:-missing}" "$want" "p2pmem, $name: $want, as 7.2's block layer says"
		[ -n "${s:-}" ] || continue
		in=$(sum "$s" inside) out=$(sum "$s" outside) cmds=$(( $(sum "$s" reads) + $(sum "$s" writes) ))
		if [ "$want" = copied ]; then
			[ "$in" -gt 0 ] && [ "$out" = 0 ] &&
				ok "trace: p2pmem, $name: every data DMA address inside nvme0's CMB ($in inside, $out outside)" ||
				not_ok "trace: p2pmem, $name: every data DMA address inside nvme0's CMB ($in inside, $out outside)"
		else
			is "$cmds" 0 "trace: p2pmem, $name: refused before any command reached a drive"
		fi
	done
else
	ok "# SKIP p2pmem: $(grep '^# p2pmem none' "$dir/tap.log" | sed 's/^# p2pmem none: //')"
fi
done_testing
