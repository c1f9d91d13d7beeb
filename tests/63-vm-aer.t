#!/bin/bash
# Proves (guest case aer-recovery): a fatal PCIe error injected at the
# BAR's port runs PCI error recovery: iopmem stops I/O, restores the
# config space after the reset and resumes; the data survives and new I/O
# works.
. "$(dirname "$0")/lib/tap.sh"
vm aer-recovery
done_testing
