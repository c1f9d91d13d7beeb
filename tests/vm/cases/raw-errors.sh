# Proves: every refusal gives a kernel message saying what and why, the
# right errno to the writer, and no oops: an I/O-port BAR, a missing or empty
# BAR, a too-small BAR, an index out of range, a function with no memory
# BAR, a BAR already claimed, bad attribute values, bad module parameters;
# a refused BAR or mode change loses nothing; I/O past the end fails cleanly.
. /cases/tap.sh
iv=$(pci_find $IVSHMEM_ID)
nv=$(pci_find $NVME_ID)
smbus=$(pci_find 0x8086:0x2930)   # ICH9 SMBus: BAR 4 is I/O ports, no memory BAR
drv=/sys/bus/pci/drivers/iopmem
param=/sys/module/iopmem/parameters/bar

# bind_refused DEV BAR PATTERN DESC: with bar=BAR, binding DEV fails and the
# kernel says PATTERN.
bind_refused() {
	echo "$2" > $param
	echo iopmem > /sys/bus/pci/devices/$1/driver_override
	kmsg_mark
	check_fails "$4: bind refused" write_sysfs $drv/bind $1
	check_kmsg "$3" "$4: the kernel says why"
	echo > /sys/bus/pci/devices/$1/driver_override
}

check "module loads" modprobe iopmem
# A kernel with i2c-i801 built in (the debug build) has the SMBus bound:
# free it, or the binds below fail as "busy" before iopmem is asked.
[ -e /sys/bus/pci/devices/$smbus/driver ] &&
	check "free the SMBus from $(basename "$(readlink /sys/bus/pci/devices/$smbus/driver)")" \
		write_sysfs /sys/bus/pci/devices/$smbus/driver/unbind $smbus
bind_refused $smbus 4 "BAR 4 is an I/O port BAR" "I/O-port BAR"
bind_refused $smbus -1 "no prefetchable memory BAR" "function without a memory BAR"
bind_refused $iv 1 "BAR 1 is missing or empty" "missing BAR"
bind_refused $iv 0 "BAR 0 is 256 bytes, smaller than one" "too-small BAR"
# The bar parameter is range checked when it is set, not at the next bind.
for b in 6 -7 1x 18446744073709551617; do
	echo 0 > $param
	kmsg_mark
	check_fails "bar parameter $b: refused when set" write_sysfs $param $b
	check_kmsg "bar: must be a BAR index from 0 to 5, or -1" "bar parameter $b: the kernel says why"
	is "$(cat $param)" 0 "bar parameter $b: the old value stays"
done
check "claim ivshmem BAR 2 with the test fixture" insmod /lib/modules/$(uname -r)/extra/iopmem_test_claim.ko dev=$iv bar=2
bind_refused $iv -1 "BAR 2 .* is already claimed" "claimed BAR"
check "release the claim" rmmod iopmem_test_claim
echo -1 > $param

# Per-device BAR choice on the NVMe function (no nvme driver loaded here):
# BAR 2 is its 64 MiB CMB, BAR 0 its 16 KiB registers.
echo iopmem > /sys/bus/pci/devices/$nv/driver_override
check "bind the NVMe function" write_sysfs $drv/bind $nv
a=/sys/bus/pci/devices/$nv/iopmem
disk=$(cat $a/block)
is "$(cat $a/bar)" 2 "NVMe: the CMB (BAR 2) is picked by default"
check "write a pattern into the CMB" iopmem-pattern write -d -s 3 -l 1m /dev/$disk
kmsg_mark
check_fails "bar=9 refused" write_sysfs $a/bar 9
check_kmsg "BAR 9 is out of range" "bar=9: the kernel says why"
check_fails "bar=x refused" write_sysfs $a/bar x
check_fails "bar=1 (64-bit BAR 0's upper half) refused" write_sysfs $a/bar 1
is "$(cat $a/bar)" 2 "refused changes keep BAR 2"
check "the pattern is intact after refused changes" iopmem-pattern check -d -s 3 -l 1m /dev/$disk
sleep 30 < /dev/$disk &
holder=$!
sleep 1
kmsg_mark
check_fails "BAR change while the disk is open: refused" write_sysfs $a/bar 0
is "$(grep -o 'Device or resource busy' /tmp/write_sysfs.err)" "Device or resource busy" "the refusal is EBUSY"
check_kmsg "raw mode is in use (1 open, mounted or mapped)" "the kernel says the disk is in use"
kill $holder; wait $holder 2>/dev/null
check "BAR change when idle: to BAR 0" write_sysfs $a/bar 0
is "$(cat $a/mapping)" uncached "a non-prefetchable BAR is mapped uncached"
is "$(blockdev --getsize64 /dev/$(cat $a/block))" 16384 "the disk is now BAR 0's 16 KiB"
check "back to BAR 2" write_sysfs $a/bar 2
check "the CMB pattern survived the switch" iopmem-pattern check -d -s 3 -l 1m /dev/$(cat $a/block)
check "unbind NVMe" write_sysfs $drv/unbind $nv
echo > /sys/bus/pci/devices/$nv/driver_override

# Attribute values and I/O past the end, on the ivshmem disk.
echo iopmem > /sys/bus/pci/devices/$iv/driver_override
check "bind ivshmem" write_sysfs $drv/bind $iv
a=/sys/bus/pci/devices/$iv/iopmem
kmsg_mark
check_fails "mode=bogus refused" write_sysfs $a/mode bogus
check_kmsg 'mode: "bogus" is not a mode (raw, fsdax, devdax, p2pdma)' "mode: the kernel says why"
check_fails "persistent=maybe refused" write_sysfs $a/persistent maybe
check_kmsg 'persistent: "maybe" is not a boolean' "persistent: the kernel says why"
check_fails "access_width=16 refused" write_sysfs $a/access_width 16
check_kmsg 'access_width: "16" is not 64 or 32' "access_width: the kernel says why"
size=$(blockdev --getsize64 /dev/iopmem0)
check_fails "a direct write past the end fails" dd if=/dev/zero of=/dev/iopmem0 bs=4096 seek=$((size / 4096)) count=1 oflag=direct
check_fails "a write straddling the end fails" iopmem-pattern write -d -o $((size - 4096)) -l 8192 /dev/iopmem0
check_fails "a read past the end fails" iopmem-pattern check -d -o $size -l 4096 /dev/iopmem0
check "the last block still works" iopmem-pattern write -d -o $((size - 4096)) -l 4096 /dev/iopmem0
check "32-bit accesses can be chosen" write_sysfs $a/access_width 32
check "32-bit writes and reads move the right bytes" sh -c \
	"iopmem-pattern write -d -s 9 -l 8m /dev/iopmem0 && iopmem-pattern check -d -s 9 -l 8m /dev/iopmem0"
check "unbind ivshmem" write_sysfs $drv/unbind $iv
check "module unloads" rmmod iopmem

kmsg_mark
modprobe iopmem ids=zz:1,1af4 >/dev/null 2>&1
check_kmsg 'ids: "zz:1" is not VVVV:DDDD' "a bad ids= entry is reported and skipped"
rmmod iopmem
kmsg_mark
check_fails "access_width=16 at load refused" modprobe iopmem access_width=16
check_kmsg "access_width=16: must be 64 or 32" "access_width: the kernel says why"
kmsg_mark
check_fails "bar=7 at load refused" modprobe iopmem bar=7
check_kmsg "bar: must be a BAR index" "bar=7 at load: the kernel says why"
check_fails "mode=fsdaxx at load refused" modprobe iopmem mode=fsdaxx
exit 0
