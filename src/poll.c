// SPDX-License-Identifier: GPL-2.0
/*
 * poll.c - the running controller: register and doorbell polling, and the
 * life of each command on the endpoint side.
 *
 * Nothing tells an endpoint function that the host wrote a register or a
 * doorbell: BAR0 is plain memory.  Two pollers watch it:
 *  - cc_work (delayed work) acts on CC: enable, disable (reset) and
 *    shutdown.  It runs every cc_poll_ms for a second after the host last
 *    changed a register, then every cc_idle_poll_ms while the controller
 *    is not live, and every NEPF_CC_BACKSTOP_MS (1 s) while it is: then
 *    the poll thread, awake anyway, looks at CC/INTMS/INTMC, the held
 *    MSI-X messages and the namespaces formatted through another
 *    controller (local loads) at each wakeup, at most every
 *    cc_poll_ms, and runs cc_work at once when they changed;
 *  - a kthread per function fetches new commands from every valid SQ in
 *    the core's arbitration order (nepf_ctrl_fetch()).  Back-off is by
 *    time: it keeps polling without sleeping for spin_us after the last
 *    command was fetched or completed, then sleeps exponentially longer:
 *    at most 20 us while commands run, 50 us within a millisecond of the
 *    last command, idle_sleep_us within a second, then deep_idle_sleep_ms
 *    doubling every second up to cc_idle_poll_ms (poll-sched.c): an idle
 *    live controller wakes about 1000 / cc_idle_poll_ms times a second
 *    (20), and the first doorbell after idle waits up to cc_idle_poll_ms.
 * Admin commands run in the poll thread itself: queue creation and
 * deletion therefore never race with fetching.  I/O commands run as work
 * items on a high-priority workqueue, at most one queue's worth per SQ
 * at a time, except a lone one: when a pass fetched a single command,
 * nothing else is in flight and its namespace's recent ones were fast
 * (poll_exec_us, core.c nepf_ctrl_fetch()), the poll thread runs it
 * itself, saving the wakeup of a worker at QD1.  No wait on that path
 * needs the poll thread: DMA and window waits end by the engine or a
 * timeout, a full CQ queues the completion in the core (flushed by a
 * later pass), buffers were reserved at fetch, and a held command of
 * error injection goes to the workqueue.  cmd_wq_unbound=0 makes it per-CPU (WQ_PERCPU where the
 * kernel has the flag): each command stays on the CPU that fetched or
 * completed it.  That wins on the QEMU loopback, where host and endpoint
 * share the same few vCPUs (bench/README.md has the figures), but it
 * funnels every submission onto the poll thread's CPU; on a board the host
 * has its own CPUs and the backend may want several of ours, so unbound
 * stays the default.
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "glue.h"
#include "poll-sched.h"

static unsigned int cc_poll_ms = 2;
module_param(cc_poll_ms, uint, 0644);
MODULE_PARM_DESC(cc_poll_ms,
		 "controller register poll period while the host changes them (ms)");

static unsigned int cc_idle_poll_ms = 50;
module_param(cc_idle_poll_ms, uint, 0644);
MODULE_PARM_DESC(cc_idle_poll_ms,
		 "register poll period a second after the last change, and the longest idle doorbell poll sleep (ms)");

static unsigned int spin_us = 150;
module_param(spin_us, uint, 0644);
MODULE_PARM_DESC(spin_us,
		 "doorbell polling without sleep after the last command fetched or completed (us)");

static unsigned int idle_sleep_us = 1000;
module_param(idle_sleep_us, uint, 0644);
MODULE_PARM_DESC(idle_sleep_us,
		 "longest doorbell poll sleep within a second of the last command (us)");

static unsigned int deep_idle_sleep_ms = 16;
module_param(deep_idle_sleep_ms, uint, 0644);
MODULE_PARM_DESC(deep_idle_sleep_ms,
		 "doorbell poll sleep after a second without commands, doubling every second up to cc_idle_poll_ms (ms)");

static unsigned int poll_exec_us = NEPF_EXEC_HERE_US;
module_param(poll_exec_us, uint, 0644);
MODULE_PARM_DESC(poll_exec_us,
		 "a lone I/O command runs on the poll thread while its namespace's take less (us; 0: never); read at enable");

static bool cmd_wq_unbound = true;
module_param(cmd_wq_unbound, bool, 0644);
MODULE_PARM_DESC(cmd_wq_unbound,
		 "run commands on any CPU (1, default) or where queued (0); read at start");

#define NEPF_QUIESCE_WARN_S	10

static struct kmem_cache *nepf_cmd_cache;

static inline struct nepf_epf_ctrl *to_epf_ctrl(struct nepf_ctrl *ctrl)
{
	return ctrl->env_data;
}

/* ---- environment operations for the core ---- */

static int nepf_env_host_read(struct nepf_ctrl *ctrl, u64 pci_addr, void *buf,
			      size_t len)
{
	return nepf_dma_from_host(&to_epf_ctrl(ctrl)->dma, pci_addr, buf, len);
}

static int nepf_env_host_write(struct nepf_ctrl *ctrl, u64 pci_addr,
			       const void *buf, size_t len)
{
	return nepf_dma_to_host(&to_epf_ctrl(ctrl)->dma, pci_addr, buf, len);
}

static int nepf_env_host_xfer_segs(struct nepf_ctrl *ctrl,
				   const struct nepf_seg *seg, unsigned int nr,
				   void *buf, bool to_host)
{
	return nepf_dma_xfer_segs(&to_epf_ctrl(ctrl)->dma, seg, nr, buf,
				  to_host);
}

static int nepf_env_raise_irq(struct nepf_ctrl *ctrl, u16 vector)
{
	return nepf_irq_raise(&to_epf_ctrl(ctrl)->irq, vector);
}

static void nepf_cmd_work_fn(struct work_struct *work);

/* A command held back by error injection runs now (inject.c). */
static void nepf_env_exec_later(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nepf_cmd_ctx *ctx = container_of(cmd, struct nepf_cmd_ctx, cmd);

	ctx->finishing = false;
	nepf_cost_inc(ctrl->costs, HANDOFFS);
	nepf_cost_inc(ctrl->costs, HANDOFF_EXEC_LATER);
	queue_work(to_epf_ctrl(ctrl)->wq, &ctx->work);
}

/*
 * A backend ended a command after its submit returned (a bio's end_io in
 * interrupt context, the file backend's worker): finish it on the
 * workqueue, a second hand-off.  One that ended inside its submit (the
 * null backend, a block device that completes in queue_rq, a direct read
 * the page cache served) is finished by the command's own work item
 * instead (io-cmd.c io_submit()): one hand-off per I/O.
 */
static void nepf_env_defer(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nepf_epf_ctrl *g = to_epf_ctrl(ctrl);
	struct nepf_cmd_ctx *ctx = container_of(cmd, struct nepf_cmd_ctx, cmd);

	ctx->finishing = true;
	nepf_cost_inc(ctrl->costs, HANDOFFS);
	nepf_cost_inc(ctrl->costs, HANDOFF_DEFER);
	queue_work(g->wq, &ctx->work);
}

/*
 * An I/O CQ was created: the host has set up its interrupts by now, and
 * its ring may stay mapped (dma.c) until it is deleted.  CQs without
 * interrupts are not kept: on a link, writes through a window that stays
 * mapped reach the host by themselves, but vepc, the loopback EPC of the
 * tests, copies a window's contents to the host only at an interrupt or
 * an unmap, so a polled CQ would never see them there.
 */
static void *nepf_env_cq_created(struct nepf_ctrl *ctrl,
				 const struct nepf_cq *cq)
{
	struct nepf_epf_ctrl *g = to_epf_ctrl(ctrl);

	nepf_irq_refresh(&g->irq, true);
	if (!cq->irq_enabled)
		return NULL;
	return nepf_dma_win_keep(&g->dma, cq->pci_addr,
				 (size_t)cq->size * NVME_CQE_SIZE);
}

static void nepf_env_cq_deleted(struct nepf_ctrl *ctrl, void *map)
{
	nepf_dma_win_release(&to_epf_ctrl(ctrl)->dma, map);
}

static int nepf_env_cq_write(struct nepf_ctrl *ctrl, void *map, u32 off,
			     const void *buf, size_t len)
{
	return nepf_dma_win_write(&to_epf_ctrl(ctrl)->dma, map, off, buf, len);
}

/*
 * Buffers are virtually contiguous up to MDTS: kvmalloc() tries kmalloc
 * first and falls back to vmalloc; dma.c maps either kind.
 */
static void *nepf_env_alloc_buf(struct nepf_ctrl *ctrl, size_t len)
{
	void *buf = kvmalloc(len, GFP_KERNEL);

	nepf_cost_inc(ctrl->costs, ALLOCS);
	nepf_cost_add(ctrl->costs, ALLOC_BYTES, len);
	if (is_vmalloc_addr(buf))
		nepf_cost_inc(ctrl->costs, ALLOC_VMALLOC);
	return buf;
}

static void nepf_env_free_buf(struct nepf_ctrl *ctrl, void *buf, size_t len)
{
	kvfree(buf);
}

/*
 * The buffers bufpool.c keeps for reuse are made a few times per enable:
 * worth reclaim and compaction to get one physically contiguous piece
 * (one DMA descriptor per transfer) before kvmalloc()'s quick attempt.
 */
static void *nepf_env_alloc_big(struct nepf_ctrl *ctrl, size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);

	if (!buf)
		return nepf_env_alloc_buf(ctrl, len);
	nepf_cost_inc(ctrl->costs, ALLOCS);
	nepf_cost_add(ctrl->costs, ALLOC_BYTES, len);
	return buf;
}

/*
 * Format NVM, Sanitize and Device Self-test step in a work item of their
 * own, never in the poll thread: a step may sleep in a backend.
 */
static void nepf_env_bg_kick(struct nepf_ctrl *ctrl, unsigned int delay_ms)
{
	struct nepf_epf_ctrl *g = to_epf_ctrl(ctrl);

	mod_delayed_work(g->wq, &g->bg_work, msecs_to_jiffies(delay_ms));
}

static void nepf_bg_work_fn(struct work_struct *work)
{
	struct nepf_epf_ctrl *g = container_of(to_delayed_work(work),
					       struct nepf_epf_ctrl, bg_work);

	nepf_bg_run(&g->ctrl);
}

/* Abort what runs and wait until it ended (its backend I/O included). */
static void nepf_bg_end(struct nepf_epf_ctrl *g)
{
	unsigned int waited_ms = 0;

	nepf_bg_stop(&g->ctrl);
	while (!nepf_bg_idle(&g->ctrl)) {
		mod_delayed_work(g->wq, &g->bg_work, 0);
		flush_delayed_work(&g->bg_work);
		usleep_range(10000, 11000);
		waited_ms += 10;
		if (!(waited_ms % 10000))
			pr_warn("nvme_epf %s: background operation still running after %u s\n",
				g->ctrl.name, waited_ms / 1000);
	}
	cancel_delayed_work_sync(&g->bg_work);
}

/* ---- commands ---- */

/*
 * A command context for nepf_ctrl_fetch(), NULL once nepf_quiesce() began:
 * the pass then fetches nothing more.
 */
static struct nepf_cmd *nepf_env_alloc_cmd(struct nepf_ctrl *ctrl)
{
	struct nepf_epf_ctrl *g = to_epf_ctrl(ctrl);
	struct nepf_cmd_ctx *ctx;

	if (!READ_ONCE(g->ctrl_live))
		return NULL;
	nepf_cost_inc(ctrl->costs, ALLOCS);
	nepf_cost_add(ctrl->costs, ALLOC_BYTES, sizeof(*ctx));
	nepf_cost_add(ctrl->costs, ALLOC_ZEROED_BYTES, sizeof(*ctx));
	ctx = kmem_cache_zalloc(nepf_cmd_cache, GFP_KERNEL);
	if (!ctx)
		return NULL;
	ctx->ectrl = g;
	ctx->cmd.ctrl = ctrl;
	ctx->cmd.env_priv = ctx;
	INIT_WORK(&ctx->work, nepf_cmd_work_fn);
	return &ctx->cmd;
}

/* One the read did not fill. */
static void nepf_env_free_cmd(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	kmem_cache_free(nepf_cmd_cache,
			container_of(cmd, struct nepf_cmd_ctx, cmd));
}

/* The core is done with the command: its CQE is posted or queued. */
static void nepf_epf_cmd_release(struct nepf_cmd *cmd)
{
	struct nepf_cmd_ctx *ctx = container_of(cmd, struct nepf_cmd_ctx, cmd);
	struct nepf_epf_ctrl *g = ctx->ectrl;

	nepf_cost_max(g->ctrl.costs, DMA_DESCS_MAX, ctx->dma_descs);
	kmem_cache_free(nepf_cmd_cache, ctx);
	if (atomic_dec_and_test(&g->inflight))
		wake_up_all(&g->idle_wait);
	atomic_inc(&g->poll_kick);	/* a full SQ may have room again */
}

static void nepf_cmd_work_fn(struct work_struct *work)
{
	struct nepf_cmd_ctx *ctx = container_of(work, struct nepf_cmd_ctx, work);

	if (ctx->finishing)
		nepf_cmd_finish(&ctx->cmd);
	else
		nepf_cmd_exec(&ctx->cmd);
}

/*
 * The I/O command whose work item this thread runs, or NULL (the poll
 * thread, admin commands): dma.c counts its descriptors per command.
 */
struct nepf_cmd_ctx *nepf_epf_current_cmd(struct nepf_dma *d)
{
	struct nepf_epf_ctrl *g = container_of(d, struct nepf_epf_ctrl, dma);
	struct work_struct *work = current_work();

	if (current == g->poller)
		return g->poll_cmd;
	if (!work || work->func != nepf_cmd_work_fn)
		return NULL;
	return container_of(work, struct nepf_cmd_ctx, work);
}

/*
 * Start one fetched command: admin inline (see above), I/O as a work
 * item unless the core chose the poll thread for it (@here).
 */
static void nepf_env_start_cmd(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd,
			       bool here)
{
	struct nepf_epf_ctrl *g = to_epf_ctrl(ctrl);
	struct nepf_cmd_ctx *ctx = container_of(cmd, struct nepf_cmd_ctx, cmd);

	atomic_inc(&g->inflight);
	atomic64_inc(&g->nr_cmds);
	if (cmd->sqid == 0) {
		nepf_cmd_exec(cmd);
	} else if (here) {
		/* dma.c counts its descriptors; gone once it completed */
		g->poll_cmd = ctx;
		nepf_cmd_exec_here(cmd);
		g->poll_cmd = NULL;
	} else {
		nepf_cost_inc(ctrl->costs, HANDOFFS);
		nepf_cost_inc(ctrl->costs, HANDOFF_EXEC);
		queue_work(g->wq, &ctx->work);
	}
}

static const struct nepf_env_ops nepf_epf_env_ops = {
	.host_read = nepf_env_host_read,
	.host_write = nepf_env_host_write,
	.host_xfer_segs = nepf_env_host_xfer_segs,
	.raise_irq = nepf_env_raise_irq,
	.defer = nepf_env_defer,
	.alloc_buf = nepf_env_alloc_buf,
	.free_buf = nepf_env_free_buf,
	.alloc_big = nepf_env_alloc_big,
	.release_cmd = nepf_epf_cmd_release,
	.exec_later = nepf_env_exec_later,
	.cq_created = nepf_env_cq_created,
	.cq_deleted = nepf_env_cq_deleted,
	.cq_write = nepf_env_cq_write,
	.bg_kick = nepf_env_bg_kick,
	.alloc_cmd = nepf_env_alloc_cmd,
	.free_cmd = nepf_env_free_cmd,
	.start_cmd = nepf_env_start_cmd,
};

/* The module parameters as they are now (each may change at any time). */
static void nepf_poll_tun(struct nepf_poll_tun *t)
{
	t->idle_sleep_us = READ_ONCE(idle_sleep_us);
	t->deep_idle_sleep_ms = READ_ONCE(deep_idle_sleep_ms);
	t->cc_poll_ms = READ_ONCE(cc_poll_ms);
	t->cc_idle_poll_ms = READ_ONCE(cc_idle_poll_ms);
}

/*
 * Back off after a pass that found nothing, @quiet_ns after the last
 * command was fetched or completed; @naps: sleeps since then.  True if
 * the thread slept (a wakeup).
 */
static bool nepf_poll_sleep(struct nepf_epf_ctrl *g, unsigned int naps,
			    u64 quiet_ns, bool irq_waiting)
{
	struct nepf_poll_tun t;
	unsigned int us;

	nepf_poll_tun(&t);
	us = nepf_poll_sleep_us(&t, naps, quiet_ns,
				atomic_read(&g->inflight) || irq_waiting);
	if (us < 10) {
		nepf_cost_inc(g->ctrl.costs, POLL_DELAYS);
		udelay(us);
		return false;
	}
	nepf_cost_inc(g->ctrl.costs, POLL_SLEEPS);
	nepf_cost_add(g->ctrl.costs, POLL_SLEEP_US, us);
	usleep_range(us, us + us / 4);
	return true;
}

/*
 * The cheap half of the register poll, for the poll thread: every
 * cc_poll_ms, three local loads tell whether the host wrote CC, INTMS or
 * INTMC (or the controller failed); if so cc_work runs now rather than at
 * its idle period.
 */
static void nepf_poll_regs(struct nepf_epf_ctrl *g, u64 now, u64 *last)
{
	if (now - *last < (u64)cc_poll_ms * NSEC_PER_MSEC)
		return;
	*last = now;
	if (READ_ONCE(g->polling) &&
	    (nepf_regs_changed(&g->ctrl) || nepf_regs_msix_held(&g->ctrl) ||
	     nepf_ctrl_ns_moved(&g->ctrl) ||
	     READ_ONCE(g->ctrl.state) != NEPF_CTRL_LIVE))
		mod_delayed_work(g->ctl_wq, &g->cc_work, 0);
}

/*
 * poll_cpu (configfs): the poll thread @p runs there, or anywhere for -1.
 * A CPU offline by now (hotplug since the write) falls back to any CPU:
 * the function keeps working.  The scheduler does the same when the CPU
 * goes offline later; writing poll_cpu again binds the thread again.
 */
static void nepf_poll_bind(struct nepf_epf_ctrl *g, struct task_struct *p)
{
	int cpu, ret = -EINVAL;

	mutex_lock(&g->cpu_lock);
	cpu = READ_ONCE(g->fn->cfg.poll_cpu);
	cpus_read_lock();
	if (cpu >= 0 && cpu_online(cpu))
		ret = set_cpus_allowed_ptr(p, cpumask_of(cpu));
	if (ret) {
		if (cpu >= 0)
			dev_warn(&g->epf->dev, "poll thread: CPU %d unusable (%d), any CPU instead\n",
				 cpu, ret);
		set_cpus_allowed_ptr(p, cpu_possible_mask);
	}
	cpus_read_unlock();
	mutex_unlock(&g->cpu_lock);
}

/* Also while the thread starts: then it binds itself with the new value. */
void nepf_epf_ctrl_poll_cpu(struct nepf_epf_ctrl *g)
{
	if (g->poller)
		nepf_poll_bind(g, g->poller);
}

static int nepf_poll_thread(void *data)
{
	struct nepf_epf_ctrl *g = data;
	unsigned int naps = 0;
	u64 now, regs_ns = 0, active_ns = ktime_get_ns();
	bool irq_waiting, slept = false;
	int n;

	/*
	 * Here, not before the first wakeup: the kthread core sets a new
	 * thread's affinity itself once it runs (kthread_affine_node()).
	 */
	nepf_poll_bind(g, current);
	while (!kthread_should_stop()) {
		if (!READ_ONCE(g->ctrl_live)) {
			wait_event_interruptible(g->poll_wait,
						 READ_ONCE(g->ctrl_live) ||
						 kthread_should_stop());
			naps = 0;
			active_ns = ktime_get_ns();
			continue;
		}
		mutex_lock(&g->poll_lock);
		n = 0;
		if (READ_ONCE(g->ctrl_live)) {
			nepf_ctrl_flush_waiting(&g->ctrl);
			n = nepf_ctrl_fetch(&g->ctrl, g->fetch_buf);
		}
		/* A coalesced interrupt still held back: look again soon. */
		irq_waiting = nepf_irq_coalesce_flush(&g->ctrl,
						      ktime_get_ns()) != U64_MAX;
		mutex_unlock(&g->poll_lock);
		nepf_cost_inc(g->ctrl.costs, POLL_PASSES);
		now = ktime_get_ns();
		nepf_poll_regs(g, now, &regs_ns);
		/*
		 * A command fetched or completed (poll_kick: the host's next
		 * doorbell is likely near, and a full SQ may have room) keeps
		 * the thread polling for spin_us.
		 */
		if (n) {
			nepf_cost_inc(g->ctrl.costs, POLL_PASSES_FETCHED);
			if (slept)
				nepf_cost_inc(g->ctrl.costs, POLL_WAKEUPS_WORK);
		}
		if (n || atomic_xchg(&g->poll_kick, 0)) {
			if (!n)
				nepf_cost_inc(g->ctrl.costs, POLL_KICKS);
			slept = false;
			active_ns = now;
			naps = 0;
			cond_resched();
			continue;
		}
		if (now - active_ns < (u64)spin_us * NSEC_PER_USEC) {
			slept = false;
			cond_resched();
			continue;
		}
		slept = nepf_poll_sleep(g, naps++, now - active_ns, irq_waiting);
	}
	return 0;
}

/* ---- controller state changes (cc_work) ---- */

/* Stop fetching and wait until every fetched command is over. */
static void nepf_quiesce(struct nepf_epf_ctrl *g)
{
	unsigned int waited = 0;

	WRITE_ONCE(g->ctrl_live, false);
	/* The poll thread is out of its pass once we hold the lock. */
	mutex_lock(&g->poll_lock);
	mutex_unlock(&g->poll_lock);
	nepf_inject_drop_held(&g->ctrl);	/* they would never finish */
	while (!wait_event_timeout(g->idle_wait, !atomic_read(&g->inflight),
				   NEPF_QUIESCE_WARN_S * HZ)) {
		waited += NEPF_QUIESCE_WARN_S;
		dev_warn(&g->epf->dev, "%d commands still running after %u s\n",
			 atomic_read(&g->inflight), waited);
	}
}

static void nepf_cc_work_fn(struct work_struct *work)
{
	struct nepf_epf_ctrl *g = container_of(to_delayed_work(work),
					       struct nepf_epf_ctrl, cc_work);
	struct nepf_poll_tun t;
	enum nepf_regs_event ev;
	unsigned int ms;

	if (!READ_ONCE(g->polling))
		return;
	nepf_cost_inc(g->ctrl.costs, CC_POLLS);
	if (nepf_regs_changed(&g->ctrl))
		g->cc_active_ns = ktime_get_ns();
	/*
	 * Before the register poll, which sends the interrupts held for
	 * vectors the host unmasked: with the state asked just now (irq.c).
	 */
	nepf_irq_refresh(&g->irq, false);
	ev = nepf_regs_poll(&g->ctrl);
	if (ev != NEPF_REGS_NONE)
		g->cc_active_ns = ktime_get_ns();
	switch (ev) {
	case NEPF_REGS_ENABLE:
		nepf_info(&g->ctrl, "controller enabled by the host\n");
		WRITE_ONCE(g->ctrl.exec_here_ns,
			   (u64)READ_ONCE(poll_exec_us) * NSEC_PER_USEC);
		WRITE_ONCE(g->ctrl_live, true);
		wake_up(&g->poll_wait);
		break;
	case NEPF_REGS_DISABLE:
	case NEPF_REGS_SHUTDOWN:
		nepf_info(&g->ctrl, "controller %s by the host\n",
			  ev == NEPF_REGS_DISABLE ? "disabled" : "shutdown");
		nepf_quiesce(g);
		nepf_dma_recover(&g->dma);	/* nothing in flight now */
		/*
		 * Shutdown: the namespace flushes hold references, so a
		 * namespace disabled meanwhile (configfs) is closed only after
		 * its flush (nepf_ctrl_flush_ns()).
		 */
		nepf_ctrl_quiesced(&g->ctrl, ev);
		break;
	case NEPF_REGS_NONE:
		break;
	}
	/* Not while the poll thread runs admin commands (queue creation). */
	if (mutex_trylock(&g->poll_lock)) {
		nepf_regs_stray_doorbells(&g->ctrl);
		mutex_unlock(&g->poll_lock);
	}
	if (READ_ONCE(g->ctrl.state) == NEPF_CTRL_FATAL && READ_ONCE(g->ctrl_live))
		nepf_quiesce(g);	/* CSTS.CFS: wait for the host's reset */
	if (!READ_ONCE(g->polling))
		return;
	nepf_poll_tun(&t);
	ms = nepf_cc_poll_period_ms(&t, ktime_get_ns() - g->cc_active_ns,
				    READ_ONCE(g->ctrl_live) &&
				    READ_ONCE(g->ctrl.state) == NEPF_CTRL_LIVE);
	queue_delayed_work(g->ctl_wq, &g->cc_work, msecs_to_jiffies(ms));
}

/* ---- link events ---- */

void nepf_epf_ctrl_link_up(struct nepf_epf_ctrl *g)
{
	if (!g->wq)
		return;
	mutex_lock(&g->run_lock);
	if (READ_ONCE(g->stopping)) {
		mutex_unlock(&g->run_lock);
		return;
	}
	/* A loss not processed yet keeps transfers failing until it is. */
	if (!atomic_read(&g->link_losses))
		nepf_dma_link_lost(&g->dma, false);
	trace_nvme_epf_link(&g->ctrl, true);
	WRITE_ONCE(g->link_up, true);
	WRITE_ONCE(g->polling, true);
	g->cc_active_ns = ktime_get_ns();	/* the host enables soon */
	queue_delayed_work(g->ctl_wq, &g->cc_work, 0);
	mutex_unlock(&g->run_lock);
}

/*
 * A link-down event followed by link up before this work runs is still a
 * loss: the host re-enumerates and starts from scratch, so the controller
 * must be reset first (taking only the last event, a flap went unseen and
 * old commands completed into the new host's memory).
 */
static void nepf_link_work_fn(struct work_struct *work)
{
	struct nepf_epf_ctrl *g = container_of(work, struct nepf_epf_ctrl,
					       link_work);

	if (atomic_xchg(&g->link_losses, 0) || !READ_ONCE(g->link_want))
		nepf_epf_ctrl_link_down(g);
	if (READ_ONCE(g->link_want))
		nepf_epf_ctrl_link_up(g);
}

/*
 * The host is unreachable from now on (link down, PERST#): cut the
 * controller's generation, so that nothing fetched before touches host
 * memory again, and make transfers in progress give up instead of
 * waiting for their DMA timeout.  Never sleeps.
 */
void nepf_epf_ctrl_link_lost(struct nepf_epf_ctrl *g)
{
	nepf_ctrl_cut(&g->ctrl);
	nepf_dma_link_lost(&g->dma, true);
	atomic_inc(&g->link_losses);
}

/*
 * EPC link events arrive with the EPC's locks held, sometimes from inside
 * an EPC operation: only record them here (and cut off the host at once).
 * Waiting for commands (which use the EPC to reach the host) happens in
 * link_work.
 *
 * A link up after a link up is a loss too: the link went down in between
 * unannounced (before 6.9 the EPC core has no link-down event; a flap can
 * be too short for one), and the host enumerates again.  Commands of the
 * old host must be cut before the new one probes, which this event
 * precedes (the EPC tells the function first).
 */
void nepf_epf_ctrl_link_event(struct nepf_epf_ctrl *g, bool up)
{
	if (!up || READ_ONCE(g->link_want))
		nepf_epf_ctrl_link_lost(g);
	WRITE_ONCE(g->link_want, up);
	if (g->ctl_wq)
		queue_work(g->ctl_wq, &g->link_work);
}

/*
 * The host is gone (link down, unbind, EPC deinit): stop polling, finish
 * what runs, and forget the controller state: the host will enumerate and
 * enable the controller again from scratch.
 */
void nepf_epf_ctrl_link_down(struct nepf_epf_ctrl *g)
{
	if (!g->wq)
		return;
	/* link_work, unbind and EPC deinit may all get here at once. */
	mutex_lock(&g->run_lock);
	/* Nothing fetched so far may reach the host once this returns. */
	nepf_ctrl_cut(&g->ctrl);
	if (READ_ONCE(g->polling)) {	/* else never up, or already down */
		trace_nvme_epf_link(&g->ctrl, false);
		WRITE_ONCE(g->link_up, false);
		WRITE_ONCE(g->polling, false);
		cancel_delayed_work_sync(&g->cc_work);
		nepf_quiesce(g);
		/*
		 * Nothing in flight: an eDMA channel given up on during the
		 * loss gets its chance again now, not at a disable the new
		 * host never sends (its first command would make us fatal).
		 */
		nepf_dma_recover(&g->dma);
		nepf_ctrl_reset(&g->ctrl);
		nepf_regs_init(&g->ctrl);
	}
	mutex_unlock(&g->run_lock);
}

/*
 * The function stops (nvme_epf/ flow, before pci_epc_stop()): quiesce
 * while the link is still there.  On some SoCs a window or DMA access
 * after the EPC stopped the link is an external abort, and the host's
 * memory is off limits anyway.  No link up brings it back.
 */
void nepf_epf_ctrl_stop(struct nepf_epf_ctrl *g)
{
	WRITE_ONCE(g->stopping, true);
	nepf_epf_ctrl_link_down(g);
}

/*
 * A namespace goes away: no command may use it meanwhile.  Stop fetching
 * (admin commands run inside the poll pass) and wait for the running ones.
 */
void nepf_epf_ctrl_detach_ns(struct nepf_epf_ctrl *g, u32 nsid)
{
	mutex_lock(&g->poll_lock);
	/* Commands held by error injection would never end: abort them. */
	nepf_inject_end_held(&g->ctrl, NVME_SC_ABORT_REQ);
	wait_event(g->idle_wait, !atomic_read(&g->inflight));
	nepf_ctrl_detach_ns(&g->ctrl, nsid);
	nepf_inject_reopen(&g->ctrl);
	mutex_unlock(&g->poll_lock);
}

/* ---- setup ---- */

/*
 * The command workqueue, nvme_epf_<fn>.  WQ_SYSFS: the admin sets where
 * commands run in /sys/devices/virtual/workqueue/nvme_epf_<fn>/cpumask
 * (unbound only; a per-CPU one has no cpumask).  The kernel truncates the
 * name (WQ_NAME_LEN), so two long function names, or the same name in
 * nvme_epf/ and pci_ep/, can clash in sysfs: then without WQ_SYSFS.
 */
static struct workqueue_struct *nepf_cmd_wq_alloc(const char *name)
{
	unsigned int flags = (cmd_wq_unbound ? WQ_UNBOUND : NEPF_WQ_PERCPU) |
			     WQ_HIGHPRI;
	struct workqueue_struct *wq;

	wq = alloc_workqueue("nvme_epf_%s", flags | WQ_SYSFS, 0, name);
	if (wq)
		return wq;
	pr_warn("function %s: command workqueue not in sysfs (name taken?)\n",
		name);
	return alloc_workqueue("nvme_epf_%s", flags, 0, name);
}

/*
 * The register poll (CC.EN, CC.SHN, INTMS/INTMC, held MSI-X interrupts)
 * and link events: never queued behind a backlog of command work items,
 * and one at a time (link_work cancels cc_work).  WQ_MEM_RECLAIM: a
 * shutdown's flush may be what frees memory.
 */
static struct workqueue_struct *nepf_ctl_wq_alloc(const char *name)
{
	return alloc_ordered_workqueue("nvme_epf_%s_ctl",
				       WQ_HIGHPRI | WQ_MEM_RECLAIM, name);
}

int nepf_epf_ctrl_init(struct nepf_epf_ctrl *g)
{
	struct nepf_function *fn = g->fn;
	struct nepf_subsys *ss = fn->subsys;
	int ret, i;

	atomic_set(&g->inflight, 0);
	atomic_set(&g->poll_kick, 0);
	atomic_set(&g->link_losses, 0);
	init_waitqueue_head(&g->idle_wait);
	init_waitqueue_head(&g->poll_wait);
	mutex_init(&g->poll_lock);
	mutex_init(&g->run_lock);
	mutex_init(&g->cpu_lock);
	INIT_DELAYED_WORK(&g->cc_work, nepf_cc_work_fn);
	INIT_DELAYED_WORK(&g->bg_work, nepf_bg_work_fn);
	INIT_WORK(&g->link_work, nepf_link_work_fn);
	mutex_init(&g->costs_lock);
	memset(g->costs_base, 0, sizeof(g->costs_base));
	/* Before anything that counts: the core, DMA and interrupts do. */
	g->ctrl.costs = alloc_percpu(struct nepf_costs);
	if (!g->ctrl.costs)
		return -ENOMEM;
	/* kmalloc'ed on its own: DMA writes it (no shared cache lines) */
	g->fetch_buf = kmalloc_array(NEPF_FETCH_MAX, sizeof(*g->fetch_buf),
				     GFP_KERNEL);
	if (!g->fetch_buf) {
		ret = -ENOMEM;
		goto err_costs;
	}
	g->wq = nepf_cmd_wq_alloc(fn->name);
	if (!g->wq) {
		ret = -ENOMEM;
		goto err_buf;
	}
	g->ctl_wq = nepf_ctl_wq_alloc(fn->name);
	if (!g->ctl_wq) {
		ret = -ENOMEM;
		goto err_wq;
	}
	ret = nepf_dma_init(&g->dma, g->epf, fn->cfg.dma);
	if (ret)
		goto err_ctl_wq;
	g->dma.costs = g->ctrl.costs;
	ret = nepf_irq_init(&g->irq, g->epf, &g->ctrl, g->features);
	if (ret)
		goto err_dma;

	g->ctrl.env_data = g;
	ret = nepf_ctrl_init(&g->ctrl, g->bar, g->bar_size, &nepf_epf_env_ops);
	if (ret)
		goto err_irq;
	mutex_lock(&ss->lock);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (ss->ns[i])
			nepf_ctrl_attach_ns(&g->ctrl, ss->ns[i]);
	mutex_unlock(&ss->lock);
	nepf_kpool_serve(ss, &g->ctrl);

	g->poller = kthread_run(nepf_poll_thread, g, "nvme_epf/%s", fn->name);
	if (IS_ERR(g->poller)) {
		ret = PTR_ERR(g->poller);
		g->poller = NULL;
		goto err_ctrl;
	}
	nepf_stats_debugfs_add(g);
	return 0;

err_ctrl:
	nepf_kpool_unserve(ss, &g->ctrl);
	nepf_ctrl_reset(&g->ctrl);
err_irq:
	nepf_irq_exit(&g->irq);
err_dma:
	nepf_dma_exit(&g->dma);
err_ctl_wq:
	destroy_workqueue(g->ctl_wq);
	g->ctl_wq = NULL;
err_wq:
	destroy_workqueue(g->wq);
	g->wq = NULL;
err_buf:
	kfree(g->fetch_buf);
	g->fetch_buf = NULL;
err_costs:
	free_percpu(g->ctrl.costs);
	g->ctrl.costs = NULL;
	return ret;
}

void nepf_epf_ctrl_exit(struct nepf_epf_ctrl *g)
{
	int i;

	if (!g->wq)
		return;
	nepf_stats_debugfs_remove(g);
	cancel_work_sync(&g->link_work);
	nepf_epf_ctrl_link_down(g);
	if (g->poller)
		kthread_stop(g->poller);
	g->poller = NULL;
	/* No admin command starts one any more: end the one that runs. */
	nepf_bg_end(g);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (g->ctrl.ns[i])
			nepf_ctrl_detach_ns(&g->ctrl, i + 1);
	nepf_kpool_unserve(g->fn->subsys, &g->ctrl);
	destroy_workqueue(g->wq);
	g->wq = NULL;
	destroy_workqueue(g->ctl_wq);
	g->ctl_wq = NULL;
	nepf_irq_exit(&g->irq);
	nepf_dma_exit(&g->dma);
	kfree(g->fetch_buf);
	g->fetch_buf = NULL;
	free_percpu(g->ctrl.costs);
	g->ctrl.costs = NULL;
}

int nepf_epf_ctrl_module_init(void)
{
	nepf_cmd_cache = KMEM_CACHE(nepf_cmd_ctx, 0);
	return nepf_cmd_cache ? 0 : -ENOMEM;
}

void nepf_epf_ctrl_module_exit(void)
{
	nepf_stats_module_exit();
	kmem_cache_destroy(nepf_cmd_cache);
}
