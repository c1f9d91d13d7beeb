# Proves: a real ext4 round trip on /dev/iopmem0: mkfs, mount, write files,
# fsync, umount, fsck -fn clean, remount, content equal.
. /cases/tap.sh
modprobe iopmem ids=1af4:1110
modprobe ext4
check "mkfs.ext4 (e2fsprogs)" /usr/local/sbin/mkfs.ext4 -q -F /dev/iopmem0
mkdir -p /mnt/t
check "mount ext4" mount -t ext4 /dev/iopmem0 /mnt/t
check "write files" sh -c 'for i in 1 2 3 4 5 6 7 8; do iopmem-pattern write --create -s $i -l $((i * 3))m /mnt/t/f$i >/dev/null || exit 1; done; cp -a /cases /mnt/t/'
check "fsync" sync
( cd /mnt/t && find . -type f | sort | xargs md5sum ) > /tmp/before.md5
check "umount" umount /mnt/t
check "fsck -fn reports a clean file system" /usr/local/sbin/e2fsck -fn /dev/iopmem0
check "remount" mount -t ext4 /dev/iopmem0 /mnt/t
( cd /mnt/t && find . -type f | sort | xargs md5sum ) > /tmp/after.md5
check "content equal after remount ($(wc -l < /tmp/before.md5) files)" cmp /tmp/before.md5 /tmp/after.md5
check "file 8 holds its pattern" iopmem-pattern check -s 8 -l 24m /mnt/t/f8
umount /mnt/t
rmmod iopmem
exit 0
