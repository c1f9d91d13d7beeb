# Harness self-test (tests/03-vm-harness.t): a task blocked for longer
# than the hung-task timeout (a writer on a frozen file system, with the
# timeout lowered to 2 s) must fail the run although every case line is ok.
. /cases/tap.sh
modprobe brd rd_nr=1 rd_size=65536
modprobe ext4
/usr/local/sbin/mkfs.ext4 -q -F /dev/ram0
mkdir -p /mnt/h
mount -t ext4 /dev/ram0 /mnt/h
echo 2 > /proc/sys/kernel/hung_task_timeout_secs
fsfreeze --freeze /mnt/h
sh -c 'echo x > /mnt/h/f' &
sleep 8
fsfreeze --unfreeze /mnt/h
wait
umount /mnt/h
ok "blocked a writer on a frozen file system for 8 s"
exit 0
