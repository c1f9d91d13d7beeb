#!/bin/sh
# package-boot.sh - run by iopmem-test.service in the machine
# tests/71-vm-package.t boots: a Debian release's own rootfs, systemd and
# udev running, iopmem installed from its .deb files (DKMS built the
# module), /etc/iopmem.conf naming the ivshmem function (fsdax,
# persistent) and /etc/fstab mounting the ext4 on it by UUID with -o dax.
# Proves that after boot, with no command typed:
# - the module DKMS built is the one loaded, with the packages' version;
# - udev had systemd run iopmem-apply@ADDRESS.service, which bound the
#   function and gave it the configured mode and persistent setting,
#   and meanwhile udev kept the function's disk from systemd (each disk
#   event systemd could act on saw the configured mode; and, directly,
#   an event while apply's mark exists leaves the disk unprobed and not
#   ready, one without it ready again);
# - the stable names exist (/dev/iopmem/by-path/pci-ADDRESS, by-uuid,
#   by-label) and the fstab line mounted the file system with DAX;
# - the nodes are root only (0600 root:root);
# - a partition gets its -partN and by-partuuid links;
# then a smoke test of that module: fio verify on the DAX file system, a
# switch to devdax (its .dax by-path link appears) and a P2P copy NVMe ->
# BAR -> NVMe (the host checks QEMU's DMA trace); and after a hot-unplug
# and replug of the function, the set-up runs again by itself.  TAP on
# ttyS1 (the host's harness).
exec >/dev/ttyS1 2>&1
stty -F /dev/ttyS1 raw -echo 2>/dev/null
. /usr/local/lib/iopmem-test/tap.sh
. /etc/iopmem-test.env		# VERSION UUID LABEL
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
echo "# booted $(uname -r); ivshmem function $dev"

# What boot did, waited for (nofail mounts are not ordered before
# multi-user.target, and the set-up runs when udev sees the function).
for i in $(seq 1 300); do
	findmnt -n /mnt/iopmem >/dev/null && break
	sleep 1
done
is "$(cat /sys/module/iopmem/version 2>&1)" "$VERSION" "the iopmem module is loaded, version $VERSION"
case $(modinfo -F filename iopmem 2>&1) in
*/updates/dkms/iopmem.ko*) ok "it is the module DKMS built ($(modinfo -F filename iopmem))" ;;
*) not_ok "it is the module DKMS built"; diag "$(modinfo -F filename iopmem 2>&1)" ;;
esac
signer=$(modinfo -F signer iopmem 2>/dev/null)
diag "module signer: ${signer:-none}"
unit=iopmem-apply@$dev.service
# ran_ok: it ran to its end, with success, by the journal (a oneshot
# without RemainAfterExit is inactive again, so that a hotplug starts it
# anew, and systemd may unload it, forgetting its result).
ran_ok() { journalctl -b -o cat -u $unit | grep -q "^Finished $unit" &&
	! journalctl -b -o cat -u $unit | grep -q "^Failed to start $unit"; }
runs() { journalctl -b -o cat -u $unit | grep -c "^Finished $unit"; }
check "$unit ran, with success (started by udev)" ran_ok
diag "$(journalctl -b -o cat -u "iopmem-apply@$dev.service" 2>&1 | tail -n 12)"
is "$(ls -A /run/iopmem/apply 2>&1)" "" "it left no mark in /run/iopmem/apply"
# Bound in raw mode, then made fsdax: udev must not have shown the raw
# disk to systemd (or blkid) meanwhile, where the fstab line's fsck and
# mount could hold it and fail the switch with EBUSY.
is "$(awk '{print $3}' /run/iopmem-test-ready.log 2>&1 | sort -u | tr '\n' ' ')" "fsdax " \
	"every iopmem disk event systemd could act on at boot was in the configured mode (fsdax)"
diag "$(cat /run/iopmem-test-ready.log 2>&1)"
is "$(basename "$(readlink /sys/bus/pci/devices/$dev/driver)")" iopmem "$dev is bound to iopmem"
is "$(cat $a/mode 2>&1)" fsdax "in the configured mode (fsdax)"
is "$(cat $a/persistent 2>&1)" 1 "with the configured persistent=1"
is "$(readlink -f /dev/iopmem/by-path/pci-$dev)" /dev/iopmem0 "/dev/iopmem/by-path/pci-$dev -> iopmem0"
is "$(readlink -f /dev/disk/by-uuid/$UUID)" /dev/iopmem0 "/dev/disk/by-uuid/$UUID -> iopmem0"
is "$(readlink -f /dev/disk/by-label/$LABEL)" /dev/iopmem0 "/dev/disk/by-label/$LABEL -> iopmem0"
is "$(findmnt -n -o SOURCE /mnt/iopmem)" /dev/iopmem0 "fstab's UUID= line mounted iopmem0 on /mnt/iopmem"
case ",$(findmnt -n -o OPTIONS /mnt/iopmem)," in
*,dax*) ok "with DAX ($(findmnt -n -o OPTIONS /mnt/iopmem))" ;;
*) not_ok "with DAX"; diag "$(findmnt -n -o OPTIONS /mnt/iopmem)" ;;
esac
is "$(cat /mnt/iopmem/hello 2>&1)" "written by the host before boot" "the file the host put in the file system reads back"
is "$(stat -c '%a %U %G' /dev/iopmem0)" "600 root root" "/dev/iopmem0 is root only (0600 root:root)"
is "$(systemctl --failed --plain --no-legend | wc -l)" 0 "no systemd unit failed"
systemctl --failed --plain --no-legend | sed 's/^/#   /'

# Smoke test of the module DKMS built.
check "fio verify (crc32c) on a file of the DAX file system" \
	fio --name=verify --filename=/mnt/iopmem/fio.dat --size=16m --bs=4k --rw=randwrite \
	--ioengine=psync --verify=crc32c --do_verify=1 --randrepeat=0 --output=/tmp/fio.out
check "umount /mnt/iopmem" umount /mnt/iopmem
# The udev rules' gate itself (what the boot above can only suggest: the
# raw disk's event may be handled after the switch, and then reads fsdax
# either way): an event on the disk while apply's mark exists leaves it
# unprobed and not ready for systemd; without the mark, ready again.
props() { udevadm info -q property -n /dev/iopmem0 | grep -E '^(SYSTEMD_READY|ID_FS_UUID)=' | tr '\n' ' '; }
mkdir -p /run/iopmem/apply && touch /run/iopmem/apply/$dev
udevadm trigger --action=change /sys/class/block/iopmem0 && udevadm settle
is "$(props)|$(systemctl is-active dev-iopmem0.device)" "SYSTEMD_READY=0 |inactive" \
	"while /run/iopmem/apply/$dev exists, an event leaves iopmem0 unprobed and not ready for systemd"
rm -f /run/iopmem/apply/$dev
udevadm trigger --action=change /sys/class/block/iopmem0 && udevadm settle
is "$(props)|$(systemctl is-active dev-iopmem0.device)" "ID_FS_UUID=$UUID |active" \
	"without the mark, the next event makes it ready, its file system read"
# A partition of it: its by-path and by-partuuid links.
check "iopmemctl mode $dev raw" iopmemctl mode "$dev" raw
check "a GPT with one 64 MiB partition" sh -c "printf 'label: gpt\n,64M\n' | sfdisk -q /dev/iopmem0"
udevadm settle
is "$(readlink -f /dev/iopmem/by-path/pci-$dev-part1)" /dev/iopmem0p1 "/dev/iopmem/by-path/pci-$dev-part1 -> iopmem0p1"
partuuid=$(blkid -s PART_ENTRY_UUID -o value -p /dev/iopmem0p1)
is "$(readlink -f /dev/disk/by-partuuid/$partuuid)" /dev/iopmem0p1 "/dev/disk/by-partuuid/$partuuid -> iopmem0p1"
is "$(stat -c '%a %U %G' /dev/iopmem0p1)" "600 root root" "/dev/iopmem0p1 is root only (0600 root:root)"
check "iopmemctl mode $dev devdax" iopmemctl mode "$dev" devdax
udevadm settle
is "$(readlink -f /dev/iopmem/by-path/pci-$dev.dax)" /dev/iopmem0.dax "/dev/iopmem/by-path/pci-$dev.dax -> iopmem0.dax"
is "$(stat -c '%a %U %G' /dev/iopmem0.dax)" "600 root root" "/dev/iopmem0.dax is root only (0600 root:root)"
for i in $(seq 1 20); do [ -b /dev/nvme0n1 ] && break; sleep 0.5; done
echo "# bar-range $(cat $a/phys_addr) $(cat $a/size)"
check "fill NVMe 16..48 MiB with seed 77" iopmem-pattern write -d -s 77 -o 16m -b 0 -l 32m /dev/nvme0n1
echo "# trace-start"
check "P2P copy of 32 MiB, NVMe -> BAR -> NVMe, through /dev/iopmem0.dax" \
	iopmem-bench --force -c 32 -s 1m -t 2 -o 64m --src-offset 16m --dst-offset 512m \
	/dev/nvme0n1 /dev/nvme0n1 /dev/iopmem0.dax
echo "# trace-end"
check "NVMe 512 MiB holds what was read from 16 MiB" iopmem-pattern check -d -s 77 -o 512m -b 0 -l 32m /dev/nvme0n1

# Hotplug: the function goes, and comes back (QMP device_del, device_add
# at the same slot over the same file): set up again with no command.
echo "# host: unplug"
for i in $(seq 1 120); do [ -e /sys/bus/pci/devices/$dev ] || break; sleep 0.5; done
check "the function is gone after device_del" test ! -e /sys/bus/pci/devices/$dev
udevadm settle
is "$(ls /dev/iopmem 2>/dev/null | wc -l)" 0 "its /dev/iopmem links are gone"
echo "# host: replug"
for i in $(seq 1 240); do [ "$(cat $a/mode 2>/dev/null)" = fsdax ] && break; sleep 0.5; done
udevadm settle
is "$(cat $a/mode 2>&1)" fsdax "after device_add, the function is bound again in fsdax mode"
is "$(runs)" 2 "by a second run of $unit"
check "which succeeded" ran_ok
is "$(readlink -f /dev/iopmem/by-path/pci-$dev)" "/dev/$(cat $a/block)" "/dev/iopmem/by-path/pci-$dev -> $(cat $a/block)"
echo "# guest-done"
dmesg > /dev/ttyS2
# iopmem-test.service powers the machine off when this ends.
