# Proves: devdax mode gives /dev/iopmemN.dax with device-dax mmap rules:
# MAP_SHARED only, offset/length/alignment checked, MAP_SYNC only on a
# persistent BAR whose posted writes are declared durable, read/write/fork/munmap right, SIGBUS beyond the end, 2 MiB
# (PMD) faults with align=2M and 4 KiB faults with align=4K; the struct
# pages cost is reported; switching modes keeps the BAR's bytes.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110
size=$(cat $a/size)
check "write a pattern in raw mode" iopmem-pattern write -d -s 21 -o 100m -l 4m /dev/iopmem0
is "$(cat $a/struct_page_bytes)" 0 "raw mode has no struct pages"
check "switch to devdax" write_sysfs $a/mode devdax
is "$(cat $a/mode)" devdax "mode reads devdax"
is "$(cat $a/dax)" iopmem0.dax "dax attribute names the character device"
check "/dev/iopmem0.dax is a character device" test -c /dev/iopmem0.dax
check "/dev/iopmem0 is gone in devdax mode" test ! -e /dev/iopmem0
is "$(cat $a/block)" "" "block attribute is empty in devdax mode"
is "$(basename "$(readlink -f /sys/class/iopmem_dax/iopmem0.dax/device)")" "$dev" "the dax device's parent is the PCI function"
is "$(cat $a/struct_page_bytes)" $((size / 2097152 * 8192)) "struct page memory reported at align 2M: 8 KiB per 2 MiB compound page"
is "$(cat $a/align)" 2097152 "align defaults to 2 MiB"
D=/dev/iopmem0.dax

check "the raw-mode pattern is visible through the mapping (mode switch kept it)" dax-test check $D 100m 4m 21
is "$(dax-test mmap $D 0 2m private)" EINVAL "MAP_PRIVATE is refused with EINVAL"
is "$(dax-test mmap $D 1m 2m shared)" EINVAL "an offset not 2 MiB aligned is refused with EINVAL"
is "$(dax-test mmap $D $size 2m shared)" ENXIO "an offset at the end is refused with ENXIO"
is "$(dax-test mmap $D $((size - 2097152)) 4m shared)" ENXIO "a length past the end is refused with ENXIO"
is "$(dax-test mmap $D 0 2m sync)" EOPNOTSUPP "MAP_SYNC is refused on a BAR not marked persistent"
write_sysfs $a/persistent 1
is "$(dax-test mmap $D 0 2m sync)" EOPNOTSUPP "MAP_SYNC is refused on a persistent BAR whose posted writes are not declared durable"
write_sysfs $a/posted_durable 1
is "$(dax-test mmap $D 0 2m sync)" ok "MAP_SYNC works with persistent=1 and posted_durable=1"
write_sysfs $a/posted_durable 0
write_sysfs $a/persistent 0
is "$(dax-test mmap $D 0 $size shared)" ok "the whole BAR can be mapped"

check "write a pattern through a mapping, msync, read it back" dax-test write $D 32m 16m 22
check "a second mapping sees it" dax-test check $D 32m 16m 22
check "fork: parent and child share the mapping" dax-test fork $D
check "munmap: a later touch faults" dax-test munmap $D
check "mremap past the end: a touch there gets SIGBUS" dax-test beyond $D $size

f2=$(cat $a/faults_2m); f4=$(cat $a/faults_4k)
check "touch 16 MiB with align=2M" dax-test touch $D 16m
is "$(( $(cat $a/faults_2m) - f2 ))" 8 "2 MiB (PMD) faults: 8 for 16 MiB"
is "$(( $(cat $a/faults_4k) - f4 ))" 0 "no 4 KiB faults with align=2M"
check "align=4K" write_sysfs $a/align 4K
f2=$(cat $a/faults_2m); f4=$(cat $a/faults_4k)
check "touch 1 MiB with align=4K" dax-test touch $D 1m
is "$(( $(cat $a/faults_4k) - f4 ))" 256 "4 KiB faults: 256 for 1 MiB"
is "$(( $(cat $a/faults_2m) - f2 ))" 0 "no 2 MiB faults with align=4K"
is "$(dax-test mmap $D 4096 8192 shared)" ok "with align=4K a 4 KiB-aligned offset maps"
kmsg_mark
check_fails "align=3M refused" write_sysfs $a/align 3M
check_kmsg 'align: "3M" is not 4096, 2097152 or 1073741824' "align: the kernel says why"
kmsg_mark
check_fails "align=1G refused on this 256 MiB BAR" write_sysfs $a/align 1G
check_kmsg 'align 1G refused: BAR 2 .* is not 1 GiB aligned' "align=1G: the kernel says why"
check "align=2M" write_sysfs $a/align 2M

check "back to raw" write_sysfs $a/mode raw
check "the pattern written through the mapping is on /dev/iopmem0" iopmem-pattern check -d -s 22 -o 32m -l 16m /dev/iopmem0
check "and the first one too" iopmem-pattern check -d -s 21 -o 100m -l 4m /dev/iopmem0
is "$(cat $a/struct_page_bytes)" 0 "raw mode again: the struct pages are gone"
rmmod iopmem
exit 0
