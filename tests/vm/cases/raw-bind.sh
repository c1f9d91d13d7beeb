# Proves: iopmem claims nothing by default and binds by each standard means
# (driver_override + bind, new_id, the ids= parameter); /dev/iopmemN has the
# BAR's size, 512/4096-byte blocks, flush/FUA enabled, partitions and stable
# numbering; the sysfs attributes say what is served.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID) || { not_ok "ivshmem function present"; exit 1; }
sys=/sys/bus/pci/devices/$dev
# BAR 2 of ivshmem-plain holds the shared memory: its size from sysfs.
set -- $(sed -n 3p $sys/resource)
bar_start=$(($1)); bar_size=$(($2 - $1 + 1))

check "module loads with no parameters" modprobe iopmem
is "$(ls /sys/bus/pci/drivers/iopmem | grep -c '^0000:')" 0 "no function is claimed by default"

# 1. driver_override + bind
echo iopmem > $sys/driver_override
check "bind through driver_override + bind" write_sysfs /sys/bus/pci/drivers/iopmem/bind $dev
is "$(basename "$(readlink $sys/driver)")" iopmem "the function's driver is iopmem"
check "/dev/iopmem0 exists" test -b /dev/iopmem0
is "$(blockdev --getsize64 /dev/iopmem0)" "$bar_size" "capacity equals the BAR size ($bar_size bytes)"
is "$(cat /sys/block/iopmem0/queue/logical_block_size)" 512 "logical block size 512"
is "$(cat /sys/block/iopmem0/queue/physical_block_size)" 4096 "physical block size 4096"
is "$(cat /sys/block/iopmem0/queue/write_cache)" "write back" "flushes are passed to the driver (write back cache)"
is "$(cat /sys/block/iopmem0/queue/fua)" 1 "FUA is passed to the driver"
is "$(basename "$(readlink -f /sys/block/iopmem0/device)")" "$dev" "the disk's parent is the PCI function (by-path names work)"

a=$sys/iopmem
is "$(cat $a/bar)" 2 "default BAR is the 64-bit prefetchable one (2)"
is "$(cat $a/size)" "$bar_size" "size attribute"
is "$(($(cat $a/phys_addr)))" "$bar_start" "phys_addr attribute is the BAR's start"
is "$(($(cat $a/bus_addr)))" "$bar_start" "bus_addr attribute (no translation on x86)"
is "$(stat -c %a $a/phys_addr $a/bus_addr $a/size | tr '\n' ' ')" "400 400 400 " "addresses and size are root-readable only"
is "$(cat $a/mode)" raw "mode is raw"
is "$(cat $a/block)" iopmem0 "block attribute names the disk"
is "$(cat $a/mapping)" write-combining "a prefetchable BAR is mapped write-combining"
is "$(cat $a/persistent)" 0 "persistent defaults to 0"
check "persistent can be set" write_sysfs $a/persistent 1
is "$(cat $a/persistent)" 1 "persistent reads back 1"
is "$(cat $a/access_width)" 64 "CPU accesses are 64 bits wide by default"

# Flush and FUA reach the driver: each one reads the BAR back.
f0=$(cat $a/flushes)
check "write with fsync" dd if=/dev/zero of=/dev/iopmem0 bs=4096 count=16 conv=fsync
check "write with O_DIRECT|O_SYNC (FUA)" fio --name=fua --filename=/dev/iopmem0 --rw=write --bs=4k --size=64k --direct=1 --sync=1
f1=$(cat $a/flushes)
[ "$f1" -gt "$f0" ] && ok "flush/FUA performed by the driver ($f0 -> $f1)" || not_ok "flush/FUA performed by the driver ($f0 -> $f1)"

# Partitions.
printf 'label: gpt\n,64MiB\n,64MiB\n' | sfdisk -q /dev/iopmem0 >/tmp/sfdisk.out 2>&1
check "partition table written" test -b /dev/iopmem0p2
check "write a pattern to partition 2" iopmem-pattern write -d -s 7 -l 4m /dev/iopmem0p2
check "read it back from partition 2" iopmem-pattern check -d -s 7 -l 4m /dev/iopmem0p2
p2mib=$(($(cat /sys/block/iopmem0/iopmem0p2/start) * 512 / 1048576))
dd if=/dev/iopmem0p2 of=/tmp/p2.part bs=1M count=4 2>/dev/null
dd if=/dev/iopmem0 of=/tmp/p2.whole bs=1M skip=$p2mib count=4 2>/dev/null
check "partition 2's bytes are at its offset ($p2mib MiB) in the whole disk" cmp /tmp/p2.part /tmp/p2.whole

# Stable numbering: unbind and bind again gives the same name.
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "/dev/iopmem0 is gone after unbind" test ! -e /dev/iopmem0
check "bind again" write_sysfs /sys/bus/pci/drivers/iopmem/bind $dev
check "the same function is /dev/iopmem0 again" test -b /dev/iopmem0
check "partitions are found again after bind" test -b /dev/iopmem0p2
check "data survived unbind and bind" iopmem-pattern check -d -s 7 -l 4m /dev/iopmem0p2
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
echo > $sys/driver_override

# 2. new_id
check "bind through new_id" write_sysfs /sys/bus/pci/drivers/iopmem/new_id "1af4 1110"
check "/dev/iopmem0 after new_id" test -b /dev/iopmem0
echo "1af4 1110" > /sys/bus/pci/drivers/iopmem/remove_id
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "module unloads when idle" rmmod iopmem

# 3. ids= at load time
check "module loads with ids=1af4:1110" modprobe iopmem ids=1af4:1110
is "$(basename "$(readlink $sys/driver)")" iopmem "ids= bound the function at load"
check "/dev/iopmem0 after ids=" test -b /dev/iopmem0
is "$(blockdev --getsize64 /dev/iopmem0)" "$bar_size" "capacity equals the BAR size"
check "module unloads with a bound function (unbinds it)" rmmod iopmem
check "/dev/iopmem0 is gone after rmmod" test ! -e /dev/iopmem0
exit 0
