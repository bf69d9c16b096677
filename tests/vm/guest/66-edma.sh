#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nvme_epf driving the controller's own DesignWare eDMA (src/edma.c) on
# vepc's emulated block (vepc edma=1: a reg "dma" on vepc.0 and no
# dmaengine channel; one channel each way, polled): dma_engine=auto picks
# it and says so; fio verify is clean through single-block and
# linked-list transfers; the checking IOMMU refuses nothing; an aborted
# transfer is a Data Transfer Error the host retries, never wrong data; a
# stuck transfer is stopped and failed the same way; dma_engine=dmaengine
# leaves the block alone (outbound windows).
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

# write 1 MiB of random data at 4 MiB, read it back, compare
rw_cmp() {
	head -c 1048576 /dev/urandom > /tmp/edma.pat &&
	dd if=/tmp/edma.pat of="$DEV" bs=128k seek=32 oflag=direct conv=notrunc \
		status=none &&
	dd if="$DEV" of=/tmp/edma.back bs=128k skip=32 count=8 iflag=direct \
		status=none &&
	cmp /tmp/edma.pat /tmp/edma.back
}

if ! { modprobe -r vepc && modprobe vepc edma=1; }; then
	fail edma-vepc-load
	modprobe vepc
	exit 0
fi
pass edma-vepc-load
echo auto > "$P/dma_engine"

if up queues=4; then
	engine_line | indent
	engine_line | grep -q '^# dma engine edma (reg "dma")' &&
		pass edma-selected || fail edma-selected "$(engine_line)"
	dmesg | grep -E 'eDMA at' | tail -n 1 | indent
	x0=$(stat_of edma_xfers)
	fio_ok edma-fio-verify-16k "$DEV"
	# 256 KiB writes: a vmalloc'ed buffer's pages in one list
	fio_ok edma-fio-verify-256k "$DEV" --bs=256k --rw=write --size=8M
	check edma-dd-cmp rw_cmp
	x1=$(stat_of edma_xfers)
	# kvmalloc() buffers are vmalloc'ed only when kmalloc fails
	echo "eDMA transfers $x0 -> $x1, of them linked lists: $(stat_of edma_lists)" | indent
	[ "$x1" -gt $((x0 + 100)) ] && pass edma-used ||
		fail edma-used "edma_xfers $x0 -> $x1"
	r=$(stat_of refusals)
	[ "$r" = 0 ] && pass edma-no-refusals || fail edma-no-refusals "$r"

	# aborts under fio: Data Transfer Errors, retried, verify clean
	dma_fault_case edma-abort dma_fail edma_aborts
	# without the host's retries: fio gets I/O errors, never wrong data
	dma_fault_eio edma-abort-eio dma_fail

	# a stuck transfer: stopped after dma_timeout_ms, failed, retried
	a0=$(stat_of edma_aborts)
	echo 1 > "$V/edma_stuck"
	check edma-stuck-dd-cmp rw_cmp
	a1=$(stat_of edma_aborts)
	[ "$a1" -gt "$a0" ] && pass edma-stuck-stopped ||
		fail edma-stuck-stopped "edma_aborts $a0 -> $a1, stuck left $(cat "$V/edma_stuck")"
	echo 0 > "$V/edma_stuck"
	dmesg | grep -E 'eDMA .* channel' | tail -n 3 | indent
	r=$(stat_of refusals)
	[ "$r" = 0 ] && pass edma-faults-no-refusals || fail edma-faults-no-refusals "$r"
else
	fail edma-up
fi
nepf_down

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
check edma-vepc-restore sh -c 'modprobe -r vepc && modprobe vepc'
