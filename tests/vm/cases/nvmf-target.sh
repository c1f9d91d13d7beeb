# NVMe over Fabrics target (tests/36-vm-nvmf.t): export /dev/iopmem0, a
# persistent BAR in raw mode, over nvmet-tcp on the VM-only link
# (nvmf.sh: the same tree as Documentation/nvmf/iopmem-nvmet.json), then
# obey the host guest's commands:
#   cut      check the flush counter, then ask the harness for a SIGKILL
#            (tests/vm/run -K nvmf-power-cut): a power cut mid-I/O
#   disable  disable the namespace while the host is connected
#   done     unexport everything and stop
# Booted twice on one BAR file: the second boot serves what the first kept.
. /cases/tap.sh
. /cases/nvmf.sh
nvmf_modules virtio_pci virtio_net nvmet nvmet_tcp
modprobe iopmem ids=1af4:1110
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
check "iopmem serves the BAR (/dev/iopmem0)" wait_for 10 test -b /dev/iopmem0
# A battery-backed BAR in the model: what reached it survives the cut.
check "persistent=1" write_sysfs $a/persistent 1
check "the VM-only link is up ($NVMF_TARGET/16)" nvmf_link $NVMF_TARGET
nvmet_configfs
check "nvmet: subsystem $NVMF_NQN" nvmet_subsystem $NVMF_NQN
check "nvmet: namespace 1 is /dev/iopmem0" \
	nvmet_namespace $NVMF_NQN 1 /dev/iopmem0 7d3f5b2a-1c4e-4a8b-9f60-2b1d0c9e8a71
check "nvmet: TCP port $NVMF_TARGET:4420" nvmet_port $NVMF_NQN
f0=$(cat $a/flushes)
echo "# nvmf-target ready (flushes $f0)"
while cmd=$(nvmf_command); do
	echo "# nvmf-target command: $cmd"
	case $cmd in
	cut)
		f1=$(cat $a/flushes)
		check "the host's flushes reached iopmem's flush ($f0 -> $f1)" test "$f1" -gt "$f0"
		echo "# nvmf-power-cut"
		sleep 600 ;;
	disable)
		check "disable namespace 1 while the host is connected" \
			write_sysfs $NVMF_CFG/subsystems/$NVMF_NQN/namespaces/1/enable 0 ;;
	done)
		break ;;
	*)
		not_ok "a known command from the host (got '$cmd')" ;;
	esac
done
is "$cmd" done "the host said done (within 600 s of its last command)"
f1=$(cat $a/flushes)
check "the host's flushes reached iopmem's flush ($f0 -> $f1)" test "$f1" -gt "$f0"
check "nvmet: unexport (port, namespace, subsystem), modules unload" nvmet_unexport $NVMF_NQN
check "iopmem unloads" rmmod iopmem
exit 0
