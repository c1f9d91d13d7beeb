# Proves: fio random writes then reads over the whole device, 4 jobs, block
# sizes mixed from 4k to 1M, verified with crc32c: zero verify errors.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
modprobe iopmem ids=1af4:1110
size=$(blockdev --getsize64 /dev/iopmem0)
quarter=$((size / 4))
fio --name=verify --filename=/dev/iopmem0 --direct=1 --ioengine=psync \
	--rw=randwrite --bsrange=4k-1m --numjobs=4 --size=$quarter \
	--offset_increment=$quarter --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --group_reporting --output-format=json \
	> /tmp/fio.json 2> /tmp/fio.err
rc=$?
is "$rc" 0 "fio exits 0 (randwrite + crc32c verify, 4 jobs x $((quarter >> 20)) MiB, 4k-1M)"
is "$(grep -c 'verify: bad' /tmp/fio.err)" 0 "zero verify errors"
w=$(fio_num write io_bytes /tmp/fio.json)
r=$(fio_num read io_bytes /tmp/fio.json)
is "$w" "$size" "the whole device was written ($size bytes)"
is "$r" "$size" "the whole device was read back and verified"
[ $rc = 0 ] || diag "$(cat /tmp/fio.err)"
rmmod iopmem
exit 0
