#!/bin/bash
# Proves, on made-up sysfs trees (tests/lib/fakesys.py, IOPMEM_SYSROOT) and
# under valgrind, that iopmemctl check reads the topology as the kernel's
# p2pdma.c does:
# - each device's own host bridge (its root bus): two root buses of a
#   Xeon E5 (whitelisted only within one host bridge) get "no", one gets
#   "yes"; two domains get "no";
# - ACS Egress Control counts like the redirect bits, and so does ACS on
#   the two end devices themselves;
# - as a user who is not root (config space cut to 64 bytes) a switch route
#   gets no verdict: exit 4, "p2p": null, and the same JSON keys as root;
# - a disk behind Intel VMD (domain 10000) resolves to its own function,
#   not the VMD controller, and 5-digit domains are accepted as input;
# - a bus sysfs does not have fails with exit 3 and a message.
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
c=("${VG[@]}" "$top/tools/build/iopmemctl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tree NAME < SPEC: a made-up machine in $tmp/NAME
tree() { python3 "$top/tests/lib/fakesys.py" "$tmp/$1"; }
# on NAME ARGS...: iopmemctl ARGS on that machine; output in $tmp/out
on() { local t=$1; shift; IOPMEM_SYSROOT=$tmp/$t "${c[@]}" "$@" >"$tmp/out" 2>&1; echo $?; }
json_get() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(json.dumps(eval("v"+sys.argv[2])))' "$tmp/out" "$1"; }
# the sorted keys of the JSON object in $tmp/out (of each of its "candidates" with -c)
json_keys() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted(set(k for c in d["candidates"] for k in c)) if sys.argv[2:] else sorted(d))' "$tmp/out" "$@"; }

# A two-socket Xeon E5: root buses 00 and 80, each with its 00.0 host bridge.
tree e5 <<'SPEC'
dev pci0000:00/0000:00:00.0 id=8086:3c00 class=060000 pcie=root
dev pci0000:00/0000:00:01.0 id=8086:3c02 class=060400 pcie=root
dev pci0000:00/0000:00:01.0/0000:01:00.0 id=144d:a808 class=010802 pcie=ep driver=nvme
dev pci0000:00/0000:00:02.0 id=8086:3c04 class=060400 pcie=root
dev pci0000:00/0000:00:02.0/0000:02:00.0 id=1af4:1110 class=050000 pcie=ep
dev pci0000:80/0000:80:00.0 id=8086:3c00 class=060000 pcie=root
dev pci0000:80/0000:80:02.0 id=8086:3c04 class=060400 pcie=root
dev pci0000:80/0000:80:02.0/0000:81:00.0 id=1af4:1110 class=050000 pcie=ep
SPEC
is "$(on e5 check 0000:01:00.0 0000:81:00.0)" 1 "E5, root buses 00 and 80: no (exit 1)"
check "... because E5 routes P2P only within one host bridge" grep -q "route peer-to-peer traffic only within one host bridge" "$tmp/out"
check "... the path crosses both host bridges" grep -q "host bridge 0000:00 -> host bridge 0000:80" "$tmp/out"
is "$(on e5 check 01:00.0 02:00.0)" 0 "E5, two root ports of root bus 00: yes (exit 0)"
check "... through the root complex, the host bridge known to route P2P" grep -q "the host bridge is known to route P2P" "$tmp/out"
on e5 --json check 0000:01:00.0 0000:81:00.0 >/dev/null
is "$(json_get '["src_host_bridge"]["id"]'):$(json_get '["dst_host_bridge"]["root_bus"]')" '"8086:3c00":"0000:80"' "json: each device's own host bridge"

# Two domains, Skylake-E root ports first on each root bus (no 00.0).
tree domains <<'SPEC'
dev pci0000:00/0000:00:01.0 id=8086:2030 class=060400 pcie=root
dev pci0000:00/0000:00:01.0/0000:01:00.0 id=144d:a808 class=010802 pcie=ep
dev pci0001:00/0001:00:02.0 id=8086:29c0 class=060400 pcie=root
dev pci0001:00/0001:00:02.0/0001:01:00.0 id=1af4:1110 class=050000 pcie=ep
SPEC
is "$(on domains check 0000:01:00.0 0001:01:00.0)" 1 "two domains, one host bridge not whitelisted: no"
check "... naming that one" grep -q "8086:29c0 (root bus 0001:00) is not known" "$tmp/out"

# One switch under a root port of an unlisted host bridge (Q35 8086:29c0).
switch() { # NAME DOWN1_ACS DOWN2_ACS EP_ACS [small]
	tree "$1" <<SPEC
dev pci0000:00/0000:00:00.0 id=8086:29c0 class=060000 $5
dev pci0000:00/0000:00:01.0 id=8086:3c02 class=060400 pcie=root $5
dev pci0000:00/0000:00:01.0/0000:01:00.0 id=10b5:8747 class=060400 pcie=up $5
dev pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0 id=10b5:8747 class=060400 pcie=down acs=$2 $5
dev pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0 id=10b5:8747 class=060400 pcie=down acs=$3 $5
dev pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0/0000:03:00.0 id=144d:a808 class=010802 pcie=ep acs=$4 $5 block=259:0:nvme0n1
dev pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:04:00.0 id=1af4:1110 class=050000 pcie=ep mem=16777216 $5
SPEC
}
switch sw 0 0 0
is "$(on sw check 0000:03:00.0 0000:04:00.0)" 0 "one switch, no ACS: yes, direct"
switch egress 0 0x20 0
is "$(on egress check 0000:03:00.0 0000:04:00.0)" 1 "ACS Egress Control on a downstream port: no"
check "... naming the port in the fix" grep -q "pci=disable_acs_redir=0000:02:01.0" "$tmp/out"
switch epacs 0 0 0x04
is "$(on epacs check 0000:03:00.0 0000:04:00.0)" 1 "ACS P2P Request Redirect on the NVMe itself: no"
check "... naming the endpoint" grep -q "pci=disable_acs_redir=0000:03:00.0" "$tmp/out"

# As a user who is not root: sysfs shows 64 bytes of config space.
switch user 0 0 0 small
is "$(on user check 0000:03:00.0 0000:04:00.0)" 4 "config space unreadable: no verdict (exit 4)"
check "... and the message says to run as root" grep -q "run as root" "$tmp/out"
on user --json check 0000:03:00.0 0000:04:00.0 >/dev/null
is "$(json_get '["p2p"]'):$(json_get '["route"]')" 'null:"unknown"' "json: p2p null, route unknown"
on user --json check 0000:03:00.0 0000:04:00.0 >/dev/null
keys_user=$(json_keys)
on sw --json check 0000:03:00.0 0000:04:00.0 >/dev/null
keys_root=$(json_keys)
case $keys_root in *acs_unreadable*fix*p2p*) is "$keys_user" "$keys_root" "check --json: the same keys for root and non-root" ;;
*) not_ok "check --json keys: $keys_root" ;; esac
on user --json list --all >/dev/null
keys_user=$(json_keys -c)
on sw --json list --all >/dev/null
keys_root=$(json_keys -c)
case $keys_root in *driver*memory_bars*numa_node*) is "$keys_user" "$keys_root" "list --all --json: the same keys for root and non-root" ;;
*) not_ok "list --all --json keys: $keys_root" ;; esac

# Intel VMD: the controller 0000:00:0e.0 hosts domain 10000.
tree vmd <<'SPEC'
dev pci0000:00/0000:00:00.0 id=8086:2020 class=060000 pcie=root
dev pci0000:00/0000:00:0e.0 id=8086:467f class=010400 pcie=ep driver=vmd
dev pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0 id=8086:464d class=060400 pcie=root
dev pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0/10000:e1:00.0 id=144d:a808 class=010802 pcie=ep block=259:0:nvme0n1
dev pci0000:00/0000:00:02.0 id=8086:2030 class=060400 pcie=root
dev pci0000:00/0000:00:02.0/0000:02:00.0 id=1af4:1110 class=050000 pcie=ep
SPEC
is "$(on vmd --json check 10000:e1:00.0 0000:02:00.0)" 1 "a 5-digit VMD domain is accepted as input"
is "$(json_get '["src_host_bridge"]["root_bus"]')" '"10000:e0"' "... the disk's host bridge is VMD's root bus, not 0000:00"
check "... and the path starts at the disk, not the VMD controller" grep -q '"path":"10000:e1:00.0 -> 10000:e0:06.0 -> host bridge 10000:e0' "$tmp/out"
if mknod "$tmp/nvme0n1" b 259 0 2>/dev/null; then
	on vmd --json check "$tmp/nvme0n1" 0000:02:00.0 >/dev/null
	is "$(json_get '["src"]')" '"10000:e1:00.0"' "a block device behind VMD resolves to its own function"
	rm -f "$tmp/nvme0n1"
else
	ok "# SKIP mknod needs root"
fi
is "$(on vmd check 10000:e1:00 0000:02:00.0)" 3 "an address without its function: refused (exit 3)"

# No PCI bus in sysfs at all.
mkdir -p "$tmp/empty/sys"
is "$(on empty list)" 3 "no /sys/bus/pci: exit 3"
check "... with a message saying what could not be read" grep -q "cannot read the PCI bus" "$tmp/out"
done_testing
