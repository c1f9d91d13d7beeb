# SPDX-License-Identifier: GPL-2.0
# iopmem: the kernel module, its tools, and tests that run in a QEMU guest.
#
#   make            module (against the pinned Debian kernel) and tools
#   make demo       boot the default topology and show iopmem at work
#   make check      every test (unit, lint, VM), as TAP under prove
#   make lint       checkpatch --strict, sparse, W=1, cppcheck
#   make clean
include scripts/kernel-abi.mk

MODULE := kernel/iopmem.ko
HELPER := tests/vm/helper/iopmem_test_claim.ko
INITRAMFS := .cache/vm/initramfs.cpio
KSRC := $(wildcard kernel/*.c kernel/*.h kernel/Kbuild)
TOOLS_SRC := $(wildcard tools/*.c tools/*.h tools/Makefile)

all: $(MODULE) tools

setup:
	@scripts/setup.sh

$(MODULE): $(KSRC)
	$(MAKE) -C kernel KDIR=$(KDIR) W=1

$(HELPER): tests/vm/helper/iopmem_test_claim.c
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/vm/helper W=1 modules

tools:
	$(MAKE) -C tools

$(INITRAMFS): $(MODULE) $(HELPER) tools/build/iopmem-pattern tests/vm/build-initramfs.sh \
		tests/vm/guest/init tests/vm/guest/tap.sh $(wildcard tests/vm/cases/*.sh)
	@mkdir -p $(dir $@)
	tests/vm/build-initramfs.sh $@

tools/build/iopmem-pattern: $(TOOLS_SRC)
	$(MAKE) -C tools

# Used by tests/vm/run: everything a guest needs, brought up to date.
vm-image: setup
	@$(MAKE) --no-print-directory $(INITRAMFS)

demo: vm-image
	@scripts/demo.sh

check: vm-image
	prove -v tests/

lint: setup $(MODULE)
	@tests/lint.sh

clean:
	-$(MAKE) -C kernel KDIR=$(KDIR) clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/vm/helper clean
	$(MAKE) -C tools clean
	rm -rf .cache/vm

.PHONY: all setup tools vm-image demo check lint clean
