#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest script for measurements (asserts nothing): the data path's counts
# per I/O and the idle cost of nvme_epf (issue 14).
#   tests/vm/run.sh sid -t none -s tests/vm/measure/datapath-counts.sh
# Prints, between the SHOW markers:
#  - idle: over IDLE_S seconds, starting SETTLE_S seconds after the host's
#    nvme driver probed, the poll thread's wakeups (/proc/PID/schedstat,
#    field 3: times it was scheduled in) and the controller-register polls
#    (workqueue:workqueue_execute_start of nepf_cc_work_fn), per second;
#  - per 4K random read at QD1 and QD32 (the bench's null_blk and bdev
#    backend, 4 I/O queues, fio --number_ios so that the I/O count is
#    exact): vepc's counters divided by the I/Os fio completed, and the
#    function's own cost counters when the module has them (debugfs
#    nvme_epf/<fn>/costs).
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
# shellcheck source=tests/vm/guest/bench.sh
. "$(dirname "${NEPF_LIB:-/nepf/guest/lib.sh}")/bench.sh"
IDLE_S=${IDLE_S:-10}
SETTLE_S=${SETTLE_S:-10}
NR_IOS=${NR_IOS:-4000}
VEPC=/sys/kernel/debug/vepc/stats
TRACE=/sys/kernel/tracing

thread_pid() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && { echo "${p#/proc/}"; return 0; }
	done
}

costs_file() {
	local f=/sys/kernel/debug/nvme_epf/$NEPF_FN/costs
	[ -r "$f" ] && echo "$f"
}

# idle: poll-thread wakeups/s and register polls/s
idle() {
	local pid s0 s1 n
	pid=$(thread_pid "nvme_epf/$NEPF_FN")
	[ -d $TRACE/events ] || mount -t tracefs nodev $TRACE 2>/dev/null
	echo 0 > $TRACE/tracing_on
	echo > $TRACE/trace
	echo 1 > $TRACE/events/workqueue/workqueue_execute_start/enable
	s0=$(cut -d' ' -f3 "/proc/$pid/schedstat")
	echo 1 > $TRACE/tracing_on
	sleep "$IDLE_S"
	echo 0 > $TRACE/tracing_on
	s1=$(cut -d' ' -f3 "/proc/$pid/schedstat")
	n=$(grep -c 'nepf_cc_work_fn' $TRACE/trace)
	echo 0 > $TRACE/events/workqueue/workqueue_execute_start/enable
	echo "idle $IDLE_S s (from ${SETTLE_S} s after probe): poll thread wakeups/s" \
		"$(( (s1 - s0) / IDLE_S )), register polls (cc_work)/s $((n / IDLE_S))," \
		"total $(( (s1 - s0 + n) / IDLE_S ))/s"
}

# counts JOB QD: per-I/O counts of one fio run
counts() {
	local job=$1 qd=$2 cf ios
	cf=$(costs_file)
	cat $VEPC > /tmp/v0
	[ -n "$cf" ] && cat "$cf" > /tmp/c0
	fio --name="$job" --filename="$BENCH_DEV" --ioengine=libaio --direct=1 \
		--rw=randread --bs=4k --iodepth="$qd" --number_ios="$NR_IOS" \
		--size=1G --output-format=json > /tmp/fio.json 2>/tmp/fio.err ||
		{ echo "$job: fio failed: $(tail -n 1 /tmp/fio.err)"; return 1; }
	cat $VEPC > /tmp/v1
	[ -n "$cf" ] && cat "$cf" > /tmp/c1
	ios=$(grep -m1 '"total_ios"' /tmp/fio.json | tr -dc 0-9)
	echo "$job: $ios I/Os, $(grep -m1 '"iops"' /tmp/fio.json | tr -dc 0-9.) IOPS (TCG: not a hardware figure)"
	paste /tmp/v0 /tmp/v1 | awk -v n="$ios" '$1 == $3 && $4 ~ /^[0-9]+$/ && $4 != $2 {
		printf "  vepc %-20s %8.3f /IO\n", $1, ($4 - $2) / n }'
	[ -n "$cf" ] && paste /tmp/c0 /tmp/c1 | awk -v n="$ios" '$1 == $3 && $4 != $2 {
		if ($1 ~ /_max$/) printf "  nepf %-20s %8d (max)\n", $1, $4
		else printf "  nepf %-20s %8.3f /IO\n", $1, ($4 - $2) / n }'
	return 0
}

# set_params NAME=VALUE...: module parameters, those that exist
PARAMS=/sys/module/nvme_epf/parameters
set_params() {
	local kv
	for kv in "$@"; do
		[ -w "$PARAMS/${kv%%=*}" ] && echo "${kv#*=}" 2>/dev/null > "$PARAMS/${kv%%=*}"
	done
}

# MODES: "default" as loaded; "old-idle-cq": the idle schedule and the
# per-completion CQ mapping of before issue 14 (register poll every 2 ms,
# deepest poller sleep 4 ms, no kept CQ windows), where the module has
# those parameters.
echo NEPF-SHOW-BEGIN
echo "kernel $(uname -r), $(nproc) vCPUs; nvme_epf params:"
grep -H . $PARAMS/* 2>/dev/null | sed 's,.*/,  ,'
bench_nullb_up || { echo "null_blk failed"; echo NEPF-SHOW-END; exit 0; }
saved=$(grep -H . $PARAMS/* 2>/dev/null | sed 's,.*/,,;s,:,=,')
for mode in ${MODES:-old-idle-cq default}; do
	echo "=== mode $mode"
	# shellcheck disable=SC2086
	set_params $saved
	[ "$mode" = old-idle-cq ] && set_params cc_idle_poll_ms=2 deep_idle_sleep_ms=4 cq_windows=0
	if bench_up nvme_epf; then
		sleep "$SETTLE_S"
		idle
		counts rr4k-qd1 1
		counts rr4k-qd32 32
		idle
	else
		echo "nvme_epf did not come up"
	fi
	bench_down nvme_epf
done
# shellcheck disable=SC2086
set_params $saved
bench_nullb_down
dmesg | grep -cE 'WARNING|BUG:|timeout' | sed 's/^/dmesg warn+bug+timeout lines: /'
echo NEPF-SHOW-END
exit 0
