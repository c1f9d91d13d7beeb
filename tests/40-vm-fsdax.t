#!/bin/bash
# Proves (guest case fsdax-fs, 512 MiB BAR for xfs): ext4 -o dax and xfs
# -o dax=always run in DAX mode on /dev/iopmem0; file write/read/mmap; fsck
# clean; MAP_SYNC refused on a non-persistent BAR and allowed on a
# persistent one; mode switches keep the bytes and are refused while
# mounted.
. "$(dirname "$0")/lib/tap.sh"
vm -b 512M fsdax-fs
done_testing
