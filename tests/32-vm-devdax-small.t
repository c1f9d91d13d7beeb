#!/bin/bash
# Proves (guest case devdax-small, topology "small": a 1 MiB BAR): a BAR
# that cannot have struct pages refuses devdax with a message and no
# WARNING, and still serves raw.
. "$(dirname "$0")/lib/tap.sh"
vm -t small devdax-small
done_testing
