#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where the function polls, and what it costs idle (issue 14, "Polling"):
#   poll-start-cpu       poll_cpu written before start binds the poll
#                        thread nvme_epf/<fn> at start (Cpus_allowed_list)
#   poll-cpu-live        written while started: the thread moves at once
#   poll-cpu-any         -1: back to every CPU
#   poll-cpu-errno       a CPU that does not exist: ERANGE; junk: EINVAL
#   poll-cpu-offline     (with CPU hotplug) an offline CPU: EINVAL; the bound
#                        CPU going offline leaves the function serving
#   poll-wq-cpumask      the command workqueue's sysfs cpumask (WQ_SYSFS,
#                        unbound) takes a mask and fio verify passes on it
#   poll-idle-wakeups    idle (5 s after the last command), the poll thread
#                        switches at most IDLE_MAX times a second (the
#                        schedule gives 20: poll-sched.c), and the register
#                        poll (cc_polls in the ledger) runs at most
#                        CC_IDLE_MAX times in 10 s (the backstop: 1 s)
#   poll-idle-cpu        and runs less than IDLE_CPU_MAX % of one CPU then
#                        (its time on CPU from /proc/PID/schedstat, in ns).
#                        Issue 14's target is 0.5 % on a board; a wakeup
#                        costs about 30-50 us of guest time under TCG on a
#                        loaded host (0.51 % at 16/s measured once), so
#                        the bound here is 1 %: the 50-62 wakeups/s of
#                        before would be 2-3 %, a busy poller 100 %
# Before this change the figures were about 50-62 wakeups/s (16 ms deep
# sleeps) and 200 register polls in 10 s (every 50 ms).
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

IDLE_MAX=30
CC_IDLE_MAX=15
IDLE_CPU_MAX=1
if [ ! -d /sys/module/nvme_epf ]; then
	skip poll "nvme_epf.ko not loaded"
	exit 0
fi
F=$NEPF_CFS/functions/$NEPF_FN
D=/sys/kernel/debug/nvme_epf/$NEPF_FN
WQ=/sys/devices/virtual/workqueue/nvme_epf_$NEPF_FN
LAST=$(( $(nproc --all) - 1 ))

# The poll thread's pid (its name is cut to 15 characters, TASK_COMM_LEN).
poll_pid() {
	local want="nvme_epf/$NEPF_FN" p
	want=${want:0:15}
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$want" ] && { echo "${p#/proc/}"; return 0; }
	done
	return 1
}
allowed() { sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$1/status"; }
switches() {
	awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }' "/proc/$1/status"
}
# Time on CPU in ns (schedstat's first field; 0 without CONFIG_SCHED_INFO).
oncpu_ns() { awk '{ print $1 + 0 }' "/proc/$1/schedstat" 2>/dev/null || echo 0; }
cost_of() { awk -v k="$1" '$1 == k { print $2 }' "$D/costs"; }
# expect_allowed NAME PID LIST: the thread may run on LIST only
expect_allowed() {
	local a
	a=$(allowed "$2")
	if [ "$a" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "Cpus_allowed_list '$a', want '$3'"
	fi
}
# write_fails NAME FILE VALUE ERRTEXT: the write fails with that error
write_fails() {
	local err
	if echo "$3" 2>/tmp/poll.err > "$2"; then
		fail "$1" "writing '$3' to $2 succeeded"
		return
	fi
	err=$(cat /tmp/poll.err)
	if grep -q "$4" <<< "$err"; then
		pass "$1"
	else
		fail "$1" "writing '$3': '$err', want '$4'"
	fi
}

if [ "$LAST" -lt 1 ]; then
	skip poll "one CPU only"
	exit 0
fi
dmesg_mark
if ! nepf_up queues=4 size=256M start=0; then
	fail poll-up
	nepf_down
	nepf_exit
fi
check poll-default [ "$(cat "$F/poll_cpu")" = -1 ]
nepf_set "$F/poll_cpu" "$LAST" && nepf_set "$F/start" 1
if ! DEV=$(wait_for_nvme 30); then
	fail poll-up "no namespace"
	host_dump 2>&1 | indent
	nepf_down
	nepf_exit
fi
pid=$(poll_pid) || { fail poll-pid "no thread nvme_epf/$NEPF_FN"; nepf_down; nepf_exit; }
expect_allowed poll-start-cpu "$pid" "$LAST"
nepf_set "$F/poll_cpu" 0
expect_allowed poll-cpu-live "$pid" 0
nepf_set "$F/poll_cpu" -1
expect_allowed poll-cpu-any "$pid" "$(cat /sys/devices/system/cpu/possible)"
write_fails poll-cpu-errno "$F/poll_cpu" 4096 "out of range"
write_fails poll-cpu-errno-neg "$F/poll_cpu" -2 "out of range"
write_fails poll-cpu-errno-junk "$F/poll_cpu" cpu1 "Invalid argument"
check poll-cpu-unchanged [ "$(cat "$F/poll_cpu")" = -1 ]

# CPU hotplug, where the guest kernel can take a CPU offline.
HP=/sys/devices/system/cpu/cpu$LAST/online
if [ -w "$HP" ] && echo 0 > "$HP" 2>/dev/null; then
	write_fails poll-cpu-offline "$F/poll_cpu" "$LAST" "Invalid argument"
	echo 1 > "$HP"
	nepf_set "$F/poll_cpu" "$LAST"
	echo 0 > "$HP"
	a=$(allowed "$pid")
	fio_ok poll-cpu-offline-fio "$DEV"
	echo 1 > "$HP"
	echo "after cpu$LAST went offline: Cpus_allowed_list $a" | indent
	nepf_set "$F/poll_cpu" "$LAST"
	expect_allowed poll-cpu-rebind "$pid" "$LAST"
	nepf_set "$F/poll_cpu" -1
else
	skip poll-cpu-offline "no CPU hotplug for cpu$LAST"
fi

if grep -q Y /sys/module/nvme_epf/parameters/cmd_wq_unbound 2>/dev/null; then
	if [ -w "$WQ/cpumask" ]; then
		old=$(cat "$WQ/cpumask")
		if echo 1 > "$WQ/cpumask" && [ "$(( 16#$(tr -d ',' < "$WQ/cpumask") ))" = 1 ]; then
			fio_ok poll-wq-cpumask "$DEV"
		else
			fail poll-wq-cpumask "cannot set $WQ/cpumask to 1 (was $old)"
		fi
		echo "$old" > "$WQ/cpumask"
	else
		fail poll-wq-cpumask "no writable $WQ/cpumask"
		printf "%s\n" /sys/devices/virtual/workqueue/* | indent
	fi
else
	check poll-wq-sysfs [ -d "$WQ" ]
	skip poll-wq-cpumask "cmd_wq_unbound=0: a per-CPU workqueue has no cpumask"
fi

# Idle: past the deep idle ramp (deep_idle_sleep_ms doubling every second).
fio_ok poll-fio "$DEV"
sleep 5
echo 0 > "$D/costs" 2>/dev/null
s0=$(switches "$pid")
n0=$(oncpu_ns "$pid")
t0=$(uptime_s)
sleep 10
s1=$(switches "$pid")
n1=$(oncpu_ns "$pid")
el=$(secs_since "$t0")
cc=$(cost_of cc_polls)
rate=$(awk -v a="$s0" -v b="$s1" -v t="$el" 'BEGIN { printf "%.1f", (b - a) / t }')
cpu=$(awk -v a="$n0" -v b="$n1" -v t="$el" 'BEGIN { printf "%.3f", (b - a) / (t * 1e7) }')
echo "idle ${el} s: poll thread $((s1 - s0)) switches ($rate/s), $cpu % of a CPU, register polls ${cc:-?}" | indent
if awk -v r="$rate" -v m="$IDLE_MAX" 'BEGIN { exit !(r <= m) }'; then
	pass poll-idle-wakeups
else
	fail poll-idle-wakeups "$rate/s, bound $IDLE_MAX/s"
fi
if [ -n "$cc" ] && [ "$cc" -le "$CC_IDLE_MAX" ]; then
	pass poll-idle-cc-polls
else
	fail poll-idle-cc-polls "${cc:-no cc_polls in $D/costs} in ${el} s, bound $CC_IDLE_MAX"
fi
if [ "$n1" -gt 0 ] && awk -v c="$cpu" -v m="$IDLE_CPU_MAX" 'BEGIN { exit !(c < m) }'; then
	pass poll-idle-cpu
elif [ "$n1" -gt 0 ]; then
	fail poll-idle-cpu "$cpu % of a CPU, bound $IDLE_CPU_MAX %"
else
	skip poll-idle-cpu "no /proc/$pid/schedstat (CONFIG_SCHED_INFO)"
fi
# One I/O after idle: served (the first doorbell waits one sleep).
check poll-after-idle dd if="$DEV" of=/dev/null bs=4k count=1 iflag=direct
if dmesg_since_mark | grep -q 'unusable\|not in sysfs'; then
	fail poll-no-warning "kernel log:"
	dmesg_since_mark | grep 'unusable\|not in sysfs' | indent
else
	pass poll-no-warning
fi
nepf_down
nepf_exit
