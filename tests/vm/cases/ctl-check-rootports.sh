# Proves (topology rootports): the devices share no switch and Q35's host
# bridge (8086:29c0) is not known to route P2P: check says no, why, and the
# fix; iopmem-bench refuses; with --trust-host-bridge both go ahead and the
# bytes are right.
. /cases/tap.sh
p2p_setup
is "$(run_rc iopmemctl check /dev/nvme0n1 /dev/iopmem0.dax)" 1 "check: not supported (exit 1)"
diag "$(cat /tmp/out)"
check "the reason names the host bridge" grep -q "host bridge 8086:29c0 (root bus 0000:00) is not known to route peer-to-peer traffic" /tmp/out
check "the fix: one switch, or trust the host bridge" grep -q "fix       put both devices under one PCIe switch, or pass --trust-host-bridge" /tmp/out
check "the path goes through the host bridge" grep -q "path      $NV -> 0000:00:01.0 -> host bridge 0000:00 -> 0000:00:02.0 -> $IV" /tmp/out
is "$(iopmemctl --json check /dev/nvme0n1 /dev/iopmem0.dax | json-get route)" not-supported "json: route not-supported"
is "$(run_rc iopmem-bench --force -c 4 -s 1m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax)" 3 "iopmem-bench refuses the route (exit 3)"
check "... and says why and how to fix it" grep -q "fix: put both devices under one PCIe switch" /tmp/out
is "$(run_rc iopmemctl check --trust-host-bridge /dev/nvme0n1 /dev/iopmem0.dax)" 0 "check --trust-host-bridge: allowed"
check "... through the root complex" grep -q "yes: through the root complex" /tmp/out
check "iopmem-bench --force --trust-host-bridge copies and the data is right" iopmem-bench --force --trust-host-bridge --check --seed 4 -c 32 -s 1m -t 4 --src-offset 16m --dst-offset 512m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
check "iopmem-bench --force --ignore-route copies too" iopmem-bench --force --ignore-route -c 4 -s 1m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
rmmod nvme
iopmemctl unbind $IV >/dev/null
rmmod iopmem
exit 0
