// SPDX-License-Identifier: GPL-2.0
/*
 * bufpool.c - the data buffers of I/O commands, and the budget that gives
 * a host backpressure instead of running the board out of memory.
 *
 * Buffers: a command's data of up to 4 KiB goes into a slot of
 * NEPF_BUF_SLOT bytes; NEPF_BUF_SLOTS free slots are kept for the next
 * commands.  Larger data goes into one of NEPF_BUF_BIGS kept buffers of
 * MDTS bytes, made on first need (env->alloc_big(): physically contiguous
 * if at all possible), or, when all are busy, into a buffer of its own from
 * env->alloc_buf() that is freed again with the command.  The environment
 * only provides the memory; which buffer a command gets is decided here.
 *
 * Budget: nepf_sq_read() asks nepf_bufs_admit() before it takes SQEs.
 * Each Read, Write, Compare, Verify and emulated Write Zeroes reserves the
 * bytes its buffer will take (a whole slot for up to 4 KiB) until it
 * completes (nepf_cmd_complete()).  An SQE whose reservation would pass
 * cfg.buf_budget_kb is not taken: it and those behind it stay in the
 * host's SQ, the head does not move, and the next poll pass tries again
 * (a completion kicks the poller).  A command is always admitted when no
 * other holds a reservation, so one larger than the budget still runs.
 * Copy reserves MDTS (its data is at most MCL <= MDTS blocks), Dataset
 * Management a slot for its ranges.  The memory in use is then at most the
 * budget (or one command) plus the kept buffers: NEPF_BUF_SLOTS slots and
 * NEPF_BUF_BIGS x MDTS, plus what the core takes without a reservation
 * from the same kept ones: Compare's second buffer (4 KiB) and the
 * PRP/SGL fetch buffer (512 bytes), one each per command at most.
 *
 * Commands of an old generation (a reset or link loss meanwhile) still
 * return their buffers and reservations when they complete; the kept
 * buffers are freed when the controller is reset (nepf_bufs_drain()), when
 * no command runs.
 */
#include "ctrl.h"

static u64 bufs_budget(const struct nepf_ctrl *ctrl)
{
	u32 kb = ctrl->cfg.buf_budget_kb;

	return (u64)(kb ? kb : NEPF_DEFAULT_BUF_BUDGET_KB) << 10;
}

void nepf_bufs_init(struct nepf_ctrl *ctrl)
{
	spin_lock_init(&ctrl->bufs.lock);
	ctrl->bufs.budget = bufs_budget(ctrl);
}

/* The size of the kept large buffers: MDTS (no limit: the largest). */
static u32 bufs_big_size(const struct nepf_ctrl *ctrl)
{
	u32 max = nepf_ctrl_max_xfer(ctrl);

	return max ? max : NEPF_MAX_XFER_KB << 10;
}

static void *bufs_alloc(struct nepf_ctrl *ctrl, u32 size, bool kept)
{
	const struct nepf_env_ops *env = ctrl->env;
	struct nepf_bufpool *p = &ctrl->bufs;
	void *buf = kept && env->alloc_big ? env->alloc_big(ctrl, size) :
					     env->alloc_buf(ctrl, size);

	if (!buf)
		return NULL;
	spin_lock(&p->lock);
	p->misses++;
	p->held += size;
	p->held_peak = max(p->held_peak, p->held);
	spin_unlock(&p->lock);
	nepf_cost_inc(ctrl->costs, BUF_MISSES);
	return buf;
}

static void bufs_free(struct nepf_ctrl *ctrl, void *buf, u32 size)
{
	struct nepf_bufpool *p = &ctrl->bufs;

	spin_lock(&p->lock);
	p->held -= size;
	spin_unlock(&p->lock);
	ctrl->env->free_buf(ctrl, buf, size);
}

static void *bufs_hit(struct nepf_ctrl *ctrl, void *buf)
{
	ctrl->bufs.hits++;
	nepf_cost_inc(ctrl->costs, BUF_HITS);
	return buf;
}

/* A kept large buffer: a free one, or a place to make one (-1: none). */
static int bufs_big_take(struct nepf_bufpool *p, u32 len, u32 big, void **buf)
{
	int i, place = -1;

	for (i = 0; i < NEPF_BUF_BIGS; i++) {
		struct nepf_bigbuf *b = &p->big[i];

		if (b->busy)
			continue;
		if (b->buf && b->size >= len) {
			b->busy = true;
			*buf = b->buf;
			return i;
		}
		/* Empty, or made for an MDTS that was smaller. */
		if (place < 0 && (!b->buf || b->size < big))
			place = i;
	}
	*buf = NULL;
	if (place >= 0)
		p->big[place].busy = true;	/* claimed while allocating */
	return place;
}

/**
 * nepf_buf_get() - a data buffer of at least @len bytes
 * @ctrl: the controller
 * @len: bytes, at most MDTS for a command's data
 *
 * Never refused for the budget: the fetch reserved it (or the buffer is
 * one the core takes without a reservation).  Not zeroed.
 *
 * Context: process context; may sleep.
 * Return: the buffer, or NULL when no memory could be had.
 */
void *nepf_buf_get(struct nepf_ctrl *ctrl, u32 len)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	u32 big = bufs_big_size(ctrl);
	void *buf = NULL, *old = NULL;
	u32 old_size = 0;
	int i;

	if (len <= NEPF_BUF_SLOT) {
		spin_lock(&p->lock);
		if (p->nr_slots)
			buf = bufs_hit(ctrl, p->slot[--p->nr_slots]);
		spin_unlock(&p->lock);
		return buf ? buf : bufs_alloc(ctrl, NEPF_BUF_SLOT, false);
	}
	if (len > big)			/* never a command's data */
		return bufs_alloc(ctrl, len, false);

	spin_lock(&p->lock);
	i = bufs_big_take(p, len, big, &buf);
	if (buf) {
		buf = bufs_hit(ctrl, buf);
	} else if (i >= 0) {
		old = p->big[i].buf;
		old_size = p->big[i].size;
		p->big[i].buf = NULL;
	}
	spin_unlock(&p->lock);
	if (buf || i < 0)
		return buf ? buf : bufs_alloc(ctrl, len, false);

	/* Make the kept buffer at place i (replacing a smaller one). */
	if (old)
		bufs_free(ctrl, old, old_size);
	buf = bufs_alloc(ctrl, big, true);
	spin_lock(&p->lock);
	p->big[i].buf = buf;
	p->big[i].size = big;
	p->big[i].busy = !!buf;
	spin_unlock(&p->lock);
	return buf ? buf : bufs_alloc(ctrl, len, false);
}

/**
 * nepf_buf_put() - give back a buffer of nepf_buf_get()
 * @ctrl: the controller
 * @buf: the buffer (NULL: nothing)
 * @len: the length nepf_buf_get() was given
 *
 * Context: process context.
 */
void nepf_buf_put(struct nepf_ctrl *ctrl, void *buf, u32 len)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	int i;

	if (!buf)
		return;
	spin_lock(&p->lock);
	if (len <= NEPF_BUF_SLOT) {
		if (p->nr_slots < NEPF_BUF_SLOTS) {
			p->slot[p->nr_slots++] = buf;
			spin_unlock(&p->lock);
			return;
		}
		len = NEPF_BUF_SLOT;
	} else {
		for (i = 0; i < NEPF_BUF_BIGS; i++) {
			if (p->big[i].buf == buf) {
				p->big[i].busy = false;
				spin_unlock(&p->lock);
				return;
			}
		}
	}
	spin_unlock(&p->lock);
	bufs_free(ctrl, buf, len);
}

/**
 * nepf_bufs_drain() - free the kept buffers that no command uses
 * @ctrl: the controller
 *
 * At a controller reset every command has been released, so everything
 * goes; a reservation still held then is a leak: reported and dropped, so
 * that the next controller is not held back forever.
 *
 * Context: process context.
 */
void nepf_bufs_drain(struct nepf_ctrl *ctrl)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	void *buf;
	u32 size;
	int i;

	for (;;) {
		buf = NULL;
		spin_lock(&p->lock);
		if (p->nr_slots) {
			buf = p->slot[--p->nr_slots];
			size = NEPF_BUF_SLOT;
		}
		for (i = 0; !buf && i < NEPF_BUF_BIGS; i++) {
			if (p->big[i].buf && !p->big[i].busy) {
				buf = p->big[i].buf;
				size = p->big[i].size;
				p->big[i].buf = NULL;
			}
		}
		spin_unlock(&p->lock);
		if (!buf)
			break;
		bufs_free(ctrl, buf, size);
	}
	spin_lock(&p->lock);
	if (p->nr_resv || p->reserved) {
		nepf_warn(ctrl, "buffer budget: %u reservations (%llu bytes) left at reset\n",
			  p->nr_resv, (unsigned long long)p->reserved);
		p->nr_resv = 0;
		p->reserved = 0;
	}
	/* A changed buf_budget_kb applies from the next enable on. */
	p->budget = bufs_budget(ctrl);
	spin_unlock(&p->lock);
}

/*
 * The bytes an I/O SQE's data buffer will take: 0 for commands without
 * one or that will fail their checks (no namespace, over MDTS).  Copy
 * holds its descriptors, then its data (at most MCL <= MDTS blocks), so
 * it reserves MDTS; Dataset Management's ranges fit in a slot.  The
 * namespace's block size is read without a reference: a Format that
 * changes it meanwhile fails the command (Format in Progress), and the
 * buffer is not refused anyway.
 */
static u32 bufs_need(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe)
{
	u32 nsid = le32_to_cpu(sqe->nsid), max = nepf_ctrl_max_xfer(ctrl);
	struct nepf_ns *ns;
	bool emulated_wz;
	u64 bytes;
	u8 shift;

	switch (sqe->opcode) {
	case nvme_cmd_dsm:
		return NEPF_BUF_SLOT;
	case nvme_cmd_copy:
		return max ? max : NEPF_MAX_XFER_KB << 10;
	case nvme_cmd_read:
	case nvme_cmd_write:
	case nvme_cmd_compare:
	case nvme_cmd_verify:
	case nvme_cmd_write_zeroes:
		break;
	default:
		return 0;
	}
	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return 0;
	nepf_ns_lookup_begin();
	ns = READ_ONCE(ctrl->ns[nsid - 1]);
	shift = ns ? READ_ONCE(ns->lba_shift) : 0;
	emulated_wz = ns && !ns->can_write_zeroes;
	nepf_ns_lookup_end();
	if (!ns || (sqe->opcode == nvme_cmd_write_zeroes && !emulated_wz))
		return 0;
	bytes = (u64)nvme_sqe_nlb(sqe) << shift;
	if (max && bytes > max)
		return 0;
	return bytes <= NEPF_BUF_SLOT ? NEPF_BUF_SLOT : (u32)bytes;
}

/**
 * nepf_bufs_admit() - reserve the buffers of SQEs before taking them
 * @ctrl: the controller
 * @sq: the SQ they were read from
 * @sqe: the SQEs, in order
 * @n: how many
 *
 * Reserves for the longest prefix that fits in the budget (always at
 * least one when no command holds a reservation) and leaves each one's
 * reservation in ctrl->bufs.fetch_resv[] for nepf_sq_take()'s caller.
 * The admin SQ is never held back.
 *
 * Context: the thread that fetches.
 * Return: the number of SQEs that may be taken.
 */
u32 nepf_bufs_admit(struct nepf_ctrl *ctrl, const struct nepf_sq *sq,
		    const struct nvme_sqe *sqe, u32 n)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	u32 *resv = p->fetch_resv;
	u32 i;

	n = min_t(u32, n, NEPF_FETCH_MAX);
	for (i = 0; i < n; i++)
		resv[i] = sq->qid ? bufs_need(ctrl, &sqe[i]) : 0;
	spin_lock(&p->lock);
	for (i = 0; i < n; i++) {
		if (!resv[i])
			continue;
		if (p->reserved + resv[i] > p->budget) {
			if (p->nr_resv)
				break;
			p->over++;	/* alone: runs past the budget */
		}
		p->reserved += resv[i];
		p->nr_resv++;
	}
	p->reserved_peak = max(p->reserved_peak, p->reserved);
	if (i < n)
		p->waits++;
	spin_unlock(&p->lock);
	if (i < n)
		nepf_cost_inc(ctrl->costs, BUF_WAITS);
	return i;
}

/* Whether an I/O SQ's turn can take nothing now (no need to read it). */
bool nepf_bufs_full(struct nepf_ctrl *ctrl)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	bool full;

	spin_lock(&p->lock);
	full = p->nr_resv && p->reserved + NEPF_BUF_SLOT > p->budget;
	if (full)
		p->waits++;
	spin_unlock(&p->lock);
	if (full)
		nepf_cost_inc(ctrl->costs, BUF_WAITS);
	return full;
}

/* The command completed: its reservation ends (any thread). */
void nepf_bufs_unreserve(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct nepf_bufpool *p = &ctrl->bufs;

	if (!cmd->buf_resv)
		return;
	spin_lock(&p->lock);
	if (!WARN_ON_ONCE(p->reserved < cmd->buf_resv || !p->nr_resv)) {
		p->reserved -= cmd->buf_resv;
		p->nr_resv--;
	}
	spin_unlock(&p->lock);
	cmd->buf_resv = 0;
}

void nepf_bufs_stats(struct nepf_ctrl *ctrl, struct nepf_bufs_stats *st)
{
	struct nepf_bufpool *p = &ctrl->bufs;
	int i;

	spin_lock(&p->lock);
	st->budget = p->budget;
	st->reserved = p->reserved;
	st->held = p->held;
	st->reserved_peak = p->reserved_peak;
	st->held_peak = p->held_peak;
	st->hits = p->hits;
	st->misses = p->misses;
	st->waits = p->waits;
	st->over = p->over;
	st->nr_resv = p->nr_resv;
	st->nr_slots = p->nr_slots;
	st->nr_bigs = 0;
	for (i = 0; i < NEPF_BUF_BIGS; i++)
		st->nr_bigs += !!p->big[i].buf;
	spin_unlock(&p->lock);
}
