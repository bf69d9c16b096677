#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nvme_epf driving the controller's own DesignWare eDMA (src/edma.c) on
# vepc's emulated block (vepc edma=1: a reg "dma" on vepc.0 and no
# dmaengine channel; one channel each way, polled).  With VEPC_DMA=edma
# (the default) the whole suite runs on the block: fio verify everywhere,
# its aborts in 65-faults (faults-dma-abort*), the cost ledger in
# 67-costs.  Here what only the block has: dma_engine=auto picks it and
# says so; 256 KiB writes (linked lists when a buffer is vmalloc'ed) and a
# dd round trip; the checking IOMMU refuses nothing; a stuck transfer is
# stopped and failed, the host retries and the data is intact;
# dma_engine=dmaengine leaves the block alone (outbound windows).  With
# another VEPC_DMA, vepc is loaded with edma=1 for this script, which then
# also runs fio verify, the injected aborts (a Data Transfer Error the
# host retries; with its retries off an I/O error, never wrong data) and
# the cost ledger (67-costs.sh as edma-costs).
# shellcheck disable=SC2317  # helpers run through check()
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

V=/sys/kernel/debug/vepc
P=/sys/module/nvme_epf/parameters
if [ ! -d /sys/module/nvme_epf ] || [ ! -d /sys/module/vepc ]; then
	skip edma "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
if [ ! -e "$P/dma_engine" ]; then
	skip edma "nvme_epf has no dma_engine parameter"
	exit 0
fi
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$V/stats"; }
engine_line() { grep '^# dma engine' "/sys/kernel/debug/nvme_epf/$NEPF_FN/stats"; }
old_engine=$(cat "$P/dma_engine")
# not the run's engine: the rest of the suite ran elsewhere
alone=0
[ "$VEPC_DMA" = edma ] || alone=1

# write 1 MiB of random data at 4 MiB, read it back, compare
rw_cmp() {
	head -c 1048576 /dev/urandom > /tmp/edma.pat &&
	dd if=/tmp/edma.pat of="$DEV" bs=128k seek=32 oflag=direct conv=notrunc \
		status=none &&
	dd if="$DEV" of=/tmp/edma.back bs=128k skip=32 count=8 iflag=direct \
		status=none &&
	cmp /tmp/edma.pat /tmp/edma.back
}

if [ "$(vepc_mode)" != edma ] && ! vepc_reload edma; then
	fail edma-vepc-load
	vepc_reload "$VEPC_DMA"
	exit 0
fi
pass edma-vepc-load
echo auto > "$P/dma_engine"
# refusals since here: vepc may have been loaded long before (62-hostile
# makes some on purpose)
r0=$(stat_of refusals)

if up queues=4; then
	engine_line | indent
	engine_line | grep -q '^# dma engine edma (reg "dma")' &&
		pass edma-selected || fail edma-selected "$(engine_line)"
	dmesg | grep -E 'eDMA at' | tail -n 1 | indent
	x0=$(stat_of edma_xfers)
	[ "$alone" = 0 ] || fio_ok edma-fio-verify-16k "$DEV"
	# 256 KiB writes: a vmalloc'ed buffer's pages in one list
	fio_ok edma-fio-verify-256k "$DEV" --bs=256k --rw=write --size=8M
	check edma-dd-cmp rw_cmp
	x1=$(stat_of edma_xfers)
	# kvmalloc() buffers are vmalloc'ed only when kmalloc fails
	echo "eDMA transfers $x0 -> $x1, of them linked lists: $(stat_of edma_lists)" | indent
	[ "$x1" -gt $((x0 + 100)) ] && pass edma-used ||
		fail edma-used "edma_xfers $x0 -> $x1"
	r=$(( $(stat_of refusals) - r0 ))
	[ "$r" = 0 ] && pass edma-no-refusals || fail edma-no-refusals "$r"

	if [ "$alone" = 1 ]; then
		# aborts under fio: Data Transfer Errors, retried, verify clean
		dma_fault_case edma-abort dma_fail edma_aborts
		# without the host's retries: fio gets I/O errors, never wrong data
		dma_fault_eio edma-abort-eio dma_fail
	fi

	# a stuck transfer: stopped after dma_timeout_ms, failed, retried
	a0=$(stat_of edma_aborts)
	echo 1 > "$V/edma_stuck"
	check edma-stuck-dd-cmp rw_cmp
	a1=$(stat_of edma_aborts)
	[ "$a1" -gt "$a0" ] && pass edma-stuck-stopped ||
		fail edma-stuck-stopped "edma_aborts $a0 -> $a1, stuck left $(cat "$V/edma_stuck")"
	echo 0 > "$V/edma_stuck"
	dmesg | grep -E 'eDMA .* channel' | tail -n 3 | indent
	r=$(( $(stat_of refusals) - r0 ))
	[ "$r" = 0 ] && pass edma-faults-no-refusals || fail edma-faults-no-refusals "$r"
else
	fail edma-up
fi
nepf_down

# The register poll beside a stuck command (issue 16, item 13): cc_work
# (CC.EN and SHN, INTMS/INTMC, held MSI-X interrupts) has a queue of its
# own, not behind the commands' work items.  The command workqueue is cut
# to one active item, and that item waits dma_timeout_ms in a stuck
# transfer: a read's data, sent when null_blk ends it after 300 ms.
cc_beside_stuck_cmd() {
	local wq=/sys/devices/virtual/workqueue/nvme_epf_$NEPF_FN
	local costs=/sys/kernel/debug/nvme_epf/$NEPF_FN/costs
	local nb ma to c0 c1 dw i

	nb=/sys/block/$(basename "$(readlink -f "$NEPF_NULLB_DEV")")/inflight
	ma=$(cat "$wq/max_active") to=$(cat "$P/dma_timeout_ms")
	echo 1 > "$wq/max_active" && echo 4000 > "$P/dma_timeout_ms" ||
		return 1
	dd if="$DEV" of=/dev/null bs=4k count=1 iflag=direct status=none &
	dw=$!
	# in null_blk: its SQE is fetched, the next transfer is its data
	for ((i = 0; i < 40; i++)); do
		[ "$(awk '{ print $1 }' "$nb")" = 1 ] && break
		sleep 0.05
	done
	echo 1 > "$V/edma_stuck"
	sleep 0.5
	c0=$(awk '$1 == "cc_polls" { print $2 }' "$costs")
	sleep 2.5
	c1=$(awk '$1 == "cc_polls" { print $2 }' "$costs")
	wait "$dw"
	echo 0 > "$V/edma_stuck"
	echo "$ma" > "$wq/max_active"
	echo "$to" > "$P/dma_timeout_ms"
	echo "read in null_blk after $i looks; cc_polls $c0 -> $c1"
	[ "$i" -lt 40 ] && [ "$c1" -gt "$c0" ]
}
export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=300000000"
if up queues=1; then
	check edma-cc-poll-beside-stuck-cmd cc_beside_stuck_cmd
else
	fail edma-cc-up
fi
unset NEPF_NULLB_OPTS
nepf_down

# the cost ledger on the block (0 CPU reads of host memory per I/O)
[ "$alone" = 0 ] || costs_as edma-costs

# dma_engine=dmaengine: the block is not ours to drive
echo dmaengine > "$P/dma_engine"
if up queues=2; then
	x0=$(stat_of edma_xfers)
	check edma-off-dd-cmp rw_cmp
	x1=$(stat_of edma_xfers)
	engine_line | grep -q '^# dma engine window' && [ "$x1" = "$x0" ] &&
		pass edma-off-untouched || fail edma-off-untouched "$(engine_line); $x0 -> $x1"
else
	fail edma-off-up
fi
nepf_down

echo "$old_engine" > "$P/dma_engine"
[ "$alone" = 0 ] || check edma-vepc-restore vepc_reload "$VEPC_DMA"
nepf_exit
