#!/bin/bash
# Proves (guest case unplug-busy): hot-unplug of the BAR during fio on the
# raw device, during a store loop over a devdax mapping and during a P2P
# copy: errors or SIGBUS, no hang, no oops, and a hot-plugged replacement
# binds and works each time.
. "$(dirname "$0")/lib/tap.sh"
vm -T 400 unplug-busy
done_testing
