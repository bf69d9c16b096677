/* SPDX-License-Identifier: GPL-2.0 */
/*
 * costs.h - the cost ledger: what one function did to serve its commands,
 * counted in units that map to hardware costs (CPU non-posted reads of
 * host memory, window maps, calls that take the EPC's lock, DMA
 * descriptors, interrupts, thread hand-offs, allocations, uncached BAR
 * loads).  Counts are exact under any emulator; time is not.
 *
 * enum nepf_cost gives the counters' order, nepf_cost_name() their names
 * (the unit tests check that each has one).  debugfs
 * nvme_epf/<function>/costs prints them in this order, one "name value"
 * per line (stats.c); `nvme-epf stats --costs`, the guest budget
 * (tests/vm/guest/cost-budget.txt) and the bench read those names.
 * docs/costs.md says what each one counts and where.  Names are stable:
 * add new counters, do not rename or reuse old ones.  Counters whose name
 * ends in "_max" are the largest value seen (per command), never summed
 * or divided; all others are sums since the function started (or since
 * the last reset: write 0 to the file).
 *
 * Counting: nepf_cost_inc/add/max(costs, NAME[, n]) from port.h: per-CPU
 * counters in the kernel (this_cpu ops: no locks, no shared cache lines),
 * plain counters in the userspace unit tests.  The protocol core counts
 * through ctrl->costs, the kernel glue through the same pointer.
 */
#ifndef NEPF_COSTS_H
#define NEPF_COSTS_H

enum nepf_cost {
	/* commands (core) */
	NEPF_COST_CMDS_IO,
	NEPF_COST_CMDS_ADMIN,
	NEPF_COST_CQES,
	NEPF_COST_DATA_SEGS,
	NEPF_COST_DATA_SEGS_MAX,
	/* CPU access to host memory through outbound windows (dma.c) */
	NEPF_COST_WIN_READ_OPS,
	NEPF_COST_WIN_READ_LOADS,
	NEPF_COST_WIN_READ_BYTES,
	NEPF_COST_WIN_WRITE_OPS,
	NEPF_COST_WIN_WRITE_BYTES,
	NEPF_COST_WIN_MAPS,
	NEPF_COST_WIN_MAP_BYTES,
	NEPF_COST_WIN_UNMAPS,
	NEPF_COST_WIN_MAP_RETRIES,
	NEPF_COST_IOREMAPS,
	/* endpoint controller calls that take epc->lock (dma.c, irq.c) */
	NEPF_COST_EPC_LOCKED,
	NEPF_COST_EPC_MAP_ADDR,
	NEPF_COST_EPC_UNMAP_ADDR,
	NEPF_COST_EPC_RAISE_IRQ,
	NEPF_COST_EPC_GET_MSI,
	NEPF_COST_EPC_GET_MSIX,
	NEPF_COST_EPC_GET_MSI_IO,
	NEPF_COST_EPC_GET_FEATURES,
	/* DMA (dma.c) */
	NEPF_COST_DMA_RX_DESCS,
	NEPF_COST_DMA_RX_BYTES,
	NEPF_COST_DMA_TX_DESCS,
	NEPF_COST_DMA_TX_BYTES,
	NEPF_COST_DMA_DESCS_MAX,
	NEPF_COST_DMA_WAIT_SLEEP,
	NEPF_COST_DMA_WAIT_SPIN,
	NEPF_COST_DMA_CHAN_BUSY,
	NEPF_COST_DMA_RX_WAITS,
	NEPF_COST_DMA_TX_WAITS,
	NEPF_COST_DMA_WAITS_HELD,
	NEPF_COST_DMA_WAITS_MAX,
	/* interrupts raised (irq.c) */
	NEPF_COST_IRQ_MSIX,
	NEPF_COST_IRQ_MSI,
	NEPF_COST_IRQ_INTX,
	/*
	 * thread hand-offs: work items queued for commands (poll.c); and
	 * the ends finished without one (io-cmd.c)
	 */
	NEPF_COST_HANDOFFS,
	NEPF_COST_HANDOFF_EXEC,
	NEPF_COST_HANDOFF_DEFER,
	NEPF_COST_HANDOFF_EXEC_LATER,
	NEPF_COST_FINISH_INLINE,
	/*
	 * I/O commands the poll thread ran itself, no hand-off (core.c
	 * nepf_cmd_exec_here()); of those, the ones that were slow or ended
	 * after their submit and turned that off for their namespace
	 */
	NEPF_COST_EXEC_POLLER,
	NEPF_COST_EXEC_POLLER_OFF,
	/* the doorbell poll thread and the register poll (poll.c) */
	NEPF_COST_POLL_PASSES,
	NEPF_COST_POLL_PASSES_FETCHED,
	NEPF_COST_POLL_SLEEPS,
	NEPF_COST_POLL_SLEEP_US,
	NEPF_COST_POLL_WAKEUPS_WORK,
	NEPF_COST_POLL_DELAYS,
	NEPF_COST_POLL_KICKS,
	NEPF_COST_CC_POLLS,
	/* allocations on the command path (core, poll.c) */
	NEPF_COST_ALLOCS,
	NEPF_COST_ALLOC_BYTES,
	NEPF_COST_ALLOC_ZEROED_BYTES,
	NEPF_COST_ALLOC_VMALLOC,
	/* data buffers (bufpool.c) */
	NEPF_COST_BUF_HITS,
	NEPF_COST_BUF_MISSES,
	NEPF_COST_BUF_WAITS,
	/* uncached loads from BAR0 (core: bar-regs.c) */
	NEPF_COST_BAR_DB_LOADS,
	NEPF_COST_BAR_REG_LOADS,
	/* SQE fetches (core: nepf_sq_read()) */
	NEPF_COST_SQE_HOST_READS,
	NEPF_COST_SQES_HOST,
	NEPF_COST_SQES_CMB,
	NEPF_COST_NR
};

struct nepf_costs {
	u64 v[NEPF_COST_NR];
};

/* The counter's name in debugfs, the tool and the budgets. */
static inline const char *nepf_cost_name(unsigned int i)
{
	static const char *const names[NEPF_COST_NR] = {
		/* commands (core) */
		[NEPF_COST_CMDS_IO] = "cmds_io",
		[NEPF_COST_CMDS_ADMIN] = "cmds_admin",
		[NEPF_COST_CQES] = "cqes",
		[NEPF_COST_DATA_SEGS] = "data_segs",
		[NEPF_COST_DATA_SEGS_MAX] = "data_segs_max",
		/* CPU access to host memory through outbound windows (dma.c) */
		[NEPF_COST_WIN_READ_OPS] = "win_read_ops",
		[NEPF_COST_WIN_READ_LOADS] = "win_read_loads",
		[NEPF_COST_WIN_READ_BYTES] = "win_read_bytes",
		[NEPF_COST_WIN_WRITE_OPS] = "win_write_ops",
		[NEPF_COST_WIN_WRITE_BYTES] = "win_write_bytes",
		[NEPF_COST_WIN_MAPS] = "win_maps",
		[NEPF_COST_WIN_MAP_BYTES] = "win_map_bytes",
		[NEPF_COST_WIN_UNMAPS] = "win_unmaps",
		[NEPF_COST_WIN_MAP_RETRIES] = "win_map_retries",
		[NEPF_COST_IOREMAPS] = "ioremaps",
		/* endpoint controller calls that take epc->lock (dma.c, irq.c) */
		[NEPF_COST_EPC_LOCKED] = "epc_locked",
		[NEPF_COST_EPC_MAP_ADDR] = "epc_map_addr",
		[NEPF_COST_EPC_UNMAP_ADDR] = "epc_unmap_addr",
		[NEPF_COST_EPC_RAISE_IRQ] = "epc_raise_irq",
		[NEPF_COST_EPC_GET_MSI] = "epc_get_msi",
		[NEPF_COST_EPC_GET_MSIX] = "epc_get_msix",
		[NEPF_COST_EPC_GET_MSI_IO] = "epc_get_msi_io",
		[NEPF_COST_EPC_GET_FEATURES] = "epc_get_features",
		/* DMA (dma.c) */
		[NEPF_COST_DMA_RX_DESCS] = "dma_rx_descs",
		[NEPF_COST_DMA_RX_BYTES] = "dma_rx_bytes",
		[NEPF_COST_DMA_TX_DESCS] = "dma_tx_descs",
		[NEPF_COST_DMA_TX_BYTES] = "dma_tx_bytes",
		[NEPF_COST_DMA_DESCS_MAX] = "dma_descs_max",
		[NEPF_COST_DMA_WAIT_SLEEP] = "dma_wait_sleep",
		[NEPF_COST_DMA_WAIT_SPIN] = "dma_wait_spin",
		[NEPF_COST_DMA_CHAN_BUSY] = "dma_chan_busy",
		[NEPF_COST_DMA_RX_WAITS] = "dma_rx_waits",
		[NEPF_COST_DMA_TX_WAITS] = "dma_tx_waits",
		[NEPF_COST_DMA_WAITS_HELD] = "dma_waits_held",
		[NEPF_COST_DMA_WAITS_MAX] = "dma_waits_max",
		/* interrupts raised (irq.c) */
		[NEPF_COST_IRQ_MSIX] = "irq_msix",
		[NEPF_COST_IRQ_MSI] = "irq_msi",
		[NEPF_COST_IRQ_INTX] = "irq_intx",
		/* thread hand-offs: work items queued for commands (poll.c) */
		[NEPF_COST_HANDOFFS] = "handoffs",
		[NEPF_COST_HANDOFF_EXEC] = "handoff_exec",
		[NEPF_COST_HANDOFF_DEFER] = "handoff_defer",
		[NEPF_COST_HANDOFF_EXEC_LATER] = "handoff_exec_later",
		[NEPF_COST_FINISH_INLINE] = "finish_inline",
		/* I/O commands run by the poll thread (core.c) */
		[NEPF_COST_EXEC_POLLER] = "exec_poller",
		[NEPF_COST_EXEC_POLLER_OFF] = "exec_poller_off",
		/* the doorbell poll thread and the register poll (poll.c) */
		[NEPF_COST_POLL_PASSES] = "poll_passes",
		[NEPF_COST_POLL_PASSES_FETCHED] = "poll_passes_fetched",
		[NEPF_COST_POLL_SLEEPS] = "poll_sleeps",
		[NEPF_COST_POLL_SLEEP_US] = "poll_sleep_us",
		[NEPF_COST_POLL_WAKEUPS_WORK] = "poll_wakeups_work",
		[NEPF_COST_POLL_DELAYS] = "poll_delays",
		[NEPF_COST_POLL_KICKS] = "poll_kicks",
		[NEPF_COST_CC_POLLS] = "cc_polls",
		/* allocations on the command path (core, poll.c) */
		[NEPF_COST_ALLOCS] = "allocs",
		[NEPF_COST_ALLOC_BYTES] = "alloc_bytes",
		[NEPF_COST_ALLOC_ZEROED_BYTES] = "alloc_zeroed_bytes",
		[NEPF_COST_ALLOC_VMALLOC] = "alloc_vmalloc",
		/* data buffers (bufpool.c) */
		[NEPF_COST_BUF_HITS] = "buf_hits",
		[NEPF_COST_BUF_MISSES] = "buf_misses",
		[NEPF_COST_BUF_WAITS] = "buf_waits",
		/* uncached loads from BAR0 (core: bar-regs.c) */
		[NEPF_COST_BAR_DB_LOADS] = "bar_db_loads",
		[NEPF_COST_BAR_REG_LOADS] = "bar_reg_loads",
		/* SQE fetches (core: nepf_sq_read()) */
		[NEPF_COST_SQE_HOST_READS] = "sqe_host_reads",
		[NEPF_COST_SQES_HOST] = "sqes_host",
		[NEPF_COST_SQES_CMB] = "sqes_cmb",
	};

	return i < NEPF_COST_NR && names[i] ? names[i] : "?";
}

/* A "_max" counter: the largest value seen, not a sum. */
static inline bool nepf_cost_is_max(unsigned int i)
{
	return i == NEPF_COST_DATA_SEGS_MAX || i == NEPF_COST_DMA_DESCS_MAX ||
	       i == NEPF_COST_DMA_WAITS_MAX;
}

#endif /* NEPF_COSTS_H */
