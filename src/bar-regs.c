// SPDX-License-Identifier: GPL-2.0
/*
 * bar-regs.c - the controller register file in BAR0 and the CC/CSTS state
 * machine.
 *
 * BAR0 is plain memory the host writes at will: nothing read back from it
 * is trusted.  Read-only registers (CAP, VS, CSTS, ...) are rewritten from
 * our shadow copies on every poll, CC is compared with the last value we
 * acted upon, and doorbell values are returned raw for the caller to check
 * against the queue size.
 *
 * The Controller Memory Buffer (cfg.cmb_size) is a part of BAR0 that
 * holds submission queues: CAP.CMBS, CMBLOC and CMBSZ say where and what,
 * the host's CMBMSC says at which bus address it sees it (CBA) and turns
 * the controller memory space on (CMSE).  One deviation: CMBLOC and CMBSZ
 * read their values whether CMBMSC.CRE is set or not.  A BAR of plain
 * memory cannot react to a write before the host's next read, and Linux
 * reads CMBSZ right after it writes CRE (nvme_map_cmb()): it would never
 * see the CMB.  A host that never sets CMSE (written for NVMe 1.3) gets
 * its queue addresses taken for host memory, as CMSE = 0 means.
 */
#include "ctrl.h"

#define NEPF_CAP_TO		30	/* CAP.TO: 15 s in 500 ms units */
#define NEPF_MPSMIN		0	/* 4 KiB */
#define NEPF_MPSMAX		4	/* 64 KiB */
#define NEPF_VS			NVME_VS(2, 0, 0)

/*
 * BAR0 loads are uncached on a board (non-coherent DMA memory): each is
 * counted, doorbells apart from the other registers.
 */
static inline u32 bar_load(struct nepf_ctrl *ctrl, u32 off)
{
	return le32_to_cpu(READ_ONCE(*(__le32 *)((u8 *)ctrl->bar + off)));
}

static inline u32 rd32(struct nepf_ctrl *ctrl, u32 off)
{
	nepf_cost_inc(ctrl->costs, BAR_REG_LOADS);
	return bar_load(ctrl, off);
}

static inline void wr32(struct nepf_ctrl *ctrl, u32 off, u32 val)
{
	WRITE_ONCE(*(__le32 *)((u8 *)ctrl->bar + off), cpu_to_le32(val));
}

static inline u64 rd64(struct nepf_ctrl *ctrl, u32 off)
{
	/* The host may write the halves separately: read them the same way. */
	return rd32(ctrl, off) | ((u64)rd32(ctrl, off + 4) << 32);
}

static inline void wr64(struct nepf_ctrl *ctrl, u32 off, u64 val)
{
	wr32(ctrl, off, lower_32_bits(val));
	wr32(ctrl, off + 4, upper_32_bits(val));
}

/*
 * CSTS and the controller state change together under csts_lock: the
 * register poll, the environment's reset and any thread that meets a
 * fatal error (CFS) write them.  Clear @clear, set @set (lock held).
 */
static u32 csts_update(struct nepf_ctrl *ctrl, u32 clear, u32 set)
{
	u32 v = (ctrl->csts & ~clear) | set;

	lockdep_assert_held(&ctrl->csts_lock);

	WRITE_ONCE(ctrl->csts, v);
	wr32(ctrl, NVME_REG_CSTS, v);
	return v;
}

/* Rewrite what the host may not change. */
static void regs_restore_ro(struct nepf_ctrl *ctrl)
{
	u32 off;

	wr64(ctrl, NVME_REG_CAP, ctrl->cap);
	wr32(ctrl, NVME_REG_VS, ctrl->vs);
	spin_lock(&ctrl->csts_lock);
	csts_update(ctrl, 0, 0);
	spin_unlock(&ctrl->csts_lock);
	wr32(ctrl, NVME_REG_NSSR, 0);		/* CAP.NSSRS = 0 */
	wr32(ctrl, NVME_REG_CMBLOC, ctrl->cmbloc);
	wr32(ctrl, NVME_REG_CMBSZ, ctrl->cmbsz);
	for (off = NVME_REG_BPINFO; off < NVME_REG_CMBMSC; off += 4)
		wr32(ctrl, off, 0);		/* no boot partitions */
	if (!ctrl->cmb)				/* the host's, with a CMB */
		wr64(ctrl, NVME_REG_CMBMSC, 0);
	wr32(ctrl, NVME_REG_CMBSTS, READ_ONCE(ctrl->cmbsts));
	for (off = NVME_REG_CMBEBS; off < NVME_REG_CRTO; off += 4)
		wr32(ctrl, off, 0);		/* CMBEBS, CMBSWTP */
	for (off = NVME_REG_PMRCAP; off <= NVME_REG_PMRMSCU; off += 4)
		wr32(ctrl, off, 0);		/* no PMR (CAP.PMRS = 0) */
	/* Ready with media (CAP.CRWMS): same timeouts as CAP.TO. */
	wr32(ctrl, NVME_REG_CRTO, NEPF_CAP_TO | (NEPF_CAP_TO << 16));
}

/*
 * MSI-X (PCIe 6.0 6.1.4.5, 7.7.2): the table and the PBA live in BAR0,
 * after the doorbells.  A function reset masks every vector (Mask bit 1)
 * and clears every Pending Bit.
 */
static u32 msix_vctrl_off(struct nepf_ctrl *ctrl, u16 msg)
{
	return ctrl->cfg.msix_table_off + 16 * msg + 12;
}

static void regs_msix_reset(struct nepf_ctrl *ctrl)
{
	u16 msg;

	/* The PBA was cleared with the rest of the BAR. */
	spin_lock(&ctrl->intm_lock);
	memset(ctrl->msix_pending, 0, sizeof(ctrl->msix_pending));
	for (msg = 0; msg < ctrl->cfg.nr_msix; msg++)
		wr32(ctrl, msix_vctrl_off(ctrl, msg), 1);	/* Mask Bit */
	spin_unlock(&ctrl->intm_lock);
}

/* Set or clear @msg's pending state and PBA bit (intm_lock held). */
static void msix_set_pending(struct nepf_ctrl *ctrl, u16 msg, bool pending)
{
	u32 off = ctrl->cfg.msix_pba_off + msg / 32 * 4;
	u32 bit = BIT(msg % 32);

	lockdep_assert_held(&ctrl->intm_lock);

	if (pending) {
		ctrl->msix_pending[msg / 64] |= BIT_ULL(msg % 64);
		wr32(ctrl, off, rd32(ctrl, off) | bit);
	} else {
		ctrl->msix_pending[msg / 64] &= ~BIT_ULL(msg % 64);
		wr32(ctrl, off, rd32(ctrl, off) & ~bit);
	}
}

/**
 * nepf_regs_msix_hold() - is an MSI-X vector masked in the table?
 * @ctrl: the controller
 * @msg: the MSI-X table entry, 0-based
 *
 * A masked vector's message is pending (its PBA bit set) until the host
 * unmasks it; the register poll then sends it (env->raise_irq).
 *
 * Context: any context but an interrupt handler; never sleeps.
 * Return: true if the caller must not send it now.
 */
bool nepf_regs_msix_hold(struct nepf_ctrl *ctrl, u16 msg)
{
	bool masked;

	if (msg >= ctrl->cfg.nr_msix)
		return false;
	spin_lock(&ctrl->intm_lock);
	masked = rd32(ctrl, msix_vctrl_off(ctrl, msg)) & 1;
	if (masked)
		msix_set_pending(ctrl, msg, true);
	spin_unlock(&ctrl->intm_lock);
	return masked;
}

/**
 * nepf_regs_msix_pend() - an MSI-X message the EPC refused to send
 * @ctrl: the controller
 * @msg: the MSI-X table entry, 0-based
 *
 * For the Function Mask, which the function cannot read, or a mask set
 * since nepf_regs_msix_hold(): the message is pending as if masked.
 *
 * Context: any context but an interrupt handler; never sleeps.
 */
void nepf_regs_msix_pend(struct nepf_ctrl *ctrl, u16 msg)
{
	if (msg >= ctrl->cfg.nr_msix)
		return;
	spin_lock(&ctrl->intm_lock);
	msix_set_pending(ctrl, msg, true);
	spin_unlock(&ctrl->intm_lock);
}

/* Send the pending MSI-X messages whose vector the host unmasked. */
static void regs_msix_unmasked(struct nepf_ctrl *ctrl)
{
	u64 fire[ARRAY_SIZE(ctrl->msix_pending)] = { };
	u16 msg;

	if (!ctrl->cfg.nr_msix)
		return;
	spin_lock(&ctrl->intm_lock);
	for (msg = 0; msg < ctrl->cfg.nr_msix; msg++) {
		if (!(ctrl->msix_pending[msg / 64] & BIT_ULL(msg % 64)) ||
		    (rd32(ctrl, msix_vctrl_off(ctrl, msg)) & 1))
			continue;
		msix_set_pending(ctrl, msg, false);
		fire[msg / 64] |= BIT_ULL(msg % 64);
	}
	spin_unlock(&ctrl->intm_lock);
	for (msg = 0; msg < ctrl->cfg.nr_msix; msg++)
		if (fire[msg / 64] & BIT_ULL(msg % 64))
			ctrl->env->raise_irq(ctrl, msg);
}

/*
 * CMBLOC: BAR0 (BIR 0), at cfg.cmb_off.  A queue pair may have its SQ in
 * the CMB and its CQ in host memory (CQMMS: Linux does that), and the
 * data pointers of a command in the CMB point to host memory (CDPCILS).
 * CMBSZ: submission queues only, in 4 KiB units (SZU 0).
 */
static void regs_cmb_init(struct nepf_ctrl *ctrl)
{
	ctrl->cmbloc = 0;
	ctrl->cmbsz = 0;
	WRITE_ONCE(ctrl->cmb_msc, 0);
	WRITE_ONCE(ctrl->cmbsts, 0);
	if (!ctrl->cmb)
		return;
	ctrl->cap |= NVME_CAP_CMBS;
	ctrl->cmbloc = NVME_CMBLOC_CQMMS | NVME_CMBLOC_CDPCILS |
		       (ctrl->cfg.cmb_off / NEPF_CMB_UNIT) << NVME_CMBLOC_OFST_SHIFT;
	ctrl->cmbsz = NVME_CMBSZ_SQS |
		      (ctrl->cfg.cmb_size / NEPF_CMB_UNIT) << NVME_CMBSZ_SZ_SHIFT;
}

/**
 * nepf_regs_cmb_msc() - what the host wrote to CMBMSC
 * @ctrl: the controller
 *
 * Reads CMBMSC and accepts it: CMSE needs CRE, and a CBA at which the
 * whole CMB fits below 2^64 (else CMBSTS.CBAI is set and the controller
 * memory space stays off).  CMBMSC is not reset by a controller reset
 * (Linux does not write it again after one), only by nepf_regs_init().
 * Linux writes the upper half first, then the lower one with CMSE
 * (hi_lo_writeq()): the upper half is read before and after the lower
 * one, and a value caught in between is not taken.
 *
 * Context: the register poll, and the admin commands that create queues
 * (the value they act upon is the one returned).
 * Return: CMBMSC as accepted (CBA only with CMSE), 0 without a CMB.
 */
u64 nepf_regs_cmb_msc(struct nepf_ctrl *ctrl)
{
	u64 msc, cba;
	u32 hi, lo, sts = 0;

	if (!ctrl->cmb)
		return 0;
	hi = rd32(ctrl, NVME_REG_CMBMSC + 4);
	lo = rd32(ctrl, NVME_REG_CMBMSC);
	if (rd32(ctrl, NVME_REG_CMBMSC + 4) != hi)
		return READ_ONCE(ctrl->cmb_msc);	/* changing: next time */
	msc = ((u64)hi << 32 | lo) &
	      (NVME_CMBMSC_CBA_MASK | NVME_CMBMSC_CMSE | NVME_CMBMSC_CRE);
	cba = msc & NVME_CMBMSC_CBA_MASK;
	if (!(msc & NVME_CMBMSC_CRE)) {
		msc = 0;
	} else if ((msc & NVME_CMBMSC_CMSE) &&
		   cba > U64_MAX - ctrl->cfg.cmb_size) {
		msc &= ~NVME_CMBMSC_CMSE;
		sts = NVME_CMBSTS_CBAI;
	}
	if (!(msc & NVME_CMBMSC_CMSE))
		msc &= ~NVME_CMBMSC_CBA_MASK;
	WRITE_ONCE(ctrl->cmb_msc, msc);
	WRITE_ONCE(ctrl->cmbsts, sts);
	wr32(ctrl, NVME_REG_CMBSTS, sts);
	return msc;
}

/**
 * nepf_regs_init() - the register file as at power-on
 * @ctrl: the controller (cfg set)
 *
 * Zeroes BAR0, then sets CAP, VS and the MSI-X table (every vector
 * masked); the controller is disabled.
 *
 * Context: before the host can see BAR0, or with the controller reset.
 */
void nepf_regs_init(struct nepf_ctrl *ctrl)
{
	u32 mqes = clamp_t(u32, ctrl->cfg.queue_depth, 2,
			   NEPF_MAX_QUEUE_ENTRIES) - 1;

	ctrl->cap = mqes | NVME_CAP_CQR |
		((u64)NEPF_CAP_TO << NVME_CAP_TO_SHIFT) |
		NVME_CAP_CSS_NVM | NVME_CAP_CSS_CSI | NVME_CAP_CRMS_CRWMS |
		((u64)NEPF_MPSMIN << NVME_CAP_MPSMIN_SHIFT) |
		((u64)NEPF_MPSMAX << NVME_CAP_MPSMAX_SHIFT);
	ctrl->vs = NEPF_VS;
	regs_cmb_init(ctrl);
	WRITE_ONCE(ctrl->cc, 0);
	ctrl->cc_seen = 0;
	ctrl->intms = 0;
	ctrl->intm_pending = 0;
	ctrl->rejected.valid = false;
	memset(ctrl->bar, 0, ctrl->bar_size);
	nepf_regs_set_disabled(ctrl);
	regs_restore_ro(ctrl);
	regs_msix_reset(ctrl);
}

/* Why CC/AQA/ASQ/ACQ cannot enable the controller, or NULL. */
static const char *regs_enable_check(struct nepf_ctrl *ctrl, u32 cc, u32 aqa,
				     u64 asq, u64 acq, u64 msc)
{
	u32 off;

	u32 mps = NVME_CC_MPS(cc);
	u32 page = 1U << (12 + mps);

	if (mps < NVME_CAP_MPSMIN(ctrl->cap) || mps > NVME_CAP_MPSMAX(ctrl->cap))
		return "CC.MPS out of CAP range";
	/* 110b: the I/O command sets of Feature 19h, which can only be NVM. */
	if ((cc & NVME_CC_CSS_MASK) != NVME_CC_CSS_NVM &&
	    (cc & NVME_CC_CSS_MASK) != NVME_CC_CSS_CSI)
		return "CC.CSS is neither NVM nor the I/O command set profile";
	if ((cc & NVME_CC_AMS_MASK) != NVME_CC_AMS_RR)
		return "CC.AMS: only round robin is supported";
	/*
	 * Admin queue sizes are bounded by AQA's 12 bits (4096 entries), not
	 * by CAP.MQES, which applies to I/O queues only.
	 */
	if (NVME_AQA_ASQS(aqa) < 1 || NVME_AQA_ACQS(aqa) < 1)
		return "AQA: admin queues need at least 2 entries";
	if (!IS_ALIGNED(asq, page) || !IS_ALIGNED(acq, page))
		return "ASQ/ACQ not aligned to the memory page size";
	/* CMBSZ: SQs may be in the CMB (whole), CQs may not. */
	if (nepf_cmb_locate(ctrl, msc, acq, (NVME_AQA_ACQS(aqa) + 1ULL) *
			    NVME_CQE_SIZE, &off) != NEPF_CMB_OUTSIDE)
		return "ACQ in the CMB, which holds no CQs (CMBSZ.CQS = 0)";
	if (nepf_cmb_locate(ctrl, msc, asq, (NVME_AQA_ASQS(aqa) + 1ULL) *
			    NVME_SQE_SIZE, &off) == NEPF_CMB_PARTLY)
		return "ASQ crosses the end of the CMB";
	return NULL;
}

static enum nepf_regs_event regs_enable(struct nepf_ctrl *ctrl, u32 cc)
{
	u32 aqa = rd32(ctrl, NVME_REG_AQA);
	u64 asq = rd64(ctrl, NVME_REG_ASQ);
	u64 acq = rd64(ctrl, NVME_REG_ACQ);
	u64 msc = nepf_regs_cmb_msc(ctrl);
	const char *why;
	u32 csts;

	/* The same refused values again: still refused, nothing new. */
	if (ctrl->rejected.valid && ctrl->rejected.cc == cc &&
	    ctrl->rejected.aqa == aqa && ctrl->rejected.asq == asq &&
	    ctrl->rejected.acq == acq && ctrl->rejected.msc == msc)
		return NEPF_REGS_NONE;
	why = regs_enable_check(ctrl, cc, aqa, asq, acq, msc);
	if (why) {
		/*
		 * CC.EN is not recorded: RDY never became 1, so a host may
		 * clear EN and set it again faster than we poll (Linux does,
		 * after CFS).  New values with EN set are a new attempt.
		 */
		WRITE_ONCE(ctrl->cc, cc & ~(NVME_CC_SHN_MASK | NVME_CC_ENABLE));
		ctrl->rejected.valid = true;
		ctrl->rejected.cc = cc;
		ctrl->rejected.aqa = aqa;
		ctrl->rejected.asq = asq;
		ctrl->rejected.acq = acq;
		ctrl->rejected.msc = msc;
		nepf_ctrl_fatal(ctrl, why);
		return NEPF_REGS_NONE;
	}
	/* Shutdown bits are handled on their own by the next polls. */
	WRITE_ONCE(ctrl->cc, cc & ~NVME_CC_SHN_MASK);
	ctrl->rejected.valid = false;
	ctrl->page_size = 1U << (12 + NVME_CC_MPS(cc));
	/* Every enable has a generation of its own (its queues take it). */
	nepf_ctrl_cut(ctrl);
	nepf_ctrl_vwc_latch(ctrl);
	nepf_queues_setup_admin(ctrl, aqa, asq, acq, msc);
	spin_lock(&ctrl->csts_lock);
	/* CFS: left by a refused enable */
	csts = csts_update(ctrl, NVME_CSTS_CFS, NVME_CSTS_RDY);
	WRITE_ONCE(ctrl->state, NEPF_CTRL_LIVE);
	spin_unlock(&ctrl->csts_lock);
	trace_nvme_epf_ctrl(ctrl, ctrl->cc, csts);
	nepf_dbg(ctrl, "enabled: cc %#x aqa %#x asq %#llx acq %#llx\n", cc, aqa,
		 (unsigned long long)asq, (unsigned long long)acq);
	return NEPF_REGS_ENABLE;
}

/*
 * INTMS/INTMC are write-1-to-set / write-1-to-clear views of one mask.
 * INTMS reads back the mask, so a write that equals it changes nothing
 * anyway; INTMC is left reading 0 so that every non-zero write shows
 * (a deviation: the specification has it read the mask too).  Both are
 * reserved when MSI-X is in use; Linux never touches them.
 * A message that fired while masked is sent when it is unmasked (NVMe 2.0
 * 3.1.4.3/3.1.4.4: masked interrupts stay pending, not lost).
 */
static void regs_intm(struct nepf_ctrl *ctrl)
{
	u32 set = rd32(ctrl, NVME_REG_INTMS);
	u32 clr = rd32(ctrl, NVME_REG_INTMC);
	u32 fire;
	u16 msg;

	spin_lock(&ctrl->intm_lock);
	if (set != ctrl->intms)
		WRITE_ONCE(ctrl->intms, ctrl->intms | set);
	if (clr)
		WRITE_ONCE(ctrl->intms, ctrl->intms & ~clr);
	fire = ctrl->intm_pending & ~ctrl->intms;
	ctrl->intm_pending &= ~fire;
	spin_unlock(&ctrl->intm_lock);
	wr32(ctrl, NVME_REG_INTMS, ctrl->intms);
	wr32(ctrl, NVME_REG_INTMC, 0);
	/* Held for the queues of this enable (a reset clears them). */
	for (msg = 0; fire; msg++, fire >>= 1)
		if (fire & 1)
			nepf_host_irq(ctrl, READ_ONCE(ctrl->cq[0].gen), msg);
}

u32 nepf_regs_irq_mask(struct nepf_ctrl *ctrl)
{
	return READ_ONCE(ctrl->intms);
}

/**
 * nepf_regs_irq_hold() - is an INTx/MSI message masked by INTMS?
 * @ctrl: the controller
 * @msg: the message, 0-based
 *
 * A masked message is noted pending: the core sends it (env->raise_irq)
 * when the host unmasks it.
 *
 * Context: any context but an interrupt handler; never sleeps.
 * Return: true if the caller must not send it now.
 */
bool nepf_regs_irq_hold(struct nepf_ctrl *ctrl, u16 msg)
{
	bool masked;

	if (msg >= 32)
		return false;
	spin_lock(&ctrl->intm_lock);
	masked = ctrl->intms & BIT(msg);
	if (masked)
		ctrl->intm_pending |= BIT(msg);
	spin_unlock(&ctrl->intm_lock);
	return masked;
}

/**
 * nepf_regs_stray_doorbells() - report doorbells of absent queues
 * @ctrl: the controller
 *
 * A doorbell of a queue that does not exist: asynchronous event "Invalid
 * Doorbell Register" (NVMe 1.3d 4.1; Base 2.0 5.27.1.2, error type 00h).
 * Creation and deletion clear a queue's doorbells, so a non-zero value
 * here was written while the queue was absent.  The value is left alone
 * (clearing it could race with a Create completing on the poll thread and
 * lose a legitimate doorbell) and each new value is reported once.
 *
 * Context: where queues are created and deleted (the thread that runs
 * admin commands, or with it excluded), never concurrently: a check that
 * overlaps a Create I/O SQ could see the SQ absent and its first doorbell
 * already written.
 */
void nepf_regs_stray_doorbells(struct nepf_ctrl *ctrl)
{
	bool stray = false;
	u32 db;
	u16 qid;

	if (READ_ONCE(ctrl->state) != NEPF_CTRL_LIVE)
		return;
	for (qid = 1; qid <= ctrl->cfg.max_io_queues; qid++) {
		struct nepf_sq *sq = &ctrl->sq[qid];
		struct nepf_cq *cq = &ctrl->cq[qid];

		if (!READ_ONCE(sq->valid) && !READ_ONCE(sq->deleting)) {
			db = nepf_regs_sq_tail(ctrl, qid);
			if (db && db != sq->stray_db)
				stray = true;
			sq->stray_db = db;
		}
		if (!READ_ONCE(cq->valid)) {
			db = nepf_regs_cq_head(ctrl, qid);
			if (db && db != cq->stray_db)
				stray = true;
			cq->stray_db = db;
		}
	}
	if (stray)
		nepf_ctrl_invalid_doorbell(ctrl, NVME_AER_ERROR_INVALID_DB_REG);
}

/**
 * nepf_regs_changed() - did the host write CC, INTMS or INTMC?
 * @ctrl: the controller
 *
 * Three loads and no side effect: the environment calls it often, and
 * nepf_regs_poll() only when it says so or at a slow period (which still
 * restores read-only registers and looks for stray doorbells).
 *
 * Context: any thread.
 * Return: true if one changed since the last nepf_regs_poll().
 */
bool nepf_regs_changed(struct nepf_ctrl *ctrl)
{
	return rd32(ctrl, NVME_REG_CC) != READ_ONCE(ctrl->cc_seen) ||
	       rd32(ctrl, NVME_REG_INTMS) != READ_ONCE(ctrl->intms) ||
	       rd32(ctrl, NVME_REG_INTMC);
}

/*
 * An MSI-X message is pending (held while its vector was masked): the
 * register poll sends it once the host unmasks the vector.  Lockless, for
 * the poll thread's cheap check; a stale answer costs one register poll.
 */
bool nepf_regs_msix_held(struct nepf_ctrl *ctrl)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctrl->msix_pending); i++)
		if (READ_ONCE(ctrl->msix_pending[i]))
			return true;
	return false;
}

/**
 * nepf_regs_poll() - act on what the host wrote to the registers
 * @ctrl: the controller
 *
 * Applies INTMS/INTMC and sends the interrupts the host unmasked,
 * restores the read-only registers, and decodes CC: a valid enable sets
 * the admin queues up and CSTS.RDY (an invalid one sets CSTS.CFS); a
 * disable cuts the generation.
 *
 * Context: the environment's register poll, one thread.
 * Return: what the environment must do next: NEPF_REGS_ENABLE (start
 * serving queues), NEPF_REGS_DISABLE or NEPF_REGS_SHUTDOWN (quiesce, then
 * nepf_ctrl_quiesced()), or NEPF_REGS_NONE.
 */
enum nepf_regs_event nepf_regs_poll(struct nepf_ctrl *ctrl)
{
	u32 cc = rd32(ctrl, NVME_REG_CC);
	bool was_en = ctrl->cc & NVME_CC_ENABLE;
	bool en = cc & NVME_CC_ENABLE;
	u32 shn = cc & NVME_CC_SHN_MASK;
	enum nepf_regs_event ev = NEPF_REGS_NONE;
	enum nepf_ctrl_state state;

	WRITE_ONCE(ctrl->cc_seen, cc);
	nepf_regs_cmb_msc(ctrl);
	regs_intm(ctrl);
	regs_msix_unmasked(ctrl);
	if (!was_en && en) {
		ev = regs_enable(ctrl, cc);
	} else if (was_en && !en) {
		/*
		 * The host may free its queues and buffers as soon as it sees
		 * RDY = 0 or gives up waiting (CAP.TO): commands still running
		 * must not touch them.  The environment quiesces, then calls
		 * nepf_ctrl_quiesced(), which resets.
		 */
		nepf_ctrl_cut(ctrl);
		WRITE_ONCE(ctrl->cc, cc & ~NVME_CC_SHN_MASK);
		ev = NEPF_REGS_DISABLE;
	} else if (!en && ctrl->rejected.valid) {
		/* Disabled after a refused enable: the reset clears CFS. */
		ctrl->rejected.valid = false;
		nepf_regs_set_disabled(ctrl);
	} else if (shn && !(ctrl->cc & NVME_CC_SHN_MASK)) {
		WRITE_ONCE(ctrl->cc, ctrl->cc | shn);
		spin_lock(&ctrl->csts_lock);
		state = ctrl->state;
		/*
		 * After CSTS.CFS too: writes completed before it may still
		 * sit in a backend's volatile cache.
		 */
		if (en && (state == NEPF_CTRL_LIVE || state == NEPF_CTRL_FATAL)) {
			/* Normal or abrupt: both end with SHST complete. */
			csts_update(ctrl, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_OCCUR);
			ev = NEPF_REGS_SHUTDOWN;
		} else {
			/* Nothing runs: the shutdown is complete at once. */
			csts_update(ctrl, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_CMPLT);
		}
		spin_unlock(&ctrl->csts_lock);
	} else if (!shn && (ctrl->cc & NVME_CC_SHN_MASK)) {
		/* SHN cleared: forget it; SHST stays until a reset. */
		WRITE_ONCE(ctrl->cc, ctrl->cc & ~NVME_CC_SHN_MASK);
	}
	regs_restore_ro(ctrl);
	if (ev != NEPF_REGS_NONE)
		trace_nvme_epf_ctrl(ctrl, cc, READ_ONCE(ctrl->csts));
	/* At this pace: namespaces another controller formatted. */
	nepf_ctrl_ns_poll(ctrl);
	return ev;
}

/**
 * nepf_regs_set_ready() - set or clear CSTS.RDY
 * @ctrl: the controller
 * @ready: the new value
 *
 * Context: any thread.
 */
void nepf_regs_set_ready(struct nepf_ctrl *ctrl, bool ready)
{
	u32 csts;

	spin_lock(&ctrl->csts_lock);
	csts = csts_update(ctrl, NVME_CSTS_RDY, ready ? NVME_CSTS_RDY : 0);
	spin_unlock(&ctrl->csts_lock);
	trace_nvme_epf_ctrl(ctrl, ctrl->cc, csts);
}

/**
 * nepf_regs_set_shutdown_done() - report the shutdown complete
 * @ctrl: the controller
 *
 * CSTS.SHST = complete; a live controller enters the shutdown state.
 * nepf_ctrl_quiesced() calls it once the namespaces are flushed.
 *
 * Context: any thread.
 */
void nepf_regs_set_shutdown_done(struct nepf_ctrl *ctrl)
{
	u32 csts;

	spin_lock(&ctrl->csts_lock);
	csts = csts_update(ctrl, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_CMPLT);
	if (ctrl->state == NEPF_CTRL_LIVE)
		WRITE_ONCE(ctrl->state, NEPF_CTRL_SHUTDOWN);
	spin_unlock(&ctrl->csts_lock);
	trace_nvme_epf_ctrl(ctrl, ctrl->cc, csts);
}

/* CSTS.CFS, in the fatal state: from any thread. */
void nepf_regs_set_fatal(struct nepf_ctrl *ctrl)
{
	u32 csts;

	spin_lock(&ctrl->csts_lock);
	csts = csts_update(ctrl, 0, NVME_CSTS_CFS);
	WRITE_ONCE(ctrl->state, NEPF_CTRL_FATAL);
	spin_unlock(&ctrl->csts_lock);
	/* Any thread: ctrl->cc is the register poll's (WRITE_ONCE there). */
	trace_nvme_epf_ctrl(ctrl, READ_ONCE(ctrl->cc), csts);
}

/* CSTS all clear, disabled: a controller reset. */
void nepf_regs_set_disabled(struct nepf_ctrl *ctrl)
{
	spin_lock(&ctrl->csts_lock);
	csts_update(ctrl, ~0U, 0);
	WRITE_ONCE(ctrl->state, NEPF_CTRL_DISABLED);
	spin_unlock(&ctrl->csts_lock);
	trace_nvme_epf_ctrl(ctrl, ctrl->cc, 0);
}

/*
 * A doorbell of a queue the controller offers (qid 0..max_io_queues)?  The
 * BAR goes on past the doorbells (the MSI-X table and PBA follow them), so
 * the BAR's size is not the bound: clearing "doorbells" of every possible
 * qid at a reset zeroed the host's MSI-X table.
 */
static bool regs_db_ok(const struct nepf_ctrl *ctrl, u32 off)
{
	return off + 4 <= NVME_BAR_SIZE(ctrl->cfg.max_io_queues + 1);
}

/* Raw doorbell values: the caller checks them against the queue size. */
u32 nepf_regs_sq_tail(struct nepf_ctrl *ctrl, u16 qid)
{
	if (!regs_db_ok(ctrl, NVME_REG_SQTDBL(qid)))
		return 0;
	nepf_cost_inc(ctrl->costs, BAR_DB_LOADS);
	return bar_load(ctrl, NVME_REG_SQTDBL(qid));
}

u32 nepf_regs_cq_head(struct nepf_ctrl *ctrl, u16 qid)
{
	if (!regs_db_ok(ctrl, NVME_REG_CQHDBL(qid)))
		return 0;
	nepf_cost_inc(ctrl->costs, BAR_DB_LOADS);
	return bar_load(ctrl, NVME_REG_CQHDBL(qid));
}

/* New or deleted queues start from zero whatever the host wrote before. */
void nepf_regs_clear_doorbell(struct nepf_ctrl *ctrl, u16 qid, bool cq)
{
	u32 off = cq ? NVME_REG_CQHDBL(qid) : NVME_REG_SQTDBL(qid);

	if (regs_db_ok(ctrl, off))
		wr32(ctrl, off, 0);
}
