# Proves: pages pinned by a pipe (vmsplice of a devdax mapping; the device
# itself closed and unmapped) make a mode change fail at once with EBUSY
# and a message naming how many, before anything is torn down.  Removal
# with the pins held (this file's name says how: sysfs unbind, or QEMU
# device_del, a pciehp hot-unplug) returns at once; other PCI work goes on
# meanwhile (a bus rescan, another driver's probe); rmmod says the module
# is in use; a function bound at the same address serves raw.  Once the
# pipe closes, the pages are released and the new function serves devdax
# with the data intact.
. /cases/tap.sh
method=${0##*-}
method=${method%.sh}
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110 mode=devdax
D=/dev/iopmem0.dax
check "write a pattern at 4 MiB" dax-test write $D 4m 4m 81
rm -f /tmp/ready /tmp/go
dax-test pin $D 64k /tmp/ready /tmp/go > /tmp/pin.out &
pinner=$!
check "a pipe pins 16 pages" wait_for 10 test -e /tmp/ready
diag "$(cat /tmp/pin.out)"
is "$(cat $a/users)" 0 "no opener: only the pipe holds the pages"

kmsg_mark
check_fails "mode change with pinned pages: refused" timeout 20 sh -c "echo raw > $a/mode"
check_kmsg "16 pages of BAR 2 are pinned" "the kernel names the pinned pages"
is "$(cat $a/mode)" devdax "still devdax: nothing was torn down"
check "the data is still served" dax-test check $D 4m 4m 81

kmsg_mark
check "$method with the pages pinned returns" bar_remove $method $dev
check_kmsg "keeping its struct pages while 16 are pinned" "the kernel says what it keeps and why"
check "a PCI bus rescan is not blocked" timeout 20 sh -c 'echo 1 > /sys/bus/pci/rescan'
check "another driver probes meanwhile (nvme)" timeout 30 sh -c 'modprobe nvme && while [ ! -b /dev/nvme0n1 ]; do sleep 0.2; done'
check_fails "rmmod refused while the pages are kept" rmmod iopmem
check "the function comes back ($method)" bar_return $method $dev
is "$(cat $a/mode)" raw "the new function serves raw while the old pages are pinned"

kmsg_mark
touch /tmp/go
wait $pinner
check "the pages are released once the pipe closes" wait_for 30 kmsg_has "released the struct pages"
check "the new function switches to devdax" write_sysfs $a/mode devdax
check "the data is intact" dax-test check $D 4m 4m 81
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "the module unloads" rmmod iopmem
rmmod nvme
exit 0
