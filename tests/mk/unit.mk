# SPDX-License-Identifier: GPL-2.0
# Unit tier: the protocol core in userspace with ASan/UBSan against the
# simulated host (tests/unit/).  The fuzzers have their own fragment
# (fuzz.mk).
#
#   make check-unit              every unit test
#   make check-unit T=queue      the tests whose name contains "queue"
#   make -j4 check-unit          four jobs (default: one per CPU)

CHECK_TIERS += unit
.PHONY: check-unit

# As many jobs as the machine has CPUs, unless the caller chose with -j
# (make -jN check-unit, or MAKEFLAGS=-jN): then its jobserver decides.
# MAKEFLAGS holds -j only while recipes run, hence the test in the recipe.
NEPF_NPROC := $(shell nproc 2>/dev/null || echo 1)

check-unit:
	@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NEPF_NPROC)) \
		-C tests/unit BUILD=$(BUILD) run T="$(T)"
