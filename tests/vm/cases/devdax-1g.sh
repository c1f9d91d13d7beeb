# Proves, on a 1 GiB BAR (the host half is in tests/31-vm-devdax-p2p.t):
# devdax with align 2M and 1G makes compound pages whose struct pages
# share vmemmap: the RAM they take (free RAM before and after, and
# struct_page_bytes) is 1/4 of align 4K's at 2M (struct_page_bytes; free
# RAM within 256 KiB of it) and under 1/100 at 1G.  With align=1G a
# fault maps the whole GiB with one PUD; O_DIRECT peer-to-peer DMA (NVMe
# -> BAR -> NVMe, get_user_pages() on that PUD) moves the right bytes;
# memory_failure() finds the mapper of a poisoned page inside the 1 GiB
# compound page; a pipe's pin on the compound page keeps a mode change
# away (EBUSY) and unbind neither waits for it nor loses the pages under
# it.
. /cases/tap.sh
modprobe nvme
modprobe iopmem ids=1af4:1110
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
D=/dev/iopmem0.dax
is "$(cat $a/size)" 1073741824 "the BAR is 1 GiB"
# RAM the struct pages take, per align: free RAM before and after devdax,
# the median of three switches.  The nvme driver probes asynchronously,
# and its allocations could land inside a measurement: it is waited for
# first.  One run had read 168 KiB taken at 1G, where others read 4 to 60.
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
for al in 1G 2M 4K; do
	check "align=$al in raw mode" write_sysfs $a/align $al
	took=
	for i in 1 2 3; do
		before=$(free_ram_kib)
		write_sysfs $a/mode devdax || not_ok "align=$al: devdax: $(cat /tmp/write_sysfs.err)"
		after=$(free_ram_kib)
		took="$took $((before - after))"
		bytes=$(cat $a/struct_page_bytes)
		write_sysfs $a/mode raw || not_ok "align=$al: back to raw: $(cat /tmp/write_sysfs.err)"
	done
	med=$(echo $took | tr ' ' '\n' | sort -n | sed -n 2p)
	eval "took_$al=$med"
	eval "bytes_$al=$bytes"
	echo "# pages align=$al free_kib_taken=$med (of$took) struct_page_bytes=$bytes"
done
is "$bytes_4K" $((16 << 20)) "struct_page_bytes at align 4K: 64 bytes per 4 KiB (16 MiB)"
is "$bytes_2M" $((512 * 8192)) "at align 2M: 8 KiB per 2 MiB compound page (4 MiB)"
is "$bytes_1G" 8192 "at align 1G: 8 KiB for the 1 GiB compound page"
# Free RAM also moves with the page tables that map the vmemmap (32 KiB
# per GiB at 2M and 1G), the device's own allocations and whatever else
# the guest does meanwhile: within 256 KiB in the runs made so far.
check "align 4K: free RAM fell by 16 MiB, give or take 256 KiB ($took_4K KiB)" \
	test "$took_4K" -ge $((16384 - 256))
check "align 2M: by a quarter of that, and under 256 KiB more ($took_2M KiB)" \
	test $((took_2M * 4)) -le $((took_4K + 1024))
check "align 1G: by under 1/100 of it ($took_1G KiB)" test $((took_1G * 100)) -le "$took_4K"

check "align=1G" write_sysfs $a/align 1G
check "devdax" write_sysfs $a/mode devdax
is "$(dax-test mmap $D 0 1g shared)" ok "the whole GiB maps"
is "$(dax-test mmap $D 0 2m shared)" EINVAL "a 2 MiB mapping is refused with align=1G"
f1=$(cat $a/faults_1g); f2=$(cat $a/faults_2m); f4=$(cat $a/faults_4k)
check "read a byte of every 4 KiB of the GiB" dax-test touch $D 1g ro
is "$(( $(cat $a/faults_1g) - f1 ))" 1 "one 1 GiB (PUD) fault maps it all"
is "$(( $(cat $a/faults_2m) - f2 + $(cat $a/faults_4k) - f4 ))" 0 "no 2 MiB or 4 KiB fault"

# The host checks QEMU's trace for where the NVMe DMAed
# (tests/31-vm-devdax-p2p.t): inside the BAR.
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
check "fill NVMe 864..896 MiB with seed 41" iopmem-pattern write -d -s 41 -o 864m -b 0 -l 32m /dev/nvme0n1
check "P2P copy NVMe 864 MiB -> BAR 0 (the 1 GiB mapping) -> NVMe 928 MiB, 32 MiB" \
	iopmem-bench --force -c 32 -s 1m -t 4 --src-offset 864m --dst-offset 928m \
	/dev/nvme0n1 /dev/nvme0n1 $D
check "NVMe 928 MiB holds them" iopmem-pattern check -d -s 41 -o 928m -b 0 -l 32m /dev/nvme0n1

if [ -e /proc/sys/vm/memory_failure_recovery ]; then
	is "$(dax-test poison $D 1g)" "SIGBUS BUS_MCEERR_AR" "memory_failure() in the 1 GiB compound page finds its mapper"
else
	ok "# SKIP this kernel has no CONFIG_MEMORY_FAILURE"
fi

rm -f /tmp/ready /tmp/go
dax-test pin $D 1m /tmp/ready /tmp/go 1g > /tmp/pin.out &
pinner=$!
check "a pipe pins 1 MiB of the compound page" wait_for 20 test -e /tmp/ready
kmsg_mark
check_fails "a mode change is refused while they are pinned" timeout 20 sh -c "echo raw > $a/mode"
check_kmsg "256 pages of BAR 2 are pinned" "the kernel counts 256 pinned pages in the compound page"
kmsg_mark
check "unbind with the pages pinned returns" bar_remove unbind $dev
check_kmsg "keeping its struct pages while 256 are pinned" "the kernel keeps the struct pages for the pin"
kmsg_mark
touch /tmp/go
wait $pinner
check "the pages are released once the pipe closes" wait_for 30 kmsg_has "released the struct pages"
rmmod nvme
check "the module unloads" rmmod iopmem
exit 0
