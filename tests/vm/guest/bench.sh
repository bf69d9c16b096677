# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Benchmark engine (issues #7, #13), sourced by the `make bench` guest
# script (bench/run.sh) and by 65-bench-smoke.sh.  Not a test by itself (no
# NN- prefix).  Measures, on one null_blk device (not memory backed, 4
# submit queues, completing in queue_rq: irqmode 0, the fast backend both
# drivers are compared on), the same fio jobs against
#   raw       the null_blk device itself (the harness's ceiling)
#   nvme_epf  our function (bdev backend), 4 I/O queues
#   intree    nvmet-pci-epf on the same null_blk, 4 I/O queues (7.x only)
# each seen by the stock nvme driver through vepc.
#
# Per target (device brought up once per repetition):
#  - idle, in repetition 1 only: BENCH_IDLE_SETTLE s after the host probed
#    (steady state: nvmet-pci-epf spins for 5 s after its last command),
#    then BENCH_IDLE s of CPU ticks and context switches (wakeups);
#  - counts, in repetition 1 only: each job once for a fixed number of I/Os
#    (BENCH_COUNT_IOS, BENCH_COUNT_IOS_LARGE for >=128k blocks) with vepc's
#    statistics, kprobe and workqueue histograms (tracefs hist triggers,
#    aggregated in the kernel), and nvme_epf's own cost ledger when the
#    module has one; these runs are not timed;
#  - timed runs: every job for BENCH_RUNTIME s (time based, no ramp: CPU
#    per I/O is CPU over the run divided by fio's total I/Os).
# The order of the targets rotates between repetitions (rep 1: raw,
# nvme_epf, intree; rep 2: nvme_epf, intree, raw; ...) so that neither a
# load change on the shared machine nor a warm-up favours one target; the
# report pairs the targets' figures per repetition.  fio is never pinned
# (the in-tree driver's poller is a bound kworker on some vCPU: pinning a
# job there would starve it for one target only).
#
# Settings (environment): BENCH_RUNTIME (s per run, 10), BENCH_RAMP (s, 0),
# BENCH_REPS (5), BENCH_IDLE (s, 30), BENCH_IDLE_SETTLE (s, 10),
# BENCH_TARGETS ("raw nvme_epf intree"), BENCH_JOBS (all of bench_jobs),
# BENCH_COUNTS (1: count runs), BENCH_COUNT_IOS (256),
# BENCH_COUNT_IOS_LARGE (64).
#
# Output, one line per record, parsed by bench/report.py:
#   NEPF-BENCH-META key=value...
#   NEPF-BENCH-RUN target job rep busy_ticks kthread_ticks wall_ms fio-json-on-one-line
#   NEPF-BENCH-HOSTERR target job rep timeouts=N resets=N  (host nvme log lines during the run;
#                                             rep 0: the count run)
#   NEPF-BENCH-IDLE target secs busy_ticks kthread_ticks [settle=S context_switches=N]
#   NEPF-BENCH-COUNT target job ios wall_ms fio-json-on-one-line
#   NEPF-BENCH-VEPC target job key=delta...   (vepc statistics over the count run)
#   NEPF-BENCH-COSTS target job key=delta...  (nvme_epf's costs file when present; every counter)
#   NEPF-BENCH-HIST target job event { hist key } hitcount:N [len:N]
#   NEPF-BENCH-TRACE key=value...             (which probes could be placed)
#   NEPF-BENCH-PARAMS target name=value...    (the function module's parameters)
#   NEPF-BENCH-END elapsed_s=N fails=N         (guest time of bench_main)
#   NEPF-BENCH-SKIP target reason
#   NEPF-BENCH-FAIL target job rep reason
# busy_ticks: USER_HZ ticks of non-idle time over all CPUs (/proc/stat);
# kthread_ticks: utime+stime of all kernel threads (/proc/*/stat, PF_KTHREAD),
# i.e. the endpoint function's workers and pollers, vepc's DMA worker, ...

BENCH_NULLB=/sys/kernel/config/nullb/nepfbench
bench_jobs="rr4k-qd1 rr4k-qd32 rr4k-qd32x4 sr512k-qd32 rw4k-qd32x4"

bench_job_args() {
	case $1 in
	rr4k-qd1) echo "--rw=randread --bs=4k --iodepth=1 --numjobs=1" ;;
	rr4k-qd32) echo "--rw=randread --bs=4k --iodepth=32 --numjobs=1" ;;
	rr4k-qd32x4) echo "--rw=randread --bs=4k --iodepth=32 --numjobs=4" ;;
	sr512k-qd32) echo "--rw=read --bs=512k --iodepth=32 --numjobs=1" ;;
	rw4k-qd32x4) echo "--rw=randwrite --bs=4k --iodepth=32 --numjobs=4" ;;
	*) return 1 ;;
	esac
}

# A 4 GiB null_blk without memory backing (reads return nothing, writes
# are dropped: the device costs no memory and little CPU).
bench_nullb_up() {
	local i
	modprobe null_blk nr_devices=0 && mkdir "$BENCH_NULLB" &&
	echo 4096 > "$BENCH_NULLB/size" &&
	echo 512 > "$BENCH_NULLB/blocksize" &&
	echo 4 > "$BENCH_NULLB/submit_queues" &&
	echo 0 > "$BENCH_NULLB/irqmode" &&
	echo 1 > "$BENCH_NULLB/power" || return 1
	for ((i = 0; i < 50; i++)); do
		for BENCH_NULLB_DEV in /dev/nepfbench "/dev/nullb$(cat "$BENCH_NULLB/index")"; do
			[ -b "$BENCH_NULLB_DEV" ] && return 0
		done
		sleep 0.1
	done
	return 1
}

bench_nullb_down() {
	[ -d "$BENCH_NULLB" ] || return 0
	echo 0 > "$BENCH_NULLB/power"
	rmdir "$BENCH_NULLB" && modprobe -r null_blk
}

BENCH_PEU_FILE=/sys/module/nvme_epf/parameters/poll_exec_us
# Bring TARGET up on the null_blk; sets BENCH_DEV.
bench_up() {
	case $1 in
	raw) BENCH_DEV=$BENCH_NULLB_DEV ;;
	nvme_epf)
		# A lone command runs on the poll thread only while its
		# namespace's commands take less than poll_exec_us (50 us: a
		# board's, by the model ~26 us).  Every command takes longer
		# under TCG, so the default would switch the rule off here and
		# the counts would not be a board's: the bench lifts the bound
		# (recorded with the module parameters) and counts the rule.
		BENCH_PEU=$(cat "$BENCH_PEU_FILE")
		echo 1000000 > "$BENCH_PEU_FILE"
		nepf_up backend=bdev dev="$BENCH_NULLB_DEV" queues=4 model="nvme-epf bench" &&
			BENCH_DEV=$(wait_for_nvme 30) ;;
	intree)
		intree_nvmet_up "$BENCH_NULLB_DEV" 4 && BENCH_DEV=$(wait_for_nvme 30) ;;
	esac
}

bench_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		ls /dev/nvme[0-9]* > /dev/null 2>&1 || return 0
		sleep 0.1
	done
	return 1
}

bench_down() {
	case $1 in
	raw) return 0 ;;
	nvme_epf)
		[ -z "${BENCH_PEU:-}" ] || echo "$BENCH_PEU" > "$BENCH_PEU_FILE"
		nepf_down && bench_gone ;;
	intree) intree_nvmet_down && bench_gone ;;
	esac
}

# "busy kthread" ticks so far.
bench_cpu() {
	local busy kthr=0 f stat rest flags ut st
	busy=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	for f in /proc/[0-9]*/stat; do
		read -r stat 2>/dev/null < "$f" || continue
		rest=${stat##*) }
		# fields after "pid (comm) ": state ppid pgrp session tty tpgid flags
		# minflt cminflt majflt cmajflt utime stime
		set -- $rest
		flags=$7 ut=${12} st=${13}
		(( flags & 0x200000 )) && kthr=$((kthr + ut + st))
	done
	echo "$busy $kthr"
}

# Context switches of all CPUs so far (/proc/stat ctxt: monotonic, unlike
# a sum over threads, which drops when a thread exits).  Idle, with no
# user task running, they are the wakeups of kernel threads: pollers,
# kworkers, timers.
bench_ctxt() {
	awk '$1 == "ctxt" { print $2 }' /proc/stat
}

# Host nvme driver's timeout and reset lines in the kernel log so far.
bench_hosterr() {
	local log
	log=$(dmesg 2>/dev/null)
	echo "$(grep -cE 'nvme nvme[0-9]+: .*timeout' <<< "$log")" \
		"$(grep -cE 'nvme nvme[0-9]+: .*([Rr]esetting controller|reset controller)' <<< "$log")"
}

# fio's arguments for one JOB on BENCH_DEV (no blanks in any of them).
bench_fio_args() {
	local args
	args=$(bench_job_args "$1") || return 1
	echo "--name=$1 --filename=$BENCH_DEV --ioengine=libaio --direct=1" \
		"--group_reporting --percentile_list=50:99 --output-format=json $args"
}

bench_run() {
	local target=$1 job=$2 rep=$3 c0 c1 t0 t1 out=/tmp/bench.json rc e0 e1
	bench_job_args "$job" > /dev/null || return 1
	c0=$(bench_cpu)
	e0=$(bench_hosterr)
	t0=$(date +%s%N)
	# shellcheck disable=SC2046
	timeout -k 10 $((BENCH_RUNTIME + BENCH_RAMP + 120)) fio $(bench_fio_args "$job") \
		--time_based --runtime="$BENCH_RUNTIME" --ramp_time="$BENCH_RAMP" \
		> "$out" 2> /tmp/bench.err
	rc=$?
	t1=$(date +%s%N)
	c1=$(bench_cpu)
	e1=$(bench_hosterr)
	set -- $e0 $e1
	echo "NEPF-BENCH-HOSTERR $target $job $rep timeouts=$(($3 - $1)) resets=$(($4 - $2))"
	if [ $rc -ne 0 ]; then
		echo "NEPF-BENCH-FAIL $target $job $rep fio-exit-$rc $(tail -n 1 /tmp/bench.err)"
		return 1
	fi
	set -- $c0 $c1
	echo "NEPF-BENCH-RUN $target $job $rep $(($3 - $1)) $(($4 - $2))" \
		"$(((t1 - t0) / 1000000)) $(tr -d '\n\t' < "$out")"
}

bench_idle() {
	local target=$1 c0 c1 s0 s1
	sleep "$BENCH_IDLE_SETTLE"
	c0=$(bench_cpu)
	s0=$(bench_ctxt)
	sleep "$BENCH_IDLE"
	c1=$(bench_cpu)
	s1=$(bench_ctxt)
	set -- $c0 $c1
	echo "NEPF-BENCH-IDLE $target $BENCH_IDLE $(($3 - $1)) $(($4 - $2))" \
		"settle=$BENCH_IDLE_SETTLE context_switches=$((s1 - s0))"
}

# --- counts (issue #13): what each driver asks of the EPC per I/O --------

BENCH_TRACE=/sys/kernel/tracing
BENCH_VEPC_STATS=/sys/kernel/debug/vepc/stats
# nvme_epf's own cost ledger (per-CPU counters in the module, debugfs
# nvme_epf/<fn>/costs, "name value" lines, "_max" ones the largest per
# command; docs/costs.md): read before and after each count run when the
# module has it, so no reset is needed; the deltas of every counter are
# reported next to the driver-agnostic counts.  Absent: no
# NEPF-BENCH-COSTS record.
bench_costs_snapshot() {
	local f
	for f in /sys/kernel/debug/nvme_epf/*/costs; do
		[ -r "$f" ] && cat "$f"
	done 2>/dev/null | awk '$2 ~ /^[0-9]+$/ {
		if ($1 ~ /_max$/) { if ($2 > a[$1]) a[$1] = $2 } else a[$1] += $2
	} END { for (k in a) print k, a[k] }'
}

# "key=delta ..." of the numeric "name value" lines of two snapshots (a
# "_max" counter, the largest value seen, is given as it is at the end);
# only those that moved, unless the third argument is "all".
bench_kv_delta() {
	awk -v all="${3:-}" 'FNR == NR { a[$1] = $2; next }
	     $2 ~ /^-?[0-9]+$/ { d = $1 ~ /_max$/ ? $2 : $2 - a[$1]
		if (d != 0 || all == "all") printf " %s=%s", $1, d }' "$1" "$2"
}

bench_sym() {
	local s
	for s in "$@"; do
		grep -qE " [tTwW] $s\$" /proc/kallsyms && { echo "$s"; return 0; }
	done
	return 1
}

# Place the kprobes once; prints NEPF-BENCH-TRACE with what was placed.
# Event -> hist trigger, in BENCH_HISTS ("group/event|trigger" lines).
BENCH_HISTS=""
bench_trace_init() {
	local t=$BENCH_TRACE fromio toio stack name def hist placed="" missing=""
	[ -e "$t/kprobe_events" ] || mount -t tracefs nodev "$t" 2>/dev/null
	if [ ! -w "$t/kprobe_events" ]; then
		echo "NEPF-BENCH-TRACE none=no-tracefs-kprobe_events"
		return 1
	fi
	echo 0 > "$t/tracing_on"	# hist triggers need no ring buffer
	fromio=$(bench_sym memcpy_fromio __memcpy_fromio) || fromio=""
	toio=$(bench_sym memcpy_toio __memcpy_toio) || toio=""
	# dmalen: each descriptor's length, the first entry's sg_dma_len()
	# (dma_length at +24 with CONFIG_NEED_SG_DMA_LENGTH, else length at
	# +12); the report uses whichever field sums to vepc's DMA bytes.
	# Who does a copy, a map, a DMA: keyed by kernel stack, so the poller's
	# share is its function in the stack (its thread may have run before
	# the trigger was set: a pid would not be known).  The key is
	# common_stacktrace on newer kernels, stacktrace on older ones.
	stack=$(bench_stack_key) || stack=common_pid.execname
	# name|probe definition (arm64 arguments: x0..x7)|hist keys and values
	while IFS='|' read -r name def hist; do
		[ -n "$name" ] || continue
		case $def in " "*) missing="$missing $name"; continue ;; esac
		if bench_probe "$name" "$def"; then
			placed="$placed,$name"
			BENCH_HISTS="$BENCH_HISTS
nepfb/$name|hist:keys=$hist"
		else
			missing="$missing $name"
		fi
	done <<EOF
fromio|$fromio len=%x2:u64|$stack,len:vals=hitcount
toio|$toio len=%x2:u64|common_pid.execname,len:vals=hitcount
memalloc|pci_epc_mem_alloc_addr len=%x2:u64|$stack:vals=hitcount,len
memfree|pci_epc_mem_free_addr|common_pid.execname:vals=hitcount
map|pci_epc_map_addr len=%x5:u64|$stack:vals=hitcount,len
unmap|pci_epc_unmap_addr|common_pid.execname:vals=hitcount
raise|pci_epc_raise_irq type=%x3:u32|common_pid.execname,type:vals=hitcount
getmsix|pci_epc_get_msix|$stack:vals=hitcount
getmsi|pci_epc_get_msi|$stack:vals=hitcount
getfeat|pci_epc_get_features|common_pid.execname:vals=hitcount
dmaprep|vepc:vepc_prep_slave_sg dir=%x3:u32|$stack,dir:vals=hitcount
dmalen|vepc:vepc_prep_slave_sg dir=%x3:u32 len24=+24(%x1):u32 len12=+12(%x1):u32|dir,len24,len12:vals=hitcount
EOF
	if [ -e "$t/events/workqueue/workqueue_execute_start/trigger" ]; then
		placed="$placed,workqueue"
		BENCH_HISTS="$BENCH_HISTS
workqueue/workqueue_execute_start|hist:keys=common_pid.execname,function.sym:vals=hitcount"
	else
		missing="$missing workqueue"
	fi
	echo "NEPF-BENCH-TRACE placed=${placed#,} missing=$(echo $missing | tr ' ' ,)" \
		"fromio=${fromio:-none} toio=${toio:-none} attribution=$stack"
}

# bench_probe NAME "SYMBOL ARGS": a kprobe event nepfb/NAME on SYMBOL; when
# the name is refused (7.x refuses names that are not unique in kallsyms),
# on each of its addresses, then as an fprobe event (ARGS as $argN).  The
# reason of a failure goes to the console from tracefs' error_log.
bench_probe() {
	local name=$1 sym=${2%% *} args=${2#* } a fargs
	[ "$args" != "$2" ] || args=""
	echo "p:nepfb/$name $sym $args" >> "$BENCH_TRACE/kprobe_events" 2>/dev/null && return 0
	for a in $(awk -v s="$sym" '$3 == s && $2 ~ /^[tT]$/ { print $1 }' /proc/kallsyms); do
		echo "p:nepfb/$name 0x$a $args" >> "$BENCH_TRACE/kprobe_events" 2>/dev/null &&
			return 0
	done
	fargs=$(echo "$args" | awk '{ for (i = 1; i <= NF; i++) { if (match($i, /%x[0-7]/)) {
		n = substr($i, RSTART + 2, 1) + 1; sub(/%x[0-7]/, "$arg" n, $i) } } print }')
	echo "f:nepfb/$name $sym $fargs" >> "$BENCH_TRACE/dynamic_events" 2>/dev/null && return 0
	echo "NEPF-BENCH-TRACE-ERR $name: $(tail -n 2 "$BENCH_TRACE/error_log" 2>/dev/null | tr '\n' ' ')"
	return 1
}

# The hist key name of the kernel stack that this kernel accepts.
bench_stack_key() {
	local k trig=$BENCH_TRACE/events/workqueue/workqueue_execute_start/trigger
	for k in common_stacktrace stacktrace; do
		if echo "hist:keys=$k" >> "$trig" 2>/dev/null; then
			echo "!hist:keys=$k" >> "$trig"
			echo "$k"
			return 0
		fi
	done
	return 1
}

bench_trace_exit() {
	local f=$BENCH_TRACE/dynamic_events e
	[ -w "$f" ] || f=$BENCH_TRACE/kprobe_events
	[ -w "$f" ] || return 0
	grep -o 'nepfb/[a-z]*' "$f" 2>/dev/null | sort -u | while read -r e; do
		echo "-:$e" >> "$f"
	done
}

# bench_hists on|off|dump TARGET JOB
bench_hists() {
	local op=$1 ev trig
	while IFS='|' read -r ev trig; do
		[ -n "$ev" ] || continue
		case $op in
		on) echo "$trig" >> "$BENCH_TRACE/events/$ev/trigger" ;;
		off) echo "!$trig" >> "$BENCH_TRACE/events/$ev/trigger" ;;
		dump)
			# one line per entry (a stack key spans several)
			awk '/^\{/ { e = "" } /^\{/ || e != "" { e = e " " $0 }
			     e != "" && /\}/ { print e; e = "" }' "$BENCH_TRACE/events/$ev/hist" |
				tr -s ' \t' ' ' | sed "s|^ *|NEPF-BENCH-HIST $2 $3 ${ev#*/} |" ;;
		esac
	done <<< "$BENCH_HISTS"
}

# One count run: JOB for a fixed number of I/Os, with every counter on.
bench_count() {
	local target=$1 job=$2 args bs nj n t0 t1 out=/tmp/bench-count.json rc c0 e0 e1
	args=$(bench_job_args "$job") || return 1
	bs=${args#*--bs=}
	bs=${bs%%k*}
	nj=${args#*--numjobs=}
	nj=${nj%% *}
	n=$BENCH_COUNT_IOS
	[ "$bs" -ge 128 ] && n=$BENCH_COUNT_IOS_LARGE
	cat "$BENCH_VEPC_STATS" > /tmp/bench-v0 2>/dev/null
	bench_costs_snapshot > /tmp/bench-c0
	[ -z "$BENCH_HISTS" ] || bench_hists on
	e0=$(bench_hosterr)
	t0=$(date +%s%N)
	# io_size is per job: every job does n / numjobs I/Os, then stops
	# shellcheck disable=SC2046
	timeout -k 10 600 fio $(bench_fio_args "$job") --io_size=$((n / nj * bs))k \
		> "$out" 2> /tmp/bench.err
	rc=$?
	t1=$(date +%s%N)
	e1=$(bench_hosterr)
	set -- $e0 $e1
	echo "NEPF-BENCH-HOSTERR $target $job 0 timeouts=$(($3 - $1)) resets=$(($4 - $2))"
	if [ -n "$BENCH_HISTS" ]; then
		bench_hists dump "$target" "$job"
		bench_hists off
	fi
	cat "$BENCH_VEPC_STATS" > /tmp/bench-v1 2>/dev/null
	bench_costs_snapshot > /tmp/bench-c1
	if [ $rc -ne 0 ]; then
		echo "NEPF-BENCH-FAIL $target $job count fio-exit-$rc $(tail -n 1 /tmp/bench.err)"
		return 1
	fi
	echo "NEPF-BENCH-VEPC $target $job$(bench_kv_delta /tmp/bench-v0 /tmp/bench-v1)"
	c0=$(bench_kv_delta /tmp/bench-c0 /tmp/bench-c1 all)
	[ ! -s /tmp/bench-c1 ] || echo "NEPF-BENCH-COSTS $target $job$c0"
	echo "NEPF-BENCH-COUNT $target $job $n $(((t1 - t0) / 1000000)) $(tr -d '\n\t' < "$out")"
}

# The function driver's module parameters (what the projection needs to
# know of a run, e.g. nvme_epf's dma_spin_us), one record per target.
bench_params() {
	local m f kv=""
	case $1 in
	nvme_epf) m=nvme_epf ;;
	intree) m=nvmet_pci_epf ;;
	*) return 0 ;;
	esac
	for f in /sys/module/$m/parameters/*; do
		[ -r "$f" ] || continue
		kv="$kv ${f##*/}=$(tr -d ' \n' < "$f" 2>/dev/null)"
	done
	echo "NEPF-BENCH-PARAMS $1$kv"
}

# TARGETS rotated left by N.
bench_rotate() {
	local n=$1
	shift
	local a=("$@") i
	for ((i = 0; i < ${#a[@]}; i++)); do
		echo -n "${a[(i + n) % ${#a[@]}]} "
	done
}

# Run everything; returns non-zero if any run failed.
bench_main() {
	: "${BENCH_RUNTIME:=10}" "${BENCH_RAMP:=0}" "${BENCH_REPS:=5}" "${BENCH_IDLE:=30}"
	: "${BENCH_IDLE_SETTLE:=10}" "${BENCH_COUNTS:=1}"
	: "${BENCH_COUNT_IOS:=256}" "${BENCH_COUNT_IOS_LARGE:=64}"
	: "${BENCH_TARGETS:=raw nvme_epf intree}" "${BENCH_JOBS:=$bench_jobs}"
	local targets="" t rep job fails=0 io_timeout order start=$SECONDS
	for t in $BENCH_TARGETS; do
		case $t in
		intree)
			if ! intree_has nvmet-pci-epf; then
				echo "NEPF-BENCH-SKIP intree no nvmet-pci-epf for this kernel"
				continue
			fi
			pci_ep_cfs_load nvmet_pci_epf || { echo "NEPF-BENCH-SKIP intree pci-ep-cfs"; continue; }
			;;
		esac
		targets="$targets $t"
	done
	echo "NEPF-BENCH-META kernel=$(uname -r) cpus=$(nproc) runtime=$BENCH_RUNTIME" \
		"ramp=$BENCH_RAMP reps=$BENCH_REPS idle=$BENCH_IDLE idle_settle=$BENCH_IDLE_SETTLE" \
		"user_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)" \
		"counts=$BENCH_COUNTS count_ios=$BENCH_COUNT_IOS count_ios_large=$BENCH_COUNT_IOS_LARGE" \
		"fio=$(fio --version) targets=$(echo $targets | tr ' ' ,) jobs=$(echo $BENCH_JOBS | tr ' ' ,)"
	[ "$BENCH_COUNTS" = 1 ] && bench_trace_init
	# The host's queues get nvme_core's io_timeout at probe: 60 s for
	# every target (large transfers of a slow target under TCG must not
	# end in aborts and resets).
	io_timeout=$(cat /sys/module/nvme_core/parameters/io_timeout)
	echo 60 > /sys/module/nvme_core/parameters/io_timeout
	bench_nullb_up || { echo "NEPF-BENCH-FAIL all - - null_blk"; return 1; }
	for ((rep = 1; rep <= BENCH_REPS; rep++)); do
		# shellcheck disable=SC2086
		order=$(bench_rotate $((rep - 1)) $targets)
		echo "NEPF-BENCH-ORDER $rep $order"
		for t in $order; do
			if ! bench_up "$t"; then
				echo "NEPF-BENCH-FAIL $t - $rep setup"
				bench_down "$t"
				fails=$((fails + 1))
				continue
			fi
			[ "$rep" = 1 ] && bench_params "$t"
			[ "$rep" = 1 ] && [ "$BENCH_IDLE" -gt 0 ] && bench_idle "$t"
			if [ "$rep" = 1 ] && [ "$BENCH_COUNTS" = 1 ] && [ "$t" != raw ]; then
				for job in $BENCH_JOBS; do
					bench_count "$t" "$job" || fails=$((fails + 1))
				done
			fi
			for job in $BENCH_JOBS; do
				bench_run "$t" "$job" "$rep" || fails=$((fails + 1))
			done
			bench_down "$t" || { echo "NEPF-BENCH-FAIL $t - $rep teardown"; fails=$((fails + 1)); }
		done
	done
	bench_nullb_down
	bench_trace_exit
	echo "$io_timeout" > /sys/module/nvme_core/parameters/io_timeout
	case " $targets " in *" intree "*) modprobe -r pci-ep-cfs ;; esac
	echo "NEPF-BENCH-END elapsed_s=$((SECONDS - start)) fails=$fails"
	[ "$fails" = 0 ]
}
