#!/bin/bash
# Proves: iopmem served over NVMe over Fabrics (nvmet-tcp), end to end,
# with two guests on a link of their own (QEMU UDP socket netdev on
# 127.0.0.1; 169.254.0.0/16 inside):
# - target (guest case nvmf-target): exports its 64 MiB BAR's
#   /dev/iopmem0 through nvmet's configfs; the host's flushes reach
#   iopmem's flush counter;
# - host (guest case nvmf-host): nvme connect; fio crc32c verify over the
#   whole namespace; ext4 with fsynced files; the target killed with
#   SIGKILL while an O_DIRECT writer runs; a second target boot on the
#   same BAR file; the host reconnects by itself, every fsynced file is
#   intact and fsck clean; the namespace disabled while connected fails a
#   read cleanly; nvme disconnect;
# - host side, after both stopped: the BAR's file holds at 48 MiB the
#   4 MiB the remote host wrote there.
# Both guests' logs must be clean.  A kernel without nvmet-tcp skips.
# Also: Documentation/nvmf/iopmem-nvmet.json, the nvmetcli form of the
# export, names what the target case configures.
. "$(dirname "$0")/lib/tap.sh"
# json_agrees: every value of the nvmetcli file the target case sets.
json_agrees() {
	python3 - "$top/Documentation/nvmf/iopmem-nvmet.json" "$top/tests/vm/guest/nvmf.sh" \
		"$top/tests/vm/cases/nvmf-target.sh" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
code = open(sys.argv[2]).read() + open(sys.argv[3]).read()
sub, port = j["subsystems"][0], j["ports"][0]
ns, addr = sub["namespaces"][0], port["addr"]
assert port["subsystems"] == [sub["nqn"]], "the port serves the subsystem"
assert ns["nsid"] == 1 and ns["device"]["nguid"] == ns["device"]["uuid"], "nsid 1, nguid = uuid"
want = ["NVMF_NQN=" + sub["nqn"], "NVMF_TARGET=" + addr["traddr"],
	"echo %s > \"$NVMF_CFG/subsystems/$1/attr_serial\"" % sub["attr"]["serial"],
	"echo %s > \"$NVMF_CFG/subsystems/$1/attr_allow_any_host\"" % sub["attr"]["allow_any_host"],
	"nvmet_namespace $NVMF_NQN 1 %s %s" % (ns["device"]["path"], ns["device"]["uuid"]),
	"echo %s > \"$_p/addr_trtype\"" % addr["trtype"],
	"echo %s > \"$_p/addr_adrfam\"" % addr["adrfam"],
	"echo %s > \"$_p/addr_trsvcid\"" % addr["trsvcid"]]
missing = [w for w in want if w not in code]
if missing:
	sys.exit("not what the target case configures: " + "; ".join(missing))
PY
}
check "Documentation/nvmf/iopmem-nvmet.json is what the target case configures" json_agrees
base=$VMCACHE/runs/nvmf
rm -rf "$base"
mkdir -p "$base"
# Both runs would build it at once otherwise.
make -s -C "$top" vm-image >&2 || { not_ok "VM image builds"; done_testing; exit; }
# Two free UDP ports of 127.0.0.1, one per guest.
read -r pt ph < <("$top/tests/vm/udp-ports" 2)
run=$top/tests/vm/run
"$run" -t bare -b 64M -d "$base/target1" -T 600 -K nvmf-power-cut -n "$pt:$ph" nvmf-target \
	> "$base/target1.out" 2>&1 &
t1=$!
"$run" -t bare -b 1M -d "$base/host" -T 900 -n "$ph:$pt" nvmf-host > "$base/host.out" 2>&1 &
h=$!
wait $t1
# The power cut: a new target on the same BAR file (the host waits for
# it, reconnecting).  Only after a cut: otherwise the run has failed.
t2=
if grep -q '^ok - guest killed with SIGKILL' "$base/target1.out"; then
	IOPMEM_BAR_FILE=$base/target1/bar0.mem "$run" -t bare -b 64M -d "$base/target2" -T 600 \
		-n "$pt:$ph" nvmf-target > "$base/target2.out" 2>&1 &
	t2=$!
fi
wait $h
[ -n "$t2" ] && wait "$t2"
vm_tap "target boot 1: " < "$base/target1.out"
vm_tap "host: " < "$base/host.out"
if grep -q '^# nvmf none' "$base/target1.out"; then
	ok "# SKIP $(sed -n 's/^# nvmf none: //p' "$base/target1.out" | head -n1) ($KABI)"
	done_testing
	exit
fi
if [ -n "$t2" ]; then
	vm_tap "target boot 2: " < "$base/target2.out"
else
	not_ok "target boot 2 (boot 1 was not cut)"
fi
make -s -C "$top/tools" >/dev/null
check "host: the BAR file holds at 48 MiB the 4 MiB (seed 77) the remote host wrote there" \
	"$top/tools/build/iopmem-pattern" check -s 77 -o 48m -l 4m "$base/target1/bar0.mem"
done_testing
