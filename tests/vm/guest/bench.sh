# bench.sh - the fio jobs of make bench's guest cases (sourced after
# tap.sh).  Each result goes to the host as "# result TARGET JOB <fio JSON
# on one line>" (bench/report.py reads them).  SIZE: the bytes each job
# spans (set by the case).  From the kernel command line (bench/run.sh):
# bench_io_4k and bench_io_1m, when set, make every job a fixed amount of
# I/O at fixed offsets (randrepeat: the same seed each run), for a guest
# whose clock counts instructions (tests/vm/run -I): the same work each
# run, so its guest time is its CPU cost; otherwise each job runs for
# bench_runtime seconds.
RUNTIME=${bench_runtime:-3}
jobs="randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32 randwrite-4k-qd32 read-1m-qd1 write-1m-qd1"

# pmem_load: the kernel's pmem driver on the memmap= range (the kernel
# command line's), and wait for /dev/pmem0.
pmem_load() {
	modprobe nd_e820
	modprobe nd_pmem
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/pmem0 ] && break; sleep 0.5; done
	test -b /dev/pmem0
}

# run_jobs TARGET FILE: every job on FILE, reported as TARGET.  FILE is
# written whole first: brd allocates a page on its first write and reads
# a page never written as zeros without a copy, so reads before writes
# would not measure its copy.
run_jobs() {
	fio --name=fill --filename=$2 --size=$SIZE --direct=1 --ioengine=libaio \
		--rw=write --bs=1m --iodepth=4 > /dev/null 2>/tmp/r.err ||
		{ not_ok "fio: fill $1"; diag "$(cat /tmp/r.err)"; return; }
	for job in $jobs; do
		set -- $1 $2 $(echo $job | tr '-' ' ')
		if [ -n "${bench_io_4k:-}" ]; then
			amount="--io_size=$bench_io_4k --randrepeat=1"
			[ $4 = 1m ] && amount="--io_size=$bench_io_1m --randrepeat=1"
		else
			amount="--runtime=$RUNTIME --time_based --ramp_time=0.5 --randrepeat=0"
		fi
		fio --name=$job --filename=$2 --size=$SIZE --direct=1 \
			--ioengine=libaio --rw=$3 --bs=$4 --iodepth=${5#qd} \
			$amount --norandommap --output-format=json > /tmp/r.json 2>/tmp/r.err ||
			{ not_ok "fio $job on $1"; diag "$(cat /tmp/r.err)"; continue; }
		echo "# result $1 $job $(tr -d '\n\t' < /tmp/r.json)"
	done
	ok "fio: 6 jobs on $1"
}

# bench_copy SECTION MARKDEV NAME IOPMEM-BENCH-ARGS...: one iopmem-bench
# copy (JSON, its destination at 512 MiB) between two marker reads of
# MARKDEV (dma_mark, numbered from 0 on: the host counts the NVMe DMA of
# each run between its two, bench/dma-bytes.awk), its result sent as
# "# result SECTION NAME <JSON on one line>" after "# mark N NAME".
mark=0
bench_copy() {
	section=$1 markdev=$2 name=$3
	shift 3
	echo "# mark $mark $name"
	dma_mark $mark $markdev
	iopmem-bench --force --json --dst-offset 512m "$@" > /tmp/b.json 2>/tmp/b.err
	rc=$?
	dma_mark $((mark + 1)) $markdev	# the end of the run: a gap follows
	mark=$((mark + 2))
	if [ $rc = 0 ]; then
		echo "# result $section $name $(tr -d '\n\t' < /tmp/b.json)"
	else
		not_ok "iopmem-bench $name"; diag "$(cat /tmp/b.err)"
	fi
}
