# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side helpers of the bench scripts (sourced after tests/infra/common.sh).

# bench_boot SUITE SCRIPT WORKDIR: boot the guest with only SCRIPT
# (tests/vm/run.sh -t none -s SCRIPT), sampling the host's load average
# into WORKDIR/load.txt every 15 s (the machine is shared); the console
# ends up in WORKDIR/console.log.  Returns run.sh's status (the EXIT
# trap must not fail: under set -e a failing trap makes the exit status 1).
# vepc offers dmaengine channels unless VEPC_DMA says otherwise: the
# in-tree target can use nothing else, and the recorded results were
# measured so (the guest suite's default is the emulated eDMA block).
bench_boot() {
	local suite=$1 script=$2 work=$3 rc=0
	: > "$work/load.txt"
	(while sleep 15; do cat /proc/loadavg >> "$work/load.txt"; done) &
	BENCH_SAMPLER=$!
	trap 'kill "$BENCH_SAMPLER" 2>/dev/null || true' EXIT
	VEPC_DMA=${VEPC_DMA:-dmaengine} \
		"$NEPF_TOP/tests/vm/run.sh" "$suite" -t none -s "$script" || rc=$?
	kill "$BENCH_SAMPLER" 2>/dev/null || true
	cp "$NEPF_BUILD/vm/$suite/console.log" "$work/console.log"
	[ -s "$work/load.txt" ] || cat /proc/loadavg > "$work/load.txt"
	return $rc
}
