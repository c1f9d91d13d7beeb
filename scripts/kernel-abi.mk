# The pinned kernel ABI, read from the one place that names it.
KABI := $(shell sed -n 's/^KABI_STOCK=//p' $(dir $(lastword $(MAKEFILE_LIST)))kernel-abi.sh)
KDIR := /usr/src/linux-headers-$(KABI)
