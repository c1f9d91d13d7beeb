# Harness self-test (tests/03-vm-harness.t): a guest panic must fail the run.
. /cases/tap.sh
ok "about to panic the guest"
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
