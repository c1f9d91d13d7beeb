# topologies.sh - named emulated PCIe topologies (sourced by tests/vm/run).
#
# topology_args NAME DIR prints the QEMU arguments of topology NAME, whose
# disk images and BAR backing files live in DIR.  A BAR's bytes are in
# DIR/bar0.mem (or $IOPMEM_BAR_FILE) so that the host can read what reached
# the BAR after the VM stops.

NVME_DISK_SIZE=1G

# An NVMe SSD with a 64 MiB controller memory buffer.
nvme_args() { # BUS DIR
	[ -f "$2/nvme0.img" ] || truncate -s "$NVME_DISK_SIZE" "$2/nvme0.img"
	echo "-drive file=$2/nvme0.img,if=none,id=nvm0,format=raw,cache=unsafe"
	echo "-device nvme,serial=iopmem-nvme0,drive=nvm0,bus=$1,cmb_size_mb=64"
}

# A 64-bit prefetchable BAR (ivshmem-plain BAR 2) over a host file; with
# IOPMEM_BAR_BACKEND=memfd over anonymous shared memory instead (bench/:
# no host file system writeback behind it, like guest RAM and so pmem).
ivshmem_args() { # BUS FILE SIZE ID [DEVICE-ID]
	if [ "${IOPMEM_BAR_BACKEND:-file}" = memfd ]; then
		echo "-object memory-backend-memfd,id=$4,share=on,size=$3"
	else
		[ -f "$2" ] || truncate -s "$3" "$2"
		echo "-object memory-backend-file,id=$4,share=on,mem-path=$2,size=$3"
	fi
	echo "-device ivshmem-plain,memdev=$4,bus=$1${5:+,id=$5}"
}

topology_args() { # NAME DIR
	local bar=${IOPMEM_BAR_FILE:-$2/bar0.mem}
	local size=${IOPMEM_BAR_SIZE:-256M}
	# small: the same, with a 1 MiB BAR (too small for struct pages)
	[ "$1" = small ] && size=1M
	case $1 in
	switch|small)
		# Both devices below one switch: root port -> upstream port ->
		# two downstream ports.
		echo "-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1"
		echo "-device x3130-upstream,id=up0,bus=rp0"
		echo "-device xio3130-downstream,id=dn0,bus=up0,chassis=2,slot=0"
		echo "-device xio3130-downstream,id=dn1,bus=up0,chassis=3,slot=1"
		nvme_args dn0 "$2"
		ivshmem_args dn1 "$bar" "$size" bar0mem bar0
		;;
	raid)
		# The switch topology (nvme0: NSID 1, 1 GiB, a CMB) with more
		# NVMe drives on more downstream ports of the same switch, as
		# members of md and dm stacks: nvme1 (NSID 2, 1 GiB), nvme2
		# and nvme3 (NSIDs 3 and 4, 256 MiB: RAID6 needs four disks),
		# and one NVM subsystem of two controllers sharing one
		# namespace (NSID 5, 256 MiB): an NVMe multipath namespace.
		# Every NSID differs, so that QEMU's trace tells them apart.
		topology_args switch "$2"
		local n sz
		for n in 1 2 3; do
			sz=$NVME_DISK_SIZE
			[ $n = 1 ] || sz=256M
			[ -f "$2/nvme$n.img" ] || truncate -s $sz "$2/nvme$n.img"
			echo "-device xio3130-downstream,id=dn$((n + 1)),bus=up0,chassis=$((n + 3)),slot=$((n + 1))"
			echo "-drive file=$2/nvme$n.img,if=none,id=nvm$n,format=raw,cache=unsafe"
			echo "-device nvme,id=nvme$n,serial=iopmem-nvme$n,bus=dn$((n + 1))"
			echo "-device nvme-ns,drive=nvm$n,bus=nvme$n,nsid=$((n + 1))"
		done
		[ -f "$2/nvme-mp.img" ] || truncate -s 256M "$2/nvme-mp.img"
		echo "-device nvme-subsys,id=mpsub,nqn=iopmem-multipath"
		for n in 4 5; do
			echo "-device xio3130-downstream,id=dn$((n + 1)),bus=up0,chassis=$((n + 3)),slot=$((n + 1))"
			echo "-device nvme,id=nvme$n,serial=iopmem-mp,subsys=mpsub,bus=dn$((n + 1))"
		done
		echo "-drive file=$2/nvme-mp.img,if=none,id=nvmmp,format=raw,cache=unsafe"
		echo "-device nvme-ns,drive=nvmmp,bus=nvme4,nsid=5,shared=on"
		;;
	iommu)
		# The switch topology behind an emulated Intel IOMMU (the
		# guest boots with intel_iommu=on: see topology_cmdline).
		echo "-device intel-iommu"
		topology_args switch "$2"
		;;
	scale)
		# For bench/: BARs of 64 MiB, 256 MiB, 1 GiB and 4 GiB, each on
		# its own root port (bind time and struct page cost vs size).
		local i=0 sz
		for sz in 64M 256M 1G 4G; do
			echo "-device pcie-root-port,id=rp$i,bus=pcie.0,chassis=$((i + 1)),slot=$((i + 1))"
			ivshmem_args rp$i "$2/bar-$sz.mem" $sz barmem$i
			i=$((i + 1))
		done
		;;
	bare)
		# The BAR alone on a root port: no NVMe drive (the nvmf test's
		# guests, whose only NVMe namespaces come over the network).
		echo "-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1"
		ivshmem_args rp0 "$bar" "$size" bar0mem bar0
		;;
	rootports)
		# Each device on its own root port: P2P crosses the root complex.
		echo "-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1"
		echo "-device pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=2"
		nvme_args rp0 "$2"
		ivshmem_args rp1 "$bar" "$size" bar0mem bar0
		;;
	*)
		echo "topology_args: unknown topology '$1' (switch, small, rootports, iommu, raid, scale, bare)" >&2
		return 1
		;;
	esac
}

# topology_bar_bus NAME: the port the BAR device (id bar0) sits on, where
# a hot-plugged replacement goes.
topology_bar_bus() {
	case $1 in
	rootports) echo rp1 ;;
	bare) echo rp0 ;;
	*) echo dn1 ;;
	esac
}

# topology_cmdline NAME: kernel command line the topology needs.
topology_cmdline() {
	case $1 in
	iommu) echo "intel_iommu=on" ;;
	esac
}
