#!/bin/bash
# Proves: the bash completion (tools/bash-completion/iopmem) completes the
# commands and options of iopmemctl, iopmem-bench and iopmem-pattern, the
# modes after --mode, and offers this host's PCI functions with a memory
# BAR for bind.
. "$(dirname "$0")/lib/tap.sh"
# shellcheck source=tools/bash-completion/iopmem
. "$top/tools/bash-completion/iopmem"

# completes WORDS... -- EXPECTED...: completing the last word gives EXPECTED
completes() {
	local words=() want=() seen=0 w fn
	for w in "$@"; do
		[ "$w" = -- ] && { seen=1; continue; }
		if [ $seen = 0 ]; then words+=("$w"); else want+=("$w"); fi
	done
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMPREPLY=()
	fn=$(complete -p "${words[0]}" | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
	"$fn"
	is "${COMPREPLY[*]}" "${want[*]}" "complete '${words[*]}'"
}
completes iopmemctl "" -- list bind unbind mode info apply check --json --version --help
completes iopmemctl apply --c -- --config
completes iopmemctl un -- unbind
completes iopmemctl bind 0000:04:00.0 --m -- --mode
completes iopmemctl bind 0000:04:00.0 --mode "" -- raw fsdax devdax p2pdma
completes iopmemctl unbind 0000:04:00.0 --re -- --reprobe
completes iopmemctl list --a -- --all
completes iopmem-bench --ig -- --ignore-route
completes iopmem-bench --fo -- --force
completes iopmem-pattern "" -- write check
completes iopmem-pattern write --cr -- --create
COMP_WORDS=(iopmemctl bind "") COMP_CWORD=2 COMPREPLY=()
_iopmemctl
want=$(python3 -c '
import glob, os
for d in sorted(glob.glob("/sys/bus/pci/devices/*")):
    rows = [l.split() for l in open(d + "/resource")][:6]
    if any(int(s, 16) and int(f, 16) & 0x200 for s, e, f in rows):
        print(os.path.basename(d))')
is "${COMPREPLY[*]}" "$(echo $want)" "bind offers the functions with a memory BAR (${#COMPREPLY[@]} here)"
done_testing
