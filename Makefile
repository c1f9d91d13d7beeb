# SPDX-License-Identifier: GPL-2.0
# iopmem: the kernel module, its tools, and tests that run in a QEMU guest.
#
#   make            module (against the pinned Debian kernel) and tools
#   make demo       boot the default topology and show iopmem at work
#   make check      every test (unit, lint, VM), as TAP under prove
#   make check-debug  the VM tests on a KASAN/lockdep/kmemleak kernel
#   make lint       checkpatch --strict, sparse, W=1, cppcheck
#   make install    module (for KDIR's kernel) and tools; DESTDIR, PREFIX
#   make deb        the Debian packages iopmem-dkms and iopmem-tools
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
	rm -rf .cache/vm build

# Installing without packages.  PREFIX is where the tools and their man
# pages go; udev and systemd read their rules and units only from their
# own directories, and the tools read /etc/iopmem.conf, whatever PREFIX is.
VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UDEVDIR ?= $(or $(shell pkg-config --variable=udevdir udev 2>/dev/null),/lib/udev)
UNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
# uname -r of KDIR's kernel (Debian's kernel.release holds the upstream one).
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

install: install-module install-tools

# Into /lib/modules/KVER/updates (ahead of the kernel's own), for the
# kernel of KDIR; depmod then, unless it goes into a DESTDIR.  Unsigned:
# the key Debian signs its kernels' modules with is not on the machine
# (with Secure Boot on, sign it with a key enrolled as MOK, or use DKMS).
install-module: $(MODULE)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools: tools
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UDEVDIR)/rules.d $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)/etc
	install -m 755 $(TOOLS_BIN) $(DESTDIR)$(BINDIR)
	install -m 644 Documentation/man/*.8 $(DESTDIR)$(MANDIR)/man8
	install -m 644 Documentation/man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 tools/bash-completion/iopmem $(DESTDIR)$(BASHCOMPDIR)/iopmemctl
	ln -sf iopmemctl $(DESTDIR)$(BASHCOMPDIR)/iopmem-bench
	ln -sf iopmemctl $(DESTDIR)$(BASHCOMPDIR)/iopmem-pattern
	sed 's|@BINDIR@|$(BINDIR)|g' system/60-iopmem.rules.in > $(DESTDIR)$(UDEVDIR)/rules.d/60-iopmem.rules
	sed 's|@BINDIR@|$(BINDIR)|g' system/iopmem-apply@.service.in > $(DESTDIR)$(UNITDIR)/iopmem-apply@.service
	chmod 644 $(DESTDIR)$(UDEVDIR)/rules.d/60-iopmem.rules $(DESTDIR)$(UNITDIR)/iopmem-apply@.service
	# An example that names no device; an existing file is kept.
	[ -e $(DESTDIR)/etc/iopmem.conf ] || install -m 644 system/iopmem.conf $(DESTDIR)/etc

# The module's sources for DKMS: /usr/src/iopmem-VERSION.  Then, outside a
# package: dkms install iopmem/VERSION.
install-dkms:
	install -d $(DESTDIR)/usr/src/iopmem-$(VERSION)
	install -m 644 kernel/Kbuild kernel/*.c kernel/*.h VERSION $(DESTDIR)/usr/src/iopmem-$(VERSION)
	sed 's/#MODULE_VERSION#/$(VERSION)/' kernel/dkms.conf > $(DESTDIR)/usr/src/iopmem-$(VERSION)/dkms.conf

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(TOOLS_BIN))) \
		$(DESTDIR)$(MANDIR)/man8/iopmem*.8 $(DESTDIR)$(MANDIR)/man5/iopmem.conf.5 \
		$(addprefix $(DESTDIR)$(BASHCOMPDIR)/,iopmemctl iopmem-bench iopmem-pattern) \
		$(DESTDIR)$(UDEVDIR)/rules.d/60-iopmem.rules $(DESTDIR)$(UNITDIR)/iopmem-apply@.service
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/iopmem.ko*
	$(if $(DESTDIR),,depmod -a $(KVER))

# The Debian packages (debian/), built from a copy of the tracked files and
# checked with lintian: build/deb/iopmem-dkms_VERSION_all.deb and
# build/deb/iopmem-tools_VERSION_ARCH.deb.
deb: setup
	@scripts/deb.sh

.PHONY: all setup tools vm-image demo check check-debug bench lint clean \
	install install-module install-tools install-dkms uninstall deb
