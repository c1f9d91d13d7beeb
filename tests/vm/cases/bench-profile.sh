# bench/run.sh, boot 1 (after bench-fio, with perf appended to the
# initramfs): where the instructions of a 1 MiB read and a 1 MiB write go
# on brd, pmem and iopmem (raw), from perf's cpu-clock samples, which on
# this guest's instruction-counting clock are samples of instructions.
# The symbols with the most samples (one per 20000 instructions) go to
# the host as "# profile TARGET JOB PERCENT SAMPLES SYMBOL".
. /cases/tap.sh
. /cases/bench.sh
SIZE=192m
[ -x /usr/local/bin/perf ] || { ok "# SKIP no perf in this guest"; exit 0; }
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid

# profile TARGET FILE: perf record of read-1m and write-1m on FILE.
profile() {
	fio --name=fill --filename=$2 --size=$SIZE --direct=1 --ioengine=libaio \
		--rw=write --bs=1m --iodepth=4 > /dev/null 2>&1
	for rw in read write; do
		perf record -q -e cpu-clock -c 20000 -a -o /tmp/perf.data -- \
			fio --name=$rw --filename=$2 --size=$SIZE --direct=1 --ioengine=libaio \
			--rw=$rw --bs=1m --iodepth=1 --io_size=256m > /dev/null 2>/tmp/perf.err ||
			{ not_ok "perf record, $rw on $1"; diag "$(cat /tmp/perf.err)"; continue; }
		perf report -q -n -i /tmp/perf.data --stdio --sort sym 2>/dev/null |
			awk -v t=$1 -v j=$rw-1m-qd1 '$1 ~ /%$/ && n < 8 { p = $1 " " $2; $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, ""); print "# profile " t " " j " " p " " $0; n++ }'
	done
	ok "perf profile of $1"
}

modprobe brd rd_nr=1 rd_size=262144
profile brd /dev/ram0
rmmod brd
pmem_load && profile pmem /dev/pmem0
modprobe iopmem ids=1af4:1110
profile iopmem-raw /dev/iopmem0
rmmod iopmem
exit 0
