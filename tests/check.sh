#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run test tiers and sum their results.
#
# Each tier is a make target "check-<tier>" that prints one line per test
# case, "PASS: <name>" or "FAIL: <name>" (SKIP: lines are counted apart),
# and exits non-zero if any case failed.  This script runs every tier even
# when an earlier one failed, keeps each tier's log under build/check/, and
# ends with the line "N passed, N failed" that CI reads.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
logdir=${NEPF_BUILD:-$top/build}/check
mkdir -p "$logdir"
pass=0 fail=0 skip=0 rc=0
for tier in "$@"; do
	log=$logdir/$tier.log
	start=$(date +%s)
	echo "=== tier $tier"
	make -C "$top" --no-print-directory "check-$tier" 2>&1 | tee "$log"
	trc=${PIPESTATUS[0]}
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	s=$(grep -c '^SKIP: ' "$log")
	if [ "$trc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $tier (exit $trc without a FAIL line)"
		f=1
	fi
	echo "=== tier $tier: $p passed, $f failed, $s skipped ($(( $(date +%s) - start )) s)"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	[ "$f" -eq 0 ] || rc=1
done
echo "$pass passed, $fail failed, $skip skipped"
exit $rc
