#!/bin/bash
# Proves: data survives power-off.  VM 1 (fsdax-persist-write) writes and
# fsyncs files on ext4 -o dax over a persistent BAR, stores through MAP_SYNC
# without msync, and is killed with SIGKILL from the host.  VM 2
# (fsdax-persist-check) boots on the same BAR file: every fsynced file and
# the MAP_SYNC stores are intact, and the file system checks clean.
. "$(dirname "$0")/lib/tap.sh"
dir=$VMCACHE/runs/fsdax-persist
rm -rf "$dir"
vm -d "$dir" -K power-cut fsdax-persist-write
vm -d "$dir" -k fsdax-persist-check
done_testing
