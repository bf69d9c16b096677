// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - statistics of a running function in debugfs:
 * /sys/kernel/debug/nvme_epf/<function>/stats, per submission queue and
 * per attached namespace: commands, reads, writes, bytes, errors, the
 * longest latency and a latency histogram (core.c counts them at each
 * completion, nepf_stats_add()).  `nvme-epf stats` prints the file.
 *
 * .../<function>/costs: the cost ledger (costs.h, docs/costs.md), one
 * "name value" line per counter in NEPF_COSTS() order.  Writing 0 resets
 * it: sums restart from what they are now (a baseline, so no increment
 * made meanwhile on another CPU is lost), _max counters restart from 0.
 * `nvme-epf stats --costs` prints it.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "glue.h"

static struct dentry *nepf_debugfs_root;

static void stats_line(struct seq_file *m, const char *what, unsigned int id,
		       const struct nepf_io_stats *s)
{
	seq_printf(m, "%s%-4u %10llu %10llu %10llu %14llu %14llu %8llu %10llu\n",
		   what, id, s->cmds, s->reads, s->writes, s->bytes_read,
		   s->bytes_written, s->errors, div_u64(s->lat_max_ns, 1000));
}

static void stats_hist(struct seq_file *m, const char *what, unsigned int id,
		       const struct nepf_io_stats *s)
{
	int i, last = 0;

	for (i = 0; i < NEPF_LAT_BUCKETS; i++)
		if (s->lat[i])
			last = i;
	seq_printf(m, "%s%-4u", what, id);
	for (i = 0; i <= last; i++)
		seq_printf(m, " %llu", s->lat[i]);
	seq_putc(m, '\n');
}

/* Copies, so that no lock is held while printing. */
struct stats_snapshot {
	struct nepf_io_stats sq[NEPF_MAX_IO_QUEUES + 1];
	struct nepf_io_stats ns[NEPF_MAX_NAMESPACES];
	bool has_ns[NEPF_MAX_NAMESPACES];
};

static void stats_take(struct nepf_epf_ctrl *g, struct stats_snapshot *snap)
{
	struct nepf_ctrl *ctrl = &g->ctrl;
	int i;

	spin_lock(&ctrl->lock);
	memcpy(snap->sq, ctrl->sq_stats, sizeof(snap->sq));
	spin_unlock(&ctrl->lock);
	/* Namespaces are detached (and freed) only under poll_lock. */
	mutex_lock(&g->poll_lock);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

		snap->has_ns[i] = ns;
		if (!ns)
			continue;
		spin_lock(&ns->ref_lock);
		snap->ns[i] = ns->stats;
		spin_unlock(&ns->ref_lock);
	}
	mutex_unlock(&g->poll_lock);
}

/* Data buffers (bufpool.c): the budget, its use and the backpressure. */
static void stats_bufs(struct seq_file *m, struct nepf_epf_ctrl *g)
{
	struct nepf_bufs_stats st;

	nepf_bufs_stats(&g->ctrl, &st);
	seq_printf(m, "# buffers: budget %llu KiB, reserved %llu KiB by %u commands (peak %llu KiB), allocated %llu KiB (peak %llu KiB), kept %u slots %u mdts\n",
		   st.budget >> 10, st.reserved >> 10, st.nr_resv,
		   st.reserved_peak >> 10, st.held >> 10, st.held_peak >> 10,
		   st.nr_slots, st.nr_bigs);
	seq_printf(m, "# buffers: %llu reused, %llu allocated, %llu fetches held back (backpressure), %llu commands alone over the budget\n",
		   st.hits, st.misses, st.waits, st.over);
}

static int stats_show(struct seq_file *m, void *unused)
{
	struct nepf_epf_ctrl *g = m->private;
	struct stats_snapshot *snap;
	int i;

	snap = kvzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	stats_take(g, snap);
	seq_puts(m, "# queue/ns      cmds      reads     writes     bytes_read  bytes_written   errors max_lat_us\n");
	for (i = 0; i <= NEPF_MAX_IO_QUEUES; i++)
		if (snap->sq[i].cmds)
			stats_line(m, "sq", i, &snap->sq[i]);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (snap->has_ns[i])
			stats_line(m, "ns", i + 1, &snap->ns[i]);
	seq_printf(m, "# host accesses refused as stale (after a link loss, reset or stop): %llu\n",
		   READ_ONCE(g->ctrl.nr_stale));
	seq_printf(m, "# host accesses begun before a cut and done after it: %llu\n",
		   READ_ONCE(g->ctrl.nr_cut_during));
	seq_puts(m, "# latency histogram: commands completed in <1 us, <2, <4, ... <2^n us\n");
	for (i = 0; i <= NEPF_MAX_IO_QUEUES; i++)
		if (snap->sq[i].cmds)
			stats_hist(m, "sq", i, &snap->sq[i]);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (snap->has_ns[i])
			stats_hist(m, "ns", i + 1, &snap->ns[i]);
	kvfree(snap);
	seq_printf(m, "# dma engine %s (%s): %u read, %u write channels; %llu dma, %llu window, %llu errors\n",
		   g->dma.engine ?: "none", g->dma.why ?: "not bound",
		   g->dma.nr_rx, g->dma.nr_tx,
		   (u64)atomic64_read(&g->dma.nr_dma),
		   (u64)atomic64_read(&g->dma.nr_mmio),
		   (u64)atomic64_read(&g->dma.nr_errors));
	seq_printf(m, "# interrupts the controller refused to raise: %llu\n",
		   (u64)atomic64_read(&g->irq.nr_errors));
	stats_bufs(m, g);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* The counters summed over CPUs (_max: the largest), costs_lock held. */
static void costs_total(struct nepf_epf_ctrl *g, u64 *v)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < NEPF_COST_NR; i++)
		v[i] = 0;
	for_each_possible_cpu(cpu) {
		const struct nepf_costs *c = per_cpu_ptr(g->ctrl.costs, cpu);

		for (i = 0; i < NEPF_COST_NR; i++) {
			u64 x = READ_ONCE(c->v[i]);

			if (!nepf_cost_is_max(i))
				v[i] += x;
			else if (x > v[i])
				v[i] = x;
		}
	}
}

static int costs_show(struct seq_file *m, void *unused)
{
	struct nepf_epf_ctrl *g = m->private;
	u64 v[NEPF_COST_NR];
	unsigned int i;

	mutex_lock(&g->costs_lock);
	costs_total(g, v);
	for (i = 0; i < NEPF_COST_NR; i++)
		if (!nepf_cost_is_max(i))
			v[i] -= g->costs_base[i];
	mutex_unlock(&g->costs_lock);
	for (i = 0; i < NEPF_COST_NR; i++)
		seq_printf(m, "%s %llu\n", nepf_cost_name(i), v[i]);
	return 0;
}

static int costs_open(struct inode *inode, struct file *file)
{
	return single_open(file, costs_show, inode->i_private);
}

/* "0": reset. */
static ssize_t costs_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct nepf_epf_ctrl *g = ((struct seq_file *)file->private_data)->private;
	unsigned int i;
	u64 val;
	int ret, cpu;

	ret = kstrtou64_from_user(ubuf, len, 0, &val);
	if (ret)
		return ret;
	if (val)
		return -EINVAL;
	mutex_lock(&g->costs_lock);
	costs_total(g, g->costs_base);
	for (i = 0; i < NEPF_COST_NR; i++) {
		if (!nepf_cost_is_max(i))
			continue;
		g->costs_base[i] = 0;
		for_each_possible_cpu(cpu)
			WRITE_ONCE(per_cpu_ptr(g->ctrl.costs, cpu)->v[i], 0);
	}
	mutex_unlock(&g->costs_lock);
	return len;
}

static const struct file_operations costs_fops = {
	.owner = THIS_MODULE,
	.open = costs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = costs_write,
	.release = single_release,
};

/* Statistics are a convenience: failing to create them is not an error. */
void nepf_stats_debugfs_add(struct nepf_epf_ctrl *g)
{
	if (!nepf_debugfs_root)
		nepf_debugfs_root = debugfs_create_dir("nvme_epf", NULL);
	if (IS_ERR_OR_NULL(nepf_debugfs_root))
		return;
	g->debugfs = debugfs_create_dir(g->fn->name, nepf_debugfs_root);
	if (IS_ERR_OR_NULL(g->debugfs)) {
		g->debugfs = NULL;
		return;
	}
	debugfs_create_file("stats", 0444, g->debugfs, g, &stats_fops);
	debugfs_create_file("costs", 0644, g->debugfs, g, &costs_fops);
}

void nepf_stats_debugfs_remove(struct nepf_epf_ctrl *g)
{
	debugfs_remove_recursive(g->debugfs);
	g->debugfs = NULL;
}

void nepf_stats_module_exit(void)
{
	debugfs_remove_recursive(nepf_debugfs_root);
	nepf_debugfs_root = NULL;
}
