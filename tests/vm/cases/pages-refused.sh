# Proves (boot with nopat and a pci-testdev): with PAT off, fsdax and
# devdax are refused with EINVAL and a message saying why, and raw serves;
# mode=devdax at load falls back to raw.  The default BAR is never a
# non-prefetchable one: a function whose only memory BAR is registers
# (pci-testdev) is not bound unless a BAR is named.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
drv=/sys/bus/pci/drivers/iopmem
check "PAT is off" sh -c 'dmesg | grep -q "PAT.*disabled\|x86/PAT: PAT support disabled\|nopat"'
modprobe iopmem ids=1af4:1110
for m in devdax fsdax; do
	kmsg_mark
	check_fails "$m refused without PAT" write_sysfs $a/mode $m
	is "$(grep -o 'Invalid argument' /tmp/write_sysfs.err)" "Invalid argument" "$m: EINVAL"
	check_kmsg "PAT is off (nopat)" "$m: the kernel says why"
done
is "$(cat $a/mode)" raw "still raw"
check "raw I/O works" sh -c "iopmem-pattern write -d -s 5 -l 4m /dev/iopmem0 && iopmem-pattern check -d -s 5 -l 4m /dev/iopmem0"
write_sysfs $drv/unbind $dev
rmmod iopmem
kmsg_mark
check "mode=devdax at load binds" modprobe iopmem ids=1af4:1110 mode=devdax
is "$(cat $a/mode)" raw "in raw mode instead"
check_kmsg "serving BAR 2 in raw mode instead of devdax" "the kernel says so"

td=$(pci_find 0x1b36:0x0005)
check "a pci-testdev is there" test -n "$td"
echo iopmem > /sys/bus/pci/devices/$td/driver_override
kmsg_mark
check_fails "binding a function with only a register BAR is refused" write_sysfs $drv/bind $td
check_kmsg "no prefetchable memory BAR" "the kernel says why and how to name one"
echo > /sys/bus/pci/devices/$td/driver_override
write_sysfs $drv/unbind $dev
rmmod iopmem
exit 0
