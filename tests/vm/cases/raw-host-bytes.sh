# Proves (with the host half in tests/22-vm-host-bytes.t): bytes written to
# /dev/iopmem0 at a known offset reach the BAR, i.e. the host file behind it.
# The host checks offset 100 MiB + 12 KiB, 1 MiB, seed 42.
. /cases/tap.sh
modprobe iopmem ids=1af4:1110
off=$((100 * 1024 * 1024 + 12288))
check "write 1 MiB of seed 42 at offset $off (O_DIRECT)" iopmem-pattern write -d -s 42 -o $off -l 1m /dev/iopmem0
check "read it back in the guest" iopmem-pattern check -d -s 42 -o $off -l 1m /dev/iopmem0
rmmod iopmem
exit 0
