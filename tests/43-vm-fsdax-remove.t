#!/bin/bash
# Proves (guest cases fsdax-remove-unbind, fsdax-remove-unplug): removal,
# by unbind and by hot-unplug, while ext4 -o dax is mounted with files
# mapped and open: SIGBUS for the mappings, errors for write(), unlink,
# drop_caches, sync and umount work, a rebind shows old mappings nothing,
# the pages are released at umount and the fsynced data is intact.
. "$(dirname "$0")/lib/tap.sh"
vm fsdax-remove-unbind,fsdax-remove-unplug
done_testing
