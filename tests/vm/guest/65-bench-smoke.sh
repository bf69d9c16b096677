#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke run of the benchmark engine (bench.sh, `make bench`): every job for
# a few seconds on every target (raw null_blk, nvme_epf, and nvmet-pci-epf
# where the kernel has it), so the benchmark cannot rot.  Asserts that each
# run produced a fio result without errors and with I/O done, and that the
# idle CPU was measured; nothing about speed.  vepc offers dmaengine
# channels here whatever the run's VEPC_DMA, as make bench does
# (bench/lib.sh): the in-tree target can use nothing else.
# nepf-vm: intree
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
# shellcheck source=tests/vm/guest/bench.sh
. /nepf/guest/bench.sh

out=/tmp/bench-smoke.txt
[ "$VEPC_DMA" = dmaengine ] || check bench-smoke-vepc-dmaengine vepc_reload dmaengine
BENCH_RUNTIME=2 BENCH_RAMP=0 BENCH_REPS=1 BENCH_IDLE=2 BENCH_IDLE_SETTLE=0 \
	BENCH_COUNT_IOS=32 BENCH_COUNT_IOS_LARGE=8 bench_main > "$out"
rc=$?
# The records, for the host (bench/report.py reads them from the console).
grep '^NEPF-BENCH-' "$out"
check bench-smoke-engine test $rc = 0 || grep -E '^NEPF-BENCH-(FAIL|SKIP)' "$out" | indent

targets="raw nvme_epf"
if intree_has nvmet-pci-epf; then
	targets="$targets intree"
else
	skip bench-smoke-intree "no nvmet-pci-epf for this kernel"
fi
run_ok() {
	local line
	line=$(grep "^NEPF-BENCH-RUN $1 $2 1 " "$out") || { echo "no record"; return 1; }
	echo "$line" | grep -q '"error" : 0,' || { echo "fio error"; return 1; }
	echo "$line" | grep -qE '"iops" : [1-9]' || { echo "no I/O"; return 1; }
}
for t in $targets; do
	# shellcheck disable=SC2154 # bench_jobs: from bench.sh
	for job in $bench_jobs; do
		check "bench-smoke-$t-$job" run_ok "$t" "$job"
	done
	check "bench-smoke-$t-idle" grep -q "^NEPF-BENCH-IDLE $t 2 .* context_switches=" "$out"
done
# Counts per I/O (functions only): vepc saw the EPC calls of every job, the
# kprobe/workqueue histograms were placed and read.
counts_ok() {
	local job
	for job in $bench_jobs; do
		grep -q "^NEPF-BENCH-COUNT $1 $job " "$out" || { echo "no count run of $job"; return 1; }
		grep -qE "^NEPF-BENCH-VEPC $1 $job .*op_raise_msix=[1-9]" "$out" ||
			{ echo "vepc saw no MSI-X raise in $job"; return 1; }
	done
	grep -q "^NEPF-BENCH-HIST $1 rr4k-qd1 workqueue_execute_start " "$out" ||
		{ echo "no workqueue histogram"; return 1; }
}
check bench-smoke-trace grep -qE '^NEPF-BENCH-TRACE placed=.*workqueue' "$out"
for t in ${targets#raw }; do
	check "bench-smoke-$t-counts" counts_ok "$t"
done
[ "$VEPC_DMA" = dmaengine ] || check bench-smoke-vepc-restored vepc_reload "$VEPC_DMA"
nepf_exit
