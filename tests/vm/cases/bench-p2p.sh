# bench/run.sh, boot 2: P2P against bounce (NVMe -> BAR or RAM -> NVMe),
# and P2P throughput as the chunks in flight grow.  Results go to the host
# as "# result p2p NAME <iopmem-bench JSON on one line>".
. /cases/tap.sh
# bench_runtime comes from the kernel command line (bench/run.sh).
D=${bench_runtime:-3}
modprobe nvme
modprobe iopmem ids=1af4:1110 mode=devdax
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
iopmem-pattern write -d -s 1 -l 64m -o 0 /dev/nvme0n1 >/dev/null
run() { # NAME ARGS...
	name=$1; shift
	if iopmem-bench --force --json -c 64 -s 1m -D $D --dst-offset 512m "$@" > /tmp/b.json 2>/tmp/b.err; then
		echo "# result p2p $name $(tr -d '\n\t' < /tmp/b.json)"
	else
		not_ok "iopmem-bench $name"; diag "$(cat /tmp/b.err)"
	fi
}
run p2p-t4 -t 4 /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
run bounce-t4 -t 4 --bounce /dev/nvme0n1 /dev/nvme0n1 -
for t in 1 4 16 64; do
	run p2p-inflight-$t -t $t /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
	run bounce-inflight-$t -t $t --bounce /dev/nvme0n1 /dev/nvme0n1 -
done
ok "P2P and bounce runs"
exit 0
