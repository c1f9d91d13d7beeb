#!/bin/bash
# Proves (guest cases sysfs-input, permissions): every writable attribute
# refuses empty, negative, overflowing, non-numeric, 4 KiB, binary and
# near-miss values with EINVAL, idle and in use, changes nothing and logs
# a bounded, escaped message; an unprivileged user can write no attribute,
# open no device node and read no address attribute.
. "$(dirname "$0")/lib/tap.sh"
vm sysfs-input,permissions
done_testing
