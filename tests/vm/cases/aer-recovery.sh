# Proves: PCI error recovery.  A fatal PCIe error injected at the BAR's
# port (QEMU pcie_aer_inject_error) makes the guest's AER driver reset the
# link: iopmem stops I/O in error_detected(), restores the config space in
# slot_reset() and resumes I/O; the data is still there and new I/O works.
. /cases/tap.sh
dev=$(pci_find $IVSHMEM_ID)
modprobe iopmem ids=1af4:1110
check "write a pattern" iopmem-pattern write -d -s 91 -l 8m /dev/iopmem0
kmsg_mark
host_ask "aer 0x40000"  # Malformed TLP (bit 18), fatal by default
check "error recovery runs and resumes I/O" wait_for 30 kmsg_has "PCI error recovery done: I/O resumed"
check_kmsg "I/O stopped until the function is reset" "error_detected() stopped I/O"
check_kmsg "AER: device recovery successful" "the AER driver calls the recovery successful"
check "the pattern is still there" iopmem-pattern check -d -s 91 -l 8m /dev/iopmem0
check "new writes and reads work" sh -c "iopmem-pattern write -d -s 92 -o 64m -l 8m /dev/iopmem0 && iopmem-pattern check -d -s 92 -o 64m -l 8m /dev/iopmem0"
write_sysfs /sys/bus/pci/drivers/iopmem/unbind $dev
check "the module unloads" rmmod iopmem
exit 0
