# SPDX-License-Identifier: GPL-2.0
# iopmem: the kernel module, its tools, and tests that run in a QEMU guest.
#
#   make            module (against the pinned Debian kernel) and tools
#   make demo       boot the default topology and show iopmem at work
#   make check      every test (unit, lint, VM), as TAP under prove
#   make check-debug  the VM tests on a KASAN/lockdep/kmemleak kernel
#   make lint       checkpatch --strict, sparse, W=1, cppcheck
#   make clean
include scripts/kernel-abi.mk

MODULE := kernel/iopmem.ko
KSRC := $(wildcard kernel/*.c kernel/*.h kernel/Kbuild)
TOOLS_SRC := $(wildcard tools/*.c tools/*.h tools/Makefile)
TOOLS_BIN := tools/build/iopmem-pattern tools/build/iopmem-bench tools/build/iopmemctl
# Guest-only test programs (not installed anywhere else).
GUEST_BIN := tests/vm/helper/build/dax-test tests/vm/helper/build/json-get \
	     tests/vm/helper/build/elapsed

all: $(MODULE) tools

setup:
	@scripts/setup.sh

$(MODULE): $(KSRC)
	$(MAKE) -C kernel KDIR=$(KDIR) W=1

tools:
	$(MAKE) -C tools

$(TOOLS_BIN): $(TOOLS_SRC)
	$(MAKE) -C tools

tests/vm/helper/build/dax-test: tests/vm/helper/dax-test.c tools/pattern.c tools/pattern.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $< tools/pattern.c

tests/vm/helper/build/elapsed: tests/vm/helper/elapsed.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

tests/vm/helper/build/json-get: tests/vm/helper/json-get.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $$(pkg-config --cflags json-c) -o $@ $< -ljson-c

# Used by tests/vm/run: everything a guest of the kernel IOPMEM_KERNEL
# names (bookworm by default) needs, brought up to date.
vm-image: setup $(TOOLS_BIN) $(GUEST_BIN)
	@tests/vm/build-image.sh

demo: vm-image
	@scripts/demo.sh

# The host tests, then the VM suite on each of Debian 12's, 13's and sid's
# kernels (IOPMEM_KERNELS_ONLY="sid" for fewer), with a summary per kernel.
check: setup all $(GUEST_BIN)
	@scripts/check.sh

# The VM tests again on a debug build of the same kernel source (KASAN,
# KFENCE, lockdep, DEBUG_VM, DEBUG_OBJECTS, kmemleak); the kernel is built
# once and cached outside the clone (scripts/debug-kernel.sh).  Under TCG
# that kernel runs about ten times slower (a boot takes a minute and a
# half), so the whole run takes hours; the removal and fault tests go
# first.
DEBUG_FIRST := tests/43-vm-fsdax-remove.t tests/33-vm-devdax-pins.t \
	       tests/13-vm-raw-unbind.t tests/31-vm-devdax-p2p.t tests/63-vm-aer.t \
	       tests/30-vm-devdax.t tests/60-vm-unplug-busy.t tests/14-vm-raw-partitions.t \
	       tests/15-vm-sysfs-input.t
check-debug: setup
	@scripts/debug-kernel.sh
	IOPMEM_KERNEL=debug $(MAKE) --no-print-directory vm-image
	IOPMEM_KERNEL=debug prove -v $(DEBUG_FIRST) \
		$(filter-out $(DEBUG_FIRST),$(wildcard tests/*-vm-*.t))

# Performance report (not a test): bench/out/report.md and charts.
bench: vm-image
	@bench/run.sh

lint: setup $(MODULE)
	@tests/lint.sh

clean:
	-$(MAKE) -C kernel KDIR=$(KDIR) clean
	rm -rf tests/vm/helper/build
	$(MAKE) -C tools clean
	rm -rf .cache/vm

.PHONY: all setup tools vm-image demo check check-debug bench lint clean
