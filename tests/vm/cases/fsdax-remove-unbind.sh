# Proves: removal of the BAR (this file's name says how: sysfs unbind, or
# QEMU device_del, a pciehp hot-unplug) while ext4 -o dax is mounted, with
# one process holding a read-write mapping of a file, one a read-only
# mapping, and one the file open for write(): no oops; both mappings get
# SIGBUS at their next touch (no stale or zero reads); write() fails; unlink
# returns (done, or EIO where the kernel shut ext4 down: 6.6 on),
# drop_caches, sync and umount still work (the file system walks the
# pages of its files, which are kept until it is unmounted); a function
# bound at the same address meanwhile serves raw and shows the old
# mappings nothing; after umount the pages are released, the new function
# serves fsdax, and the data fsynced before the removal is intact.
. /cases/tap.sh
method=${0##*-}
method=${method%.sh}
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe ext4
modprobe iopmem ids=1af4:1110 mode=fsdax
is "$(cat $a/mode)" fsdax "bound in fsdax mode"
/usr/local/sbin/mkfs.ext4 -q -F -b 4096 /dev/iopmem0
mkdir -p /mnt/t
check "mount ext4 -o dax" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
check "write and fsync file a" iopmem-pattern write --create -s 71 -l 8m /mnt/t/a
check "write and fsync file b" iopmem-pattern write --create -s 72 -l 8m /mnt/t/b
check "write and fsync file c" iopmem-pattern write --create -s 73 -l 8m /mnt/t/c
rm -f /tmp/r1 /tmp/r2 /tmp/go
dax-test hold /mnt/t/a 8m /tmp/r1 /tmp/go > /tmp/rw.out &
rw=$!
dax-test hold /mnt/t/b 8m /tmp/r2 /tmp/go ro > /tmp/ro.out &
ro=$!
exec 5<>/mnt/t/c
check "both mappers are running" wait_for 10 test -e /tmp/r1 -a -e /tmp/r2

kmsg_mark
check "$method while mounted and mapped" bar_remove $method $dev
check_kmsg "zapped the mappings of" "the kernel zapped the files' mappings"
check_kmsg "keeping its struct pages while 0 are pinned" "the kernel keeps the struct pages while mounted"
check_fails "write() to a file held open fails" sh -c 'echo x >&5'
exec 5>&-
# Where the kernel shuts a file system down when its disk goes away (ext4
# from Linux 6.6: "shut down requested"), unlink fails with EIO; before,
# it succeeds.  Either way it returns.
if rm /mnt/t/c 2>/tmp/rm.err; then
	ok "unlink a file after the removal: done"
elif grep -q "Input/output error" /tmp/rm.err && kmsg_has "EXT4-fs (iopmem0): shut down requested"; then
	ok "unlink a file after the removal: EIO, the kernel shut ext4 down"
else
	not_ok "unlink a file after the removal"; diag "$(cat /tmp/rm.err)"
fi
check "drop_caches after the removal" sh -c 'echo 3 > /proc/sys/vm/drop_caches'
check "sync finishes" timeout 30 sync

check "the function comes back ($method)" bar_return $method $dev
is "$(cat $a/mode)" raw "the new function serves raw while the old pages are kept"
touch /tmp/go
wait $rw
is "$?:$(cat /tmp/rw.out)" "0:a touch after removal: SIGBUS" "read-write mapping: SIGBUS at the next touch"
wait $ro
is "$?:$(cat /tmp/ro.out)" "0:a touch after removal: SIGBUS" "read-only mapping: SIGBUS at the next touch"

kmsg_mark
check "umount after the removal" timeout 30 umount /mnt/t
check "the struct pages are released after umount" wait_for 30 kmsg_has "released the struct pages"
check "the new function switches to fsdax" write_sysfs $a/mode fsdax
check "journal replay and fsck" sh -c '/usr/local/sbin/e2fsck -fy /dev/iopmem0 >/dev/null; [ $? -le 1 ]'
check "mount the new function" mount -t ext4 -o dax /dev/iopmem0 /mnt/t
check "file a, fsynced before the removal, is intact" iopmem-pattern check -s 71 -l 8m /mnt/t/a
umount /mnt/t
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "the module unloads" rmmod iopmem
exit 0
