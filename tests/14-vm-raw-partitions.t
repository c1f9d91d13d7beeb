#!/bin/bash
# Proves (guest case raw-partitions): partitions come back after every
# mode change, and udev-style transient opens (a prober opening the disk
# in a loop, blkid right after a bind) do not make mode changes fail.
. "$(dirname "$0")/lib/tap.sh"
vm raw-partitions
done_testing
