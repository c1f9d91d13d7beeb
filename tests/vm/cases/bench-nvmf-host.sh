# bench/run.sh, boot 5 (host): the fio jobs of bench-fio over NVMe/TCP,
# on the target guest's iopmem namespace (1) and its brd namespace (2),
# one after the other through the same connection.
. /cases/tap.sh
. /cases/nvmf.sh
. /cases/bench.sh
SIZE=192m
nvmf_modules virtio_pci virtio_net nvme_tcp
check "the VM-only link is up ($NVMF_HOST/16)" nvmf_link $NVMF_HOST
check "the target answers on the link" wait_for 180 ping -c 1 -W 1 $NVMF_TARGET
check "nvme connect" nvmf_connect
wait_for 10 ns 2 > /dev/null
d1=$(ns 1) d2=$(ns 2)
check "namespaces 1 ($d1) and 2 ($d2)" test -b "/dev/$d1" -a -b "/dev/$d2"
run_jobs nvmf-iopmem /dev/$d1
run_jobs nvmf-brd /dev/$d2
check "nvme disconnect" nvme disconnect -n $NVMF_NQN
check "tell the target we are done" nvmf_tell done
exit 0
