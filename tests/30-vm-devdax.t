#!/bin/bash
# Proves (guest cases devdax-mmap, devdax-busy, devdax-poison): devdax
# mode's character device and its mmap semantics (MAP_SHARED only,
# offset/length/align checks, MAP_SYNC rule, fork, munmap, SIGBUS beyond
# the end, 2 MiB faults), the busy/EBUSY rules, removal while mapped
# (SIGBUS, no oops, unload), and memory_failure() finding the mapper of a
# poisoned page (SIGBUS, BUS_MCEERR_AR).
. "$(dirname "$0")/lib/tap.sh"
vm devdax-mmap,devdax-busy,devdax-poison
done_testing
