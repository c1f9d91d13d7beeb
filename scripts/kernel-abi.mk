# The kernel `make` builds iopmem.ko for: the running kernel's, when its
# headers are installed (/lib/modules/$(uname -r)/build: any Debian 12 or
# 13 kernel, or any other), else the pinned Debian 12 ABI, read from the
# one place that names it.  make KDIR=... picks another.
KABI_BOOKWORM := $(shell sed -n 's/^KABI_BOOKWORM=\([^ 	]*\).*/\1/p' $(dir $(lastword $(MAKEFILE_LIST)))kernel-abi.sh)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR ?= $(RUNNING_KDIR)
else
KDIR ?= /usr/src/linux-headers-$(KABI_BOOKWORM)
endif
