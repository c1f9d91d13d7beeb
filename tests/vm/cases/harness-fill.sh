# Harness self-test (tests/03-vm-harness.t, on a BAR file whose file system
# is nearly full): the guest writes 32 MiB to the BAR, more than that file
# system can hold, so QEMU dies of SIGBUS and the run must say so.
. /cases/tap.sh
modprobe iopmem ids=1af4:1110
wait_for 10 test -b /dev/iopmem0
iopmem-pattern write -s 3 -l 32m /dev/iopmem0 >/dev/null
ok "wrote 32 MiB to the BAR"
exit 0
