#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest script for measurements (not a test: it asserts nothing about speed).
#   tests/vm/run.sh trixie -t none -s tests/vm/measure/idle-fio.sh
# Prints, between the SHOW markers:
#  - idle CPU of the whole guest (all 4 vCPUs, /proc/stat deltas) over
#    IDLE_S seconds, first with nvme_epf loaded but no function, then with
#    a started function whose host driver is bound and idle; plus the CPU
#    time of the function's poll thread over the second window;
#  - fio 4k random read QD32 (1 job, then 4 jobs) on a null-backend
#    namespace, FIO_S seconds each, with the per-CPU and the unbound
#    command workqueue (cmd_wq_unbound=0/1), alternating, two rounds.
# In the loopback both ends share the guest's vCPUs, and the guest shares
# the host's cores with whatever else runs there: note the host load.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"
IDLE_S=${IDLE_S:-30}
FIO_S=${FIO_S:-15}

# "busy total" jiffies of all CPUs from /proc/stat (tick-sampled busy
# time: it misses a thread that wakes briefly between ticks), the uptime
# (s) and the poll thread's runtime in ns (/proc/PID/schedstat, exact).
# (/proc/uptime's idle column is not used: under TCG it went negative.)
sample() {
	local pid=$1
	awk '/^cpu /{ t = 0; for (i = 2; i <= NF; i++) t += $i;
		printf "%d %d ", t - $5 - $6, t }' /proc/stat
	printf '%s ' "$(cut -d' ' -f1 /proc/uptime)"
	if [ -n "$pid" ]; then cut -d' ' -f1 "/proc/$pid/schedstat"; else echo 0; fi
}

# idle_window LABEL SECONDS [PID]: one line of busy percentages
idle_window() {
	local label=$1 secs=$2 pid=${3:-} a b
	a=$(sample "$pid")
	sleep "$secs"
	b=$(sample "$pid")
	echo "$a $b" | awk -v l="$label" -v n="$(nproc)" '{
		printf "idle-cpu %s: wall %.1f s, busy %.2f %% of %d vCPUs (/proc/stat)",
			l, $7 - $3, 100 * ($5 - $1) / ($6 - $2), n
		if ($8 > 0) printf ", poll thread %.2f %% of one vCPU", 100 * ($8 - $4) / 1e9 / ($7 - $3)
		printf "\n" }'
}

# pid of the kernel thread named $1
thread_pid() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && { echo "${p#/proc/}"; return 0; }
	done
}

echo NEPF-SHOW-BEGIN
echo "kernel $(uname -r), $(nproc) vCPUs"
sleep 5
idle_window "no-function" "$IDLE_S"

nepf_up backend=null size=1G queues=4 || echo "nepf_up failed"
dev=$(wait_for_nvme 30)
sleep 5
idle_window "device-enabled" "$IDLE_S" "$(thread_pid "nvme_epf/$NEPF_FN")"

# fio_randread JOBS LABEL: one line of IOPS
fio_randread() {
	fio --name=m --filename="$dev" --ioengine=libaio --direct=1 \
		--rw=randread --bs=4k --iodepth=32 --numjobs="$1" \
		--time_based --runtime="$FIO_S" --group_reporting \
		--output-format=terse --terse-version=3 > /tmp/fio.out 2>&1
	# terse v3: 5 = error, 7 = read KiB/s, 8 = read IOPS, 16 = clat mean us
	awk -F';' -v j="$1" -v l="$2" '{ printf "fio randread 4k qd32 jobs=%d %s: %s IOPS, %s KiB/s, clat mean %.0f ms, err %s\n", j, l, $8, $7, $16 / 1000, $5 }' /tmp/fio.out
}

# The command workqueue (poll.c, cmd_wq_unbound, read at start) both ways,
# twice, alternating, so that both see the same load.
wq=/sys/module/nvme_epf/parameters/cmd_wq_unbound
for round in 1 2; do
	for unbound in 0 1; do
		nepf_down; sleep 1
		echo $unbound > $wq
		nepf_up backend=null size=1G queues=4 || echo "nepf_up failed"
		dev=$(wait_for_nvme 30) || break 2
		for jobs in 1 4; do
			fio_randread $jobs "cmd_wq_unbound=$unbound round $round"
		done
	done
done
dmesg | grep -cE 'WARNING|BUG:|timeout' | sed 's/^/dmesg warn+bug+timeout lines: /'
echo NEPF-SHOW-END
nepf_down
exit 0
