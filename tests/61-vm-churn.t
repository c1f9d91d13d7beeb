#!/bin/bash
# Proves (guest case churn, 64 MiB BAR): 200 cycles of bind, raw -> fsdax
# -> devdax -> raw, unbind: every step succeeds and unreclaimable slab
# grows by less than 1 KiB per cycle (MemFree and Percpu drift reported).
. "$(dirname "$0")/lib/tap.sh"
vm -b 64M -T 600 churn
done_testing
