#!/bin/bash
# Proves: the route check's rules (tools/route.c) on made-up topologies:
# one switch, sibling switches, two root ports with a known-good and an
# unknown host bridge, the admin override, AMD Zen, ACS redirect on the
# path, IOMMU on and off, a device that is its own peer, a translated BAR.
# The cases are in tests/unit/route-test.c.
top=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$top/tools" build/route-test >/dev/null || { echo "1..1"; echo "not ok 1 - route-test builds"; exit 1; }
exec "$top/tools/build/route-test"
