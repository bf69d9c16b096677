#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Link loss and function stop (issue 16, item 7).  A link loss with DMA
# that never completes once the link is gone (vepc dma_stall, like an eDMA
# that hangs instead of aborting): the function must give up at once, not
# after dma_timeout_ms per transfer, or the host's probe after link up
# outlasts CAP.TO.  Then the function is stopped under I/O: nothing may
# touch the host after its own pci_epc_stop().  No refusal in either.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

V=/sys/kernel/debug/vepc
if [ ! -d /sys/module/nvme_epf ] || [ ! -d "$V" ]; then
	skip linkstall "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$V/stats"; }
# Refusals since $1, with the lines vepc logged for them, per phase.
refusals_since() {
	local n=$(( $(cat "$V/refusals") - $1 ))

	[ "$n" = 0 ] && return 0
	echo "$n refusals in $2; stale_epoch $(stat_of stale_epoch)," \
		"refusals_removing $(stat_of refusals_removing)" | indent
	dmesg | grep -E 'refused|link loss|after the function' | tail -n 6 |
		indent
}

r0=$(cat "$V/refusals")

# --- link loss with 64 reads queued and DMA that never completes unlinked
# (issue 16 item 7): each read waits in null_blk for 300 ms, so all of them
# want to DMA their data after the cut.
# Before 6.9 no link-down event comes: the link up after it is what tells
# the function (a stall longer than the cut keeps the transfers in flight
# until then, so that a function which misses it sends them to the new
# host's unmapped addresses: refusals, CI run of 8 Dec 2026 on 6.1).
export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=300000000"
to=$(cat /sys/module/nvme_epf/parameters/dma_timeout_ms)
if up queues=4; then
	echo 5000 > /sys/module/nvme_epf/parameters/dma_timeout_ms
	echo 1 > "$V/dma_stall"
	timeout 120 fio --name=stall --filename="$DEV" --rw=randread --bs=128k \
		--size=64M --direct=1 --ioengine=libaio --iodepth=64 \
		--time_based --runtime=4 --continue_on_error=io \
		--allow_file_create=0 --output=/tmp/fio.stall 2> /tmp/fio.stall.err &
	fw=$!
	sleep 1.5
	echo "nepf-test: linkstall cut" > /dev/kmsg
	echo 0 > "$V/link"
	sleep 1
	echo "nepf-test: linkstall up" > /dev/kmsg
	echo 1 > "$V/link"
	t0=$(uptime_s)
	if DEV=$(wait_for_nvme 30); then
		# The host driver's queues line, from the kernel log: the node's
		# search (wait_for_nvme) can take much longer under TCG.
		b=$(dmesg | awk -F'[][]' '/nepf-test: linkstall up/ { u = $2 + 0 }
			u && /default\/read\/poll queues/ { printf "%.1f", $2 - u; exit }')
		echo "host driver up ${b:-?} s after link up, node found after $(secs_since "$t0") s" | indent
		awk -v b="${b:-99}" 'BEGIN { exit !(b < 30) }' &&
			pass linkloss-dma-stall-back ||
			fail linkloss-dma-stall-back "not back within 30 s of link up"
		# The new host must find the controller reset (CSTS.RDY 0),
		# not the old host's, which it would have to disable first.
		n=$(dmesg | sed -n '/nepf-test: linkstall cut/,$p' |
			grep -c 'controller disabled by the host')
		[ "$n" = 0 ] && pass linkloss-reset-before-probe ||
			fail linkloss-reset-before-probe "the host disabled the old controller ($n)"
	else
		fail linkloss-dma-stall-back "no namespace within 30 s of link up"
		dmesg | grep -E 'nvme|nvme_epf' | tail -n 8 | indent
	fi
	wait "$fw"
	echo 0 > "$V/dma_stall"
	echo "$to" > /sys/module/nvme_epf/parameters/dma_timeout_ms
	refusals_since "$r0" "the stalled link loss"
	[ -b "$DEV" ] && check linkloss-dma-stall-io dd if="$DEV" of=/dev/null bs=128k \
		count=16 iflag=direct status=none
else
	fail linkloss-dma-stall-up
fi
nepf_down

# --- the function stopped under I/O: nothing after its own stop
export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=20000000"
if up queues=4; then
	a0=$(stat_of after_stop)
	r1=$(cat "$V/refusals")
	fio_verify linkloss-stop "$DEV" --time_based --runtime=4 \
		--continue_on_error=io &
	fw=$!
	sleep 1.5
	echo 0 > "$NEPF_CFS/functions/$NEPF_FN/start"
	wait "$fw"
	refusals_since "$r1" "the stop under I/O"
	a=$(( $(stat_of after_stop) - a0 ))
	[ "$a" = 0 ] && pass linkloss-nothing-after-stop ||
		fail linkloss-nothing-after-stop "$a host accesses after pci_epc_stop()"
else
	fail linkloss-stop-up
fi
check linkloss-down nepf_down
unset NEPF_NULLB_OPTS
r=$(( $(cat "$V/refusals") - r0 ))
[ "$r" = 0 ] && pass linkloss-stall-stop-no-refusals ||
	fail linkloss-stall-stop-no-refusals "$r"
nepf_exit
