# Proves: 200 cycles of bind, raw -> fsdax -> devdax -> raw, unbind leak
# nothing (on a kernel with CONFIG_PCI_P2PDMA: raw -> fsdax -> devdax ->
# p2pdma -> raw): unreclaimable slab grows by less than 1 KiB per cycle
# between cycle 10 and cycle 200 (an iopmem device structure alone is
# larger).  MemFree and Percpu drift are reported.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
drv=/sys/bus/pci/drivers/iopmem
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem
echo iopmem > /sys/bus/pci/devices/$dev/driver_override
mem() { awk -v k="$1:" '$1 == k { print $2 * 1024 }' /proc/meminfo; }
fails=0
# p2pdma too where the kernel has it (the first bind tells).
write_sysfs $drv/bind $dev
p2p=devdax
write_sysfs $a/mode p2pdma && p2p=p2pdma
echo "# churn: raw fsdax devdax $([ $p2p = p2pdma ] && echo "p2pdma ")raw"
write_sysfs $a/mode raw
write_sysfs $drv/unbind $dev
cycle() {
	write_sysfs $drv/bind $dev && write_sysfs $a/mode fsdax && write_sysfs $a/mode devdax &&
		write_sysfs $a/mode $p2p && write_sysfs $a/mode raw && write_sysfs $drv/unbind $dev ||
		fails=$((fails + 1))
}
i=0
while [ $i -lt 10 ]; do cycle; i=$((i + 1)); done
sync; echo 3 > /proc/sys/vm/drop_caches
cp /proc/meminfo /tmp/m0
s0=$(mem SUnreclaim) f0=$(mem MemFree) p0=$(mem Percpu)
while [ $i -lt 200 ]; do cycle; i=$((i + 1)); done
sync; echo 3 > /proc/sys/vm/drop_caches
s1=$(mem SUnreclaim) f1=$(mem MemFree) p1=$(mem Percpu)
diag "$(awk 'NR == FNR { a[$1] = $2; next } $2 != a[$1] { print $1, a[$1], "->", $2, "kB" }' /tmp/m0 /proc/meminfo)"
is "$fails" 0 "200 cycles, every step succeeded"
drift=$(( (s1 - s0) / 190 ))
diag "per cycle over 190 cycles: SUnreclaim $drift B, MemFree $(( (f1 - f0) / 190 )) B, Percpu $(( (p1 - p0) / 190 )) B"
check "unreclaimable slab drift below 1 KiB per cycle ($drift B)" test "$drift" -lt 1024
echo > /sys/bus/pci/devices/$dev/driver_override
check "the module unloads" rmmod iopmem
exit 0
