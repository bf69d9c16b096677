// SPDX-License-Identifier: GPL-2.0
/*
 * Fault knobs and counters under /sys/kernel/debug/vepc/ (tests read and
 * poke them):
 *   link       rw  0/1: surprise link down (host device removed, function
 *                  gets link-down) / link up again
 *   dma_fail   rw  fail the next N DMA transfers (dmaengine or eDMA)
 *   dma_abort  rw  the next N dmaengine transfers end aborted the way
 *                  dw-edma reports it: cookie complete (tx_status
 *                  DMA_COMPLETE), DMA_TRANS_ABORTED only to callback_result
 *   dma_stall  rw  0/1: DMA transfers while the link is down never
 *                  complete (until terminate_all, or on the eDMA block
 *                  until the function stops the channel) instead of
 *                  failing
 *   edma_stuck rw  (edma=1) the next N eDMA transfers never finish
 *   windows    rw  usable outbound windows (1..windows param)
 *   refusals   r   checking-IOMMU refusals (tests assert 0)
 *   stats      r   all counters, "name value" per line (the EPC ops and
 *                  DMA calls of any function driver: see struct vepc_stats)
 *   selftest_fn rw 0/1: stop+unbind / create+bind+start the built-in
 *                  self-test function (bound, it pins the module)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vepc.h"

static int vepc_link_get(void *data, u64 *val)
{
	struct vepc *v = data;

	*val = v->linked;
	return 0;
}

static int vepc_link_put(void *data, u64 val)
{
	struct vepc *v = data;

	if (val > 1)
		return -EINVAL;
	if (val && !v->bar_size)
		return -ENODEV;	/* no function has set up a BAR */
	vepc_link_set(v, val, true);
	if (val)
		flush_work(&v->link_work);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vepc_link_fops, vepc_link_get, vepc_link_put, "%llu\n");

static int vepc_windows_get(void *data, u64 *val)
{
	*val = ((struct vepc *)data)->win_limit;
	return 0;
}

static int vepc_windows_put(void *data, u64 val)
{
	struct vepc *v = data;

	if (!val || val > v->win_count)
		return -EINVAL;
	v->win_limit = val;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vepc_windows_fops, vepc_windows_get, vepc_windows_put,
			 "%llu\n");

static int vepc_st_get(void *data, u64 *val)
{
	*val = vepc_selftest_ep_running();
	return 0;
}

static int vepc_st_put(void *data, u64 val)
{
	struct vepc *v = data;

	if (val > 1)
		return -EINVAL;
	if (!val) {
		vepc_selftest_ep_stop(v);
		return 0;
	}
	return vepc_selftest_ep_start(v);
}
DEFINE_DEBUGFS_ATTRIBUTE(vepc_st_fops, vepc_st_get, vepc_st_put, "%llu\n");

static const char * const op_names[VEPC_OP_NR] = {
	[VEPC_OP_MAP] = "op_map_addr",
	[VEPC_OP_UNMAP] = "op_unmap_addr",
	[VEPC_OP_RAISE_INTX] = "op_raise_intx",
	[VEPC_OP_RAISE_MSI] = "op_raise_msi",
	[VEPC_OP_RAISE_MSIX] = "op_raise_msix",
	[VEPC_OP_GET_MSI] = "op_get_msi",
	[VEPC_OP_GET_MSIX] = "op_get_msix",
	[VEPC_OP_GET_FEATURES] = "op_get_features",
	[VEPC_OP_ALIGN_ADDR] = "op_align_addr",
	[VEPC_OP_SETUP] = "op_setup",
};

static const char * const dma_dirs[VEPC_DMA_DIRS] = { "read", "write", "memcpy" };

static int vepc_stats_show(struct seq_file *m, void *unused)
{
	struct vepc *v = m->private;
	struct vepc_stats *s = &v->stats;
	int i;

	seq_printf(m, "linked %d\n", v->linked);
	seq_printf(m, "refusals %d\n", atomic_read(&s->refusals));
	seq_printf(m, "dma_xfers %d\n", atomic_read(&s->dma_xfers));
	seq_printf(m, "dma_errors %d\n", atomic_read(&s->dma_errors));
	seq_printf(m, "dma_aborts %d\n", atomic_read(&s->dma_aborts));
	seq_printf(m, "window_maps %d\n", atomic_read(&s->win_maps));
	seq_printf(m, "window_busy %d\n", atomic_read(&s->win_busy));
	seq_printf(m, "irq_intx %d\n", atomic_read(&s->irq_intx));
	seq_printf(m, "irq_msi %d\n", atomic_read(&s->irq_msi));
	seq_printf(m, "irq_msix %d\n", atomic_read(&s->irq_msix));
	seq_printf(m, "irq_dropped %d\n", atomic_read(&s->irq_dropped));
	seq_printf(m, "host_mapped_pages %d\n", atomic_read(&s->host_pages));
	for (i = 0; i < VEPC_OP_NR; i++)
		seq_printf(m, "%s %lld\n", op_names[i], atomic64_read(&s->ops[i]));
	seq_printf(m, "window_map_bytes %lld\n", atomic64_read(&s->win_map_bytes));
	seq_printf(m, "window_write_bytes %lld\n",
		   atomic64_read(&s->win_write_bytes));
	for (i = 0; i < VEPC_DMA_DIRS; i++) {
		seq_printf(m, "dma_%s_desc %lld\n", dma_dirs[i],
			   atomic64_read(&s->dma_desc[i]));
		seq_printf(m, "dma_%s_segs %lld\n", dma_dirs[i],
			   atomic64_read(&s->dma_segs[i]));
		seq_printf(m, "dma_%s_bytes %lld\n", dma_dirs[i],
			   atomic64_read(&s->dma_bytes[i]));
	}
	seq_printf(m, "dma_configs %lld\n", atomic64_read(&s->dma_configs));
	seq_printf(m, "dma_issues %lld\n", atomic64_read(&s->dma_issues));
	seq_printf(m, "dma_terminates %lld\n", atomic64_read(&s->dma_terminates));
	seq_printf(m, "dma_callbacks %lld\n", atomic64_read(&s->dma_irq_cb));
	seq_printf(m, "host_map_segs %lld\n", atomic64_read(&s->host_map_segs));
	seq_printf(m, "host_map_bytes %lld\n", atomic64_read(&s->host_map_bytes));
	vepc_dma_stats_show(m, v);
	seq_printf(m, "link_drops %d\n", atomic_read(&s->link_drops));
	seq_printf(m, "stale_epoch %d\n", atomic_read(&s->stale_epoch));
	seq_printf(m, "after_stop %d\n", atomic_read(&s->after_stop));
	seq_printf(m, "refusals_removing %d\n", atomic_read(&s->refusals_removing));
	vepc_edma_stats(v, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vepc_stats);

void vepc_debugfs_init(struct vepc *v)
{
	struct dentry *d = debugfs_create_dir("vepc", NULL);

	v->debugfs = d;
	debugfs_create_file_unsafe("link", 0600, d, v, &vepc_link_fops);
	debugfs_create_atomic_t("dma_fail", 0600, d, &v->dma_fail);
	debugfs_create_atomic_t("dma_abort", 0600, d, &v->dma_abort);
	debugfs_create_bool("dma_stall", 0600, d, &v->dma_stall);
	debugfs_create_file_unsafe("windows", 0600, d, v, &vepc_windows_fops);
	if (v->edma)
		debugfs_create_atomic_t("edma_stuck", 0600, d, vepc_edma_stuck(v));
	debugfs_create_atomic_t("refusals", 0400, d, &v->stats.refusals);
	debugfs_create_file("stats", 0400, d, v, &vepc_stats_fops);
	debugfs_create_file_unsafe("selftest_fn", 0600, d, v, &vepc_st_fops);
}

void vepc_debugfs_exit(struct vepc *v)
{
	debugfs_remove_recursive(v->debugfs);
}
