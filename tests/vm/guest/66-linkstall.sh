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

r0=$(cat "$V/refusals")

# --- link loss with 64 reads queued and DMA that never completes unlinked
# (issue 16 item 7): each read waits in null_blk for 300 ms, so all of them
# want to DMA their data after the cut.
export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=300000000"
if up queues=4; then
	echo 1 > "$V/dma_stall"
	timeout 120 fio --name=stall --filename="$DEV" --rw=randread --bs=128k \
		--size=64M --direct=1 --ioengine=libaio --iodepth=64 \
		--time_based --runtime=4 --continue_on_error=io \
		--allow_file_create=0 --output=/tmp/fio.stall 2> /tmp/fio.stall.err &
	fw=$!
	sleep 1.5
	echo 0 > "$V/link"
	sleep 1
	echo 1 > "$V/link"
	t0=$(uptime_s)
	if DEV=$(wait_for_nvme 30); then
		pass linkloss-dma-stall-back
		echo "namespace back $(secs_since "$t0") s after link up" | indent
	else
		fail linkloss-dma-stall-back "no namespace within 30 s of link up"
		dmesg | grep -E 'nvme|nvme_epf' | tail -n 8 | indent
	fi
	wait "$fw"
	echo 0 > "$V/dma_stall"
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
	fio_verify linkloss-stop "$DEV" --time_based --runtime=4 \
		--continue_on_error=io &
	fw=$!
	sleep 1.5
	echo 0 > "$NEPF_CFS/functions/$NEPF_FN/start"
	wait "$fw"
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
