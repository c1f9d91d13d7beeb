#!/bin/bash
# Proves (guest cases devdax-pins-unbind, devdax-pins-unplug): pages pinned
# by a pipe make a mode change fail at once (EBUSY, the count named);
# removal by unbind and by hot-unplug returns at once with the pins held
# and other PCI work goes on; the pages are released when the pipe closes.
. "$(dirname "$0")/lib/tap.sh"
vm devdax-pins-unbind,devdax-pins-unplug
done_testing
