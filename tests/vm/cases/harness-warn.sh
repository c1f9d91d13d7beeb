# Harness self-test (tests/03-vm-harness.t): a kernel WARNING in the log
# must fail the run although every case line is ok.
. /cases/tap.sh
echo "<4>WARNING: CPU: 0 PID: 1 at harness self-test (deliberate)" > /dev/kmsg
ok "wrote a WARNING line to the kernel log"
exit 0
