# Harness self-test (tests/03-vm-harness.t): writes a report shaped like
# the known pciehp lockdep report (tests/vm/known-kernel-reports) into the
# kernel log; booted with iopmem_known_ours, one that names iopmem code.
# The harness must pass over the first and fail on the second.
. /cases/tap.sh
frame="pciehp_disable_slot+0xbd/0x1b0"
grep -q iopmem_known_ours /proc/cmdline && frame="iopmem_remove+0x10/0x90 [iopmem]"
for l in "WARNING: possible circular locking dependency detected" \
	"irq/27-pciehp/47 is trying to acquire lock:" \
	"(&ctrl->reset_lock/1){.+.+}-{3:3}, at: pciehp_unconfigure_device+0x137/0x1e0" \
	"but task is already holding lock:" \
	"(pci_rescan_remove_lock){+.+.}-{3:3}, at: pciehp_unconfigure_device+0xa3/0x1e0" \
	"Call Trace:" " <TASK>" " $frame" " </TASK>"; do
	echo "<4>$l" > /dev/kmsg
done
ok "wrote a known-shaped report ($frame)"
exit 0
