# Proves: every writable attribute refuses bad input strictly, idle and in
# use: empty, negative, overflowing (2^64 + 4096), non-numeric, 4 KiB,
# binary and near-miss values (a NUL inside, blanks around, a second
# newline, other bases, words kstrtobool would take by their first
# letter) each get EINVAL, change nothing, and the kernel's message names
# the attribute and shows at most 32 bytes of the value, escaped: no line
# over 200 characters, no unprintable byte.  The driver's bar_choice (a
# PCI function and a BAR) refuses malformed names and indexes the same way
# and keeps only what it is given.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
a=/sys/bus/pci/devices/$dev/iopmem
modprobe iopmem ids=1af4:1110
head -c 4096 /dev/zero | tr '\0' x > /tmp/big

# refuse ATTR FORMAT DESC: printf FORMAT > ATTR (in $at, default $a) is
# refused as above
refuse() {
	local a=${at:-$a}
	_before=$(cat $a/$1)
	kmsg_mark
	# dd: one write(2), and unlike printf it reports the errno
	[ "$2" = BIG ] && cp /tmp/big /tmp/val || printf "$2" > /tmp/val
	dd if=/tmp/val of=$a/$1 bs=8k conv=notrunc 2>/tmp/err
	_rc=$?
	if [ $_rc != 0 ] && grep -q "Invalid argument" /tmp/err; then
		ok "$1 <- $3: EINVAL"
	else
		not_ok "$1 <- $3: EINVAL"; diag "status $_rc: $(cat /tmp/err)"
	fi
	is "$(cat $a/$1)" "$_before" "$1 <- $3: unchanged"
	kmsg_since > /tmp/k
	if grep -qi "iopmem.*$1" /tmp/k && [ "$(wc -L < /tmp/k)" -le 200 ] &&
	   ! awk '/[^ -~\t]/{b=1} END{exit !b}' /tmp/k; then
		ok "$1 <- $3: the message names it, bounded and printable"
	else
		not_ok "$1 <- $3: the message names it, bounded and printable"; diag "$(cat /tmp/k)"
	fi
}

campaign() { # WHEN
	for attr in bar mode persistent posted_durable align access_width; do
		refuse $attr '\n' "$1: empty"
		refuse $attr '-1x' "$1: negative, trailing garbage"
		refuse $attr '18446744073709555712' "$1: 2^64 + 4096"
		refuse $attr 'abc' "$1: non-numeric"
		refuse $attr BIG "$1: 4 KiB"
		refuse $attr '\001\377\033[2J' "$1: binary"
	done
	refuse bar '2 ' "$1: trailing blank"
	refuse bar ' 2' "$1: leading blank"
	refuse bar '0x2' "$1: hex"
	refuse bar '7' "$1: out of range"
	refuse mode 'raw\000devdax' "$1: NUL inside"
	refuse mode 'RAW' "$1: wrong case"
	refuse mode 'fsdax\n\n' "$1: two newlines"
	refuse mode 'rawx' "$1: near miss"
	refuse persistent '0x' "$1: 0x"
	refuse persistent 'nonsense' "$1: starts like n"
	refuse persistent 'yes please' "$1: starts like yes"
	refuse posted_durable 'of' "$1: starts like off"
	refuse posted_durable '2' "$1: 2"
	refuse align '4097' "$1: not a unit"
	refuse align '0x1000' "$1: hex"
	refuse align '1G' "$1: 1G on a BAR under 1 GiB"
	refuse align '4k ' "$1: trailing blank"
	refuse access_width '16' "$1: 16"
	refuse access_width '0100' "$1: leading zero"
}

campaign idle

at=/sys/bus/pci/drivers/iopmem
refuse bar_choice '\n' "empty"
refuse bar_choice "$dev" "no BAR"
refuse bar_choice "$dev 7" "BAR 7"
refuse bar_choice "$dev -2" "BAR -2"
refuse bar_choice "$dev 0x2" "a hex index"
refuse bar_choice "$dev  2" "two blanks"
refuse bar_choice "$dev 2\n\n" "two newlines"
refuse bar_choice "0000:00:1f.8 2" "function 8"
refuse bar_choice "0000:00:20.0 2" "slot 32"
refuse bar_choice "0000:0:02.0 2" "a bus of one digit"
refuse bar_choice "0000:00:0A.0 2" "upper case"
refuse bar_choice "-000:00:02.0 2" "a sign in the domain"
refuse bar_choice BIG "4 KiB"
refuse bar_choice '\001\377\033[2J' "binary"
unset at
check "a choice for a function not plugged in (yet) is kept" write_sysfs /sys/bus/pci/drivers/iopmem/bar_choice "0000:7f:1f.7 3"
check "and one for a VMD domain" write_sysfs /sys/bus/pci/drivers/iopmem/bar_choice "10000:e1:00.0 0"
is "$(cat /sys/bus/pci/drivers/iopmem/bar_choice | tr '\n' ';')" "0000:7f:1f.7 3;10000:e1:00.0 0;" "bar_choice lists both"
check "-1 forgets them" sh -c "echo '0000:7f:1f.7 -1' > /sys/bus/pci/drivers/iopmem/bar_choice && echo '10000:e1:00.0 -1' > /sys/bus/pci/drivers/iopmem/bar_choice"
is "$(cat /sys/bus/pci/drivers/iopmem/bar_choice)" "" "bar_choice is empty again"
/usr/local/sbin/mkfs.ext4 -q -F /dev/iopmem0
mkdir -p /mnt/t
check "mount (in use from here)" mount -t ext4 /dev/iopmem0 /mnt/t
campaign "in use"
check "the file system still works" sh -c 'echo ok > /mnt/t/f && sync && cat /mnt/t/f'
umount /mnt/t
check "good values still work: align 4K, persistent yes, mode fsdax" sh -c \
	"echo 4K > $a/align && echo yes > $a/persistent && echo fsdax > $a/mode"
is "$(cat $a/align):$(cat $a/persistent):$(cat $a/mode)" "4096:1:fsdax" "they took effect"
check "unbind" write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
rmmod iopmem
exit 0
