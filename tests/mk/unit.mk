# SPDX-License-Identifier: GPL-2.0
# Unit tier: the protocol core in userspace with ASan/UBSan against the
# simulated host (tests/unit/).  The fuzzers have their own fragment
# (fuzz.mk).
#
#   make check-unit              every unit test
#   make check-unit T=queue      the tests whose name contains "queue"

CHECK_TIERS += unit
.PHONY: check-unit

check-unit:
	@$(MAKE) --no-print-directory -j2 -C tests/unit BUILD=$(BUILD) run T="$(T)"
