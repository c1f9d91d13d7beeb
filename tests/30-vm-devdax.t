#!/bin/bash
# Proves (guest cases devdax-mmap, devdax-busy): devdax mode's character
# device and its mmap semantics (MAP_SHARED only, offset/length/align
# checks, MAP_SYNC rule, fork, munmap, SIGBUS beyond the end, 2 MiB faults),
# the busy/EBUSY rules, and removal while mapped (SIGBUS, no oops, unload).
. "$(dirname "$0")/lib/tap.sh"
vm devdax-mmap,devdax-busy
done_testing
