# bench/run.sh, boot 2 (topology raid): P2P against bounce (NVMe -> BAR or
# RAM -> NVMe), P2P throughput as the chunks in flight grow, and the same
# copy through an md RAID0 of two drives.  Results go to the host as
# "# result p2p NAME <iopmem-bench JSON on one line>".
. /cases/tap.sh
# bench_runtime comes from the kernel command line (bench/run.sh).
D=${bench_runtime:-3}
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
modprobe md_mod
modprobe raid0
wait_for 30 sh -c '. /cases/tap.sh; ns 1 && ns 2' >/dev/null
# NSIDs 1 and 2: the two 1 GiB drives.
A=$(ns 1) B=$(ns 2)
iopmem-pattern write -d -s 1 -l 64m -o 0 /dev/$A >/dev/null
run() { # NAME ARGS...
	name=$1; shift
	if iopmem-bench --force --json -c 64 -s 1m -D $D --dst-offset 512m "$@" > /tmp/b.json 2>/tmp/b.err; then
		echo "# result p2p $name $(tr -d '\n\t' < /tmp/b.json)"
	else
		not_ok "iopmem-bench $name"; diag "$(cat /tmp/b.err)"
	fi
}
run p2p-t4 -t 4 /dev/$A /dev/$A /dev/iopmem0.dax
run bounce-t4 -t 4 --bounce /dev/$A /dev/$A -
for t in 1 4 16 64; do
	run p2p-inflight-$t -t $t /dev/$A /dev/$A /dev/iopmem0.dax
	run bounce-inflight-$t -t $t --bounce /dev/$A /dev/$A -
done
# md RAID0 over both drives (256 KiB chunks): the same copy, 4 in flight.
if mdadm --create /dev/md0 --run --level=0 --raid-devices=2 --chunk=256 /dev/$A /dev/$B >/tmp/md.err 2>&1; then
	iopmem-pattern write -d -s 1 -l 64m -o 0 /dev/md0 >/dev/null
	run p2p-raid0-t4 -t 4 /dev/md0 /dev/md0 /dev/iopmem0.dax
	run bounce-raid0-t4 -t 4 --bounce /dev/md0 /dev/md0 -
	mdadm --stop /dev/md0 >/dev/null 2>&1
else
	not_ok "md RAID0 over $A and $B"; diag "$(cat /tmp/md.err)"
fi
ok "P2P and bounce runs"
exit 0
