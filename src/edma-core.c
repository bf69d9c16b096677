// SPDX-License-Identifier: GPL-2.0
/*
 * edma-core.c - programming a DesignWare PCIe eDMA (v0, unrolled map):
 * channel detection, single-block and linked-list transfers, completion
 * and abort decoding, and a queue per channel (the next transfer starts
 * when one ends).  No kernel services: the glue (edma.c) maps the block,
 * locks the queues and waits; the unit tests run this file against a
 * register model.
 *
 * Written from the public register description (Linux's
 * drivers/dma/dw-edma/dw-edma-v0-regs.h and dw-edma-v0-core.c):
 *  - CTRL gives the number of write and read channels;
 *  - a single piece is programmed into the channel context (non-linked
 *    mode: LIE enables the done and abort status);
 *  - several pieces become a list of data elements with the cycle bit
 *    set, the last one with LIE, ended by a link element whose cycle bit
 *    is clear: the engine, started with CCS = 1, stops there;
 *  - the doorbell starts a channel; the doorbell with bit 31 stops it.
 * RIE (remote interrupt: a memory write to the host) is never set: the
 * host knows nothing of this engine.
 */
#include "edma.h"

static u32 rd(struct nepf_edma *e, u32 off)
{
	return e->io->rd(e->ctx, off);
}

static void wr(struct nepf_edma *e, u32 off, u32 val)
{
	e->io->wr(e->ctx, off, val);
}

static u32 reg_dir(enum nepf_edma_dir dir, u32 wr_off, u32 rd_off)
{
	return dir == NEPF_EDMA_WRITE ? wr_off : rd_off;
}

static void wr_ch(struct nepf_edma *e, enum nepf_edma_dir dir,
		  unsigned int ch, u32 off, u32 val)
{
	wr(e, EDMA_CH_BASE(dir == NEPF_EDMA_READ, ch) + off, val);
}

/*
 * Channel counts from CTRL.  An absent or powered-down block reads all
 * ones (or zero); a core in the legacy viewport layout has no CTRL here.
 * Both directions must have a channel: we use them as a pair.
 */
int nepf_edma_probe(struct nepf_edma *e)
{
	u32 ctrl = rd(e, EDMA_REG_CTRL);
	u32 nwr = EDMA_CTRL_NUM_WR(ctrl), nrd = EDMA_CTRL_NUM_RD(ctrl);

	e->nr_ch[NEPF_EDMA_WRITE] = 0;
	e->nr_ch[NEPF_EDMA_READ] = 0;
	if (ctrl == U32_MAX || !nwr || !nrd ||
	    nwr > EDMA_MAX_CH || nrd > EDMA_MAX_CH)
		return -ENODEV;
	e->nr_ch[NEPF_EDMA_WRITE] = nwr;
	e->nr_ch[NEPF_EDMA_READ] = nrd;
	return 0;
}

static u32 ch_bits(unsigned int nr)
{
	return (1u << nr) - 1;
}

/* One direction: everything masked and cleared, the engine on or off. */
static void dir_reset(struct nepf_edma *e, enum nepf_edma_dir dir, u32 on)
{
	wr(e, reg_dir(dir, EDMA_REG_WR_INT_MASK, EDMA_REG_RD_INT_MASK),
	   EDMA_INT_ALL);
	wr(e, reg_dir(dir, EDMA_REG_WR_INT_CLEAR, EDMA_REG_RD_INT_CLEAR),
	   EDMA_INT_ALL);
	wr(e, reg_dir(dir, EDMA_REG_WR_ENGINE_EN, EDMA_REG_RD_ENGINE_EN), on);
}

/* Engines on, stale status cleared; interrupts unmasked only with @irq. */
void nepf_edma_enable(struct nepf_edma *e, bool irq)
{
	enum nepf_edma_dir dir;

	e->irq = irq;
	for (dir = NEPF_EDMA_WRITE; dir <= NEPF_EDMA_READ; dir++) {
		u32 mine = ch_bits(e->nr_ch[dir]);

		dir_reset(e, dir, 1);
		/* Abort on a bad list element rather than stall. */
		wr(e, reg_dir(dir, EDMA_REG_WR_LL_ERR_EN, EDMA_REG_RD_LL_ERR_EN),
		   mine | (mine << 16));
		if (irq)
			wr(e, reg_dir(dir, EDMA_REG_WR_INT_MASK,
				      EDMA_REG_RD_INT_MASK),
			   EDMA_INT_ALL & ~(mine | (mine << 16)));
	}
}

void nepf_edma_disable(struct nepf_edma *e)
{
	enum nepf_edma_dir dir;

	for (dir = NEPF_EDMA_WRITE; dir <= NEPF_EDMA_READ; dir++)
		dir_reset(e, dir, 0);
	e->irq = false;
}

static void lli_set(struct nepf_edma_lli *l, u32 ctl, u32 size, u64 sar,
		    u64 dar)
{
	l->ctl = cpu_to_le32(ctl);
	l->size = cpu_to_le32(size);
	l->sar_lo = cpu_to_le32((u32)sar);
	l->sar_hi = cpu_to_le32((u32)(sar >> 32));
	l->dar_lo = cpu_to_le32((u32)dar);
	l->dar_hi = cpu_to_le32((u32)(dar >> 32));
}

static void seg_addrs(enum nepf_edma_dir dir, const struct nepf_edma_seg *s,
		      u64 *sar, u64 *dar)
{
	*sar = dir == NEPF_EDMA_WRITE ? s->local : s->pci;
	*dar = dir == NEPF_EDMA_WRITE ? s->pci : s->local;
}

/*
 * Start @nr pieces on an idle channel.  One piece is programmed directly;
 * more go through @ll.  Any status the channel still shows is cleared
 * first, so that what nepf_edma_status() reads belongs to this transfer.
 */
int nepf_edma_start(struct nepf_edma *e, enum nepf_edma_dir dir,
		    unsigned int ch, const struct nepf_edma_ll *ll,
		    const struct nepf_edma_seg *seg, unsigned int nr)
{
	u32 db = reg_dir(dir, EDMA_REG_WR_DOORBELL, EDMA_REG_RD_DOORBELL);
	u64 sar, dar;
	unsigned int i;

	if (ch >= e->nr_ch[dir] || !nr)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (!seg[i].len)
			return -EINVAL;
	if (nr > 1 && (!ll || nr > ll->max))
		return -E2BIG;

	wr(e, reg_dir(dir, EDMA_REG_WR_INT_CLEAR, EDMA_REG_RD_INT_CLEAR),
	   EDMA_INT_DONE(ch) | EDMA_INT_ABORT(ch));
	if (nr == 1) {
		seg_addrs(dir, seg, &sar, &dar);
		wr_ch(e, dir, ch, EDMA_CH_CTRL1, EDMA_CTL_LIE);
		wr_ch(e, dir, ch, EDMA_CH_SIZE, seg->len);
		wr_ch(e, dir, ch, EDMA_CH_SAR_LO, (u32)sar);
		wr_ch(e, dir, ch, EDMA_CH_SAR_HI, (u32)(sar >> 32));
		wr_ch(e, dir, ch, EDMA_CH_DAR_LO, (u32)dar);
		wr_ch(e, dir, ch, EDMA_CH_DAR_HI, (u32)(dar >> 32));
	} else {
		struct nepf_edma_lli *l = ll->virt;

		for (i = 0; i < nr; i++) {
			seg_addrs(dir, &seg[i], &sar, &dar);
			lli_set(&l[i], EDMA_CTL_CB |
				(i == nr - 1 ? EDMA_CTL_LIE : 0),
				seg[i].len, sar, dar);
		}
		/* Cycle bit clear: the engine (CCS = 1) stops here. */
		lli_set(&l[nr], EDMA_CTL_LLP | EDMA_CTL_TCB, 0, ll->bus, 0);
		wr_ch(e, dir, ch, EDMA_CH_CTRL1, EDMA_CTL_CCS | EDMA_CTL_LLE);
		wr_ch(e, dir, ch, EDMA_CH_LLP_LO, (u32)ll->bus);
		wr_ch(e, dir, ch, EDMA_CH_LLP_HI, (u32)(ll->bus >> 32));
	}
	/* The glue's MMIO write orders the list stores before this. */
	wr(e, db, ch);
	return 0;
}

static u32 err_decode(struct nepf_edma *e, enum nepf_edma_dir dir,
		      unsigned int ch)
{
	u32 err = 0, v;

	if (dir == NEPF_EDMA_WRITE) {
		v = rd(e, EDMA_REG_WR_ERR_STATUS);
		if (v & (1u << ch))
			err |= NEPF_EDMA_ERR_LOCAL;
		if (v & (1u << (16 + ch)))
			err |= NEPF_EDMA_ERR_LL;
		return err;
	}
	v = rd(e, EDMA_REG_RD_ERR_STATUS_LO);
	if (v & (1u << ch))
		err |= NEPF_EDMA_ERR_LOCAL;
	if (v & (1u << (16 + ch)))
		err |= NEPF_EDMA_ERR_LL;
	v = rd(e, EDMA_REG_RD_ERR_STATUS_HI);
	if (v & (1u << ch))
		err |= NEPF_EDMA_ERR_UR;
	if (v & (1u << (8 + ch)))
		err |= NEPF_EDMA_ERR_CA;
	if (v & (1u << (16 + ch)))
		err |= NEPF_EDMA_ERR_CTO;
	if (v & (1u << (24 + ch)))
		err |= NEPF_EDMA_ERR_POISON;
	return err;
}

/*
 * The outcome of the channel's transfer, once: a done or abort status is
 * cleared when read.  Abort wins over done (both may show when a stop
 * races the end): the data cannot be trusted.  Only one context may ask
 * about a channel (its waiter, or the interrupt handler).
 */
enum nepf_edma_result nepf_edma_status(struct nepf_edma *e,
				       enum nepf_edma_dir dir,
				       unsigned int ch, u32 *err)
{
	u32 clr = EDMA_INT_DONE(ch) | EDMA_INT_ABORT(ch);
	unsigned int cs;
	u32 st;

	*err = 0;
	/*
	 * Only a channel that has ended (stopped, or halted by an abort)
	 * reports: a done or abort bit seen while it runs, or before it
	 * took the doorbell, is a previous transfer's whose clear has not
	 * landed yet (an engine that applies INT_CLEAR late, like vepc's).
	 * The state first, then the status: read the other way round, a
	 * stale done bit read just before the transfer aborted passed for
	 * this transfer's end, and a write command stored whatever its
	 * buffer held before (another block's data).
	 */
	cs = nepf_edma_ch_state(e, dir, ch);
	if (cs != EDMA_CS_STOPPED && cs != EDMA_CS_HALTED)
		return NEPF_EDMA_BUSY;
	st = rd(e, reg_dir(dir, EDMA_REG_WR_INT_STATUS, EDMA_REG_RD_INT_STATUS));
	if (st & EDMA_INT_ABORT(ch)) {
		*err = err_decode(e, dir, ch);
		wr(e, reg_dir(dir, EDMA_REG_WR_INT_CLEAR, EDMA_REG_RD_INT_CLEAR),
		   clr);
		return NEPF_EDMA_ABORT;
	}
	if (st & EDMA_INT_DONE(ch)) {
		wr(e, reg_dir(dir, EDMA_REG_WR_INT_CLEAR, EDMA_REG_RD_INT_CLEAR),
		   clr);
		return NEPF_EDMA_DONE;
	}
	return NEPF_EDMA_BUSY;
}

/* Channels of @dir with a done or abort status (for the interrupt). */
u32 nepf_edma_pending(struct nepf_edma *e, enum nepf_edma_dir dir)
{
	u32 st = rd(e, reg_dir(dir, EDMA_REG_WR_INT_STATUS,
				EDMA_REG_RD_INT_STATUS));

	return (st | (st >> 16)) & ch_bits(e->nr_ch[dir]);
}

/* Ask the channel to stop; it reports abort when it has. */
void nepf_edma_stop(struct nepf_edma *e, enum nepf_edma_dir dir,
		    unsigned int ch)
{
	if (ch >= e->nr_ch[dir])
		return;
	wr(e, reg_dir(dir, EDMA_REG_WR_DOORBELL, EDMA_REG_RD_DOORBELL),
	   EDMA_DOORBELL_STOP | ch);
}

/* EDMA_CS_*: what the channel is doing now. */
unsigned int nepf_edma_ch_state(struct nepf_edma *e, enum nepf_edma_dir dir,
				unsigned int ch)
{
	return EDMA_CTL_CS(rd(e, EDMA_CH_BASE(dir == NEPF_EDMA_READ, ch) +
				 EDMA_CH_CTRL1));
}

/* The first reason in @err, for a log line. */
const char *nepf_edma_err_str(u32 err)
{
	if (err & NEPF_EDMA_ERR_UR)
		return "unsupported request from the host";
	if (err & NEPF_EDMA_ERR_CA)
		return "completer abort from the host";
	if (err & NEPF_EDMA_ERR_CTO)
		return "completion timeout";
	if (err & NEPF_EDMA_ERR_POISON)
		return "poisoned data";
	if (err & NEPF_EDMA_ERR_LL)
		return "list element fetch error";
	if (err & NEPF_EDMA_ERR_LOCAL)
		return "local memory access error";
	return "stopped";
}

void nepf_edma_q_init(struct nepf_edma_q *q, enum nepf_edma_dir dir,
		      unsigned int ch)
{
	q->dir = dir;
	q->ch = ch;
	q->cur = NULL;
	q->head = NULL;
	q->tail = &q->head;
}

static void q_end(struct nepf_edma_req *r, enum nepf_edma_result res,
		  u32 err)
{
	r->res = res;
	r->err = err;
	r->ended = true;
	r->end(r);
}

/* Start the waiting requests in order until one runs. */
static void q_start_next(struct nepf_edma *e, struct nepf_edma_q *q)
{
	struct nepf_edma_req *r;

	while (!q->cur && q->head) {
		r = q->head;
		q->head = r->next;
		if (!q->head)
			q->tail = &q->head;
		r->next = NULL;
		r->ret = nepf_edma_start(e, q->dir, q->ch, r->ll, r->seg, r->nr);
		if (r->ret)
			q_end(r, NEPF_EDMA_ABORT, 0);
		else
			q->cur = r;
	}
}

/*
 * Queue @r behind the channel's transfers; it starts at once on an idle
 * channel.  True if it has to wait for others.
 */
bool nepf_edma_q_submit(struct nepf_edma *e, struct nepf_edma_q *q,
			struct nepf_edma_req *r)
{
	bool behind = q->cur || q->head;

	r->next = NULL;
	r->ended = false;
	r->res = NEPF_EDMA_BUSY;
	r->err = 0;
	r->ret = 0;
	*q->tail = r;
	q->tail = &r->next;
	q_start_next(e, q);
	return behind;
}

/*
 * Look at the channel: if the running request has ended, the next one
 * starts and then the ended one's @end is called.  With nothing running,
 * a status the channel still shows is collected (cleared) and ignored.
 * Returns the request this look started, NULL if none: without an
 * interrupt its waiter now has to look at the channel (polling mode:
 * the glue wakes it).
 */
struct nepf_edma_req *nepf_edma_q_poll(struct nepf_edma *e,
				       struct nepf_edma_q *q)
{
	struct nepf_edma_req *r = q->cur;
	enum nepf_edma_result res;
	u32 err;

	res = nepf_edma_status(e, q->dir, q->ch, &err);
	if (!r || res == NEPF_EDMA_BUSY)
		return NULL;
	q->cur = NULL;
	q_start_next(e, q);
	q_end(r, res, err);
	return q->cur;
}

/* Take @r out of the queue if it has not started: true, and no @end. */
bool nepf_edma_q_cancel(struct nepf_edma_q *q, struct nepf_edma_req *r)
{
	struct nepf_edma_req **p;

	for (p = &q->head; *p; p = &(*p)->next) {
		if (*p != r)
			continue;
		*p = r->next;
		if (q->tail == &r->next)
			q->tail = p;
		r->next = NULL;
		return true;
	}
	return false;
}

/* Every waiting request ends aborted, without starting, with @ret. */
static void q_end_waiting(struct nepf_edma_q *q, int ret)
{
	struct nepf_edma_req *r;

	while (q->head) {
		r = q->head;
		q->head = r->next;
		r->next = NULL;
		r->ret = ret;
		q_end(r, NEPF_EDMA_ABORT, 0);
	}
	q->tail = &q->head;
}

/*
 * The link is lost: the requests waiting their turn end without starting
 * (-ENOLINK), so that none starts toward a link that may be back by then
 * and lead to another host's memory.  The running one is left to its
 * waiter, which stops it.
 */
void nepf_edma_q_flush(struct nepf_edma_q *q)
{
	q_end_waiting(q, -ENOLINK);
}

/*
 * The channel is lost (it did not stop): the running request and every
 * waiting one end aborted.  The caller starts nothing more on it until
 * nepf_edma_q_revive() finds it stopped.
 */
void nepf_edma_q_fail(struct nepf_edma_q *q)
{
	struct nepf_edma_req *r = q->cur;

	q->cur = NULL;
	if (r)
		q_end(r, NEPF_EDMA_ABORT, 0);
	q_end_waiting(q, 0);
}

/*
 * A channel given up on (nepf_edma_q_fail()), looked at again with no
 * transfer of ours on it: true if it has stopped since (its late status
 * is collected and cleared), so that it can be used again; false if it
 * still runs, and then it is asked to stop once more.
 */
bool nepf_edma_q_revive(struct nepf_edma *e, struct nepf_edma_q *q)
{
	unsigned int cs = nepf_edma_ch_state(e, q->dir, q->ch);
	u32 err;

	if (q->cur || q->head)
		return false;
	if (cs == EDMA_CS_RUNNING) {
		nepf_edma_stop(e, q->dir, q->ch);
		return false;
	}
	nepf_edma_status(e, q->dir, q->ch, &err);
	wr(e, reg_dir(q->dir, EDMA_REG_WR_INT_CLEAR, EDMA_REG_RD_INT_CLEAR),
	   EDMA_INT_DONE(q->ch) | EDMA_INT_ABORT(q->ch));
	return true;
}
