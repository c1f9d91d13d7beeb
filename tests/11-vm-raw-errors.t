#!/bin/bash
# Proves (guest case raw-errors): each refusal (I/O-port, missing, too small,
# out-of-range, claimed BAR; bad attribute and parameter values; a BAR change
# while open) gives its message and errno, loses nothing and oopses nothing;
# I/O past the end fails cleanly; 32-bit accesses work.
. "$(dirname "$0")/lib/tap.sh"
vm raw-errors
done_testing
