# SPDX-License-Identifier: GPL-2.0
# Build matrix: every kernel target (-Werror), compat.h test module, the
# test harness vepc where no VM suite builds it (vepc-TARGET), sparse,
# checkpatch, compat-use (every probe used by compat.h, every compat.h name
# by src/), DKMS refusal on stock kernels.  MATRIX_ROWS="..." picks rows.
CHECK_TIERS += matrix

.PHONY: matrix check-matrix checkpatch
matrix check-matrix:
	@bash tests/matrix/run.sh $(MATRIX_ROWS)

checkpatch:
	@bash tests/matrix/checkpatch.sh
