#!/bin/bash
# deb.sh - what `make deb` runs: build the Debian packages iopmem-dkms and
# iopmem-tools (debian/) with dpkg-buildpackage from a copy of the files
# git knows of (tracked, or new and not ignored), so that nothing of a
# local build gets in, then run lintian on them.  Output in build/deb/
# (or $IOPMEM_DEB_OUT): the .deb files, the .changes, build.log and
# lintian.log.
#
# The version is VERSION's; debian/changelog's must be the same.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=$(cat VERSION)
changelog=$(dpkg-parsechangelog -S Version)
[ "$changelog" = "$version" ] || {
	echo "deb: debian/changelog says $changelog, VERSION says $version: add a changelog entry (dch -v $version)" >&2
	exit 1
}
out=${IOPMEM_DEB_OUT:-$top/build/deb}
src=$out/iopmem-$version
mkdir -p "$out"
rm -rf "$src" "$out"/iopmem[-_]* "$out"/*.log
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
	grep -zv '^Documentation/bench/' | xargs -0 cp --parents -t "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -n 30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed ($out/build.log)" >&2
	exit 1
}
rm -rf "$src"
# lintian: errors fail; warnings and the rest are shown.
lintian --info --display-info "$out"/iopmem_*.changes 2>&1 |
	grep -v 'running with root privileges is not recommended' >"$out/lintian.log" || true
sed 's/^/lintian: /' "$out/lintian.log"
if grep -q '^E: ' "$out/lintian.log"; then
	echo "deb: lintian reports errors ($out/lintian.log)" >&2
	exit 1
fi
ls "$out"/*.deb
