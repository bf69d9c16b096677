#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cost ledger at QD1 against its budget: reset the function's costs
# (debugfs nvme_epf/<fn>/costs, through `nvme-epf stats --costs`), run a
# fixed number of 4 KiB random reads at QD1 with fio on a null namespace,
# divide every counter by the I/O commands completed, print the table and
# check each counter against cost-budget.txt (a maximum per I/O; for the
# _max counters, per command).  The divisor itself must equal fio's I/O
# count: the ledger counts exactly what the host asked for.  Then the same
# for 4 KiB random writes (the budget's write= values).  Then QD32 (an
# interrupt per CQ and pass, not per I/O) and 512 KiB sequential reads:
# however many data segments a command has, its data goes to the host
# in one DMA batch with one wait (case <prefix>-512k-one-wait: exactly one
# dma_tx_waits per command).  Then 4 KiB reads and writes again on a
# null_blk that completes in queue_rq (bdev backend): no hand-off at QD1
# (the poll thread runs each command itself), none deferred, no
# get_msi(x) on the I/O path (not when run as another test's costs_as:
# COSTS_PREFIX set).
# Every run has poll_exec_us=1000000 (restored at the end): a command
# runs on the poll thread only while its namespace's take less, and TCG's
# times are not a board's; the rule itself (one command in the pass,
# nothing else in flight) is what the counts check.  At QD32 every I/O is
# still either handed off or run on the poll thread (case
# <prefix>-qd32-exec: handoff_exec + exec_poller = 1 per I/O).
# On a DMA engine (edma or dmaengine: the run's VEPC_DMA, or 66-dmaengine,
# which runs this script with COSTS_PREFIX=dmaengine-costs) no I/O may
# cost a CPU read of host memory: the raw win_read_* sums of each run must
# be exactly 0 (case <prefix>[-write]-no-cpu-reads), not only 0 per I/O
# to three decimals.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
BUDGET=${COSTS_BUDGET:-/nepf/guest/cost-budget.txt}
IOS=${COSTS_IOS:-2000}
P=${COSTS_PREFIX:-costs}

tool=$(nepf_tool) || { skip "$P-tool" "scripts/nvme-epf is not in the guest image"; nepf_exit; }
[ -r "$BUDGET" ] || { fail "$P-budget-file" "$BUDGET missing"; nepf_exit; }
# Read at each controller enable: set before the host enables (nepf_up).
PEU=/sys/module/nvme_epf/parameters/poll_exec_us
peu_old=$(cat "$PEU" 2>/dev/null)
trap '[ -z "$peu_old" ] || echo "$peu_old" > "$PEU"' EXIT
if [ -w "$PEU" ] && echo 1000000 > "$PEU"; then
	pass "$P-poll-exec-us"
else
	fail "$P-poll-exec-us" "cannot set $PEU"
fi
check "$P-up" nepf_up backend=null size=1G queues=4 || { nepf_down; nepf_exit; }
dev=$(wait_for_nvme 30) || { fail "$P-device"; nepf_down; nepf_exit; }
sleep 2		# the host's probe and udev are done with the device
engine=$(nepf_engine)
if [ "$engine" != edma ] && [ "$engine" != dmaengine ]; then
	skip "$P" "the budget is for a DMA engine; nvme_epf runs on '$engine' (vepc: $(vepc_mode))"
	check "$P-down" nepf_down
	nepf_exit
fi

# costs_run RW NAME: 4 KiB random RW (read or write) at QD1; cases NAME-*
# (NAME-<counter> for each counter).
costs_run() {
	local rw=$1 n=$2 ios raw=/tmp/costs-raw.txt per=/tmp/costs-per-io.txt cmds
	local name m x v nr
	ios=$(costs_fio "$dev" 1 1 "$IOS" "rand$rw")
	if [ "$ios" = "$IOS" ]; then
		pass "$n-fio"
	else
		fail "$n-fio" "fio did $ios I/Os, wanted $IOS"
		tail -n 20 /tmp/costs-fio.json | indent
	fi
	if ! bash "$tool" stats --costs "$NEPF_FN" > "$raw" ||
	   ! bash "$tool" stats --costs --per-io "$NEPF_FN" > "$per"; then
		fail "$n-read"
		return 1
	fi
	cmds=$(awk '$1 == "cmds_io" { print $2 }' "$raw")
	if [ "$cmds" = "$ios" ]; then
		pass "$n-divisor"
	else
		fail "$n-divisor" "cmds_io $cmds, fio $ios"
	fi
	# No CPU read of host memory at all (a non-posted read on silicon).
	nr=$(awk '$1 ~ /^win_read_/ { printf "%s%s=%s", sep, $1, $2; sep = " " }' "$raw")
	if [ -n "$nr" ] && ! grep -qE '=[^0]|=0[0-9]' <<< "$nr"; then
		pass "$n-no-cpu-reads"
	else
		fail "$n-no-cpu-reads" "${nr:-no win_read_ counters} over $cmds I/Os"
	fi

	# Every counter has a budget line and every budget line a counter
	# (the reads' ledger has the same lines as the writes').
	names() { grep -v '^#' "$1" | awk 'NF { print $1 }' | sort > "$2"; }
	names "$per" /tmp/costs-names.ledger
	names "$BUDGET" /tmp/costs-names.budget
	if [ "$rw" != read ]; then
		:
	elif cmp -s /tmp/costs-names.ledger /tmp/costs-names.budget; then
		pass "$n-budget-complete"
	else
		fail "$n-budget-complete" "ledger and budget list different counters"
		diff /tmp/costs-names.ledger /tmp/costs-names.budget | indent
	fi

	echo "cost ledger, $(uname -r), dma engine $engine, 4 KiB random $rw QD1, $ios I/Os (per I/O; _max per command)"
	printf '    | %-20s %12s %12s\n' counter measured budget
	# A budget line is "name max [key=max ...] [# comment]": a key that
	# is this run's workload (read, write) or engine (edma, dmaengine),
	# or "cmb" when the run gives functions a CMB (NEPF_CMB=1), replaces
	# max.  "name measured budget verdict": budget "-" is shown,
	# not checked.
	awk -v rw="$rw" -v eng="$engine" -v cmb="${NEPF_CMB:-0}" '
		NR == FNR {
			if ($1 ~ /^#/ || !NF) next
			v = $2
			for (i = 3; i <= NF && $i !~ /^#/; i++)
				if (split($i, kv, "=") == 2 && (kv[1] == rw || kv[1] == eng ||
								(kv[1] == "cmb" && cmb == 1)))
					v = kv[2]
			b[$1] = v
			next
		}
		/^#/ { next }
		{ m = $2; x = ($1 in b) ? b[$1] : "?"
		  v = (x == "-") ? "shown" : (x == "?") ? "none" : (m <= x + 0.0005) ? "ok" : "over"
		  print $1, m, x, v }' "$BUDGET" "$per" > /tmp/costs-verdict.txt
	while read -r name m x v; do
		printf '    | %-20s %12s %12s %s\n' "$name" "$m" "$x" "$([ "$v" = over ] && echo OVER)"
	done < /tmp/costs-verdict.txt
	while read -r name m x v; do
		case $v in
		ok) pass "$n-$name" ;;
		over) fail "$n-$name" "$m per I/O, budget $x" ;;
		esac
	done < /tmp/costs-verdict.txt
}

costs_run read "$P"
costs_run write "$P-write"

# QD32: completions that overlap share their CQ's interrupt (one per CQ
# and poll pass, issue 14), so fewer raises than I/Os; at QD1 above each
# completion drains its SQ and raises at once (epc_raise_irq 1).
ios=$(costs_fio "$dev" 32 1 "$IOS")
if [ "$ios" = "$IOS" ] &&
   bash "$tool" stats --costs --per-io "$NEPF_FN" > /tmp/costs-qd32.txt; then
	irqs=$(awk '$1 == "epc_raise_irq" { print $2 }' /tmp/costs-qd32.txt)
	if awk -v v="${irqs:-1}" 'BEGIN { exit !(v < 1) }'; then
		pass "$P-qd32-irq-per-pass"
	else
		fail "$P-qd32-irq-per-pass" "epc_raise_irq ${irqs:-?} per I/O at QD32, want < 1"
	fi
	# Each I/O handed off or run by the poll thread: the latter only when
	# it was alone (shown: how often depends on fio's ramp and timing).
	# (here-strings, not process substitution: the guest has no /dev/fd)
	read -r hx ep <<< "$(awk '{ v[$1] = $2 }
		END { print v["handoff_exec"] + 0, v["exec_poller"] + 0 }' /tmp/costs-qd32.txt)"
	echo "QD32: handoff_exec $hx, exec_poller $ep per I/O"
	# Each figure is rounded to 3 places (1999 and 1 of 2000 I/Os print
	# as 1 and 0.001): their sum may be off by twice half a unit.
	if awk -v a="$hx" -v b="$ep" 'BEGIN { d = a + b - 1; exit !(d < 0.0011 && d > -0.0011) }'; then
		pass "$P-qd32-exec"
	else
		fail "$P-qd32-exec" "handoff_exec $hx + exec_poller $ep per I/O, want 1"
	fi
else
	fail "$P-qd32-irq-per-pass" "fio did $ios I/Os, wanted $IOS"
fi

# 512 KiB reads, several data segments a command: they go to the host as
# one DMA batch with one wait (issue 14), whatever the descriptors.
ios=$(costs_fio "$dev" 8 1 200 read 512k)
if [ "$ios" = 200 ] &&
   bash "$tool" stats --costs "$NEPF_FN" > /tmp/costs-512k.txt; then
	read -r cmds descs waits wmax <<< "$(awk '
		{ v[$1] = $2 }
		END { print v["cmds_io"] + 0, v["dma_tx_descs"] + 0, v["dma_tx_waits"] + 0,
			    v["dma_waits_max"] + 0 }' /tmp/costs-512k.txt)"
	# dma_waits_max also counts the reads of a command's PRP list or SGL
	# segments (host to endpoint): shown, not checked
	echo "512 KiB reads: $cmds commands, $descs descriptors to the host, $waits waits for them; at most $wmax waits a command in all"
	if [ "$cmds" -gt 0 ] && [ "$waits" = "$cmds" ] && [ "$descs" -ge "$cmds" ]; then
		pass "$P-512k-one-wait"
	else
		fail "$P-512k-one-wait" "want one dma_tx_waits per command"
	fi
else
	fail "$P-512k-one-wait" "fio did $ios I/Os, wanted 200"
fi
check "$P-down" nepf_down

# The fast path on a block device: a memory-backed null_blk that completes
# in queue_rq (irqmode=0), through the bdev backend.  Several hardware
# queues (like the bench's null_blk), so the block layer picks no I/O
# scheduler and issues each request directly from submit_bio() (with one
# queue it takes mq-deadline, whose dispatch runs on kblockd, after our
# submit returned).  Its bio then ends inside the submit, so the command's
# thread that ran it finishes it, and at QD1 that is the poll thread: no
# hand-off per I/O (issue 14), none deferred, and no get_msi(x) call on
# the I/O path (the MSI state is cached, irq.c).  Cases
# <prefix>-nullb[-write]-*.
nullb_run() {
	local rw=$1 n=$2 ios per=/tmp/costs-nullb.txt want m
	ios=$(costs_fio "$dev" 1 1 "$IOS" "rand$rw")
	if [ "$ios" != "$IOS" ]; then
		fail "$n-fio" "fio did $ios I/Os, wanted $IOS"
		return 1
	fi
	bash "$tool" stats --costs --per-io "$NEPF_FN" > "$per" || { fail "$n-read"; return 1; }
	echo "null_blk irqmode=0, 4 KiB random $rw QD1, $ios I/Os (per I/O):"
	grep -E '^(handoff|exec_poller|finish_inline|epc_get_msi)' "$per" | indent
	for want in "handoffs 0" "handoff_defer 0" "finish_inline 1" "epc_get_msi_io 0"; do
		# shellcheck disable=SC2086
		set -- $want
		m=$(awk -v k="$1" '$1 == k { print $2 }' "$per")
		if [ -n "$m" ] && awk -v m="$m" -v x="$2" 'BEGIN { exit !(m <= x + 0.0005) }'; then
			pass "$n-$1"
		else
			fail "$n-$1" "${m:-no counter} per I/O, budget $2"
		fi
	done
}
# Hand-offs and MSI state do not depend on the DMA engine: only in the
# run of its own, not again as 66-dmaengine's or 66-edma's (costs_as).
if [ -n "${COSTS_PREFIX:-}" ]; then
	nepf_exit
fi
if NEPF_NULLB_OPTS="irqmode=0 submit_queues=4" check "$P-nullb-up" nepf_up backend=nullb size=1G queues=4 &&
   dev=$(wait_for_nvme 30); then
	sleep 2
	nullb_run read "$P-nullb"
	nullb_run write "$P-nullb-write"
else
	fail "$P-nullb-device"
fi
check "$P-nullb-down" nepf_down
nepf_exit
