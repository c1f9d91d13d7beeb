#!/bin/bash
# Proves (guest case pages-refused, booted with nopat and a pci-testdev):
# without PAT the page-backed modes are refused and raw serves; a function
# whose only memory BAR is registers is never bound by default.
. "$(dirname "$0")/lib/tap.sh"
vm -c nopat -a "-device pci-testdev,bus=pcie.0" pages-refused
done_testing
