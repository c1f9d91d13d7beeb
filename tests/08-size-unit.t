#!/bin/bash
# Proves: the tools read sizes (--length, --chunk-size, offsets, seeds) as
# decimal with an optional k, m or g: "010" is ten, not octal eight; hex, a
# sign, a blank in front, junk after and anything past 2^64 - 1 are refused.
# The cases are in tests/unit/size-test.c.
top=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$top/tools" build/size-test >/dev/null || { echo "1..1"; echo "not ok 1 - size-test builds"; exit 1; }
exec "$top/tools/build/size-test"
