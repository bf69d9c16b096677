#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The board changes namespaces (configfs) while the host resets or
# removes the controller:
# - namespace 2 enabled and disabled in a loop during nvme resets (issue
#   16 item 6): the namespace-changed event is posted by the function's
#   poll thread, never from the configfs writer, so no completion reaches
#   the host after CSTS.RDY = 0 or with an old command id, and no CSTS.CFS;
#   then fio verify, 0 IOMMU refusals, and no stray completion or fatal
#   status in the kernel log;
# - the host driver unbound (nvme_remove: CC.SHN, the endpoint flushes
#   every namespace) while the board disables the namespace, a file with
#   buffered I/O (issue 16 item 1): the flush holds a reference the
#   disable waits for, never a closed backend; no oops, and the function
#   works afterwards.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

V=/sys/kernel/debug/vepc
if [ ! -d /sys/module/nvme_epf ] || [ ! -d "$V" ]; then
	skip ns-races "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$V/stats"; }
S=$NEPF_CFS/subsystems/$NEPF_SUB
N2=$S/namespaces/2
RESETS=${NS_RACE_RESETS:-20}
ROUNDS=${NS_RACE_ROUNDS:-10}

# Namespace 2 on and off as fast as configfs takes it, while /tmp/nsrun is.
toggle_ns2() {
	local n=0
	while [ -e /tmp/nsrun ]; do
		echo 1 > "$N2/enable" && echo 0 > "$N2/enable" && n=$((n + 1))
	done
	echo "$n" > /tmp/nsrun.count
}

# What the host logs for a completion it did not expect ("invalid id"),
# and a controller fatal status on either side.
stray_lines() {
	dmesg_since_mark |
		grep -E 'invalid id|controller fatal status|controller is down'
}

# Host nvme drivers before 6.12 (Debian's 6.1.176 and 5.10 among them)
# deadlock here, in the host alone: a namespace the scan work adds after
# the reset froze the queues is never frozen, so the reset's
# nvme_wait_freeze() waits for it forever (hung-task: nvme_reset_work in
# blk_mq_freeze_queue_wait, `nvme reset` in flush_work).  6.12's core.c
# refuses to add a namespace while NVME_CTRL_FROZEN is set.
host_scan_reset_safe() {
	local v maj min
	v=$(uname -r)
	maj=${v%%.*}
	min=${v#*.}
	min=${min%%[!0-9]*}
	[ "$maj" -gt 6 ] || { [ "$maj" = 6 ] && [ "$min" -ge 12 ]; }
}

# ---- namespace 2 toggled against nvme reset (item 6) ----
if ! host_scan_reset_safe; then
	for c in ns-reset-loop ns-reset-no-stray-completion ns-reset-no-refusals \
		ns-reset-fio-after; do
		skip $c "host nvme $(uname -r) deadlocks when a namespace appears during a reset (no NVME_CTRL_FROZEN check in nvme_alloc_ns)"
	done
elif up queues=2; then
	cname=$(basename "$(nvme_ctrl_of "$DEV")")
	mkdir "$N2" && nepf_set "$N2/backend" null &&
		nepf_set "$N2/size" $((32 << 20))
	r0=$(stat_of refusals)
	dmesg_mark
	touch /tmp/nsrun
	toggle_ns2 &
	tp=$!
	done_resets=0
	for ((i = 0; i < RESETS; i++)); do
		nvme reset "/dev/$cname" > /dev/null 2>&1 || break
		if ! wait_live "$cname" > /tmp/wait_live.log; then
			indent < /tmp/wait_live.log
			break
		fi
		done_resets=$((done_resets + 1))
		sleep "0.$((RANDOM % 4))"
	done
	rm -f /tmp/nsrun
	wait "$tp"
	echo "$done_resets resets, namespace 2 enabled and disabled $(cat /tmp/nsrun.count) times" | indent
	[ "$done_resets" = "$RESETS" ] && pass ns-reset-loop ||
		fail ns-reset-loop "$done_resets of $RESETS resets came back live"
	lines=$(stray_lines)
	[ -z "$lines" ] && pass ns-reset-no-stray-completion ||
		{ fail ns-reset-no-stray-completion; echo "$lines" | head -n 8 | indent; }
	r1=$(stat_of refusals)
	[ "$r1" = "$r0" ] && pass ns-reset-no-refusals ||
		fail ns-reset-no-refusals "refusals $r0 -> $r1"
	echo 0 > "$N2/enable"
	DEV=$(wait_for_nvme 30) && fio_ok ns-reset-fio-after "$DEV"
else
	fail ns-reset-up
fi
nepf_down

# ---- host shutdown (driver unbind) against the namespace's disable (item 1) ----
img=/tmp/ns-race.img
N1=$S/namespaces/1
dmesg_mark
rounds=0
for ((r = 0; r < ROUNDS; r++)); do
	truncate -s 64M "$img"
	if ! up queues=2 backend=file dev="$img" buffered_io=1; then
		fail ns-shutdown-up "round $r"
		break
	fi
	bdf=$(basename "$(readlink -f "/sys/class/nvme/$(basename "$(nvme_ctrl_of "$DEV")")/device")")
	# dirty pages in the endpoint's page cache for the shutdown to flush
	dd if=/dev/urandom of="$DEV" bs=1M count=8 oflag=direct status=none
	echo "$bdf" > /sys/bus/pci/drivers/nvme/unbind &
	hp=$!
	sleep "0.0$((RANDOM % 10))"
	echo 0 > "$N1/enable"
	wait "$hp" && rounds=$((rounds + 1))
	nepf_down
done
rm -f "$img"
[ "$rounds" = "$ROUNDS" ] && pass ns-shutdown-vs-disable ||
	fail ns-shutdown-vs-disable "$rounds of $ROUNDS rounds: unbind and disable both done"
lines=$(dmesg_since_mark | grep -E 'BUG|Oops|Unable to handle|general protection|WARNING:|use-after-free')
[ -z "$lines" ] && pass ns-shutdown-no-oops ||
	{ fail ns-shutdown-no-oops; echo "$lines" | head -n 8 | indent; }
if up queues=2; then
	fio_ok ns-shutdown-fio-after "$DEV"
else
	fail ns-shutdown-fio-after "no namespace"
fi
nepf_down

nepf_exit
