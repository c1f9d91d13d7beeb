# bench/run.sh, boot 3 (topology scale: BARs of 64 MiB to 4 GiB): time to
# bind (raw), and per devdax align (4K, 2M, and 1G where the BAR allows)
# the time to create the struct pages (raw -> devdax) and to remove them,
# and what they cost: struct_page_bytes and the free RAM they took.
# "# scale SIZE ALIGN BIND_MS PAGES_MS UNPAGES_MS BYTES FREE_KIB_TAKEN"
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
	for al in 4096 2097152 1073741824; do
		[ $size -ge $al ] || continue
		write_sysfs $d/iopmem/align $al
		before=$(free_ram_kib)
		pages_ms=$(ms sh -c "echo devdax > $d/iopmem/mode")
		after=$(free_ram_kib)
		bytes=$(cat $d/iopmem/struct_page_bytes)
		unpages_ms=$(ms sh -c "echo raw > $d/iopmem/mode")
		echo "# scale $size $al $bind_ms $pages_ms $unpages_ms $bytes $((before - after))"
		want=$((size / 4096 * 64))
		[ $al = 4096 ] || want=$((size / al * 8192))
		is "$bytes" $want "$bdf: $((size >> 20)) MiB BAR, align $al: struct_page_bytes $bytes"
	done
	iopmemctl unbind $bdf >/dev/null
done
rmmod iopmem
exit 0
