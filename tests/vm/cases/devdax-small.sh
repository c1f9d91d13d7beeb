# Proves (topology with a 1 MiB ivshmem BAR): a BAR that cannot have struct
# pages (not 2 MiB aligned in size) refuses devdax with a clear message,
# without reaching memremap_pages() (no WARNING), and still serves raw.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
kmsg_mark
check "module loads with mode=devdax and binds the 1 MiB BAR" modprobe iopmem ids=1af4:1110 mode=devdax
check_kmsg "not 2 MiB aligned: struct pages (ZONE_DEVICE) need 2 MiB alignment" "devdax refused: the kernel says why"
check_kmsg "serving BAR 2 in raw mode instead of devdax" "the kernel says it serves raw instead"
is "$(cat $a/mode)" raw "the function is served in raw mode"
is "$(blockdev --getsize64 /dev/iopmem0)" 1048576 "/dev/iopmem0 has the 1 MiB"
check "raw I/O works" sh -c "iopmem-pattern write -d -s 4 -l 1m /dev/iopmem0 && iopmem-pattern check -d -s 4 -l 1m /dev/iopmem0"
kmsg_mark
check_fails "mode=devdax through sysfs: refused" write_sysfs $a/mode devdax
is "$(grep -o 'Invalid argument' /tmp/write_sysfs.err)" "Invalid argument" "the refusal is EINVAL"
check_kmsg "only raw mode can serve it" "the kernel says why"
is "$(cat $a/mode)" raw "still raw"
check "data kept after the refusal" iopmem-pattern check -d -s 4 -l 1m /dev/iopmem0
kmsg_mark
check_fails "mode p2pdma on the 1 MiB BAR: refused" write_sysfs $a/mode p2pdma
case "$(cat /tmp/write_sysfs.err)" in
*"Invalid argument"*)
	check_kmsg "the kernel's P2PDMA pages need 2 MiB alignment" "p2pdma refused with EINVAL before the kernel's P2PDMA code sees it: the kernel says why" ;;
*"not supported"*) ok "p2pdma refused with EOPNOTSUPP ($(uname -r) has no CONFIG_PCI_P2PDMA)" ;;
*) not_ok "p2pdma refused with EINVAL or EOPNOTSUPP"; diag "$(cat /tmp/write_sysfs.err)" ;;
esac
is "$(cat $a/mode)" raw "still raw"
rmmod iopmem
exit 0
