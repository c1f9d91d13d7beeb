# Proves: iopmemctl list/bind/info/mode/unbind work, --json output parses
# and says what the human output says, refusals name the problem and fix
# and exit 3, bad arguments exit 2.
. /cases/tap.sh
IV=$(pci_find $IVSHMEM_ID)
NV=$(pci_find $NVME_ID)
is "$(run_rc iopmemctl bind $IV)" 3 "bind before the module is loaded: exit 3"
check "... saying to modprobe iopmem" grep -q "modprobe iopmem" /tmp/out
modprobe iopmem
is "$(iopmemctl list)" "no iopmem devices (iopmemctl list --all shows candidates)" "list with no device"
iopmemctl list --all > /tmp/all.txt
check "list --all shows the ivshmem function as a candidate" grep -q "^$IV  1af4:1110  Red Hat, Inc. Inter-VM shared memory" /tmp/all.txt
check "... with its 256 MiB 64-bit prefetchable BAR 2" grep -q "bar 2: 262144 KiB, 64-bit, prefetchable" /tmp/all.txt
iopmemctl --json list --all > /tmp/all.json
is "$(json-get candidates.0.pci < /tmp/all.json)" "$(sed -n 's/^\(0000:[^ ]*\)  .*/\1/p' /tmp/all.txt | head -1)" "list --all --json: the first candidate matches the human output"

check "bind $IV --persistent" iopmemctl bind $IV --persistent
iopmemctl info $IV > /tmp/info.txt
iopmemctl --json info $IV > /tmp/info.json
check "info --json parses" json-get < /tmp/info.json
is "$(json-get mode < /tmp/info.json)" raw "json: mode raw"
check "human: mode raw" grep -q "device      /dev/iopmem0 (raw mode)" /tmp/info.txt
is "$(json-get blockdev < /tmp/info.json)" iopmem0 "json: blockdev iopmem0 (no /dev/, as ndctl)"
is "$(json-get size < /tmp/info.json)" 268435456 "json: size"
check "human: BAR 2, 256 MiB" grep -q "bar         2, 256 MiB at $(json-get phys_addr < /tmp/info.json)" /tmp/info.txt
is "$(json-get persistent < /tmp/info.json)" true "json: persistent (from --persistent)"
check "human: persistent true" grep -q "persistent  true" /tmp/info.txt
node=$(cat /sys/bus/pci/devices/$IV/numa_node)
[ "$node" = -1 ] && node=null
is "$(json-get numa_node < /tmp/info.json)" "$node" "json: numa_node (null for the kernel's -1, no node)"
is "$(json-get busy < /tmp/info.json)" false "json: not busy"
is "$(iopmemctl --json list | json-get devices.0.pci)" $IV "list --json: the bound device"
is "$(iopmemctl info /dev/iopmem0 | head -1)" "$(head -1 /tmp/info.txt)" "info by device node = info by PCI address"

sleep 30 < /dev/iopmem0 &
holder=$!; sleep 1
is "$(iopmemctl --json info $IV | json-get busy)" true "busy while open"
is "$(run_rc iopmemctl mode $IV devdax)" 3 "mode change while open: exit 3"
check "... saying the device is in use" grep -q "in use (open, mounted, mapped, or pages pinned)" /tmp/out
kill $holder; wait $holder 2>/dev/null
is "$(iopmemctl --json mode /dev/iopmem0 devdax | json-get mode)" devdax "mode devdax --json: parses, says devdax"
is "$(iopmemctl --json info $IV | json-get chardev)" iopmem0.dax "json: chardev iopmem0.dax"
check "info by the dax device" iopmemctl info /dev/iopmem0.dax
is "$(run_rc iopmemctl bind $IV)" 3 "bind an already bound function: exit 3"
is "$(iopmemctl unbind /dev/iopmem0.dax --json | json-get pci)" $IV "unbind --json: parses, names the function"
is "$(cat /sys/bus/pci/devices/$IV/driver_override)" "(null)" "unbind clears driver_override"

is "$(run_rc iopmemctl bind $IV --bar 1)" 3 "bind --bar 1 (missing BAR): exit 3"
check "... pointing at the kernel log" grep -q "dmesg" /tmp/out
is "$(cat /sys/bus/pci/drivers/iopmem/bar_choice)" "" "... and the failed choice is forgotten"
is "$(iopmemctl --json bind $NV --bar 0 | json-get bar)" 0 "bind the NVMe with --bar 0 (its 16 KiB registers), --json parses"
is "$(iopmemctl --json info $NV | json-get size)" 16384 "the NVMe is served with BAR 0"
is "$(cat /sys/bus/pci/drivers/iopmem/bar_choice)" "$NV 0" "the choice is the NVMe's alone (bar_choice)"
is "$(cat /sys/module/iopmem/parameters/bar)" -1 "the global bar parameter was never touched"
is "$(iopmemctl --json bind $IV | json-get bar)" 2 "a bind of another function meanwhile gets its own default BAR 2, not 0"
check "unbind the BAR" iopmemctl unbind $IV
check "unbind the NVMe" iopmemctl unbind $NV
modprobe nvme
is "$(run_rc iopmemctl bind $NV)" 3 "bind a function another driver holds: exit 3"
check "... naming the driver and how to unbind it" grep -q "is bound to nvme: unbind it from nvme first" /tmp/out

for bad in "" "frob" "bind" "bind $IV --mode bogus" "bind $IV --bar 9" "mode $IV" "mode $IV sideways" "check $IV" "info a b" "--bogus list"; do
	# shellcheck disable=SC2086
	rc=$(run_rc iopmemctl $bad)
	[ "$rc" = 2 ] && [ -s /tmp/out ] && ok "bad arguments \"$bad\": exit 2 with a message" ||
		{ not_ok "bad arguments \"$bad\": exit 2 with a message (exit $rc)"; diag "$(cat /tmp/out)"; }
done
is "$(run_rc iopmemctl info /nonexistent)" 3 "info on a missing path: exit 3"
check "... saying what is missing" grep -q "/nonexistent: No such file or directory" /tmp/out
check "--help" iopmemctl --help
rmmod nvme
rmmod iopmem
exit 0
