#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nvme_epf on dmaengine channels of the EPC (a kernel with DW_EDMA: the
# dw-edma driver offers the controller's eDMA as dmaengine channels).  The
# suite's default vepc (VEPC_DMA=edma) has none, so this script reloads
# vepc with 2 read and 2 write channels: dma_engine=auto picks them and
# says so; fio verify through them; injected failures (vepc dma_fail: the
# descriptor fails) and aborts the way dw-edma reports them (vepc
# dma_abort: half the first segment moved, the cookie complete,
# DMA_TRANS_ABORTED only in the callback's result, issue 16 item 4) are
# Data Transfer Errors the host retries with verify clean, and with its
# retries off I/O errors, never wrong data; the cost ledger (67-costs.sh
# as dmaengine-costs): no CPU read of host memory for 4 KiB reads and
# writes.  With VEPC_DMA=dmaengine the rest of the suite runs on these
# channels (65-faults has the faults, 67-costs the ledger): only the
# selection and fio verify run here then.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

P=/sys/module/nvme_epf/parameters
if [ ! -d /sys/module/nvme_epf ] || [ ! -d /sys/module/vepc ]; then
	skip dmaengine "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
# not the run's engine: the rest of the suite ran elsewhere
alone=0
[ "$VEPC_DMA" = dmaengine ] || alone=1

if [ "$(vepc_mode)" != dmaengine ] && ! check dmaengine-vepc-load vepc_reload dmaengine; then
	vepc_reload "$VEPC_DMA"
	nepf_exit
fi
old_engine=$(cat "$P/dma_engine" 2>/dev/null)
# refusals since here: vepc may have been loaded long before (62-hostile
# makes some on purpose)
r0=$(vepc_stat refusals)
[ -z "$old_engine" ] || echo auto > "$P/dma_engine"

if up queues=4; then
	e=$(nepf_engine)
	grep '^# dma engine' "/sys/kernel/debug/nvme_epf/$NEPF_FN/stats" | indent
	[ "$e" = dmaengine ] && pass dmaengine-selected ||
		fail dmaengine-selected "nvme_epf runs on '$e'"
	d0=$(vepc_stat dma_read_desc)
	fio_ok dmaengine-fio-verify "$DEV"
	d1=$(vepc_stat dma_read_desc)
	[ "$d1" -gt $((d0 + 100)) ] && pass dmaengine-used ||
		fail dmaengine-used "dma_read_desc $d0 -> $d1"
	if [ "$alone" = 1 ]; then
		dma_fault_case dmaengine-dma-fail dma_fail dma_errors
		dma_fault_case dmaengine-dma-abort dma_abort dma_aborts
		dma_fault_eio dmaengine-dma-abort-eio dma_abort
	fi
	r=$(( $(vepc_stat refusals) - r0 ))
	[ "$r" = 0 ] && pass dmaengine-no-refusals || fail dmaengine-no-refusals "$r"
else
	fail dmaengine-up
fi
nepf_down

[ "$alone" = 0 ] || costs_as dmaengine-costs

[ -z "$old_engine" ] || echo "$old_engine" > "$P/dma_engine"
[ "$alone" = 0 ] || check dmaengine-vepc-restore vepc_reload "$VEPC_DMA"
nepf_exit
