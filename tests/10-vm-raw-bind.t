#!/bin/bash
# Proves (guest case raw-bind): binding by driver_override + bind, new_id and
# ids=; capacity, block sizes, flush/FUA, partitions, stable numbering and
# the sysfs attributes of raw mode.
. "$(dirname "$0")/lib/tap.sh"
vm raw-bind
done_testing
