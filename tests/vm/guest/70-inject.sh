#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Testing a host with nvme-epf (issue #8): error injection rules seen by
# the stock nvme driver, Abort of a held command, timeout -> abort ->
# reset with a lost command, delay in fio's latency percentiles,
# tracepoints and statistics counting the commands of an fio run.
# nepf-vm: nvme-timeouts
# shellcheck disable=SC2317  # helpers run through check()
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

serial=NEPFINJ01
INJ=$NEPF_CFS/functions/$NEPF_FN/inject
NOTES=/tmp/inject-notes
: > "$NOTES"
note() { echo "$*" | tee -a "$NOTES"; }	# figures shown at the end
TRACE=/sys/kernel/tracing
DBG=/sys/kernel/debug

if ! check inject-up nepf_up backend=nullb size=64M queues=2 serial=$serial; then
	nepf_dump | indent
	nepf_exit
fi
if ! dev=$(wait_for_nvme 30); then
	fail inject-device-appears "no /dev/nvme*n1 in 30 s"
	nepf_down
	nepf_exit
fi
bdev=${dev#/dev/}

# rule NAME attr=value... : create and enable a rule
rule() {
	local r=$INJ/$1 kv
	shift
	mkdir "$r" || return 1
	for kv in "$@"; do
		echo "${kv#*=}" > "$r/${kv%%=*}" || { echo "cannot set $kv"; return 1; }
	done
	echo 1 > "$r/enable"
}
unrule() { echo 0 > "$INJ/$1/enable"; rmdir "$INJ/$1"; }

# ---- off by default ----
check inject-none-by-default sh -c "[ -d $INJ ] && [ -z \"\$(ls $INJ)\" ]"

# ---- unrecovered read error on LBAs 1000-1007 (the 4 KiB at 512000) ----
media_error() {
	local log=/tmp/fio-media.log offs m0 m1 elog st lba
	rule media queue=io opcode=2 lba_first=1000 lba_last=1007 action=status \
		sct=2 sc=0x81 dnr=1 || return 1
	m0=$(media_errors "$dev")
	fio --name=media --filename="$dev" --rw=read --bs=4k --size=1M \
		--direct=1 --ioengine=psync --continue_on_error=all > "$log" 2>&1
	offs=$(grep -o 'offset=[0-9]*' "$log" | sort -u | tr '\n' ' ')
	note "media error: fio error offsets: $offs; rule fired $(cat "$INJ/media/fired")"
	[ "$offs" = "offset=512000 " ] || { cat "$log"; return 1; }
	# Unrecovered Read Error is BLK_STS_MEDIUM: ENODATA for the reader.
	grep -m1 'io_u error.*No data available' "$log" || { cat "$log"; return 1; }
	# The host's own record of it (the kernel's "critical medium error"
	# line is rate-limited, so it is not evidence): the newest error log
	# entry is status 0x281 at LBA 1000, and SMART counts one media error.
	# nvme-cli prints the status field without the phase bit: 0x4281
	# (DNR, SCT 2, SC 81h); the newest entry comes first.
	elog=$(error_log "$dev")
	st=$(echo "$elog" | grep -o '"status_field":[0-9]*' | head -n 1 | cut -d: -f2)
	lba=$(echo "$elog" | grep -o '"lba":[0-9]*' | head -n 1 | cut -d: -f2)
	[ "$((st & 0x7ff))" = $((0x281)) ] && [ "$lba" = 1000 ] ||
		{ echo "error log: $(echo "$elog" | head -c 300)"; return 1; }
	m1=$(media_errors "$dev")
	[ "$((m1 - m0))" = 1 ] || { echo "SMART media_errors $m0 -> $m1"; return 1; }
	[ "$(cat "$INJ/media/fired")" = 1 ]
}
check inject-media-error-exact-range media_error
unrule media 2>/dev/null

# ---- delay shows in fio's completion latency percentiles ----
# The guest's own latency varies with the machine's load: compare floors
# (every delayed read takes at least the delay), not differences.
clat_pct() {	# clat_pct P1 P2: fio terse clat percentiles "P%=N" (usec)
	fio --name=lat --filename="$dev" --rw=randread --bs=4k --size=8M \
		--number_ios=40 --direct=1 --ioengine=psync --output-format=terse \
		--terse-version=3 2>/dev/null | tr ';' '\n' |
		awk -F= -v a="$1.000000%" -v b="$2.000000%" '$1 == a && x == "" { x = $2 } $1 == b && y == "" { y = $2 } END { print x, y }'
}
delay_test() {
	local base slow
	base=$(clat_pct 1 50)
	rule slow queue=io opcode=2 action=delay delay_us=40000 || return 1
	slow=$(clat_pct 1 50)
	unrule slow
	note "delay: fio clat p1/p50 ${base// //} us without, ${slow// //} us with a 40 ms delay"
	# shellcheck disable=SC2086  # two numbers each
	set -- $base $slow
	[ $# = 4 ] && [ "$1" -lt 40000 ] && [ "$3" -ge 40000 ] && [ "$4" -ge 40000 ]
}
check inject-delay-in-fio-percentiles delay_test

# ---- held write: host timeout -> Abort aborts it -> retried, no reset ----
echo 2000 > "/sys/block/$bdev/queue/io_timeout"
fio_verify() {	# fio_verify LOG: write + crc32c verify over 2 MiB
	fio --name=v --filename="$dev" --rw=write --bs=4k --size=2M --direct=1 \
		--ioengine=libaio --iodepth=4 --verify=crc32c --do_verify=1 \
		--verify_fatal=1 > "$1" 2>&1
}
held_abort() {
	local log=/tmp/fio-held.log
	rule held queue=io opcode=1 every=50 first=1 action=hold || return 1
	dmesg_mark
	fio_verify "$log" || { tail "$log"; return 1; }
	grep -q 'err= 0' "$log" || { tail "$log"; return 1; }
	dmesg_since_mark | grep -E "timeout, aborting|Abort status" | head -3
	dmesg_since_mark | grep -q "Abort status: 0x0" || { dmesg_since_mark | tail; return 1; }
	if dmesg_since_mark | grep -q "reset controller"; then
		echo "unexpected reset"; return 1
	fi
	[ "$(cat "$INJ/held/fired")" = 1 ]
}
check inject-held-write-aborted held_abort
unrule held 2>/dev/null

# ---- lost write: timeout -> abort (not aborted) -> reset -> I/O resumes ----
lost_reset() {
	local log=/tmp/fio-lost.log
	rule lost queue=io opcode=1 every=50 first=1 action=lose || return 1
	dmesg_mark
	fio_verify "$log" || { tail "$log"; return 1; }
	grep -q 'err= 0' "$log" || { tail "$log"; return 1; }
	dmesg_since_mark | grep -E "aborting|Abort status|reset" | head -5
	dmesg_since_mark | grep -q "timeout, aborting" || return 1
	dmesg_since_mark | grep -q "timeout, reset controller" || { dmesg_since_mark | tail; return 1; }
	[ "$(cat "$INJ/lost/fired")" = 1 ]
}
check inject-lost-write-timeout-abort-reset lost_reset
unrule lost 2>/dev/null

# ---- tracepoints and statistics count the commands of an fio run ----
[ -d "$TRACE"/events ] || mount -t tracefs nodev "$TRACE" 2>/dev/null
[ -d "$DBG"/nvme_epf ] || mount -t debugfs nodev "$DBG" 2>/dev/null
io_writes() {	# completed I/O-queue Writes in debugfs stats
	awk '/^sq[1-9]/ { n += $4 } END { print n + 0 }' "$DBG/nvme_epf/$NEPF_FN/stats"
}
trace_count() {
	local log=/tmp/fio-trace.log n issued w0 w1
	[ -d "$TRACE"/events/nvme_epf ] || { echo "no nvme_epf trace events"; return 1; }
	echo 0 > "$TRACE"/tracing_on
	echo > "$TRACE"/trace
	echo 1 > "$TRACE"/events/nvme_epf/nvme_epf_cmd_done/enable
	w0=$(io_writes)
	echo 1 > "$TRACE"/tracing_on
	fio --name=t --filename="$dev" --rw=randwrite --bs=4k --size=4M \
		--number_ios=300 --direct=1 --ioengine=libaio --iodepth=8 > "$log" 2>&1 ||
		{ tail "$log"; return 1; }
	echo 0 > "$TRACE"/tracing_on
	echo 0 > "$TRACE"/events/nvme_epf/nvme_epf_cmd_done/enable
	sleep 0.2
	w1=$(io_writes)
	issued=$(sed -n 's/.*issued rwts: total=[0-9]*,\([0-9]*\),.*/\1/p' "$log")
	n=$(grep -cE 'nvme_epf_cmd_done: .* sq[1-9][0-9]* cid [0-9]+ write ' "$TRACE"/trace)
	grep -m2 nvme_epf_cmd_done "$TRACE"/trace
	note "trace: fio issued $issued writes; nvme_epf_cmd_done writes: $n; stats writes: $((w1 - w0))"
	[ -n "$issued" ] && [ "$issued" -gt 0 ] && [ "$n" = "$issued" ] &&
		[ $((w1 - w0)) = "$issued" ]
}
check inject-trace-and-stats-count-fio trace_count
indent < "$NOTES"
head -12 "$DBG/nvme_epf/$NEPF_FN/stats" 2>/dev/null | indent

# ---- the same through the tool: inject add/list/remove, trace, stats ----
tool_case() {
	local t=/nepf/scripts/nvme-epf out=/tmp/trace-tool.txt
	[ -x "$t" ] || { echo "no $t"; return 1; }
	$t inject "$NEPF_FN" add slowr queue=io opcode=2 action=delay delay_us=1000 || return 1
	$t inject "$NEPF_FN" list | grep -E "^slowr +1 +delay" || return 1
	timeout 10 "$t" trace "$NEPF_FN" > "$out" 2>&1 &
	sleep 3
	dd if="$dev" of=/dev/null bs=4k count=20 iflag=direct 2>/dev/null
	wait
	grep -m2 -E "cmd_done $NEPF_FN sq[1-9][0-9]* cid [0-9]+ read nsid 1 slba [0-9]+ nlb 8 len 4096" "$out" ||
		{ head "$out"; return 1; }
	[ "$(cat "$TRACE/events/nvme_epf/nvme_epf_cmd_done/enable")" = 0 ] ||
		{ echo "trace left the events enabled"; return 1; }
	$t stats "$NEPF_FN" | grep -E "^sq[1-9]" || return 1
	$t inject "$NEPF_FN" remove slowr && [ -z "$(ls "$INJ")" ]
}
check inject-tool-add-list-trace-stats-remove tool_case

# ---- disabling a namespace does not wait forever for a held command ----
held_ns_disable() {
	local ns=$NEPF_CFS/subsystems/$NEPF_SUB/namespaces/$NEPF_NSID i
	rule park queue=io opcode=2 action=hold || return 1
	timeout 60 dd if="$dev" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null &
	for ((i = 0; i < 50; i++)); do
		[ "$(cat "$INJ/park/fired")" = 0 ] || break
		sleep 0.1
	done
	[ "$(cat "$INJ/park/fired")" -ge 1 ] || { echo "read not held"; return 1; }
	timeout 20 sh -c "echo 0 > $ns/enable" || { echo "disable hung"; return 1; }
	unrule park
	wait
	echo "namespace disabled with a held read"
}
check inject-ns-disable-with-held-command held_ns_disable
unrule park 2>/dev/null

nepf_down
nepf_exit
