#!/bin/bash
# Proves: `make install-tools` and `make uninstall` with DESTDIR and PREFIX
# put every file where it belongs and take it away again: the tools in
# PREFIX/bin, man pages in PREFIX/share/man, bash completion, the udev
# rule and systemd unit in udev's and systemd's own directories calling
# the tools where PREFIX put them, /etc/iopmem.conf (an admin's edit is
# kept on a second install); and that every tool and debian/changelog
# carry VERSION's version (the module's: tests/00-build.t).  The module's
# install, and the packages, are shown on each release in
# tests/71-vm-package.t.
. "$(dirname "$0")/lib/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
v=$(cat "$top/VERSION")
d=$tmp/dest
m() { make -s -C "$top" "$@" DESTDIR="$d" PREFIX=/opt/iopmem UDEVDIR=/lib/udev UNITDIR=/lib/systemd/system >"$tmp/out" 2>&1; }
m install-tools && ok "make install-tools DESTDIR=... PREFIX=/opt/iopmem" ||
	{ not_ok "make install-tools"; diag "$(cat "$tmp/out")"; }
want="/etc/iopmem.conf
/lib/systemd/system/iopmem-apply@.service
/lib/udev/rules.d/60-iopmem.rules
/opt/iopmem/bin/iopmem-bench
/opt/iopmem/bin/iopmem-pattern
/opt/iopmem/bin/iopmemctl
/opt/iopmem/share/bash-completion/completions/iopmem-bench
/opt/iopmem/share/bash-completion/completions/iopmem-pattern
/opt/iopmem/share/bash-completion/completions/iopmemctl
/opt/iopmem/share/man/man5/iopmem.conf.5
/opt/iopmem/share/man/man8/iopmem-bench.8
/opt/iopmem/share/man/man8/iopmem-pattern.8
/opt/iopmem/share/man/man8/iopmemctl.8"
is "$(cd "$d" && find . \( -type f -o -type l \) | sed 's/^\.//' | sort)" "$want" "every file, where it belongs"
grep -q 'PROGRAM=="/opt/iopmem/bin/iopmemctl apply --test $kernel"' "$d/lib/udev/rules.d/60-iopmem.rules" &&
	ok "the udev rule runs /opt/iopmem/bin/iopmemctl" || not_ok "the udev rule runs /opt/iopmem/bin/iopmemctl"
grep -q '^ExecStart=/opt/iopmem/bin/iopmemctl apply %I$' "$d/lib/systemd/system/iopmem-apply@.service" &&
	ok "the unit runs /opt/iopmem/bin/iopmemctl apply %I" || not_ok "the unit runs /opt/iopmem/bin/iopmemctl apply %I"
is "$(grep -c '^[^#]' "$d/etc/iopmem.conf")" 0 "the example /etc/iopmem.conf names no device"
echo "0000:04:00.0 mode=fsdax" >> "$d/etc/iopmem.conf"
m install-tools
is "$(tail -n1 "$d/etc/iopmem.conf")" "0000:04:00.0 mode=fsdax" "a second install keeps the admin's /etc/iopmem.conf"
m uninstall KDIR="$tmp/nokernel" && ok "make uninstall" || { not_ok "make uninstall"; diag "$(cat "$tmp/out")"; }
is "$(cd "$d" && find . \( -type f -o -type l \) | sed 's/^\.//' | sort)" "/etc/iopmem.conf" \
	"only the admin's /etc/iopmem.conf is left"

# One version everywhere.
for t in iopmemctl iopmem-bench iopmem-pattern; do
	is "$("$top/tools/build/$t" --version)" "$t $v" "$t --version: $v"
done
is "$(cd "$top" && dpkg-parsechangelog -S Version)" "$v" "debian/changelog: $v"
done_testing
