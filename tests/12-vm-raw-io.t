#!/bin/bash
# Proves: fio crc32c verification over the whole device (raw-fio), an ext4
# round trip (raw-fs), and that bytes written at a known offset of
# /dev/iopmem0 are in the host file behind the BAR at that offset
# (raw-host-bytes, checked here after the VM stopped).
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/raw-io
vm -d "$dir" raw-fio,raw-fs,raw-host-bytes
make -s -C "$top/tools" >/dev/null
off=$((100 * 1024 * 1024 + 12288))
# The pattern of each byte depends on its offset: bytes shifted anywhere
# else would not match.
check "host: the BAR file holds seed 42 at offset $off" \
	"$top/tools/build/iopmem-pattern" check -s 42 -o $off -l 1m "$dir/bar0.mem"
done_testing
