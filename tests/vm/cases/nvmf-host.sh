# NVMe over Fabrics host (tests/36-vm-nvmf.t): connect with nvme-cli to
# the target guest's nvmet-tcp export of its iopmem BAR (169.254.0.1, on
# the VM-only link) and use it as a disk:
# - fio randwrite + crc32c verify over the whole namespace;
# - a pattern at 48 MiB (the test finds it in the target's BAR file);
# - ext4 on its first 40 MiB: files written and fsynced, then an O_DIRECT
#   writer running while the target is killed (SIGKILL, a power cut);
#   whether its writes failed or waited for the reconnect is reported;
# - a new target boots on the same BAR file: the host reconnects by
#   itself, the writer ends, every fsynced file is intact after a
#   remount, fsck is clean;
# - the target disables the namespace: a read fails, no hang;
# - nvme disconnect.
# Every wait is bounded; the target's boot comes and goes meanwhile.
. /cases/tap.sh
. /cases/nvmf.sh
nvmf_modules virtio_pci virtio_net nvme_tcp
modprobe ext4
ctrl_state() { cat /sys/class/nvme/$ctrl/state 2>/dev/null; }
ctrl_live() { [ "$(ctrl_state)" = live ]; }
check "the VM-only link is up ($NVMF_HOST/16)" nvmf_link $NVMF_HOST
check "the target answers on the link" wait_for 180 ping -c 1 -W 1 $NVMF_TARGET
# Both sides boot at once: the export may not be there yet.
check "nvme connect -t tcp -a $NVMF_TARGET -s 4420 -n $NVMF_NQN" nvmf_connect
ctrl=$(nvmf_ctrl)
d=$(ns 1)
if ! [ -n "$ctrl" ] || ! [ -n "$d" ] || ! [ -b "/dev/$d" ]; then
	not_ok "a controller over tcp ('$ctrl') and its namespace ('$d')"
	nvmf_tell done
	exit 0
fi
ok "a controller over tcp ($ctrl) and its namespace ($d)"
is "$(( $(cat /sys/block/$d/size) * 512 ))" $((64 << 20)) "the namespace is the whole 64 MiB BAR"
echo "# nvmf-host: $ctrl $d model '$(cat /sys/class/nvme/$ctrl/model | sed 's/ *$//')'"

fio --name=verify --filename=/dev/$d --direct=1 --ioengine=psync --numjobs=4 \
	--offset_increment=16m --size=16m --rw=randwrite --bsrange=4k-256k \
	--verify=crc32c --verify_fatal=1 --output-format=json > /tmp/fio.json 2> /tmp/fio.err
rc=$?
is "$rc" 0 "fio exits 0 (randwrite + crc32c verify, 4 jobs x 16 MiB, the whole namespace)"
is "$(grep -c 'verify: bad' /tmp/fio.err)" 0 "zero verify errors"
[ $rc = 0 ] || diag "$(tail -n 20 /tmp/fio.err)"
check "write seed 77 at 48 MiB, 4 MiB, O_DIRECT" iopmem-pattern write -d -s 77 -o 48m -l 4m /dev/$d

check "mkfs.ext4 on the first 40 MiB" /usr/local/sbin/mkfs.ext4 -q -F /dev/$d 40M
mkdir -p /mnt/t
check "mount" mount -t ext4 /dev/$d /mnt/t
for i in 1 2 3 4; do
	check "write and fsync file $i (seed 3$i, $i MiB)" iopmem-pattern write --create -s 3$i -l ${i}m /mnt/t/synced$i
done
check "copy a tree and sync" sh -c 'cp -a /cases /mnt/t/ && sync'
( cd /mnt/t/cases && md5sum * ) > /tmp/before.md5
# The writer: 300 O_DIRECT writes of 16 KiB (4.7 MiB, room to spare on
# the file system), 0.1 s apart, so that it spans the cut and the
# reconnect; it reports how far it got.
sh -c 'i=0; while [ $i -lt 300 ]; do
	dd if=/dev/zero of=/mnt/t/inflight bs=16k count=1 seek=$i oflag=direct conv=notrunc 2>/tmp/dd.err ||
		{ echo "write $i failed: $(tail -n 1 /tmp/dd.err)"; exit 1; }
	i=$((i + 1)); sleep 0.1; done; echo "all $i writes done"' > /tmp/writer.out 2>&1 &
writer=$!
sleep 2
check "an O_DIRECT writer is running" test -e /proc/$writer
check "tell the target to cut its power (SIGKILL)" nvmf_tell cut
check "the host sees the controller go down" wait_for 60 eval '! ctrl_live'
echo "# nvmf-host: controller $(ctrl_state) after the cut"
start=$(date +%s)
check "the host reconnects to the target's next boot by itself (ctrl-loss-tmo 120 s)" \
	wait_for 150 ctrl_live
echo "# nvmf-host: live again after $(( $(date +%s) - start )) s"
check "the writer ends (no hang)" wait_for 90 ended $writer
wait $writer
echo "# nvmf-host: the writer exited $?: $(cat /tmp/writer.out)"
check "umount" umount /mnt/t
echo 3 > /proc/sys/vm/drop_caches
check "mount again (reads from the new target)" mount -t ext4 /dev/$d /mnt/t
for i in 1 2 3 4; do
	check "fsynced file $i is intact" iopmem-pattern check -s 3$i -l ${i}m /mnt/t/synced$i
done
( cd /mnt/t/cases && md5sum * ) > /tmp/after.md5
check "the synced tree is intact ($(wc -l < /tmp/before.md5) files)" cmp /tmp/before.md5 /tmp/after.md5
check "umount" umount /mnt/t
check "fsck -fn reports a clean file system" /usr/local/sbin/e2fsck -fn /dev/$d

check "tell the target to disable the namespace" nvmf_tell disable
rc=$(run_rc timeout 60 sh -c "sleep 2; dd if=/dev/$d of=/dev/null bs=4k count=1 iflag=direct")
check "a read of the disabled namespace fails cleanly, no hang (exit $rc)" test "$rc" != 0 -a "$rc" != 124
diag "$(cat /tmp/out)"
check "nvme disconnect" nvme disconnect -n $NVMF_NQN
check "tell the target we are done" nvmf_tell done
exit 0
