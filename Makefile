# SPDX-License-Identifier: GPL-2.0
#
# nvme-epf top-level Makefile.
#
#   make                 build nvme_epf.ko for the running kernel (or KDIR=...)
#   make demo            boot the virtual endpoint guest and show the device
#   make check           every test tier (the README's test command)
#   make clean
#
# Test tiers and infrastructure live in tests/mk/*.mk, one fragment per tier;
# each adds its check target to CHECK_TIERS.

KDIR ?= /lib/modules/$(shell uname -r)/build
TOP := $(CURDIR)
BUILD ?= $(TOP)/build
export NEPF_BUILD := $(BUILD)

CHECK_TIERS :=

.PHONY: all module clean check
all: module

module:
	$(MAKE) -C src KDIR=$(KDIR)

include $(sort $(wildcard tests/mk/*.mk))

# Runs every tier, never stops at the first failure, and prints the
# "N passed, N failed" summary CI reads.
# Cheap tiers first, so a broken unit test shows before the long VM runs.
TIER_ORDER := unit fuzz matrix vm pkg
check:
	@bash tests/check.sh $(filter $(CHECK_TIERS),$(TIER_ORDER)) \
		$(filter-out $(TIER_ORDER),$(CHECK_TIERS))

clean:
	$(MAKE) -C src clean
	rm -rf $(BUILD)
