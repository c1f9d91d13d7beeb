#!/bin/bash
# Proves: the kernel code is checkpatch --strict clean and sparse clean,
# and the tools are cppcheck clean (tests/lint.sh; also `make lint`).
exec "$(dirname "$0")/lint.sh"
