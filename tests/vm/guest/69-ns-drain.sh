#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The board disables a namespace while the host has I/O in flight on it:
# the disable (nepf_ns_close(): refcount + completion, no polling) waits
# for the commands that hold the namespace and returns once the last one
# ends.  The namespace is a null_blk device whose commands each take 2 ms
# and complete from its timer (irqmode=2), in interrupt context, where the
# core takes only its irqsave locks.  Per round: fio at queue depth 32,
# the disable within 30 s; then no refcount_t warning, no "still waiting"
# line, no oops, and after enabling it again fio verify passes.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

if [ ! -d /sys/module/nvme_epf ]; then
	skip ns-drain "nvme_epf.ko not loaded"
	exit 0
fi
ROUNDS=${NS_DRAIN_ROUNDS:-5}
S=$NEPF_CFS/subsystems/$NEPF_SUB
N1=$S/namespaces/$NEPF_NSID

# The namespace node of controller CTRL (nvmeN) once the host sees it.
wait_ns() {
	local ctrl=$1 i d
	for ((i = 0; i < 300; i++)); do
		for d in "/dev/${ctrl}"n[0-9]*; do
			case $d in *p[0-9]*) continue ;; esac
			nvme_node_live "$d" && { echo "$d"; return 0; }
		done
		sleep 0.1
	done
	return 1
}

export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=2000000"
dmesg_mark
if up queues=2 size=64M; then
	ctrl=$(basename "$(nvme_ctrl_of "$DEV")")
	ok=0 slow=""
	for ((r = 0; r < ROUNDS; r++)); do
		timeout 60 fio --name=drain --filename="$DEV" --rw=randread \
			--bs=4k --ioengine=libaio --iodepth=32 --direct=1 \
			--time_based --runtime=30 --allow_file_create=0 \
			--output=/tmp/fio.drain > /dev/null 2>&1 &
		fp=$!
		sleep 2
		t0=$(uptime_s)
		if ! timeout 30 sh -c "echo 0 > '$N1/enable'"; then
			slow="round $r: the disable did not return within 30 s"
			kill "$fp" 2> /dev/null
			wait "$fp"
			break
		fi
		echo "round $r: disabled under I/O in $(secs_since "$t0") s" | indent
		kill "$fp" 2> /dev/null
		wait "$fp"
		nepf_set "$N1/enable" 1 || break
		DEV=$(wait_ns "$ctrl") || { slow="round $r: no namespace after enable"; break; }
		ok=$((ok + 1))
	done
	[ "$ok" = "$ROUNDS" ] && pass ns-drain-under-io ||
		fail ns-drain-under-io "$ok of $ROUNDS rounds; $slow"
	lines=$(dmesg_since_mark |
		grep -E 'refcount_t|still waiting|BUG|Oops|WARNING:|use-after-free|inconsistent lock state|lock order')
	[ -z "$lines" ] && pass ns-drain-no-warning ||
		{ fail ns-drain-no-warning; echo "$lines" | head -n 8 | indent; }
	if [ "$ok" = "$ROUNDS" ]; then
		fio_ok ns-drain-fio-after "$DEV"
	else
		fail ns-drain-fio-after "no namespace"
	fi
else
	fail ns-drain-up
fi
nepf_down
unset NEPF_NULLB_OPTS

nepf_exit
