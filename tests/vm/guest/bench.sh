# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Benchmark engine (issue #7), sourced by the `make bench` guest script
# (bench/run.sh) and by 65-bench-smoke.sh.  Not a test by itself (no NN-
# prefix).  Measures, on one null_blk device (not memory backed, 4 submit
# queues), the same fio jobs against
#   raw       the null_blk device itself (the harness's ceiling)
#   nvme_epf  our function (bdev backend on the null_blk), 4 I/O queues
#   intree    nvmet-pci-epf on the same null_blk, 4 I/O queues (7.x only)
# each seen by the stock nvme driver through vepc.  Repetitions interleave
# the targets (rep 1: raw, nvme_epf, intree; rep 2: ...) so that a load
# change on the shared machine hits all three alike.
#
# Settings (environment): BENCH_RUNTIME (s per run, 10), BENCH_RAMP (s, 2),
# BENCH_REPS (3), BENCH_IDLE (s of idle measurement per target, 30),
# BENCH_TARGETS ("raw nvme_epf intree"), BENCH_JOBS (all of bench_jobs).
#
# Output, one line per record, parsed by bench/report.py:
#   NEPF-BENCH-META key=value...
#   NEPF-BENCH-RUN target job rep busy_ticks kthread_ticks wall_ms fio-json-on-one-line
#   NEPF-BENCH-IDLE target secs busy_ticks kthread_ticks
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

# Bring TARGET up on the null_blk; sets BENCH_DEV.
bench_up() {
	case $1 in
	raw) BENCH_DEV=$BENCH_NULLB_DEV ;;
	nvme_epf)
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
	nvme_epf) nepf_down && bench_gone ;;
	intree) intree_nvmet_down && bench_gone ;;
	esac
}

# "busy kthread" ticks so far.
bench_cpu() {
	local busy kthr=0 f stat rest flags ut st
	busy=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	for f in /proc/[0-9]*/stat; do
		read -r stat < "$f" 2>/dev/null || continue
		rest=${stat##*) }
		# fields after "pid (comm) ": state ppid pgrp session tty tpgid flags
		# minflt cminflt majflt cmajflt utime stime
		set -- $rest
		flags=$7 ut=${12} st=${13}
		(( flags & 0x200000 )) && kthr=$((kthr + ut + st))
	done
	echo "$busy $kthr"
}

bench_run() {
	local target=$1 job=$2 rep=$3 args c0 c1 t0 t1 out=/tmp/bench.json rc
	args=$(bench_job_args "$job") || return 1
	local pin=""
	case $args in *numjobs=4*) pin="--cpus_allowed=0-3 --cpus_allowed_policy=split" ;; esac
	c0=$(bench_cpu)
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	timeout -k 10 $((BENCH_RUNTIME + BENCH_RAMP + 120)) fio --name="$job" \
		--filename="$BENCH_DEV" --ioengine=libaio --direct=1 --time_based \
		--runtime="$BENCH_RUNTIME" --ramp_time="$BENCH_RAMP" --group_reporting \
		--percentile_list=50:99 --output-format=json $args $pin > "$out" 2> /tmp/bench.err
	rc=$?
	t1=$(date +%s%N)
	c1=$(bench_cpu)
	if [ $rc -ne 0 ]; then
		echo "NEPF-BENCH-FAIL $target $job $rep fio-exit-$rc $(tail -n 1 /tmp/bench.err)"
		return 1
	fi
	set -- $c0 $c1
	echo "NEPF-BENCH-RUN $target $job $rep $(($3 - $1)) $(($4 - $2))" \
		"$(((t1 - t0) / 1000000)) $(tr -d '\n\t' < "$out")"
}

bench_idle() {
	local target=$1 c0 c1
	c0=$(bench_cpu)
	sleep "$BENCH_IDLE"
	c1=$(bench_cpu)
	set -- $c0 $c1
	echo "NEPF-BENCH-IDLE $target $BENCH_IDLE $(($3 - $1)) $(($4 - $2))"
}

# Run everything; returns non-zero if any run failed.
bench_main() {
	: "${BENCH_RUNTIME:=10}" "${BENCH_RAMP:=2}" "${BENCH_REPS:=3}" "${BENCH_IDLE:=30}"
	: "${BENCH_TARGETS:=raw nvme_epf intree}" "${BENCH_JOBS:=$bench_jobs}"
	local targets="" t rep job fails=0 io_timeout
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
		"ramp=$BENCH_RAMP reps=$BENCH_REPS idle=$BENCH_IDLE user_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)" \
		"fio=$(fio --version) targets=$(echo $targets | tr ' ' ,) jobs=$(echo $BENCH_JOBS | tr ' ' ,)"
	# The host's queues get nvme_core's io_timeout at probe: 60 s for
	# every target (large transfers of a slow target under TCG must not
	# end in aborts and resets).
	io_timeout=$(cat /sys/module/nvme_core/parameters/io_timeout)
	echo 60 > /sys/module/nvme_core/parameters/io_timeout
	bench_nullb_up || { echo "NEPF-BENCH-FAIL all - - null_blk"; return 1; }
	for ((rep = 1; rep <= BENCH_REPS; rep++)); do
		for t in $targets; do
			if ! bench_up "$t"; then
				echo "NEPF-BENCH-FAIL $t - $rep setup"
				bench_down "$t"
				fails=$((fails + 1))
				continue
			fi
			[ "$rep" = 1 ] && [ "$BENCH_IDLE" -gt 0 ] && bench_idle "$t"
			for job in $BENCH_JOBS; do
				bench_run "$t" "$job" "$rep" || fails=$((fails + 1))
			done
			bench_down "$t" || { echo "NEPF-BENCH-FAIL $t - $rep teardown"; fails=$((fails + 1)); }
		done
	done
	bench_nullb_down
	echo "$io_timeout" > /sys/module/nvme_core/parameters/io_timeout
	case " $targets " in *" intree "*) modprobe -r pci-ep-cfs ;; esac
	[ "$fails" = 0 ]
}
