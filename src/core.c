// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - controller lifecycle and the life of one command: fetch from an
 * SQ, execution (admin-cmd.c or io-cmd.c), completion into a CQ, interrupt
 * decision; error log, SMART counters, asynchronous events, namespaces.
 *
 * Threads: the environment fetches and runs admin commands from one poll
 * thread; I/O commands complete on any thread.  Queue slots and coalescing
 * state are under cq->lock, SQ inflight counts under ctrl->lock (taken
 * inside cq->lock when a completion starts to wait for room), events
 * under aer_lock, logs and counters under log_lock.  Host memory is never
 * touched with a lock held (host_write may sleep), and only through
 * nepf_host_read/write/irq(), which check the generation (ctrl.h).
 */
#include "ctrl.h"
#include "io-cmd.h"
#include "inject.h"

/*
 * A completion waiting for room in its CQ; @cqe is where it is built when
 * posted (host_write may DMA from it: never a stack buffer).
 */
struct nepf_cqe_wait {
	struct list_head node;		/* in cq->wait, oldest first */
	u32 gen;
	u16 sqid;
	u16 cid;
	u16 status;
	u64 result;
	struct nvme_cqe cqe;
};

/* The CMB: whole 4 KiB units, after everything else in BAR0. */
static bool ctrl_cmb_fits(const struct nepf_ctrl_config *cfg, size_t bar_size)
{
	u64 used = NVME_BAR_SIZE(cfg->max_io_queues + 1);

	if (cfg->nr_msix) {
		used = max_t(u64, used, (u64)cfg->msix_table_off + 16 * cfg->nr_msix);
		used = max_t(u64, used, (u64)cfg->msix_pba_off +
			     8 * DIV_ROUND_UP(cfg->nr_msix, 64));
	}
	return IS_ALIGNED(cfg->cmb_off, NEPF_CMB_UNIT) &&
	       IS_ALIGNED(cfg->cmb_size, NEPF_CMB_UNIT) &&
	       cfg->cmb_off >= used &&
	       (u64)cfg->cmb_off + cfg->cmb_size <= bar_size &&
	       cfg->cmb_off / NEPF_CMB_UNIT < BIT(20) &&
	       cfg->cmb_size / NEPF_CMB_UNIT < BIT(20);
}

/**
 * nepf_ctrl_init() - set a controller up before the host can see it
 * @ctrl: zero-allocated, with cfg, name, env_data and costs set
 * @bar: the BAR0 register file in local memory
 * @bar_size: its size in bytes
 * @env: the environment's operations
 *
 * Clamps the configuration to this implementation's limits, initialises
 * the locks, the features and the register file (nepf_regs_init()): the
 * controller is disabled, and waits for the host's CC.EN.
 *
 * Context: process context, once per controller.
 * Return: 0, or -EINVAL when @bar_size cannot hold the registers and
 * doorbells of cfg.max_io_queues queues, the MSI-X table and PBA, or the
 * CMB after them (4 KiB multiples).
 */
int nepf_ctrl_init(struct nepf_ctrl *ctrl, void *bar, size_t bar_size,
		   const struct nepf_env_ops *env)
{
	struct nepf_ctrl_config *cfg = &ctrl->cfg;
	unsigned int i;

	cfg->max_io_queues = clamp_t(u16, cfg->max_io_queues, 1, NEPF_MAX_IO_QUEUES);
	cfg->queue_depth = clamp_t(u16, cfg->queue_depth, 2, NEPF_MAX_QUEUE_ENTRIES);
	cfg->nr_vectors = clamp_t(u16, cfg->nr_vectors, 1, NEPF_MAX_VECTORS);
	if (bar_size < NVME_BAR_SIZE(cfg->max_io_queues + 1))
		return -EINVAL;
	if (cfg->nr_msix > NEPF_MAX_VECTORS ||
	    (cfg->nr_msix &&
	     ((u64)cfg->msix_table_off + 16 * cfg->nr_msix > bar_size ||
	      (u64)cfg->msix_pba_off + 8 * DIV_ROUND_UP(cfg->nr_msix, 64) > bar_size)))
		return -EINVAL;
	if (cfg->cmb_size && !ctrl_cmb_fits(cfg, bar_size))
		return -EINVAL;

	ctrl->bar = bar;
	ctrl->bar_size = bar_size;
	ctrl->cmb = cfg->cmb_size ? (u8 *)bar + cfg->cmb_off : NULL;
	ctrl->env = env;
	spin_lock_init(&ctrl->lock);
	spin_lock_init(&ctrl->aer_lock);
	INIT_KFIFO(ctrl->aer_cids);
	INIT_KFIFO(ctrl->aen_queue);
	spin_lock_init(&ctrl->log_lock);
	spin_lock_init(&ctrl->intm_lock);
	spin_lock_init(&ctrl->csts_lock);
	spin_lock_init(&ctrl->ns_lock);
	for (i = 0; i <= NEPF_MAX_IO_QUEUES; i++) {
		spin_lock_init(&ctrl->cq[i].lock);
		INIT_LIST_HEAD(&ctrl->cq[i].wait);
		ctrl->sq[i].qid = i;
		ctrl->cq[i].qid = i;
	}
	/* Number of Queues keeps its value across controller resets. */
	ctrl->nr_io_sqs_granted = cfg->max_io_queues;
	ctrl->nr_io_cqs_granted = cfg->max_io_queues;
	ctrl->created_ns = nepf_now_ns();
	nepf_seglist_setup(&ctrl->admin_sl, ctrl->admin_segs, NEPF_MAX_SEGS);
	nepf_bufs_init(ctrl);
	nepf_inject_ctrl_init(ctrl);
	nepf_bg_init(ctrl);
	nepf_features_reset(ctrl);
	nepf_regs_init(ctrl);
	return 0;
}

void nepf_ctrl_fatal(struct nepf_ctrl *ctrl, const char *why)
{
	nepf_warn(ctrl, "controller fatal status: %s\n", why);
	nepf_regs_set_fatal(ctrl);
}

/* ---- host access: nothing of an older generation reaches the host ---- */

/**
 * nepf_ctrl_cut() - make everything fetched so far unable to reach the host
 * @ctrl: the controller
 *
 * Starts a new generation: from now on a host access (DMA or window read
 * or write, CQE, interrupt) of a queue, command or data pointer of an
 * older one fails with -ESTALE without touching the host.  For a host
 * that is gone or resets the controller: link down, PERST#, CC.EN = 0,
 * function stop.  The environment then quiesces and calls
 * nepf_ctrl_reset() as usual.
 *
 * Context: any context but an interrupt handler; never sleeps.
 */
void nepf_ctrl_cut(struct nepf_ctrl *ctrl)
{
	spin_lock(&ctrl->lock);
	WRITE_ONCE(ctrl->gen, ctrl->gen + 1);
	spin_unlock(&ctrl->lock);
}

static int host_stale(struct nepf_ctrl *ctrl)
{
	spin_lock(&ctrl->log_lock);
	ctrl->nr_stale++;
	spin_unlock(&ctrl->log_lock);
	return -ESTALE;
}

/*
 * An access that fails while the generation changes failed because of
 * the cut (a lost link aborts transfers): -ESTALE too, so that callers
 * do not take it for a controller fault.
 */
static int host_result(struct nepf_ctrl *ctrl, u32 gen, int ret)
{
	if (nepf_gen_live(ctrl, gen))
		return ret;
	if (ret)
		return host_stale(ctrl);
	/*
	 * Begun before the cut, done after it: on a link the loss dropped
	 * or aborted it, but a late one means a cut did not stop us first.
	 */
	spin_lock(&ctrl->log_lock);
	ctrl->nr_cut_during++;
	spin_unlock(&ctrl->log_lock);
	return ret;
}

int nepf_host_read(struct nepf_ctrl *ctrl, u32 gen, u64 pci_addr, void *buf,
		   size_t len)
{
	if (!nepf_gen_live(ctrl, gen))
		return host_stale(ctrl);
	return host_result(ctrl, gen,
			   ctrl->env->host_read(ctrl, pci_addr, buf, len));
}

int nepf_host_write(struct nepf_ctrl *ctrl, u32 gen, u64 pci_addr,
		    const void *buf, size_t len)
{
	if (!nepf_gen_live(ctrl, gen))
		return host_stale(ctrl);
	return host_result(ctrl, gen,
			   ctrl->env->host_write(ctrl, pci_addr, buf, len));
}

/* A command's data segments at once (env->host_xfer_segs, not NULL). */
int nepf_host_xfer_segs(struct nepf_ctrl *ctrl, u32 gen,
			const struct nepf_seg *seg, unsigned int nr, void *buf,
			bool to_host)
{
	if (!nepf_gen_live(ctrl, gen))
		return host_stale(ctrl);
	return host_result(ctrl, gen, ctrl->env->host_xfer_segs(ctrl, seg, nr,
								buf, to_host));
}

/* A CQE through the mapping the environment keeps for the CQ's ring. */
static int host_cq_write(struct nepf_ctrl *ctrl, u32 gen, void *map, u32 off,
			 const void *buf, size_t len)
{
	if (!nepf_gen_live(ctrl, gen))
		return host_stale(ctrl);
	return host_result(ctrl, gen,
			   ctrl->env->cq_write(ctrl, map, off, buf, len));
}

/**
 * nepf_host_irq() - raise an interrupt of a generation
 * @ctrl: the controller
 * @gen: the generation the interrupt belongs to (its CQ's)
 * @vector: the interrupt vector, 0-based as in the CQ's IV field
 *
 * nepf_host_read() and nepf_host_write() do the same for host memory:
 * the environment's operation, unless @gen was cut.
 *
 * Context: as the environment's raise_irq().
 * Return: 0, -ESTALE when @gen is not the controller's generation (or
 * was cut while the raise failed), else raise_irq()'s error.
 */
int nepf_host_irq(struct nepf_ctrl *ctrl, u32 gen, u16 vector)
{
	if (!nepf_gen_live(ctrl, gen))
		return host_stale(ctrl);
	return host_result(ctrl, gen, ctrl->env->raise_irq(ctrl, vector));
}

/**
 * nepf_ctrl_reset() - controller reset: back to the state after init
 * @ctrl: the controller
 *
 * Cuts the generation, drops held commands, completions waiting for CQ
 * room and outstanding AERs (without completions), tears every queue
 * down, resets the features and clears CSTS (disabled).
 *
 * Context: process context, once no command is running (all released);
 * the environment calls it after quiescing, on CC.EN = 0, link loss or
 * function stop.
 */
void nepf_ctrl_reset(struct nepf_ctrl *ctrl)
{
	unsigned int qid;

	/* Whatever still runs belongs to the controller being reset. */
	nepf_ctrl_cut(ctrl);

	/* Normally the environment dropped them while quiescing. */
	nepf_inject_drop_held(ctrl);
	for (qid = 0; qid <= NEPF_MAX_IO_QUEUES; qid++)
		nepf_cq_drop_waiting(ctrl, &ctrl->cq[qid]);
	nepf_queues_teardown(ctrl);

	/* Outstanding AERs end with the admin queue, without a completion. */
	spin_lock(&ctrl->aer_lock);
	kfifo_reset(&ctrl->aer_cids);
	kfifo_reset(&ctrl->aen_queue);
	ctrl->aen_masked = 0;
	WRITE_ONCE(ctrl->ns_event, false);
	spin_unlock(&ctrl->aer_lock);
	/* Interrupts held by INTMS were for the queues just torn down. */
	spin_lock(&ctrl->intm_lock);
	ctrl->intm_pending = 0;
	spin_unlock(&ctrl->intm_lock);

	nepf_features_reset(ctrl);
	nepf_bg_reset(ctrl);
	nepf_telemetry_free(ctrl);
	nepf_bufs_drain(ctrl);
	ctrl->page_size = 0;
	WRITE_ONCE(ctrl->cc, ctrl->cc & ~NVME_CC_ENABLE);
	ctrl->rejected.valid = false;
	nepf_regs_set_disabled(ctrl);
	nepf_inject_reopen(ctrl);
}

static void cq_flush_waiting(struct nepf_ctrl *ctrl, struct nepf_cq *cq);

/* ---- fetch ---- */

/**
 * nepf_sq_pending() - commands waiting in a submission queue
 * @ctrl: the controller
 * @sq: a valid SQ
 *
 * Reads the SQ's tail doorbell.  An invalid value (past the queue's end,
 * or overrunning the head) counts as no new entries and is reported to
 * the host (Invalid Doorbell Write Value event).  Also posts the
 * completions that waited for room in the SQ's CQ.
 *
 * Context: the thread that fetches (the poll loop).
 * Return: the number of SQEs between the head and the tail.
 */
u32 nepf_sq_pending(struct nepf_ctrl *ctrl, struct nepf_sq *sq)
{
	u32 tail = nepf_regs_sq_tail(ctrl, sq->qid);
	struct nepf_cq *cq = &ctrl->cq[sq->cqid];

	/*
	 * The poll loop looks at every SQ: completions waiting for room in
	 * this SQ's CQ go out from here as soon as the host consumed some.
	 */
	if (unlikely(READ_ONCE(cq->nr_wait)))
		cq_flush_waiting(ctrl, cq);

	/*
	 * Past the queue's end, or overrunning the head (more new entries
	 * than free slots, or moved backwards): ignored and reported.
	 */
	if (unlikely(tail >= sq->size ||
		     nepf_ring_used(sq->head, tail, sq->size) <
		     nepf_ring_used(sq->head, sq->tail, sq->size)))
		nepf_ctrl_invalid_doorbell(ctrl, NVME_AER_ERROR_INVALID_DB_VAL);
	else
		sq->tail = tail;
	return nepf_ring_used(sq->head, sq->tail, sq->size);
}

/**
 * nepf_sq_readable() - SQEs one nepf_sq_read() would read now
 * @sq: the SQ, after nepf_sq_pending()
 *
 * Return: the pending SQEs from the head up to the ring's end.
 */
u32 nepf_sq_readable(const struct nepf_sq *sq)
{
	return min_t(u32, nepf_ring_used(sq->head, sq->tail, sq->size),
		     sq->size - sq->head);
}

/**
 * nepf_sq_read() - fetch a batch of SQEs with one host read
 * @ctrl: the controller
 * @sq: the SQ, after nepf_sq_pending()
 * @buf: room for @max SQEs
 * @max: the most to read
 * @gen: where the generation of the read is stored
 *
 * Reads the SQEs the last nepf_sq_pending() saw, up to the end of the
 * ring (nepf_sq_readable()).  They are consumed (the head moves): the
 * caller makes each a command with nepf_sq_take() and *@gen, so it has
 * its command objects ready first.  A read in a generation that is cut
 * before, while or just after it runs takes nothing: the head and the
 * error count stay as they were, and no command is made.  Of an I/O SQ
 * only the SQEs whose data buffers fit in the budget are taken
 * (nepf_bufs_admit(), which leaves their reservations in
 * ctrl->bufs.fetch_resv[]); the others stay in the SQ for a later pass.
 *
 * Context: the thread that fetches; may sleep (host_read).
 * Return: the number of SQEs taken; -EAGAIN when there is nothing to
 * read, none fits in the budget, the generation is cut, or the read failed
 * (the next call retries); -EIO when it failed NEPF_FETCH_TRIES times in
 * a row, and CSTS.CFS is set.
 */
int nepf_sq_read(struct nepf_ctrl *ctrl, struct nepf_sq *sq,
		 struct nvme_sqe *buf, u32 max, u32 *gen)
{
	u32 g = READ_ONCE(sq->gen);
	u32 n = min(max, nepf_sq_readable(sq));
	u64 addr;
	int ret;

	if (!READ_ONCE(sq->valid) || READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE ||
	    !nepf_gen_live(ctrl, g) || !n)
		return -EAGAIN;
	if (sq->cmb_ring) {
		/*
		 * The ring is in our BAR: a local copy, no host read.  The
		 * host wrote the entries before the tail doorbell that
		 * nepf_sq_pending() read (PCIe orders posted writes): read
		 * them after it.  Each is copied once into @buf, which is
		 * all that is looked at afterwards.
		 */
		dma_rmb();
		memcpy(buf, sq->cmb_ring + (size_t)sq->head * NVME_SQE_SIZE,
		       (size_t)n * NVME_SQE_SIZE);
		nepf_cost_add(ctrl->costs, SQES_CMB, n);
		goto taken;
	}
	addr = sq->pci_addr + (u64)sq->head * NVME_SQE_SIZE;
	ret = nepf_host_read(ctrl, g, addr, buf, (size_t)n * NVME_SQE_SIZE);
	if (!ret) {
		nepf_cost_inc(ctrl->costs, SQE_HOST_READS);
		nepf_cost_add(ctrl->costs, SQES_HOST, n);
	}
	if (ret == -ESTALE)
		return -EAGAIN;		/* cut meanwhile: nothing fetched */
	if (ret) {
		/*
		 * The entries stay in the SQ for the next pass: a DMA may
		 * fail once (a busy or reset engine).  Reads that keep
		 * failing are fatal: the host must reset us.
		 */
		if (++sq->fetch_errors < NEPF_FETCH_TRIES)
			return -EAGAIN;
		nepf_ctrl_fatal(ctrl, "cannot read a submission queue entry");
		return -EIO;
	}
taken:
	/* Cut just after the read: these commands would only fail. */
	if (!nepf_gen_live(ctrl, g))
		return -EAGAIN;
	sq->fetch_errors = 0;
	/* What the budget has no room for stays in the SQ, unread. */
	n = nepf_bufs_admit(ctrl, sq, buf, n);
	if (!n)
		return -EAGAIN;
	WRITE_ONCE(sq->head, (sq->head + n) % sq->size);
	*gen = g;
	return n;
}

/**
 * nepf_sq_take() - make one fetched SQE a command
 * @ctrl: the controller
 * @sq: the SQ nepf_sq_read() read it from
 * @gen: the generation nepf_sq_read() returned
 * @cmd: the command object (its env_priv is left alone)
 * @sqe: the SQE, in the read's buffer or already in @cmd->sqe
 *
 * Fills every field of @cmd but env_priv and counts it in flight on @sq
 * until nepf_cmd_complete().  Run it with nepf_cmd_exec().
 *
 * Context: the thread that fetches.
 */
void nepf_sq_take(struct nepf_ctrl *ctrl, struct nepf_sq *sq, u32 gen,
		  struct nepf_cmd *cmd, const struct nvme_sqe *sqe)
{
	if (sqe != &cmd->sqe)
		cmd->sqe = *sqe;
	cmd->ctrl = ctrl;
	cmd->gen = gen;
	cmd->sqid = sq->qid;
	cmd->cqid = sq->cqid;
	cmd->status = NVME_SC_SUCCESS;
	cmd->result = 0;
	cmd->err_lba = U64_MAX;
	cmd->dir = NEPF_DIR_NONE;
	cmd->data_len = 0;
	cmd->segs = NULL;
	cmd->buf = NULL;
	cmd->buf_resv = 0;
	cmd->io_state = NULL;
	cmd->submit = NEPF_SUBMIT_IDLE;
	cmd->ns = NULL;
	memset(&cmd->io, 0, sizeof(cmd->io));
	cmd->start_ns = nepf_now_ns();
	cmd->inj_flags = 0;
	INIT_LIST_HEAD(&cmd->held_node);
	trace_nvme_epf_cmd_fetch(cmd);

	spin_lock(&ctrl->lock);
	WRITE_ONCE(sq->inflight, sq->inflight + 1);	/* sq_fetchable() */
	spin_unlock(&ctrl->lock);
}

/*
 * Round-robin arbitration with the Arbitration Burst of Feature 01h, one
 * poll pass at a time: the admin SQ first (its commands change the set of
 * queues), then every I/O SQ once, from a start that moves by one I/O SQ
 * each pass.
 */
struct nepf_arb {
	unsigned int burst;	/* commands per SQ and pass */
	unsigned int first;	/* the I/O SQ served first, 0-based */
	unsigned int pos;	/* SQs looked at: 0 the admin SQ, then I/O */
};

static void arb_start(struct nepf_ctrl *ctrl, struct nepf_arb *arb)
{
	arb->burst = nepf_arb_burst_len(READ_ONCE(ctrl->feat.arbitration));
	arb->first = ctrl->arb_rr;
	arb->pos = 0;
	ctrl->arb_rr = (ctrl->arb_rr + 1) % NEPF_MAX_IO_QUEUES;
}

/*
 * The next SQ of the pass with commands waiting, and in *@count how many
 * it may give now (up to the burst); NULL when the pass is over or the
 * controller is not live.  Most passes find nothing: the tail doorbell
 * of each valid SQ is read (nepf_sq_pending()) before anything is
 * allocated, so that an idle pass costs one BAR load per SQ.
 */
static struct nepf_sq *arb_next(struct nepf_ctrl *ctrl, struct nepf_arb *arb,
				u32 *count)
{
	struct nepf_sq *sq;
	unsigned int qid;
	u32 n;

	while (arb->pos <= NEPF_MAX_IO_QUEUES) {
		qid = arb->pos ? 1 + (arb->first + arb->pos - 1) %
				 NEPF_MAX_IO_QUEUES : 0;
		arb->pos++;
		sq = &ctrl->sq[qid];
		if (!READ_ONCE(sq->valid))
			continue;
		/* Look at the doorbell only while the queues are served. */
		if (READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE)
			return NULL;
		n = min(arb->burst, nepf_sq_pending(ctrl, sq));
		if (n) {
			*count = n;
			return sq;
		}
	}
	return NULL;
}

/*
 * SQEs the next read of @sq's turn may take, @left of it remaining:
 * never more commands of one SQ in flight than it has entries (a host
 * that learnt a newer head from some completions may fill the ring again
 * while others still run), nothing past the ring's end, and for the admin
 * SQ one at a time: each admin command may change the controller before
 * the next is looked at.
 */
static u32 sq_fetchable(const struct nepf_sq *sq, u32 left)
{
	u32 inflight = READ_ONCE(sq->inflight);
	u32 room = sq->size - min_t(u32, sq->size, inflight);
	u32 max = sq->qid ? NEPF_FETCH_MAX : 1;

	return min(min(left, room), min(nepf_sq_readable(sq), max));
}

/*
 * One pass's commands as they start.  A lone I/O command may run on the
 * poll thread itself (run-to-completion, no hand-off: on a board a
 * thread wakeup costs more than a fast backend's whole I/O), so the
 * first I/O command of a pass waits in @held until the pass is over or a
 * second command came; everything else starts at once.
 */
struct nepf_pass {
	u32 n;				/* commands fetched so far */
	struct nepf_cmd *held;		/* the pass's first, not started yet */
};

/* @nsid's run-to-completion state, or NULL (not a namespace's command). */
static struct nepf_exec_est *exec_est(struct nepf_ctrl *ctrl,
				      const struct nepf_cmd *cmd)
{
	u32 nsid = le32_to_cpu(cmd->sqe.nsid);

	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NULL;
	return &ctrl->exec_est[nsid - 1];
}

/*
 * May the only command of a pass, @cmd, run on the poll thread?  Only
 * when nothing else of the function is in flight (the poll thread then
 * delays nobody's completion, and a backend queue of one cannot make it
 * wait for another command), and when its namespace's last command there
 * was quick and ended inside its submit (nepf_cmd_exec_here()): a slow
 * disk or an asynchronous backend (file) then turns it off for a while,
 * so it cannot keep every other queue's doorbell waiting.
 */
static bool exec_here_ok(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nepf_exec_est *est = exec_est(ctrl, cmd);
	u32 qid, inflight = 0;

	if (!est || est->off_left || nepf_now_ns() < est->off_until)
		return false;
	for (qid = 1; qid <= NEPF_MAX_IO_QUEUES; qid++)
		inflight += READ_ONCE(ctrl->sq[qid].inflight);
	return inflight == 1;		/* @cmd itself */
}

/* Start @cmd: an I/O command on the poll thread if @here, else handed off. */
static void start_cmd(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd, bool here)
{
	struct nepf_exec_est *est = cmd->sqid ? exec_est(ctrl, cmd) : NULL;

	if (est && est->off_left)
		est->off_left--;
	ctrl->env->start_cmd(ctrl, cmd, here);
}

/*
 * One more command of the pass, @cmd.  With run-to-completion on (and
 * nothing fetched before it in this pass), an I/O command waits in
 * @pass->held; a second command starts the held one (handed off), and
 * itself.
 */
static void pass_add(struct nepf_ctrl *ctrl, struct nepf_pass *pass,
		     struct nepf_cmd *cmd)
{
	if (!pass->n++ && cmd->sqid && READ_ONCE(ctrl->exec_here_ns)) {
		pass->held = cmd;
		return;
	}
	if (pass->held) {
		start_cmd(ctrl, pass->held, false);
		pass->held = NULL;
	}
	start_cmd(ctrl, cmd, false);
}

/*
 * Fetch and start the @count commands the arbitration gave @sq, a read
 * (one host read, one DMA descriptor in the kernel) at a time.  The
 * command objects of a read are allocated first, as many as it may take;
 * a read that takes fewer (failed, the generation was cut, or the buffer
 * budget held some back) frees the others again.  Returns the number of
 * commands fetched.
 */
static u32 sq_fetch(struct nepf_ctrl *ctrl, struct nepf_sq *sq, u32 count,
		    struct nvme_sqe *buf, struct nepf_pass *pass)
{
	const struct nepf_env_ops *env = ctrl->env;
	struct nepf_cmd *cmd[NEPF_FETCH_MAX];
	u32 i, k, gen, n = 0;
	int got;

	while (n < count) {
		/*
		 * Backpressure: no room in the buffer budget for even a 4 KiB
		 * buffer.  Checked before command objects are made for it.
		 */
		if (sq->qid && nepf_bufs_full(ctrl))
			break;
		k = sq_fetchable(sq, count - n);
		for (i = 0; i < k; i++) {
			cmd[i] = env->alloc_cmd(ctrl);
			if (!cmd[i])
				break;
		}
		k = i;
		got = k ? nepf_sq_read(ctrl, sq, buf, k, &gen) : 0;
		for (i = 0; i < k; i++) {
			if ((int)i < got) {
				nepf_sq_take(ctrl, sq, gen, cmd[i], &buf[i]);
				cmd[i]->buf_resv = ctrl->bufs.fetch_resv[i];
				pass_add(ctrl, pass, cmd[i]);
			} else {
				env->free_cmd(ctrl, cmd[i]);
			}
		}
		if (got <= 0)
			break;
		n += got;
	}
	return n;
}

/**
 * nepf_ctrl_fetch() - one poll pass: fetch the commands the SQs hold
 * @ctrl: the controller
 * @buf: room for NEPF_FETCH_MAX SQEs, where host reads land (not on the
 *	stack: the environment may DMA into it)
 *
 * Round-robin arbitration with the Arbitration Burst of Feature 01h: the
 * admin SQ first, then every I/O SQ once, from a start that moves by one
 * each pass, up to a burst each.  Each fetched command gets an object
 * from env->alloc_cmd() and is handed to env->start_cmd(); an admin
 * command must have run when that returns, since it may create or delete
 * the SQs that follow.  An I/O command runs on this thread
 * (run-to-completion, nepf_cmd_exec_here()) only when it is the pass's
 * only command, nothing else is in flight and its namespace's last ones
 * there were fast (exec_here_ok()); the others are handed off.
 *
 * Context: the thread that fetches (the poll loop); may sleep.
 * Return: the number of commands fetched.
 */
u32 nepf_ctrl_fetch(struct nepf_ctrl *ctrl, struct nvme_sqe *buf)
{
	struct nepf_pass pass = { 0 };
	struct nepf_arb arb;
	struct nepf_sq *sq;
	u32 count, n = 0;

	arb_start(ctrl, &arb);
	while ((sq = arb_next(ctrl, &arb, &count)))
		n += sq_fetch(ctrl, sq, count, buf, &pass);
	if (pass.held)
		start_cmd(ctrl, pass.held, pass.n == 1 &&
			  exec_here_ok(ctrl, pass.held));
	return n;
}

/* ---- execution ---- */

/**
 * nepf_cmd_exec() - run a command that nepf_sq_take() made
 * @cmd: the command
 *
 * Error injection looks at it first (it may complete it, or hold it and
 * run it again later through env->exec_later).  An admin command runs to
 * its completion here; an I/O command is validated, its data mapped and
 * read, and handed to its namespace's backend.  One that ends before that
 * returns (a synchronous backend, or no backend I/O at all) is finished
 * here, in this thread, without a hand-off; the others end with
 * nepf_cmd_backend_done().
 *
 * Context: process context; admin commands on the fetching thread.
 */
void nepf_cmd_exec(struct nepf_cmd *cmd)
{
	if (nepf_inject_cmd_hook(cmd))
		return;		/* completed or held by error injection */
	if (cmd->sqid == 0)
		nepf_admin_exec(cmd);
	else if (nepf_io_exec(cmd))
		nepf_cmd_finish(cmd);
}

/**
 * nepf_cmd_exec_here() - run an I/O command on the poll thread
 * @cmd: the command nepf_ctrl_fetch() chose for it (env->start_cmd)
 *
 * nepf_cmd_exec(), and what its namespace learns from it: one that did
 * not end inside its backend's submit, or took longer than
 * ctrl->exec_here_ns up to its completion, turns run-to-completion off
 * for that namespace for the next NEPF_EXEC_OFF_CMDS commands and
 * NEPF_EXEC_OFF_NS.  Error injection's commands keep their path (a held
 * one goes to env->exec_later) and teach nothing.
 *
 * Context: the poll thread; may sleep.
 */
void nepf_cmd_exec_here(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_exec_est *est = exec_est(ctrl, cmd);
	u64 t0 = nepf_now_ns(), t1;
	bool ended;

	nepf_cost_inc(ctrl->costs, EXEC_POLLER);
	if (nepf_inject_cmd_hook(cmd))
		return;		/* completed or held by error injection */
	ended = nepf_io_exec(cmd);
	if (ended)
		nepf_cmd_finish(cmd);
	/* @cmd may be gone from here on. */
	t1 = nepf_now_ns();
	if (!est || (ended && t1 - t0 <= READ_ONCE(ctrl->exec_here_ns)))
		return;
	nepf_cost_inc(ctrl->costs, EXEC_POLLER_OFF);
	est->off_left = NEPF_EXEC_OFF_CMDS;
	est->off_until = t1 + NEPF_EXEC_OFF_NS;
}

/**
 * nepf_cmd_backend_done() - the backend finished its part of a command
 * @cmd: the command
 * @status: an NVMe status, 0 for success
 *
 * Asks the environment (env->defer) to run nepf_cmd_finish() in process
 * context.  Only for an end that came after the backend's submit returned
 * (nepf_io_done() tells): one inside it is finished by the submitter.
 *
 * Context: any context (a bio's completion, for instance).
 */
void nepf_cmd_backend_done(struct nepf_cmd *cmd, u16 status)
{
	if (status)
		cmd->status = status;
	cmd->ctrl->env->defer(cmd->ctrl, cmd);
}

/**
 * nepf_cmd_finish() - the deferred end of an I/O command
 * @cmd: the command nepf_cmd_backend_done() deferred
 *
 * Writes read data to the host and completes the command, unless it has
 * a further step (Copy goes back to its backend between its steps).
 *
 * Context: process context (env->defer's work, or the thread that ran
 * the command, when it ended there); may sleep.
 */
void nepf_cmd_finish(struct nepf_cmd *cmd)
{
	/* Copy goes back to its backend between its steps. */
	if (cmd->sqid && nepf_io_finish(cmd))
		return;
	nepf_cmd_complete(cmd);
}

/* ---- completion ---- */

/*
 * Refresh cq->head from the doorbell (cq->lock held); false if invalid:
 * past the queue's end, or consuming entries never posted (the head may
 * only move forward, up to the tail).
 */
static bool cq_update_head(struct nepf_ctrl *ctrl, struct nepf_cq *cq)
{
	u32 head = nepf_regs_cq_head(ctrl, cq->qid);

	lockdep_assert_held(&cq->lock);

	if (unlikely(head >= cq->size ||
		     nepf_ring_used(cq->head, head, cq->size) >
		     nepf_ring_used(cq->head, cq->tail, cq->size)))
		return false;
	cq->head = head;
	return true;
}

static bool cq_has_room(struct nepf_ctrl *ctrl, struct nepf_cq *cq, bool *bad_db)
{
	if (!cq_update_head(ctrl, cq))
		*bad_db = true;
	return !nepf_ring_full(cq->head, cq->tail, cq->size);
}

/* Coalescing Disable (Feature 09h) on @cq's vector? */
static bool irq_cd(struct nepf_ctrl *ctrl, const struct nepf_cq *cq)
{
	return cq->vector < NEPF_MAX_VECTORS &&
	       (READ_ONCE(ctrl->feat.irq_config[cq->vector]) & NVME_IRQ_CONFIG_CD);
}

/*
 * Does Feature 08h (THR + 1 entries, TIME * 100 us) aggregate @cq's
 * interrupts?  Only an I/O CQ's without Coalescing Disable, and only with
 * both a threshold above one entry and a time.
 */
static bool irq_aggregated(struct nepf_ctrl *ctrl, const struct nepf_cq *cq,
			   u32 thr, u64 time_ns)
{
	return cq->qid && thr > 1 && time_ns && !irq_cd(ctrl, cq);
}

/*
 * Interrupt decision for one more completion on @cq (cq->lock held); true:
 * raise it now.  The admin CQ and vectors with Coalescing Disable
 * interrupt at every completion.  With Feature 08h: once THR + 1 entries
 * are pending or TIME passed since the first one (the poll pass raises
 * those that time out while nothing else completes).  Without it, one
 * interrupt per CQ and poll pass: at once when the completion was its
 * SQ's @last command in flight (at QD1, every one), else owed to the end
 * of the pass, so that a burst of completions costs one interrupt.
 */
static bool irq_coalesce(struct nepf_ctrl *ctrl, struct nepf_cq *cq, u64 now,
			 bool last)
{
	u32 co = READ_ONCE(ctrl->feat.irq_coalesce);
	u32 thr = NVME_IRQ_COALESCE_THR(co) + 1;
	u64 time_ns = (u64)NVME_IRQ_COALESCE_TIME(co) * 100000;
	bool aggregated = irq_aggregated(ctrl, cq, thr, time_ns);

	if (!cq->irq_enabled)
		return false;
	if (!cq->qid || irq_cd(ctrl, cq) || (!aggregated && last)) {
		WRITE_ONCE(cq->pending, 0);
		return true;
	}
	if (!cq->pending)
		cq->first_pending_ns = now;
	WRITE_ONCE(cq->pending, cq->pending + 1);
	if (aggregated &&
	    (cq->pending >= thr || now - cq->first_pending_ns >= time_ns)) {
		WRITE_ONCE(cq->pending, 0);
		return true;
	}
	return false;
}

/**
 * nepf_irq_coalesce_flush() - raise the interrupts held back until now
 * @ctrl: the controller
 * @now: the time, nepf_now_ns()
 *
 * For the end of each poll pass.  Without Feature 08h, a completion that
 * was not its SQ's last command in flight owes its CQ's interrupt to the
 * pass: raised here, one per CQ.  With it, a CQ's interrupt waits until
 * THR + 1 completions are pending or TIME * 100 us passed since the first
 * of them; a completion that comes later sends it, and when none comes
 * this does, once the time ran out by @now.
 *
 * Context: the poll loop, process context (raise_irq may sleep).
 * Return: the coalescing deadline: the earliest time an interrupt still
 * held back is due, U64_MAX when none is.
 */
u64 nepf_irq_coalesce_flush(struct nepf_ctrl *ctrl, u64 now)
{
	u32 co = READ_ONCE(ctrl->feat.irq_coalesce);
	u32 thr = NVME_IRQ_COALESCE_THR(co) + 1;
	u64 time_ns = (u64)NVME_IRQ_COALESCE_TIME(co) * 100000;
	u64 deadline = U64_MAX;
	unsigned int qid;

	for (qid = 0; qid <= NEPF_MAX_IO_QUEUES; qid++) {
		struct nepf_cq *cq = &ctrl->cq[qid];
		bool fire = false;
		u16 vector = 0;
		u32 gen = 0;

		if (!READ_ONCE(cq->valid) || !READ_ONCE(cq->pending))
			continue;
		spin_lock(&cq->lock);
		if (cq->valid && cq->pending && cq->irq_enabled) {
			if (!irq_aggregated(ctrl, cq, thr, time_ns) ||
			    now - cq->first_pending_ns >= time_ns) {
				WRITE_ONCE(cq->pending, 0);
				vector = cq->vector;
				gen = cq->gen;
				fire = true;
			} else {
				deadline = min(deadline,
					       cq->first_pending_ns + time_ns);
			}
		}
		spin_unlock(&cq->lock);
		if (fire)	/* not for an older generation */
			nepf_host_irq(ctrl, gen, vector);
	}
	return deadline;
}

/*
 * Write one CQE into slot @slot with phase @phase, then maybe interrupt
 * (@last: its command was the last of its SQ in flight, irq_coalesce()).
 */
static int cq_write(struct nepf_ctrl *ctrl, u32 gen, struct nepf_cq *cq,
		    u16 slot, u8 phase, struct nvme_cqe *cqe, u16 status,
		    bool last)
{
	bool raise;
	u16 vector;
	int ret;

	cqe->status = cpu_to_le16(NVME_CQE_STATUS(status, phase));
	/* cq->map stays until the CQ is deleted, never while we write. */
	if (cq->map)
		ret = host_cq_write(ctrl, gen, cq->map,
				    (u32)slot * NVME_CQE_SIZE, cqe, sizeof(*cqe));
	else
		ret = nepf_host_write(ctrl, gen, cq->pci_addr +
				      (u64)slot * NVME_CQE_SIZE,
				      cqe, sizeof(*cqe));
	if (ret) {
		if (ret != -ESTALE)
			nepf_ctrl_fatal(ctrl, "cannot write a completion queue entry");
		return ret;
	}
	nepf_cost_inc(ctrl->costs, CQES);
	spin_lock(&cq->lock);
	raise = cq->valid && irq_coalesce(ctrl, cq, nepf_now_ns(), last);
	vector = cq->vector;
	spin_unlock(&cq->lock);
	if (raise)
		nepf_host_irq(ctrl, gen, vector);
	return 0;
}

/* Take the next slot (cq->lock held). */
static u16 cq_reserve(struct nepf_cq *cq, u8 *phase)
{
	u16 slot = cq->tail;

	lockdep_assert_held(&cq->lock);

	*phase = cq->phase;
	cq->tail = nepf_ring_inc(cq->tail, cq->size);
	if (!cq->tail)
		cq->phase ^= 1;
	return slot;
}

static void cq_fill(struct nepf_ctrl *ctrl, struct nvme_cqe *cqe, u16 sqid,
		    u16 cid, u64 result)
{
	memset(cqe, 0, sizeof(*cqe));
	cqe->result = cpu_to_le32(lower_32_bits(result));
	cqe->result_hi = cpu_to_le32(upper_32_bits(result));
	cqe->sq_head = cpu_to_le16(READ_ONCE(ctrl->sq[sqid].head));
	cqe->sq_id = cpu_to_le16(sqid);
	cqe->cid = cid;
}

static void report_bad_cq_doorbell(struct nepf_ctrl *ctrl, bool bad_db)
{
	if (bad_db)
		nepf_ctrl_invalid_doorbell(ctrl, NVME_AER_ERROR_INVALID_DB_VAL);
}

static struct nepf_cqe_wait *cq_wait_alloc(struct nepf_ctrl *ctrl)
{
	struct nepf_cqe_wait *w = nepf_ctrl_zalloc(ctrl, sizeof(*w));

	if (!w)
		nepf_ctrl_fatal(ctrl, "out of memory for a completion");
	return w;
}

/*
 * Post a CQE, built in @buf (a command's, never on the stack) or, when
 * @buf is NULL, in the wait entry allocated for it.  @gen: the generation
 * of the command (or of the queue, for completions without a command); a
 * stale one posts nothing.
 */
static int cq_post(struct nepf_ctrl *ctrl, u32 gen, u16 cqid, u16 sqid,
		   u16 cid, u16 status, u64 result, struct nvme_cqe *buf)
{
	struct nepf_cqe_wait *w = NULL;
	struct nepf_cq *cq;
	bool bad_db = false;
	u16 slot;
	u8 phase;
	int ret;

	if (cqid > NEPF_MAX_IO_QUEUES || sqid > NEPF_MAX_IO_QUEUES)
		return -EINVAL;
	cq = &ctrl->cq[cqid];
	if (!buf) {
		w = cq_wait_alloc(ctrl);
		if (!w)
			return -ENOMEM;
		buf = &w->cqe;
	}
	for (;;) {
		spin_lock(&cq->lock);
		if (cq->gen != gen || !nepf_gen_live(ctrl, gen)) {
			spin_unlock(&cq->lock);
			nepf_free(w);
			return host_stale(ctrl);
		}
		if (!cq->valid) {
			spin_unlock(&cq->lock);
			nepf_free(w);
			return -ENOENT;
		}
		/* Older waiting completions go first. */
		if (!cq->nr_wait && cq_has_room(ctrl, cq, &bad_db))
			break;
		if (w) {
			if (cq->nr_wait >= NEPF_MAX_CQ_WAIT) {
				spin_unlock(&cq->lock);
				nepf_free(w);
				nepf_ctrl_fatal(ctrl, "the host does not consume its CQ");
				return -ENOSPC;
			}
			w->gen = gen;
			w->sqid = sqid;
			w->cid = cid;
			w->status = status;
			w->result = result;
			list_add_tail(&w->node, &cq->wait);
			cq->nr_wait++;
			/* Before the command ends: see sq_delete_done(). */
			spin_lock(&ctrl->lock);
			if (ctrl->sq[sqid].gen == gen)
				ctrl->sq[sqid].nr_cq_wait++;
			spin_unlock(&ctrl->lock);
			spin_unlock(&cq->lock);
			report_bad_cq_doorbell(ctrl, bad_db);
			return 0;
		}
		/* Allocate without the lock (may sleep), then look again. */
		spin_unlock(&cq->lock);
		w = cq_wait_alloc(ctrl);
		if (!w)
			return -ENOMEM;
	}
	slot = cq_reserve(cq, &phase);
	spin_unlock(&cq->lock);
	report_bad_cq_doorbell(ctrl, bad_db);

	cq_fill(ctrl, buf, sqid, cid, result);
	/* A command is still counted in flight (sq_put() comes after). */
	ret = cq_write(ctrl, gen, cq, slot, phase, buf, status,
		       READ_ONCE(ctrl->sq[sqid].inflight) <= 1);
	nepf_free(w);
	return ret;
}

int nepf_cq_post(struct nepf_ctrl *ctrl, u32 gen, u16 cqid, u16 sqid, u16 cid,
		 u16 status, u64 result)
{
	return cq_post(ctrl, gen, cqid, sqid, cid, status, result, NULL);
}

static void sq_put(struct nepf_ctrl *ctrl, u16 sqid, u32 gen, bool cqe_wait,
		   const struct nepf_cmd *posted, u64 lat_ns);

/* Post what waits on @cq while the host has made room. */
static void cq_flush_waiting(struct nepf_ctrl *ctrl, struct nepf_cq *cq)
{
	struct nepf_cqe_wait *w;
	bool bad_db;
	u16 slot;
	u8 phase;

	while (READ_ONCE(cq->nr_wait)) {
		bad_db = false;
		spin_lock(&cq->lock);
		if (!cq->valid || !cq->nr_wait || !cq_has_room(ctrl, cq, &bad_db)) {
			spin_unlock(&cq->lock);
			report_bad_cq_doorbell(ctrl, bad_db);
			return;
		}
		w = list_first_entry(&cq->wait, struct nepf_cqe_wait, node);
		list_del(&w->node);
		cq->nr_wait--;
		slot = cq_reserve(cq, &phase);
		spin_unlock(&cq->lock);

		cq_fill(ctrl, &w->cqe, w->sqid, w->cid, w->result);
		/* The poll pass that posts it ends with the interrupt. */
		cq_write(ctrl, w->gen, cq, slot, phase, &w->cqe, w->status,
			 false);
		/* The SQ's completion that waited for CQ room is posted. */
		sq_put(ctrl, w->sqid, w->gen, true, NULL, 0);
		nepf_free(w);
	}
}

static void ns_event_post(struct nepf_ctrl *ctrl);

/**
 * nepf_ctrl_flush_waiting() - the poll loop's periodic duties
 * @ctrl: the controller
 *
 * Posts completions queued while their CQ was full, the namespace
 * change event noted by nepf_ctrl_attach_ns()/nepf_ctrl_detach_ns(), and
 * the commands error injection held back whose time has come.
 *
 * Context: the poll loop; never while a reset runs.
 */
void nepf_ctrl_flush_waiting(struct nepf_ctrl *ctrl)
{
	unsigned int qid;

	for (qid = 0; qid <= NEPF_MAX_IO_QUEUES; qid++)
		cq_flush_waiting(ctrl, &ctrl->cq[qid]);
	/* The poll loop's other periodic duties: events, held commands. */
	if (unlikely(READ_ONCE(ctrl->ns_event)))
		ns_event_post(ctrl);
	nepf_inject_poll(ctrl);
}

void nepf_cq_drop_waiting(struct nepf_ctrl *ctrl, struct nepf_cq *cq)
{
	struct nepf_cqe_wait *w, *next;
	LIST_HEAD(drop);

	spin_lock(&cq->lock);
	list_splice_tail_init(&cq->wait, &drop);
	cq->nr_wait = 0;
	spin_unlock(&cq->lock);
	list_for_each_entry_safe(w, next, &drop, node)
		nepf_free(w);
}

/* The next Error Information log entry, cleared (log_lock held). */
static struct nvme_error_log_entry *err_log_next(struct nepf_ctrl *ctrl,
						 u16 status)
{
	struct nvme_error_log_entry *e;

	lockdep_assert_held(&ctrl->log_lock);

	ctrl->err_count++;
	e = &ctrl->err_log[(ctrl->err_count - 1) % NEPF_ERR_LOG_ENTRIES];
	memset(e, 0, sizeof(*e));
	e->error_count = cpu_to_le64(ctrl->err_count);
	e->status_field = cpu_to_le16(status << 1);
	e->param_error_location = cpu_to_le16(0xffff);	/* not reported */
	return e;
}

/* Error Information log entry for a failed command. */
static void err_log_add(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nvme_error_log_entry *e;
	u8 opc = cmd->sqe.opcode;

	spin_lock(&ctrl->log_lock);
	e = err_log_next(ctrl, cmd->status);
	e->sqid = cpu_to_le16(cmd->sqid);
	e->cmdid = cmd->sqe.cid;
	e->nsid = cmd->sqe.nsid;
	if (cmd->sqid && (opc == nvme_cmd_read || opc == nvme_cmd_write ||
			  opc == nvme_cmd_compare || opc == nvme_cmd_verify ||
			  opc == nvme_cmd_write_zeroes ||
			  opc == nvme_cmd_write_uncor))
		e->lba = cmd->sqe.rw.slba;
	/* The first LBA that failed, when io-cmd.c knows it. */
	if (cmd->sqid && cmd->err_lba != U64_MAX)
		e->lba = cpu_to_le64(cmd->err_lba);
	if (NVME_SCT(cmd->status) == NVME_SCT_MEDIA)
		ctrl->smart.media_errors++;
	spin_unlock(&ctrl->log_lock);
}

/* SMART / Health counters of an I/O command. */
static void smart_account(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nepf_smart *s = &ctrl->smart;
	u8 opc = cmd->sqe.opcode;
	u64 bytes = 0;

	if (cmd->ns)
		bytes = (u64)nvme_sqe_nlb(&cmd->sqe) << cmd->ns->lba_shift;
	spin_lock(&ctrl->log_lock);
	switch (opc) {
	case nvme_cmd_read:
		if (!cmd->status)
			s->bytes_read += bytes;
		fallthrough;
	case nvme_cmd_compare:
	case nvme_cmd_verify:
		s->host_reads++;
		break;
	case nvme_cmd_write:
		if (!cmd->status)
			s->bytes_written += bytes;
		fallthrough;
	case nvme_cmd_write_zeroes:
	case nvme_cmd_write_uncor:
	case nvme_cmd_copy:
		s->host_writes++;
		break;
	}
	spin_unlock(&ctrl->log_lock);
}

void nepf_stats_add(struct nepf_io_stats *s, const struct nepf_cmd *cmd,
		    u64 lat_ns)
{
	u64 us = lat_ns / 1000;
	unsigned int b = us ? min_t(unsigned int, ilog2(us) + 1,
				    NEPF_LAT_BUCKETS - 1) : 0;
	u64 bytes = 0;

	if (cmd->ns)
		bytes = (u64)nvme_sqe_nlb(&cmd->sqe) << cmd->ns->lba_shift;
	s->cmds++;
	s->lat[b]++;
	if (lat_ns > s->lat_max_ns)
		s->lat_max_ns = lat_ns;
	if (cmd->status)
		s->errors++;
	if (!cmd->sqid)
		return;
	if (cmd->sqe.opcode == nvme_cmd_read) {
		s->reads++;
		if (!cmd->status)
			s->bytes_read += bytes;
	} else if (cmd->sqe.opcode == nvme_cmd_write) {
		s->writes++;
		if (!cmd->status)
			s->bytes_written += bytes;
	}
}

/* Namespace statistics, then io-cmd.c's reference ends (nepf_ns_put()). */
static void ns_account_put(struct nepf_cmd *cmd, bool posted, u64 lat_ns)
{
	struct nepf_ns *ns = cmd->ns;

	if (posted) {
		spin_lock(&ns->ref_lock);
		nepf_stats_add(&ns->stats, cmd, lat_ns);
		spin_unlock(&ns->ref_lock);
	}
	cmd->ns = NULL;
	nepf_ns_put(ns);
}

/*
 * A deferred Delete I/O SQ may complete once none of the SQ's commands
 * runs and none of their completions waits for CQ room (ctrl->lock held).
 * True, and the command id of the Delete, if it completes now.
 */
static bool sq_delete_done(struct nepf_ctrl *ctrl, struct nepf_sq *sq, u16 *cid)
{
	lockdep_assert_held(&ctrl->lock);

	if (!sq->deleting || sq->inflight || sq->nr_cq_wait)
		return false;
	sq->deleting = false;
	ctrl->cq[sq->cqid].nr_sqs--;
	*cid = sq->delete_cid;
	return true;
}

/*
 * One of SQ @sqid's commands of generation @gen is over, or (@cqe_wait)
 * one of its completions that waited for CQ room is posted; a deferred
 * Delete I/O SQ may complete.  @posted: a command whose completion went
 * out, accounted in the SQ's statistics.
 */
static void sq_put(struct nepf_ctrl *ctrl, u16 sqid, u32 gen, bool cqe_wait,
		   const struct nepf_cmd *posted, u64 lat_ns)
{
	struct nepf_sq *sq = &ctrl->sq[sqid];
	bool deleted = false;
	u32 *count;
	u16 cid = 0;

	spin_lock(&ctrl->lock);
	if (posted)
		nepf_stats_add(&ctrl->sq_stats[sqid], posted, lat_ns);
	/* The SQ it came from may be gone: a new one is not ours to count. */
	if (sq->gen == gen) {
		count = cqe_wait ? &sq->nr_cq_wait : &sq->inflight;
		if (*count)
			WRITE_ONCE(*count, *count - 1);
		deleted = sq_delete_done(ctrl, sq, &cid);
	}
	spin_unlock(&ctrl->lock);
	if (deleted)
		nepf_cq_post(ctrl, gen, 0, 0, cid, NVME_SC_SUCCESS, 0);
}

void nepf_cmd_complete(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	bool posted = cmd->status != NEPF_STATUS_DEFERRED;
	u16 sqid = cmd->sqid;
	u64 lat_ns = 0;

	if (posted) {
		if (sqid)
			nepf_cost_inc(ctrl->costs, CMDS_IO);
		else
			nepf_cost_inc(ctrl->costs, CMDS_ADMIN);
		lat_ns = nepf_now_ns() - cmd->start_ns;
		trace_nvme_epf_cmd_done(cmd, lat_ns);
	}
	/*
	 * Fetched before a cut: the host that sent it is gone or reset and
	 * will see neither a completion nor a log entry of it.
	 */
	if (posted && nepf_gen_live(ctrl, cmd->gen)) {
		if (cmd->status)
			err_log_add(ctrl, cmd);
		if (sqid)
			smart_account(ctrl, cmd);
		cq_post(ctrl, cmd->gen, cmd->cqid, sqid, cmd->sqe.cid,
			cmd->status, cmd->result, &cmd->cqe);
	}
	if (sqid <= NEPF_MAX_IO_QUEUES)
		sq_put(ctrl, sqid, cmd->gen, false, posted ? cmd : NULL,
		       lat_ns);
	/* io-cmd.c's namespace reference ends with the command. */
	if (cmd->ns)
		ns_account_put(cmd, posted, lat_ns);
	nepf_bufs_unreserve(ctrl, cmd);
	if (ctrl->env->release_cmd)
		ctrl->env->release_cmd(cmd);
}

/* ---- asynchronous events ---- */

/* Complete AERs while both commands and events wait. */
static void aen_dispatch(struct nepf_ctrl *ctrl)
{
	u32 result = 0, gen;	/* set when got: gcc cannot tell */
	u16 cid = 0;
	bool got;

	for (;;) {
		spin_lock(&ctrl->aer_lock);
		/* A waiting AER and a waiting event make one completion. */
		got = !kfifo_is_empty(&ctrl->aer_cids) &&
		      !kfifo_is_empty(&ctrl->aen_queue) &&
		      kfifo_get(&ctrl->aer_cids, &cid) &&
		      kfifo_get(&ctrl->aen_queue, &result);
		/*
		 * The admin queue's generation with the AER it answers: a
		 * reset empties aer_cids (under this lock) before the next
		 * enable makes a new admin queue, so an old command id can
		 * never be posted into it.
		 */
		gen = READ_ONCE(ctrl->cq[0].gen);
		spin_unlock(&ctrl->aer_lock);
		if (!got)
			return;
		nepf_cq_post(ctrl, gen, 0, 0, cid, NVME_SC_SUCCESS, result);
	}
}

/* Is this event enabled by Asynchronous Event Configuration (0Bh)? */
static bool aen_enabled(struct nepf_ctrl *ctrl, u8 type, u8 info)
{
	u32 cfg = ctrl->feat.async_event_cfg;

	switch (type) {
	case NVME_AER_TYPE_ERROR:
		return true;		/* error events cannot be disabled */
	case NVME_AER_TYPE_SMART:	/* one configuration bit per warning */
		return cfg & (info == NVME_AER_SMART_TEMP_THRESH ?
			      NVME_SMART_CRIT_TEMPERATURE : NVME_AEN_CFG_SMART_MASK);
	case NVME_AER_TYPE_NOTICE:
		return info == NVME_AER_NOTICE_NS_CHANGED &&
		       (cfg & NVME_AEN_CFG_NS_ATTR);
	}
	return false;
}

/* Queue an event for an AER; false if it is masked or disabled. */
static bool aen_queue(struct nepf_ctrl *ctrl, u8 type, u8 info, u8 lid)
{
	spin_lock(&ctrl->aer_lock);
	/* One event per type until the host reads its log page. */
	if (!aen_enabled(ctrl, type, info) || (ctrl->aen_masked & BIT(type)) ||
	    !kfifo_put(&ctrl->aen_queue, NVME_AER_RESULT(type, info, lid))) {
		spin_unlock(&ctrl->aer_lock);
		return false;
	}
	ctrl->aen_masked |= BIT(type);
	spin_unlock(&ctrl->aer_lock);
	return true;
}

void nepf_ctrl_aen(struct nepf_ctrl *ctrl, u8 type, u8 info, u8 lid)
{
	if (aen_queue(ctrl, type, info, lid))
		aen_dispatch(ctrl);
}

/*
 * An invalid doorbell (NVMe 2.0 5.27.1.2, error information 00h/01h),
 * ignored: the event, and with it an Error Information log entry for the
 * host to read.  It concerns no command (SQID and command id FFFFh) and
 * carries the most applicable status: Invalid Queue Identifier for a
 * queue that does not exist, Invalid Field for a bad value.  Reported
 * once until the host reads the error log.
 */
void nepf_ctrl_invalid_doorbell(struct nepf_ctrl *ctrl, u8 info)
{
	struct nvme_error_log_entry *e;

	if (!aen_queue(ctrl, NVME_AER_TYPE_ERROR, info, NVME_LOG_ERROR))
		return;
	spin_lock(&ctrl->log_lock);
	e = err_log_next(ctrl, info == NVME_AER_ERROR_INVALID_DB_REG ?
			 NVME_SC_QID_INVALID : NVME_SC_INVALID_FIELD);
	e->sqid = cpu_to_le16(0xffff);
	e->cmdid = 0xffff;
	spin_unlock(&ctrl->log_lock);
	aen_dispatch(ctrl);
}

/* Asynchronous Event Request: NEPF_STATUS_DEFERRED or Limit Exceeded. */
u16 nepf_ctrl_aer_submit(struct nepf_ctrl *ctrl, u16 cid)
{
	spin_lock(&ctrl->aer_lock);
	if (!kfifo_put(&ctrl->aer_cids, cid)) {
		spin_unlock(&ctrl->aer_lock);
		return NVME_SC_ASYNC_LIMIT | NVME_STATUS_DNR;
	}
	spin_unlock(&ctrl->aer_lock);
	aen_dispatch(ctrl);
	return NEPF_STATUS_DEFERRED;
}

/* A log page was read with RAE = 0: events of its type may come again. */
void nepf_ctrl_aen_log_read(struct nepf_ctrl *ctrl, u8 lid)
{
	u32 unmask = 0;

	if (lid == NVME_LOG_ERROR)
		unmask = BIT(NVME_AER_TYPE_ERROR);
	else if (lid == NVME_LOG_SMART)
		unmask = BIT(NVME_AER_TYPE_SMART);
	else if (lid == NVME_LOG_CHANGED_NS)
		unmask = BIT(NVME_AER_TYPE_NOTICE);
	spin_lock(&ctrl->aer_lock);
	ctrl->aen_masked &= ~unmask;
	if (lid == NVME_LOG_CHANGED_NS)
		ctrl->nr_changed_ns = 0;
	spin_unlock(&ctrl->aer_lock);
}

/* ---- namespaces ---- */

/* The poll loop reports the change noted by nepf_ctrl_ns_changed(). */
static void ns_event_post(struct nepf_ctrl *ctrl)
{
	bool post;

	spin_lock(&ctrl->aer_lock);
	post = ctrl->ns_event;
	WRITE_ONCE(ctrl->ns_event, false);
	spin_unlock(&ctrl->aer_lock);
	if (post && READ_ONCE(ctrl->state) == NEPF_CTRL_LIVE)
		nepf_ctrl_aen(ctrl, NVME_AER_TYPE_NOTICE,
			      NVME_AER_NOTICE_NS_CHANGED, NVME_LOG_CHANGED_NS);
}

/*
 * A namespace changed.  This runs on the board's thread (configfs), which
 * neither the poll lock nor a reset's quiesce waits for: it only notes
 * the change, and the poll loop posts the event (ns_event_post()).  A
 * note taken in a generation a reset has cut is dropped: the reset
 * clears ns_event after the cut, under aer_lock.
 */
void nepf_ctrl_ns_changed(struct nepf_ctrl *ctrl, u32 nsid)
{
	/* Acquire: the state below is not older than this generation. */
	u32 gen = smp_load_acquire(&ctrl->gen);
	unsigned int i;

	/* Before the host enabled us there is nobody to tell. */
	if (READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE)
		return;
	spin_lock(&ctrl->aer_lock);
	for (i = 0; i < ctrl->nr_changed_ns; i++)
		if (ctrl->changed_ns[i] == nsid || ctrl->changed_ns[i] == NVME_NSID_ALL)
			break;
	if (i == ctrl->nr_changed_ns) {
		if (ctrl->nr_changed_ns < ARRAY_SIZE(ctrl->changed_ns)) {
			ctrl->changed_ns[ctrl->nr_changed_ns++] = nsid;
		} else {
			/* More than 1024 changes: the list says "rescan all". */
			ctrl->changed_ns[0] = NVME_NSID_ALL;
			ctrl->nr_changed_ns = 1;
		}
	}
	if (nepf_gen_live(ctrl, gen))
		WRITE_ONCE(ctrl->ns_event, true);
	spin_unlock(&ctrl->aer_lock);
}

/*
 * A namespace of a subsystem is attached to every controller serving it,
 * but Format NVM runs on one of them, which knows nothing of the others.
 * The format moves ns->id_gen; each controller compares it, at its
 * register poll (cc_poll_ms, or cc_idle_poll_ms when the host is quiet:
 * 50 ms by default), with what it last told its host.  The
 * namespace pointer and id_gen are read without a lock: a race with an
 * attach or a second format costs at most one event too many, never one
 * too few (the formatting controller notes its own at once).
 */
void nepf_ns_identity_changed(struct nepf_ctrl *ctrl, struct nepf_ns *ns)
{
	u32 gen = READ_ONCE(ns->id_gen) + 1;	/* one Format at a time owns ns */

	WRITE_ONCE(ns->id_gen, gen);
	WRITE_ONCE(ctrl->ns_id_gen[ns->nsid - 1], gen);
	nepf_ctrl_ns_changed(ctrl, ns->nsid);
}

/* Namespace @i's id_gen if it moved since @ctrl last noticed, else 0. */
static u32 nepf_ctrl_ns_moved_gen(struct nepf_ctrl *ctrl, unsigned int i)
{
	struct nepf_ns *ns;
	u32 gen;

	nepf_ns_lookup_begin();
	ns = READ_ONCE(ctrl->ns[i]);
	gen = ns ? READ_ONCE(ns->id_gen) : 0;
	nepf_ns_lookup_end();
	return ns && gen != READ_ONCE(ctrl->ns_id_gen[i]) ? gen : 0;
}

/**
 * nepf_ctrl_ns_moved() - did another controller format a namespace?
 * @ctrl: the controller
 *
 * The cheap check of the poll thread: nepf_ctrl_ns_poll() acts on it.
 *
 * Context: any thread; never sleeps.
 */
bool nepf_ctrl_ns_moved(struct nepf_ctrl *ctrl)
{
	unsigned int i;

	if (READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE)
		return false;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (nepf_ctrl_ns_moved_gen(ctrl, i))
			return true;
	return false;
}

/**
 * nepf_ctrl_ns_poll() - notice namespaces another controller formatted
 * @ctrl: the controller
 *
 * Context: the register poll (nepf_regs_poll()); never sleeps.
 */
void nepf_ctrl_ns_poll(struct nepf_ctrl *ctrl)
{
	unsigned int i;
	u32 gen;

	if (READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE)
		return;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		gen = nepf_ctrl_ns_moved_gen(ctrl, i);
		if (!gen)
			continue;
		WRITE_ONCE(ctrl->ns_id_gen[i], gen);
		nepf_ctrl_ns_changed(ctrl, i + 1);
	}
}

/**
 * nepf_ctrl_attach_ns() - make a namespace visible to the host
 * @ctrl: the controller
 * @ns: an open namespace, nsid 1..NEPF_MAX_NAMESPACES
 *
 * The environment serialises attach and detach with command processing
 * of the namespace (no I/O of a namespace runs while it is detached).
 * Neither touches host memory: the Namespace Attribute Changed event
 * goes out from nepf_ctrl_flush_waiting().
 *
 * Context: any thread; never sleeps.
 * Return: 0, or -EINVAL for a bad nsid.
 */
int nepf_ctrl_attach_ns(struct nepf_ctrl *ctrl, struct nepf_ns *ns)
{
	if (!ns || !ns->nsid || ns->nsid > NEPF_MAX_NAMESPACES)
		return -EINVAL;
	/* What the host learns now: formats before it are no news. */
	WRITE_ONCE(ctrl->ns_id_gen[ns->nsid - 1], READ_ONCE(ns->id_gen));
	spin_lock(&ctrl->ns_lock);
	/*
	 * Release: a command that finds the pointer (READ_ONCE(), an address
	 * dependency) sees the namespace as its backend set it up.
	 */
	smp_store_release(&ctrl->ns[ns->nsid - 1], ns);
	spin_unlock(&ctrl->ns_lock);
	nepf_ctrl_ns_changed(ctrl, ns->nsid);
	return 0;
}

/**
 * nepf_ctrl_detach_ns() - hide a namespace from the host
 * @ctrl: the controller
 * @nsid: its id; an id with no namespace attached is ignored
 *
 * As nepf_ctrl_attach_ns().  After it, nepf_ctrl_flush_ns() takes no new
 * reference to the namespace.
 *
 * Context: any thread; never sleeps.
 */
void nepf_ctrl_detach_ns(struct nepf_ctrl *ctrl, u32 nsid)
{
	if (!nsid || nsid > NEPF_MAX_NAMESPACES || !ctrl->ns[nsid - 1])
		return;
	/* After this, nepf_ctrl_flush_ns() takes no new reference. */
	spin_lock(&ctrl->ns_lock);
	WRITE_ONCE(ctrl->ns[nsid - 1], NULL);
	spin_unlock(&ctrl->ns_lock);
	nepf_ctrl_ns_changed(ctrl, nsid);
}

u64 nepf_ctrl_poh(const struct nepf_ctrl *ctrl)
{
	return div_u64(div_u64(nepf_now_ns() - ctrl->created_ns, 1000000000), 3600);
}

/*
 * MDTS as advertised: 2^n units of 4 KiB (CAP.MPSMIN).  Never 0 ("no
 * limit"): a segment list holds what NEPF_MAX_XFER_KB needs, no more.
 */
u8 nepf_ctrl_mdts(const struct nepf_ctrl *ctrl)
{
	u32 kb = ctrl->cfg.mdts_kb;

	if (!kb || kb > NEPF_MAX_XFER_KB)
		kb = NEPF_MAX_XFER_KB;
	return kb / 4 < 2 ? 1 : ilog2(kb / 4);
}

u32 nepf_ctrl_max_xfer(const struct nepf_ctrl *ctrl)
{
	u8 mdts = nepf_ctrl_mdts(ctrl);

	return mdts ? 4096U << mdts : 0;
}

/**
 * nepf_ctrl_flush_ns() - shutdown: flush every attached namespace
 * @ctrl: the controller
 *
 * Calls each attached namespace's flush_all() (a volatile write cache, a
 * file's page cache).  It runs on the register poll's thread while the
 * board may disable a namespace (configfs: detach, then nepf_ns_close(),
 * which closes and frees the backend).  Each namespace is flushed
 * holding a reference, taken under ns_lock, where detach clears the
 * pointer: the close waits for it.  One already going away is left to
 * its close, which flushes too.
 *
 * Context: process context; may sleep.
 */
void nepf_ctrl_flush_ns(struct nepf_ctrl *ctrl)
{
	struct nepf_ns *ns;
	unsigned int i;
	bool got;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		spin_lock(&ctrl->ns_lock);
		ns = READ_ONCE(ctrl->ns[i]);
		got = ns && nepf_ns_get(ns);
		spin_unlock(&ctrl->ns_lock);
		if (!got)
			continue;
		if (ns->ops && ns->ops->flush_all)
			ns->ops->flush_all(ns);
		nepf_ns_put(ns);
	}
}

/**
 * nepf_ctrl_quiesced() - finish a disable or a shutdown the host asked for
 * @ctrl: the controller
 * @ev: what nepf_regs_poll() returned: NEPF_REGS_DISABLE or
 *	NEPF_REGS_SHUTDOWN (anything else is ignored)
 *
 * For the environment's register poll, once it has quiesced: it stopped
 * fetching, dropped the commands error injection holds
 * (nepf_inject_drop_held()) and waited until every fetched command was
 * released.  A disable resets the controller (nepf_ctrl_reset(): CSTS
 * clear).  A shutdown sends the interrupts its completions still owe (no
 * poll pass runs any more to send them), flushes every namespace
 * (nepf_ctrl_flush_ns()), then reports CSTS.SHST complete.
 *
 * Context: process context, the register poll's thread; may sleep.
 */
void nepf_ctrl_quiesced(struct nepf_ctrl *ctrl, enum nepf_regs_event ev)
{
	if (ev == NEPF_REGS_DISABLE) {
		nepf_ctrl_reset(ctrl);
	} else if (ev == NEPF_REGS_SHUTDOWN) {
		nepf_irq_coalesce_flush(ctrl, U64_MAX);
		nepf_ctrl_flush_ns(ctrl);
		nepf_regs_set_shutdown_done(ctrl);
	}
}
