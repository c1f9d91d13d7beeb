#!/bin/bash
# Proves, on this host's real sysfs (read only, no module involved) and
# under valgrind: iopmemctl list and list --all run clean, their JSON
# parses, every key is one jq takes unquoted and candidates (functions held
# by other drivers too) name their driver; unbind, mode and info take only iopmem's own functions and
# nodes: a regular file, a directory, another driver's block or character
# device and an unbound PCI function are each refused with exit 3 and a
# message naming what they are (never "the disk holding the file");
# --version works; every command has its own --help; the three man pages
# carry one and the same EXIT STATUS table.
. "$(dirname "$0")/lib/tap.sh"
make -s -C "$top/tools" >/dev/null
c=("${VG[@]}" "$top/tools/build/iopmemctl")

for args in "list" "list --all" "--json list --all"; do
	# shellcheck disable=SC2086
	out=$("${c[@]}" $args 2>&1); rc=$?
	is "$rc" 0 "iopmemctl $args: exit 0, no valgrind error"
done
json=$("${c[@]}" --json list --all)
check "list --all --json parses, devices and candidates are arrays" python3 -c \
	'import json,sys; d=json.loads(sys.argv[1]); assert isinstance(d["devices"], list) and isinstance(d["candidates"], list)' "$json"
check "every JSON key is one jq takes unquoted; every candidate has a driver key" python3 -c '
import json, re, sys
def keys(v):
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from keys(x)
    elif isinstance(v, list):
        for x in v:
            yield from keys(x)
d = json.loads(sys.argv[1])
bad = [k for k in keys(d) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)]
assert not bad, bad
assert all("driver" in c for c in d["candidates"])' "$json"

# refused DESC PATTERN ARGS...: exit 3 and a message matching PATTERN
refused() {
	local d=$1 pat=$2 out rc
	shift 2
	out=$("${c[@]}" "$@" 2>&1); rc=$?
	if [ $rc = 3 ] && grep -q -- "$pat" <<<"$out"; then ok "$d: exit 3, \"$out\""; else
		not_ok "$d"; diag "exit $rc: $out"; fi
}
refused "unbind a regular file" "/etc/passwd is a regular file, not an iopmem device" unbind /etc/passwd
refused "mode of a directory" "/tmp is a directory" mode /tmp raw
refused "info of another driver's character device" "/dev/null is a char device (null), not one of iopmem's" info /dev/null
for d in /dev/vda /dev/sda /dev/nvme0n1 /dev/xvda /dev/loop0; do
	[ -b "$d" ] || continue
	refused "unbind another driver's block device ($d)" "$d is a block device ($(basename "$d")), not one of iopmem's" unbind "$d"
	break
done
pci=$(ls /sys/bus/pci/devices | head -n1)
if [ -n "$pci" ]; then
	refused "unbind a PCI function iopmem does not hold" "$pci is not bound to iopmem" unbind "$pci"
else
	ok "# SKIP no PCI function on this machine"
fi
refused "unbind something that does not exist" "no-such-thing" unbind no-such-thing
out=$("${c[@]}" unbind 2>&1); rc=$?
is "$rc" 2 "unbind with no device: usage error (exit 2)"
check "--version" sh -c '"$@" --version | grep -q "^iopmemctl [0-9]"' sh "${c[@]}"
for cmd in list bind unbind mode info apply check; do
	out=$("${c[@]}" "$cmd" --help 2>&1); rc=$?
	case "$rc:$out" in "0:Usage: iopmemctl [--json] $cmd"*) ok "$cmd --help: that command's usage, exit 0" ;;
	*) not_ok "$cmd --help (exit $rc)"; diag "$out" ;; esac
done
exits() { sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$top/Documentation/man/$1.8"; }
check "iopmemctl(8), iopmem-bench(8) and iopmem-pattern(8): one EXIT STATUS table" \
	sh -c '[ -n "$1" ] && [ "$1" = "$2" ] && [ "$1" = "$3" ]' sh "$(exits iopmemctl)" "$(exits iopmem-bench)" "$(exits iopmem-pattern)"
for code in 0 1 2 3 4; do
	check "the table has exit $code, as tools/exit.h" sh -c 'grep -q "IOPMEM_EXIT_[A-Z]* = $1," "$2" && printf "%s\n" "$3" | grep -qx "$1"' \
		sh "$code" "$top/tools/exit.h" "$(exits iopmemctl)"
done
done_testing
