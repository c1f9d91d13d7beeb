# bench/run.sh, boot 3 (topology scale: BARs of 64 MiB to 4 GiB): time to
# bind (raw), to create the struct pages (raw -> devdax) and to remove
# them, and what they cost.  "# scale SIZE BIND_MS PAGES_MS UNPAGES_MS BYTES"
. /cases/tap.sh
ms() { elapsed "$@" 2>&1 >/dev/null | sed -n 's/elapsed_ms //p'; }
modprobe iopmem
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = "$IVSHMEM_ID" ] || continue
	bdf=$(basename $d)
	size=$(($(sed -n 3p $d/resource | awk '{print $2 " - " $1}') + 1))
	echo iopmem > $d/driver_override
	# Timed as plain sysfs writes, so that the figures are the kernel's.
	bind_ms=$(ms sh -c "echo $bdf > /sys/bus/pci/drivers/iopmem/bind")
	pages_ms=$(ms sh -c "echo devdax > $d/iopmem/mode")
	bytes=$(cat $d/iopmem/struct_page_bytes)
	unpages_ms=$(ms sh -c "echo raw > $d/iopmem/mode")
	echo "# scale $size $bind_ms $pages_ms $unpages_ms $bytes"
	is "$bytes" $((size / 4096 * 64)) "$bdf: $((size >> 20)) MiB BAR: struct pages cost 64 bytes per 4 KiB"
	iopmemctl unbind $bdf >/dev/null
done
rmmod iopmem
exit 0
