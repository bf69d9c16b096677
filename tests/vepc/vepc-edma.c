// SPDX-License-Identifier: GPL-2.0
/*
 * An emulated DesignWare eDMA v0 block (unrolled register map), for the
 * function's own eDMA engine (src/edma.c) when vepc offers no dmaengine
 * channel (module parameter edma=1).  Its own reading of the public
 * register description (Linux's dw-edma-v0-regs.h), not src/'s header:
 * a wrong offset there would not be hidden by sharing it.
 *
 * The block is 8 KiB of the hidden RAM, exposed like a DWC controller
 * exposes it: a memory resource named "dma" on the EPC parent (vepc.0);
 * no interrupt line is named, so the function polls the status.  Plain
 * memory cannot trap writes, so a kthread watches the two doorbells and
 * the two interrupt-clear registers: each is reset when taken, and the
 * clears written before a doorbell apply before its transfer runs.  A
 * channel starts only if its control register was rewritten since it
 * last ran (channel status 0): a doorbell rung twice runs it once.
 * Plain memory loses the first of two writes to one register between two
 * looks, which a silicon register would not; so the block has ONE channel
 * each way (CTRL says 1 + 1), whose writes the function serializes.
 * Several channels in flight are tested against tests/unit's model only.
 *
 * Transfers run in the kthread: local addresses through
 * vepc_local_virt(), host addresses through the checking IOMMU.  A
 * refused host access aborts the channel with Unsupported Request (read)
 * or a local error bit (write).  Fault knobs: dma_fail (shared with the
 * dmaengine provider) aborts the next N transfers after moving part of
 * the data; edma_stuck leaves the next N transfers running until the
 * function stops them (doorbell bit 31), which aborts them; with
 * dma_stall (shared too), a transfer started while the link is cut does
 * the same instead of aborting at once.
 *
 * A link loss aborts what runs: a transfer whose doorbell came before
 * the last loss (as far as the looks tell: the epoch of the look before
 * the one that found it) does not reach the host once the link is back;
 * it is counted in stale_epoch and dropped (epoch_drop) with an abort.
 * A stop that finds its channel's doorbell not taken yet (the stop's
 * write replaced it: plain memory keeps the last write) aborts the
 * transfer that doorbell would have started, as the engine would.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "vepc.h"

/* Register offsets (dw-edma-v0-regs.h, unrolled). */
#define R_CTRL			0x008
#define R_ENGINE_EN(rd)		((rd) ? 0x02c : 0x00c)
#define R_DOORBELL(rd)		((rd) ? 0x030 : 0x010)
#define R_INT_STATUS(rd)	((rd) ? 0x0a0 : 0x04c)
#define R_INT_MASK(rd)		((rd) ? 0x0a8 : 0x054)
#define R_INT_CLEAR(rd)		((rd) ? 0x0ac : 0x058)
#define R_WR_ERR		0x05c
#define R_RD_ERR_LO		0x0b4
#define R_RD_ERR_HI		0x0b8
#define R_CH(rd, ch)		(0x200 + (ch) * 0x200 + ((rd) ? 0x100 : 0))
#define C_CTRL1			0x00
#define C_SIZE			0x08
#define C_SAR			0x0c
#define C_DAR			0x14
#define C_LLP			0x1c

#define CTL_CB			BIT(0)
#define CTL_TCB			BIT(1)
#define CTL_LLP			BIT(2)
#define CTL_LIE			BIT(3)
#define CTL_CS_SHIFT		5
#define CTL_CS_MASK		(3u << CTL_CS_SHIFT)
#define CTL_CCS			BIT(8)
#define CTL_LLE			BIT(9)
#define CS_RUNNING		1
#define CS_HALTED		2
#define CS_STOPPED		3

#define DB_EMPTY		0x7fffffffu	/* no doorbell since the last look */
#define DB_STOP			BIT(31)
#define EDMA_NR_CH		1		/* each way: see above */
#define LL_MAX_HOPS		4096

struct vepc_edma {
	struct vepc		*v;
	u8			*regs;		/* in the hidden RAM */
	struct task_struct	*thread;
	atomic_t		stuck;		/* knob: next N never finish */
	bool			running[2][EDMA_NR_CH];
	u32			epoch[2][EDMA_NR_CH];	/* of the doorbell */
	u32			look_epoch;	/* link epoch as a look began */
	u32			db_epoch;	/* ... the look before */
	atomic_t		xfers, aborts, lists;
};

static u32 rd32(struct vepc_edma *e, u32 off)
{
	return READ_ONCE(*(u32 *)(e->regs + off));
}

static void wr32(struct vepc_edma *e, u32 off, u32 val)
{
	WRITE_ONCE(*(u32 *)(e->regs + off), val);
}

static u64 rd64(struct vepc_edma *e, u32 off)
{
	return rd32(e, off) | (u64)rd32(e, off + 4) << 32;
}

static void set_cs(struct vepc_edma *e, int rd, int ch, u32 cs)
{
	u32 off = R_CH(rd, ch) + C_CTRL1;

	wr32(e, off, (rd32(e, off) & ~CTL_CS_MASK) | cs << CTL_CS_SHIFT);
}

/* Status bits are set by the engine only (the function clears them). */
static void status_set(struct vepc_edma *e, int rd, u32 bits)
{
	atomic_or(bits, (atomic_t *)(e->regs + R_INT_STATUS(rd)));
}

/* The channel ended: done (when the last element asked, LIE) or abort. */
static void finish(struct vepc_edma *e, int rd, int ch, bool ok, bool lie,
		   bool host_err)
{
	e->running[rd][ch] = false;
	atomic_inc(&e->xfers);
	atomic_inc(&e->v->stats.dma_xfers);
	if (ok) {
		set_cs(e, rd, ch, CS_STOPPED);
		if (lie)
			status_set(e, rd, BIT(ch));
		else	/* no done status: the function waits in vain */
			pr_warn_ratelimited("edma: %s channel %d ended without LIE\n",
					    rd ? "read" : "write", ch);
		return;
	}
	atomic_inc(&e->aborts);
	atomic_inc(&e->v->stats.dma_errors);
	/* read: host error = Unsupported Request (high word); else local */
	atomic_or(BIT(ch), (atomic_t *)(e->regs + (!rd ? R_WR_ERR :
			   host_err ? R_RD_ERR_HI : R_RD_ERR_LO)));
	set_cs(e, rd, ch, CS_HALTED);
	status_set(e, rd, BIT(16 + ch));
}

/* One block; -EFAULT for the host side, -EINVAL for the local side. */
static int block(struct vepc_edma *e, int rd, int ch, u64 sar, u64 dar,
		 u32 len)
{
	void *local;

	if (!len)
		return -EINVAL;
	local = vepc_local_virt(e->v, rd ? dar : sar, len);
	if (!local)
		return -EINVAL;
	if (vepc_link_epoch_gone(e->v, e->epoch[rd][ch],
				 rd ? "edma read" : "edma write"))
		return -EFAULT;
	if (rd)
		return vepc_host_read(e->v, sar, local, len, "edma read");
	return vepc_host_write(e->v, dar, local, len, "edma write");
}

/* Walk a list from LLP with the cycle-bit rule; 0 or block()'s error. */
static int run_list(struct vepc_edma *e, int rd, int ch, bool *lie)
{
	u32 ctl1 = rd32(e, R_CH(rd, ch) + C_CTRL1);
	u32 ccs = !!(ctl1 & CTL_CCS);
	u64 at = rd64(e, R_CH(rd, ch) + C_LLP);
	int hops, ret;

	*lie = false;
	atomic_inc(&e->lists);
	for (hops = 0; hops < LL_MAX_HOPS; hops++) {
		__le32 *l = vepc_local_virt(e->v, at, 24);
		u32 ctl;

		if (!l)
			return -EINVAL;
		ctl = le32_to_cpu(READ_ONCE(l[0]));
		if ((ctl & CTL_CB) != ccs)
			return 0;
		if (ctl & CTL_LLP) {
			if (ctl & CTL_TCB)
				ccs ^= 1;
			at = le32_to_cpu(l[2]) | (u64)le32_to_cpu(l[3]) << 32;
			continue;
		}
		ret = block(e, rd, ch, le32_to_cpu(l[2]) | (u64)le32_to_cpu(l[3]) << 32,
			    le32_to_cpu(l[4]) | (u64)le32_to_cpu(l[5]) << 32,
			    le32_to_cpu(l[1]));
		if (ret)
			return ret;
		*lie = ctl & CTL_LIE;
		at += 24;
	}
	return -EINVAL;
}

static void run(struct vepc_edma *e, int rd, int ch)
{
	u32 ctl1 = rd32(e, R_CH(rd, ch) + C_CTRL1);
	bool lie;
	int ret;

	if (atomic_add_unless(&e->v->dma_fail, -1, 0)) {
		/* part of the data moves, then the channel aborts */
		if (!(ctl1 & CTL_LLE))
			block(e, rd, ch, rd64(e, R_CH(rd, ch) + C_SAR),
			      rd64(e, R_CH(rd, ch) + C_DAR),
			      rd32(e, R_CH(rd, ch) + C_SIZE) / 2);
		finish(e, rd, ch, false, false, true);
		return;
	}
	if (ctl1 & CTL_LLE) {
		ret = run_list(e, rd, ch, &lie);
	} else {
		lie = ctl1 & CTL_LIE;
		ret = block(e, rd, ch, rd64(e, R_CH(rd, ch) + C_SAR),
			    rd64(e, R_CH(rd, ch) + C_DAR),
			    rd32(e, R_CH(rd, ch) + C_SIZE));
	}
	finish(e, rd, ch, !ret, lie, ret == -EFAULT);
}

/* The function clears status bits by writing them to INT_CLEAR. */
static void clears(struct vepc_edma *e, int rd)
{
	u32 c = xchg((u32 *)(e->regs + R_INT_CLEAR(rd)), 0);
	int ch;

	if (!c)
		return;
	atomic_andnot(c, (atomic_t *)(e->regs + R_INT_STATUS(rd)));
	for (ch = 0; ch < EDMA_NR_CH; ch++) {
		if (!(c & BIT(16 + ch)))
			continue;
		if (rd) {
			atomic_andnot(BIT(ch), (atomic_t *)(e->regs + R_RD_ERR_HI));
			atomic_andnot(BIT(ch), (atomic_t *)(e->regs + R_RD_ERR_LO));
		} else {
			atomic_andnot(BIT(ch), (atomic_t *)(e->regs + R_WR_ERR));
		}
	}
}

static void doorbell(struct vepc_edma *e, int rd, u32 db)
{
	int ch = db & 7;
	u32 ctl1;

	if (ch >= EDMA_NR_CH)
		return;
	/* Clears written before this doorbell apply before it runs. */
	clears(e, rd);
	ctl1 = rd32(e, R_CH(rd, ch) + C_CTRL1);
	if (db & DB_STOP) {
		/* running, or armed (CS 0) with its doorbell replaced by this */
		if (e->running[rd][ch] || !(ctl1 & CTL_CS_MASK))
			finish(e, rd, ch, false, false, false);
		return;
	}
	if (!(rd32(e, R_ENGINE_EN(rd)) & 1) || e->running[rd][ch] ||
	    (ctl1 & CTL_CS_MASK))
		return;		/* off, running, or already run: ignored */
	e->running[rd][ch] = true;
	e->epoch[rd][ch] = e->db_epoch;
	set_cs(e, rd, ch, CS_RUNNING);
	if (atomic_add_unless(&e->stuck, -1, 0))
		return;		/* until stopped */
	/* dma_stall: toward a cut link it hangs instead of aborting */
	if (READ_ONCE(e->v->dma_stall) &&
	    vepc_link_cut_off(e->v, "edma (stalled)"))
		return;		/* until stopped */
	run(e, rd, ch);
}

static int vepc_edma_thread(void *arg)
{
	struct vepc_edma *e = arg;
	unsigned int idle = 0;
	int rd;

	while (!kthread_should_stop()) {
		bool busy = false;

		/* A doorbell this look finds was rung since the last began. */
		e->db_epoch = e->look_epoch;
		e->look_epoch = READ_ONCE(e->v->link_epoch);
		for (rd = 0; rd < 2; rd++) {
			u32 db;

			clears(e, rd);
			db = xchg((u32 *)(e->regs + R_DOORBELL(rd)), DB_EMPTY);
			if (db != DB_EMPTY) {
				doorbell(e, rd, db);
				busy = true;
			}
		}
		/* Poll hard while transfers come, then back off. */
		if (busy)
			idle = 0;
		if (++idle < 200)
			cond_resched();
		else
			usleep_range(50, 100);
	}
	return 0;
}

int vepc_edma_init(struct vepc *v)
{
	struct vepc_edma *e;
	int rd;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->v = v;
	e->look_epoch = READ_ONCE(v->link_epoch);
	e->regs = vepc_local_virt(v, v->edma_phys, VEPC_EDMA_SIZE);
	if (!e->regs) {
		kfree(e);
		return -EINVAL;
	}
	memset(e->regs, 0, VEPC_EDMA_SIZE);
	wr32(e, R_CTRL, EDMA_NR_CH | EDMA_NR_CH << 16);
	for (rd = 0; rd < 2; rd++) {
		wr32(e, R_DOORBELL(rd), DB_EMPTY);
		wr32(e, R_INT_MASK(rd), 0x00ff00ff);
	}
	e->thread = kthread_run(vepc_edma_thread, e, "vepc-edma");
	if (IS_ERR(e->thread)) {
		int ret = PTR_ERR(e->thread);

		kfree(e);
		return ret;
	}
	v->edma = e;
	return 0;
}

void vepc_edma_exit(struct vepc *v)
{
	if (!v->edma)
		return;
	kthread_stop(v->edma->thread);
	kfree(v->edma);
	v->edma = NULL;
}

atomic_t *vepc_edma_stuck(struct vepc *v)
{
	return &v->edma->stuck;
}

void vepc_edma_stats(struct vepc *v, struct seq_file *m)
{
	if (!v->edma)
		return;
	seq_printf(m, "edma_xfers %d\n", atomic_read(&v->edma->xfers));
	seq_printf(m, "edma_aborts %d\n", atomic_read(&v->edma->aborts));
	seq_printf(m, "edma_lists %d\n", atomic_read(&v->edma->lists));
}
