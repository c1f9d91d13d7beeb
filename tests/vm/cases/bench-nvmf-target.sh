# bench/run.sh, boot 5 (target): export iopmem (/dev/iopmem0, raw mode) as
# namespace 1 and brd (/dev/ram0, the same 256 MiB) as namespace 2 of one
# subsystem over nvmet-tcp, for bench-nvmf-host's fio; stop when it says
# done.
. /cases/tap.sh
. /cases/nvmf.sh
nvmf_modules virtio_pci virtio_net nvmet nvmet_tcp
modprobe iopmem ids=1af4:1110
modprobe brd rd_nr=1 rd_size=262144
check "iopmem serves the BAR (/dev/iopmem0)" wait_for 10 test -b /dev/iopmem0
check "the VM-only link is up ($NVMF_TARGET/16)" nvmf_link $NVMF_TARGET
nvmet_configfs
export_both() {
	nvmet_subsystem $NVMF_NQN &&
		nvmet_namespace $NVMF_NQN 1 /dev/iopmem0 7d3f5b2a-1c4e-4a8b-9f60-2b1d0c9e8a71 &&
		nvmet_namespace $NVMF_NQN 2 /dev/ram0 7d3f5b2a-1c4e-4a8b-9f60-2b1d0c9e8a72 &&
		nvmet_port $NVMF_NQN
}
check "nvmet: subsystem, namespace 1 /dev/iopmem0, namespace 2 /dev/ram0, TCP port" export_both
cmd=$(nvmf_command)
is "$cmd" done "the host ran its jobs and said done"
check "nvmet: unexport, modules unload" nvmet_unexport $NVMF_NQN
rmmod brd
rmmod iopmem
exit 0
