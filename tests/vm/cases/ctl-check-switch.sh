# Proves (topology switch): iopmemctl check says direct, inside the switch,
# naming each bridge; iopmem-bench, which runs the same check, copies.
. /cases/tap.sh
p2p_setup
is "$(run_rc iopmemctl check /dev/nvme0n1 /dev/iopmem0.dax)" 0 "check NVMe -> BAR: allowed (exit 0)"
diag "$(cat /tmp/out)"
check "the verdict: direct, inside a PCIe switch" grep -q "yes: direct, inside a PCIe switch" /tmp/out
check "the path names each bridge" grep -q "path      $NV -> 0000:02:00.0 -> 0000:01:00.0 -> 0000:02:01.0 -> $IV" /tmp/out
iopmemctl --json check /dev/nvme0n1 /dev/iopmem0.dax > /tmp/check.json
is "$(json-get route < /tmp/check.json):$(json-get distance < /tmp/check.json):$(json-get p2p < /tmp/check.json)" "switch:4:true" "json: route switch, distance 4, p2p true"
is "$(json-get path < /tmp/check.json)" "$(sed -n 's/^  path      //p' /tmp/out)" "json path = human path"
check "the device is its own peer" sh -c "iopmemctl check $IV $IV | grep -q 'its own peer'"
check "iopmem-bench copies (the check passes) and the data is right" iopmem-bench --force --check --seed 3 -c 32 -s 1m -t 4 --src-offset 16m --dst-offset 512m /dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
rmmod nvme
iopmemctl unbind $IV >/dev/null
rmmod iopmem
exit 0
