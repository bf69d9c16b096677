# SPDX-License-Identifier: GPL-2.0
# Fuzzing the protocol core with libFuzzer (clang, ASan + UBSan): PRP/SGL
# walking, NVM command decoding, admin commands and register writes.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="prp-sgl io-cmd ..."]
#       each target fuzzes for FUZZ_SECONDS after replaying its corpus
#   make check-fuzz
#       the tier: the committed corpus once, then CHECK_FUZZ_SECONDS each
# Details, crash reproduction and regression files: tests/fuzz/run.sh.

CHECK_TIERS += fuzz
FUZZ_SECONDS ?= 60
CHECK_FUZZ_SECONDS ?= 10

.PHONY: fuzz check-fuzz
fuzz:
	@bash tests/fuzz/run.sh -t $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-fuzz:
	@bash tests/fuzz/run.sh -t $(CHECK_FUZZ_SECONDS) $(FUZZ_TARGETS)
