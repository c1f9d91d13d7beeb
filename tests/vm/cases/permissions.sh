# Proves: an unprivileged user (uid 1000) can write no attribute, open
# neither /dev/iopmem0 nor /dev/iopmem0.dax, and read none of the address
# attributes (phys_addr, bus_addr, size).
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110
user() { /usr/local/sbin/setpriv --reuid=1000 --regid=1000 --clear-groups sh -c "$1"; }
check "the unprivileged helper works (uid 1000)" sh -c "[ \"\$(/usr/local/sbin/setpriv --reuid=1000 --regid=1000 --clear-groups id -u)\" = 1000 ]"
before=$(cat $a/mode)
for attr in bar mode persistent posted_durable align access_width; do
	check_fails "user cannot write $attr" user "echo 1 > $a/$attr"
done
is "$(cat $a/mode)" "$before" "nothing changed"
for attr in phys_addr bus_addr size; do
	check_fails "user cannot read $attr" user "cat $a/$attr"
done
check "user can read mode" user "cat $a/mode"
iopmemctl --json info $dev > /tmp/root.json
user "iopmemctl --json info $dev" > /tmp/user.json
for k in size phys_addr bus_addr; do
	is "$(json-get $k < /tmp/user.json)" null "iopmemctl info as a user: $k is null (root only), not missing or -1"
done
is "$(json-get mode < /tmp/user.json)" "$(json-get mode < /tmp/root.json)" "iopmemctl info as a user: mode as root sees it"
check_fails "user cannot open /dev/iopmem0 for reading" user "dd if=/dev/iopmem0 of=/dev/null count=1"
check_fails "user cannot open /dev/iopmem0 for writing" user "dd if=/dev/zero of=/dev/iopmem0 count=1 conv=notrunc"
write_sysfs $a/mode devdax
check_fails "user cannot open /dev/iopmem0.dax" user "dax-test touch /dev/iopmem0.dax 2m"
check_fails "user cannot bind or unbind" user "echo $dev > /sys/bus/pci/drivers/iopmem/unbind"
check "the device is still bound" test -e /sys/bus/pci/drivers/iopmem/$dev
write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
rmmod iopmem
exit 0
