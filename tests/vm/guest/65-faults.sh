#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults under I/O, with data integrity: surprise PCIe link down/up in the
# middle of writes, DMA channel errors and aborts, fewer outbound windows
# than queues, backend I/O errors (null_blk bad blocks) as media error
# statuses and error log entries, the backing device removed while in
# use, and an unload attempt while the host is busy.  fio runs with crc32c verify and
# verify_backlog; across the link loss a journal of acknowledged writes
# (dd with O_DIRECT|O_DSYNC, recorded only when dd succeeded) is read back.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

V=/sys/kernel/debug/vepc
if [ ! -d /sys/module/nvme_epf ] || [ ! -d "$V" ]; then
	skip faults "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
T0=$(cut -d. -f1 /proc/uptime)
took() { echo "$1: $(( $(cut -d. -f1 /proc/uptime) - T0 )) s since the start" | indent; }

# --- link down in the middle of writes, then up again (journal: lib.sh)
if up queues=4; then
	fio_ok faults-link-before "$DEV"
	journal_start
	fio_verify faults-link-fio "$DEV" --time_based --runtime=20 &
	fw=$!
	fio_wait_open "$DEV" "$fw"
	sleep 2
	echo 0 > "$V/link"
	sleep 1
	echo 1 > "$V/link"
	if DEV=$(wait_for_nvme 30); then
		pass faults-link-down-up
		sleep 2
	else
		fail faults-link-down-up "no namespace after link up"
	fi
	journal_stop
	wait "$fw"
	echo "fio across the link loss exited $? (errors expected)" | indent
	fio_no_start faults-link-fio && fail faults-link-io-across-loss "fio never started" ||
		pass faults-link-io-across-loss
	m=$(fio_mismatches faults-link-fio)
	[ "$m" = 0 ] && pass faults-link-no-wrong-data ||
		fail faults-link-no-wrong-data "$m reads returned other data"
	if [ -b "$DEV" ]; then
		journal_check > /tmp/journal.log 2>&1 && pass faults-link-journal-intact ||
			fail faults-link-journal-intact
		tail -n 5 /tmp/journal.log | indent
	fi
	[ -b "$DEV" ] && fio_ok faults-link-after "$DEV"
else
	fail faults-link-up
fi
nepf_down

# The DMA faults depend on the engine of the run (VEPC_DMA, lib.sh): the
# vepc knob that aborts a transfer, and the counter that shows it.
#   edma: dma_fail makes the emulated eDMA block abort the channel after
#     half the data (abort status, Unsupported Request in the error
#     status): on the block a failed transfer IS an abort;
#   dmaengine: dma_fail fails the descriptor (DMA_TRANS_READ_FAILED),
#     dma_abort aborts it the way dw-edma reports it (half the first
#     segment moved, the cookie complete, DMA_TRANS_ABORTED only in the
#     callback's result; 66-dmaengine runs that whatever the run's mode).
mode=$(vepc_mode)
case $mode in
edma) abort_knob=dma_fail abort_count=edma_aborts ;;
dmaengine) abort_knob=dma_abort abort_count=dma_aborts ;;
*) abort_knob="" ;;
esac

took "DMA channel errors"
# --- DMA channel errors: a Data Transfer Error the host retries; never
# wrong data (verify), and the error log says what happened.
if [ "$mode" != dmaengine ]; then
	skip faults-dma-fail "VEPC_DMA=$mode: $([ "$mode" = edma ] &&
		echo "a failed transfer on the eDMA block is an abort (faults-dma-abort)" ||
		echo "no DMA")"
elif up queues=4; then
	dma_fault_case faults-dma-fail dma_fail dma_errors
fi
nepf_down

took "DMA aborts"
# --- An aborted DMA (above) fails like any other: a Data Transfer Error,
# never a success with the data half moved (issue 16 item 4).  With the
# host's retries off, fio gets I/O errors and still no wrong data.
if [ -z "$abort_knob" ]; then
	skip faults-dma-abort "VEPC_DMA=$mode: no DMA"
elif up queues=4; then
	dma_fault_case faults-dma-abort "$abort_knob" "$abort_count"
	dma_fault_eio faults-dma-abort-eio "$abort_knob"
fi
nepf_down

took "fewer outbound windows"
# --- fewer outbound windows than queues (4 I/O + admin)
for w in 2 1; do
	echo "$w" > "$V/windows"
	if up queues=4; then
		fio_ok "faults-windows-$w" "$DEV"
	else
		fail "faults-windows-$w" "device did not come up"
	fi
	nepf_down
done
echo 16 > "$V/windows"

took "backend I/O errors"
# --- backend I/O errors: null_blk bad blocks -> media errors + error log
if up queues=2 bs=512; then
	bad=4096	# LBA (512-byte blocks), 8 of them
	m0=$(media_errors "$DEV")
	echo "+$bad-$((bad + 7))" > "$NEPF_NULLB_ITEM/badblocks"
	# Coreutils dd, from bash, never through "sh -c": the guest's sh is
	# busybox, which runs its own dd applet.  That one reads into a
	# malloc'ed buffer for bs=512; before 6.0 a block device's O_DIRECT
	# wants the buffer address aligned to the logical block size, so it
	# got EINVAL, and the applet then quietly drops O_DIRECT.  On 5.10
	# the write became a 4 KiB read-modify-write in the host's page
	# cache whose read hit the bad block: dd failed with EIO and no
	# Write ever reached the device.  ENODATA is what the host's block
	# layer makes of our media statuses (0x281, 0x280): that errno
	# shows the command went to the device and failed there.
	check faults-badblock-read-fails fails_with "No data available" \
		dd if="$DEV" of=/dev/null bs=512 skip=$bad count=1 iflag=direct status=none
	check faults-badblock-write-fails fails_with "No data available" \
		dd if=/dev/zero of="$DEV" bs=512 seek=$bad count=1 oflag=direct status=none
	log=$(error_log "$DEV")
	# 0x281 Unrecovered Read Error, 0x280 Write Fault, at that LBA
	echo "$log" | grep -q "\"status_field\":641,[^}]*\"lba\":${bad}[,}]" &&
		pass faults-badblock-read-error-log ||
		fail faults-badblock-read-error-log "$(echo "$log" | head -c 300)"
	echo "$log" | grep -q "\"status_field\":640,[^}]*\"lba\":${bad}[,}]" &&
		pass faults-badblock-write-error-log ||
		fail faults-badblock-write-error-log "$(echo "$log" | head -c 300)"
	m1=$(media_errors "$DEV")
	[ "${m1:-0}" -gt "${m0:-0}" ] && pass faults-badblock-smart-media-errors ||
		fail faults-badblock-smart-media-errors "$m0 -> $m1"
	fio_ok faults-badblock-rest-intact "$DEV" --offset=16M
	echo "-$bad-$((bad + 7))" > "$NEPF_NULLB_ITEM/badblocks"
	check faults-badblock-cleared dd if="$DEV" of=/dev/null bs=512 skip=$bad \
		count=8 iflag=direct status=none
else
	fail faults-badblock-up
fi
nepf_down

took "an unload attempt"
# --- an unload attempt while the host is busy: refused, I/O unharmed
if up queues=4; then
	fio_verify faults-unload-busy "$DEV" --size=8M &
	fw=$!
	sleep 2
	check faults-unload-refused sh -c "! modprobe -r nvme_epf 2>/dev/null"
	wait "$fw" && pass faults-unload-busy-io || fail faults-unload-busy-io fio
fi
nepf_down

took "the backing device disappears"
# --- the backing device disappears while in use: errors, not a hang
if up queues=2; then
	fio_verify faults-backend-gone "$DEV" --size=8M --time_based --runtime=20 &
	fw=$!
	sleep 2
	echo 0 > "$NEPF_NULLB_ITEM/power"
	start=$(date +%s)
	wait "$fw"
	rc=$?
	t=$(( $(date +%s) - start ))
	[ "$rc" != 0 ] && [ "$rc" != 124 ] && pass faults-backend-gone-io-fails ||
		fail faults-backend-gone-io-fails "fio exit $rc after ${t}s"
	check faults-backend-gone-admin nvme id-ctrl "$(nvme_ctrl_of "$DEV")"
fi
check faults-backend-gone-teardown nepf_down
took end
nepf_exit
