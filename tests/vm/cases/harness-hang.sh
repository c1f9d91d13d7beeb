# Harness self-test (tests/03-vm-harness.t): a case that never ends must be
# stopped by the harness's timeout and fail the run.
. /cases/tap.sh
ok "about to hang"
sleep 100000
