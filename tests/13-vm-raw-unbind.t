#!/bin/bash
# Proves (guest case raw-unbind): unbind while open or mounted does not oops,
# later I/O fails, and the module unloads once the last user is gone.
. "$(dirname "$0")/lib/tap.sh"
vm raw-unbind
done_testing
