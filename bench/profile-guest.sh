#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where does the time go?  Guest script for tests/vm/run.sh -s (bench/README
# and the results' notes): for nvme_epf and nvmet-pci-epf, one fio job
# (PROFILE_JOB, default rr4k-qd32) while sampling
#  - CPU time per kernel thread (top 12, /proc/*/task/*/stat),
#  - kernel stacks of the busiest threads (/proc/PID/stack, 20 samples),
#  - vepc's counters (debugfs stats) and interrupts.
#   tests/vm/run.sh sid -t none -s bench/profile-guest.sh
# nepf-vm: intree
. /nepf/guest/lib.sh
. /nepf/guest/bench.sh

job=${PROFILE_JOB:-rr4k-qd32}
secs=${PROFILE_SECS:-8}

# "pid ticks comm" of every kernel thread.
kthreads() {
	local f stat rest pid
	for f in /proc/[0-9]*/task/[0-9]*/stat; do
		read -r stat < "$f" 2>/dev/null || continue
		pid=${stat%% *}
		rest=${stat##*) }
		comm=${stat#*(}
		comm=${comm%)*}
		set -- $rest
		(( $7 & 0x200000 )) && echo "$pid $((${12} + ${13})) ${comm// /_}"
	done
}

profile() {
	local t=$1 i pid
	echo "NEPF-SHOW-BEGIN"
	echo "=== $t $job (${secs} s)"
	kthreads | sort -k1,1 > /tmp/k0
	cat /sys/kernel/debug/vepc/stats > /tmp/v0 2>/dev/null
	# shellcheck disable=SC2046
	fio --name="$job" --filename="$BENCH_DEV" --ioengine=libaio --direct=1 --time_based \
		--runtime="$secs" $(bench_job_args "$job") --output-format=terse > /tmp/fio.t 2>&1 &
	sleep 3
	kthreads | sort -k1,1 > /tmp/k1
	# Busiest threads over the first 3 s: sample their stacks.
	join /tmp/k0 /tmp/k1 | awk '{ print $4 - $2, $1, $3 }' | sort -rn | head -n 4 > /tmp/busy
	for ((i = 0; i < 20; i++)); do
		while read -r _ pid _; do
			head -n 6 "/proc/$pid/stack" 2>/dev/null | sed "s/^/$pid: /"
		done < /tmp/busy
		sleep 0.2
	done | sort | uniq -c | sort -rn | head -n 30
	wait
	kthreads | sort -k1,1 > /tmp/k2
	cat /sys/kernel/debug/vepc/stats > /tmp/v1 2>/dev/null
	echo "--- fio: $(awk -F';' '{ print "read IOPS " $8 ", write IOPS " $49 }' /tmp/fio.t)"
	echo "--- kernel threads, CPU ticks (1/100 s) during the run:"
	join /tmp/k0 /tmp/k2 | awk '{ d = $4 - $2; if (d > 0) print d, $1, $3 }' | sort -rn | head -n 12
	echo "--- vepc stats before / after:"
	paste /tmp/v0 /tmp/v1
	echo "NEPF-SHOW-END"
}

echo 60 > /sys/module/nvme_core/parameters/io_timeout
bench_nullb_up || exit 1
for t in nvme_epf intree; do
	if [ "$t" = intree ]; then
		intree_has nvmet-pci-epf || continue
		pci_ep_cfs_load nvmet_pci_epf || continue
	fi
	bench_up "$t" || { echo "setup of $t failed"; bench_down "$t"; continue; }
	profile "$t"
	bench_down "$t"
done
bench_nullb_down
