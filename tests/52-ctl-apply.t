#!/bin/bash
# Proves, on a made-up sysfs tree (tests/lib/fakesys.py, IOPMEM_SYSROOT)
# and under valgrind, what "iopmemctl apply" makes of /etc/iopmem.conf
# (iopmem.conf(5)):
# - each kind of mistake is refused with exit 2 and FILE:LINE, what is
#   wrong and what is allowed, and nothing is written;
# - --test (udev's question) says 0 for a function the file names by
#   address or by vendor:device IDs, 1 for one it does not name;
# - a line for an address wins over one for the same function's IDs;
# - on a function iopmem holds, only the settings that differ are
#   written, in the documented form (2M -> 2097152, yes -> 1), mode last;
#   a second run writes nothing;
# - while it writes the settings, /run/iopmem/apply/ADDRESS exists (the
#   udev rules' sign to keep the devices from systemd and blkid); it goes
#   afterwards, and the block device and its partitions get a change
#   event each;
# - a function another driver holds is not taken: exit 3 and a message.
# Binding itself, and the boot-time path through udev and systemd, are
# shown in a VM (tests/70-vm-package.t).
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
c=("${VG[@]}" "$top/tools/build/iopmemctl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/m/run"
python3 "$top/tests/lib/fakesys.py" "$tmp/m" <<'SPEC'
dev pci0000:00/0000:00:01.0 id=8086:29c0 class=060400 pcie=root
dev pci0000:00/0000:00:01.0/0000:01:00.0 id=1af4:1110 class=050000 pcie=ep mem=268435456 iopmem
dev pci0000:00/0000:00:02.0 id=8086:29c0 class=060400 pcie=root
dev pci0000:00/0000:00:02.0/0000:02:00.0 id=1af4:1110 class=050000 pcie=ep mem=268435456 iopmem
dev pci0000:00/0000:00:03.0 id=8086:29c0 class=060400 pcie=root
dev pci0000:00/0000:00:03.0/0000:03:00.0 id=1b36:0010 class=010802 pcie=ep mem=16384 driver=nvme
SPEC
attrs() { # BDF: its iopmem attributes, one line
	local d=$tmp/m/sys/bus/pci/devices/$1/iopmem a out=
	for a in bar mode persistent posted_durable align access_width; do
		out+="$a=$(cat "$d/$a") "
	done
	echo "${out% }"
}
# run CONF ARGS...: iopmemctl apply --config CONF ARGS on the made-up
# machine; stdout+stderr in $tmp/out, exit status printed
run() {
	local conf=$1
	shift
	IOPMEM_SYSROOT=$tmp/m "${c[@]}" apply --config "$conf" "$@" >"$tmp/out" 2>&1
	echo $?
}
before="$(attrs 0000:01:00.0)"

# Mistakes: exit 2, the file and line, what is wrong.
bad() { # DESC TEXT PATTERN
	printf '# a comment\n\n%s\n' "$2" > "$tmp/bad.conf"
	local rc
	rc=$(run "$tmp/bad.conf" 0000:01:00.0)
	if [ "$rc" = 2 ] && grep -q -- "bad.conf:3: $3" "$tmp/out"; then
		ok "$1: exit 2, \"$(cat "$tmp/out")\""
	else
		not_ok "$1"; diag "exit $rc: $(cat "$tmp/out")"
	fi
}
bad "unknown setting" "0000:01:00.0 mod=fsdax" "unknown setting mod (bar, mode,"
bad "bad mode" "0000:01:00.0 mode=dax" "mode=dax: mode is raw, fsdax, devdax or p2pdma"
bad "bad boolean" "0000:01:00.0 persistent=maybe" "persistent=maybe: persistent is a boolean"
bad "bad align" "0000:01:00.0 align=1M" "align=1M: align is 4K, 2M or 1G"
bad "bad BAR" "0000:01:00.0 bar=6" "bar=6: bar is a BAR index, 0 to 5"
bad "bad access width" "0000:01:00.0 access_width=16" "access_width=16: access_width is 64 or 32"
bad "not KEY=VALUE" "0000:01:00.0 fsdax" "fsdax: settings are KEY=VALUE"
bad "a setting given twice" "0000:01:00.0 mode=raw mode=fsdax" "mode is given twice"
bad "bad address" "0000:01:00.9 mode=raw" "0000:01:00.9 is not a PCI address"
bad "neither address nor IDs" "nvme0 mode=raw" "nvme0 is neither a PCI address"
printf '0000:01:00.0 mode=raw\n01:00.0 mode=fsdax\n' > "$tmp/bad.conf"
rc=$(run "$tmp/bad.conf" 0000:01:00.0)
[ "$rc" = 2 ] && grep -q "bad.conf:2: this device already has line 1" "$tmp/out" &&
	ok "the same function twice (once without its domain): exit 2, \"$(cat "$tmp/out")\"" ||
	{ not_ok "the same function twice"; diag "exit $rc: $(cat "$tmp/out")"; }
is "$(attrs 0000:01:00.0)" "$before" "after the refusals, no attribute was written"

# --test, udev's question.
cat > "$tmp/ids.conf" <<'CONF'
1af4:1110    mode=devdax align=2M   # every ivshmem function
0000:02:00.0 mode=fsdax persistent=yes posted_durable=on
CONF
is "$(run "$tmp/ids.conf" --test 0000:01:00.0)" 0 "--test: a function named by its IDs: 0"
is "$(run "$tmp/ids.conf" --test 0000:03:00.0)" 1 "--test: a function not named: 1"
is "$(cat "$tmp/out")" "" "--test prints nothing"
is "$(run /nonexistent.conf --test 0000:01:00.0)" 1 "--test with no file: 1 (nothing named)"

# apply: only what differs, normalised, the address line over the IDs line.
is "$(run "$tmp/ids.conf" 0000:01:00.0 0000:02:00.0)" 0 "apply to two functions: exit 0"
diag "$(cat "$tmp/out")"
is "$(attrs 0000:01:00.0)" "bar=0 mode=devdax persistent=0 posted_durable=0 align=2097152 access_width=64" \
	"01:00.0 (its IDs' line): devdax, align 2M written as 2097152"
is "$(attrs 0000:02:00.0)" "bar=0 mode=fsdax persistent=1 posted_durable=1 align=4096 access_width=64" \
	"02:00.0 (its address's line wins): fsdax, persistent and posted_durable 1"
# A second run writes nothing: make every attribute read-only.
chmod a-w "$tmp"/m/sys/bus/pci/devices/0000:0[12]:00.0/iopmem/*
if [ "$(id -u)" = 0 ]; then
	# root ignores file modes: catch writes by their times instead.
	touch -d '2000-01-01' "$tmp"/m/sys/bus/pci/devices/0000:0[12]:00.0/iopmem/*
fi
is "$(run "$tmp/ids.conf" 0000:01:00.0 0000:02:00.0)" 0 "apply again: exit 0"
is "$(find "$tmp"/m/sys/bus/pci/devices/0000:0[12]:00.0/iopmem/ -type f -newermt 2001-01-01 | wc -l)" 0 \
	"apply again wrote no attribute"
chmod u+w "$tmp"/m/sys/bus/pci/devices/0000:0[12]:00.0/iopmem/*

# While apply writes the settings, /run/iopmem/apply/ADDRESS marks the
# set-up (60-iopmem.rules keeps the function's devices from systemd and
# blkid meanwhile); then the mark goes and the block device and its
# partitions get a change event each.  The order, from strace.
m=$tmp/m/sys
echo iopmem0 > "$m/bus/pci/devices/0000:01:00.0/iopmem/block"
# As in sysfs: the partition is a directory of the disk's, and
# /sys/class/block links both.
mkdir -p "$m/class/block/iopmem0/iopmem0p1"
ln -s iopmem0/iopmem0p1 "$m/class/block/iopmem0p1"
: > "$m/class/block/iopmem0/uevent"
: > "$m/class/block/iopmem0/iopmem0p1/uevent"
echo raw > "$m/bus/pci/devices/0000:01:00.0/iopmem/mode"
IOPMEM_SYSROOT=$tmp/m strace -f -qq -e trace=openat,unlink -o "$tmp/strace" \
	"$top/tools/build/iopmemctl" apply --config "$tmp/ids.conf" 0000:01:00.0 > "$tmp/out" 2>&1
is "$?" 0 "apply (under strace): exit 0"
order=$(sed -n -e 's|.*openat(.*"[^"]*/run/iopmem/apply/0000:01:00.0", O_WRONLY.*|mark|p' \
	-e 's|.*openat(.*/iopmem/mode", O_WRONLY.*|mode|p' \
	-e 's|.*unlink(".*/run/iopmem/apply/0000:01:00.0").*|unmark|p' \
	-e 's|.*openat(.*/class/block/\(iopmem0[p1]*\)/uevent", O_WRONLY.* = [0-9]*$|change \1|p' "$tmp/strace" | tr '\n' ' ')
is "$order" "mark mode unmark change iopmem0 change iopmem0p1 " \
	"the mark is made before the mode is written and removed after, then a change event on the disk and its partition"
is "$(ls -A "$tmp/m/run/iopmem/apply")" "" "no mark is left in /run/iopmem/apply"
is "$(cat "$m/class/block/iopmem0/uevent") $(cat "$m/class/block/iopmem0/iopmem0p1/uevent")" \
	"change change" "the disk's and the partition's uevent got \"change\""

# JSON: one object per function applied.
IOPMEM_SYSROOT=$tmp/m "${c[@]}" --json apply --config "$tmp/ids.conf" 0000:01:00.0 > "$tmp/out" 2>&1
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), d[0]["pci"], d[0]["mode"])' "$tmp/out" 2>&1)" \
	"1 0000:01:00.0 devdax" "--json apply: an array with the function, its mode"

# Another driver's function is not taken.
echo "0000:03:00.0 mode=raw" > "$tmp/nvme.conf"
rc=$(run "$tmp/nvme.conf" 0000:03:00.0)
[ "$rc" = 3 ] && grep -q "nvme.conf:1 names 0000:03:00.0, but nvme holds it" "$tmp/out" &&
	ok "a function nvme holds: exit 3, \"$(cat "$tmp/out")\"" ||
	{ not_ok "a function nvme holds: exit 3"; diag "exit $rc: $(cat "$tmp/out")"; }
# A function the file does not name, given by hand: a note, exit 0.
rc=$(run "$tmp/nvme.conf" 0000:01:00.0)
[ "$rc" = 0 ] && grep -q "nothing in .*nvme.conf names 0000:01:00.0" "$tmp/out" &&
	ok "a function the file does not name: exit 0 with a note" ||
	{ not_ok "a function the file does not name"; diag "exit $rc: $(cat "$tmp/out")"; }
done_testing
