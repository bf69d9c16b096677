// SPDX-License-Identifier: GPL-2.0
/*
 * queues.c - submission and completion queues: the admin queue from
 * AQA/ASQ/ACQ, Create/Delete I/O SQ/CQ validation, and round-robin
 * arbitration.
 *
 * Queue state is changed only by the admin path (one thread) and by
 * nepf_ctrl_reset(); the completion path, which may run on any thread,
 * reads cq->valid under cq->lock and SQ inflight/deleting under ctrl->lock.
 */
#include "ctrl.h"

/* New queues belong to the controller's current generation. */
static void cq_init(struct nepf_ctrl *ctrl, struct nepf_cq *cq, u16 qid,
		    u16 size, u64 addr, bool irq, u16 vector)
{
	cq->gen = READ_ONCE(ctrl->gen);
	cq->qid = qid;
	cq->size = size;
	cq->head = 0;
	cq->tail = 0;
	cq->phase = 1;
	cq->irq_enabled = irq;
	cq->vector = vector;
	cq->nr_sqs = 0;
	cq->pci_addr = addr;
	WRITE_ONCE(cq->pending, 0);
	cq->first_pending_ns = 0;
	INIT_LIST_HEAD(&cq->wait);
	cq->nr_wait = 0;
	cq->stray_db = 0;
	cq->map = NULL;
}

/* The CQ is no longer valid and no completion is being written to it. */
static void cq_unmap(struct nepf_ctrl *ctrl, struct nepf_cq *cq)
{
	void *map;

	spin_lock(&cq->lock);
	map = cq->map;
	cq->map = NULL;
	spin_unlock(&cq->lock);
	if (map)
		ctrl->env->cq_deleted(ctrl, map);
}

static void sq_init(struct nepf_ctrl *ctrl, struct nepf_sq *sq, u16 qid,
		    u16 size, u64 addr, const u8 *cmb_ring, u16 cqid)
{
	sq->gen = READ_ONCE(ctrl->gen);
	sq->qid = qid;
	sq->size = size;
	sq->head = 0;
	sq->tail = 0;
	sq->cqid = cqid;
	sq->pci_addr = addr;
	sq->cmb_ring = cmb_ring;
	sq->inflight = 0;
	sq->nr_cq_wait = 0;
	sq->deleting = false;
	sq->delete_cid = 0;
	sq->stray_db = 0;
	sq->fetch_errors = 0;
}

/*
 * The ring of an SQ of @size entries at @addr, if it is in the CMB (CMBMSC
 * @msc); NULL: in host memory.  The caller refused one that straddles the
 * CMB's edge.
 */
static const u8 *sq_cmb_ring(struct nepf_ctrl *ctrl, u64 msc, u64 addr,
			     u16 size)
{
	u32 off;

	if (nepf_cmb_locate(ctrl, msc, addr, (u64)size * NVME_SQE_SIZE,
			    &off) != NEPF_CMB_INSIDE)
		return NULL;
	return ctrl->cmb + off;
}

/* Admin queues of an enable regs_enable_check() accepted. */
void nepf_queues_setup_admin(struct nepf_ctrl *ctrl, u32 aqa, u64 asq, u64 acq,
			     u64 cmb_msc)
{
	u16 sq_size = NVME_AQA_ASQS(aqa) + 1;

	nepf_regs_clear_doorbell(ctrl, 0, false);
	nepf_regs_clear_doorbell(ctrl, 0, true);
	spin_lock(&ctrl->cq[0].lock);
	cq_init(ctrl, &ctrl->cq[0], 0, NVME_AQA_ACQS(aqa) + 1, acq, true, 0);
	ctrl->cq[0].nr_sqs = 1;
	WRITE_ONCE(ctrl->cq[0].valid, true);
	spin_unlock(&ctrl->cq[0].lock);
	sq_init(ctrl, &ctrl->sq[0], 0, sq_size, asq,
		sq_cmb_ring(ctrl, cmb_msc, asq, sq_size), 0);
	WRITE_ONCE(ctrl->sq[0].valid, true);
}

/* Every queue gone (reset); queued completions are dropped by the caller. */
void nepf_queues_teardown(struct nepf_ctrl *ctrl)
{
	unsigned int qid;

	for (qid = 0; qid <= NEPF_MAX_IO_QUEUES; qid++) {
		nepf_regs_clear_doorbell(ctrl, qid, false);
		nepf_regs_clear_doorbell(ctrl, qid, true);
		WRITE_ONCE(ctrl->sq[qid].valid, false);
		sq_init(ctrl, &ctrl->sq[qid], qid, 0, 0, NULL, 0);
		spin_lock(&ctrl->cq[qid].lock);
		WRITE_ONCE(ctrl->cq[qid].valid, false);
		spin_unlock(&ctrl->cq[qid].lock);
		cq_unmap(ctrl, &ctrl->cq[qid]);
	}
}

bool nepf_io_queues_exist(const struct nepf_ctrl *ctrl)
{
	unsigned int qid;

	for (qid = 1; qid <= NEPF_MAX_IO_QUEUES; qid++)
		if (ctrl->sq[qid].valid || ctrl->cq[qid].valid)
			return true;
	return false;
}

/* Checks common to both Create commands; 0 or a status. */
static u16 queue_create_check(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe,
			      u16 granted, u8 entry_shift, u8 want_shift)
{
	u32 dw10 = le32_to_cpu(sqe->cdw10);
	u32 dw11 = le32_to_cpu(sqe->cdw11);
	u32 qid = dw10 & 0xffff;
	u32 qsize = (dw10 >> 16) + 1;

	if (!qid || qid > granted || qid > ctrl->cfg.max_io_queues)
		return NVME_SC_QID_INVALID | NVME_STATUS_DNR;
	if (qsize < 2 || qsize > NVME_CAP_MQES(ctrl->cap) + 1)
		return NVME_SC_QUEUE_SIZE | NVME_STATUS_DNR;
	/* CAP.CQR: only physically contiguous queues. */
	if (!(dw11 & NVME_QUEUE_PHYS_CONTIG))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	/* CC.IOSQES/IOCQES are checked here, not at enable (spec). */
	if (entry_shift != want_shift)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (nvme_sqe_prp1(sqe) & (ctrl->page_size - 1))
		return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;
	if (sqe->flags & (NVME_CMD_FUSE_MASK | NVME_CMD_PSDT_MASK))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	return 0;
}

u16 nepf_queue_create_cq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe)
{
	u32 dw10 = le32_to_cpu(sqe->cdw10);
	u32 dw11 = le32_to_cpu(sqe->cdw11);
	u16 qid = dw10 & 0xffff;
	bool ien = dw11 & NVME_CQ_IRQ_ENABLED;
	u16 iv = dw11 >> 16;
	u16 nr_vectors = clamp_t(u16, ctrl->cfg.nr_vectors, 1, NEPF_MAX_VECTORS);
	struct nepf_cq *cq;
	void *map;
	u16 status;
	u32 off;

	status = queue_create_check(ctrl, sqe, ctrl->nr_io_cqs_granted,
				    NVME_CC_IOCQES(ctrl->cc), NVME_CQES);
	if (status)
		return status;
	cq = &ctrl->cq[qid];
	if (cq->valid)
		return NVME_SC_QID_INVALID | NVME_STATUS_DNR;
	if (ien && iv >= nr_vectors)
		return NVME_SC_INVALID_VECTOR | NVME_STATUS_DNR;
	/* CMBSZ.CQS = 0: no CQ may use the CMB, not even a part of it. */
	if (nepf_cmb_locate(ctrl, nepf_regs_cmb_msc(ctrl), nvme_sqe_prp1(sqe),
			    (u64)((dw10 >> 16) + 1) * NVME_CQE_SIZE,
			    &off) != NEPF_CMB_OUTSIDE)
		return NVME_SC_CMB_INVALID_USE | NVME_STATUS_DNR;

	nepf_regs_clear_doorbell(ctrl, qid, true);
	spin_lock(&cq->lock);
	cq_init(ctrl, cq, qid, (dw10 >> 16) + 1, nvme_sqe_prp1(sqe), ien,
		ien ? iv : 0);
	spin_unlock(&cq->lock);
	/* No SQ can complete into it before this command completes. */
	map = ctrl->env->cq_created ? ctrl->env->cq_created(ctrl, cq) : NULL;
	spin_lock(&cq->lock);
	cq->map = map;
	WRITE_ONCE(cq->valid, true);
	spin_unlock(&cq->lock);
	return NVME_SC_SUCCESS;
}

u16 nepf_queue_create_sq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe)
{
	u32 dw10 = le32_to_cpu(sqe->cdw10);
	u32 dw11 = le32_to_cpu(sqe->cdw11);
	u16 qid = dw10 & 0xffff;
	u16 cqid = dw11 >> 16;
	u16 size = (dw10 >> 16) + 1;
	u64 addr = nvme_sqe_prp1(sqe);
	struct nepf_sq *sq;
	u64 msc;
	u16 status;
	u32 off;

	status = queue_create_check(ctrl, sqe, ctrl->nr_io_sqs_granted,
				    NVME_CC_IOSQES(ctrl->cc), NVME_SQES);
	if (status)
		return status;
	sq = &ctrl->sq[qid];
	if (sq->valid || sq->deleting)
		return NVME_SC_QID_INVALID | NVME_STATUS_DNR;
	if (!cqid || cqid > NEPF_MAX_IO_QUEUES || !ctrl->cq[cqid].valid)
		return NVME_SC_CQ_INVALID | NVME_STATUS_DNR;
	/*
	 * CMBSZ.SQS: the ring may be in the CMB, then wholly (CMBLOC.CQPDS
	 * = 0: one contiguous range).  The CMB is read as it is now.
	 */
	msc = nepf_regs_cmb_msc(ctrl);
	if (nepf_cmb_locate(ctrl, msc, addr, (u64)size * NVME_SQE_SIZE,
			    &off) == NEPF_CMB_PARTLY)
		return NVME_SC_CMB_INVALID_USE | NVME_STATUS_DNR;

	/* Only the SQ tail doorbell: the CQ with the same id may be in use. */
	nepf_regs_clear_doorbell(ctrl, qid, false);
	/* QPRIO is ignored: round robin only (CAP.AMS = 0). */
	sq_init(ctrl, sq, qid, size, addr, sq_cmb_ring(ctrl, msc, addr, size),
		cqid);
	spin_lock(&ctrl->lock);
	ctrl->cq[cqid].nr_sqs++;
	spin_unlock(&ctrl->lock);
	WRITE_ONCE(sq->valid, true);
	return NVME_SC_SUCCESS;
}

u16 nepf_queue_delete_sq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe)
{
	u16 qid = le32_to_cpu(sqe->cdw10) & 0xffff;
	struct nepf_sq *sq;
	u16 status = NVME_SC_SUCCESS;

	if (!qid || qid > NEPF_MAX_IO_QUEUES || !ctrl->sq[qid].valid)
		return NVME_SC_QID_INVALID | NVME_STATUS_DNR;
	sq = &ctrl->sq[qid];
	/* Before the queue goes: a stale tail is not a stray doorbell. */
	nepf_regs_clear_doorbell(ctrl, qid, false);
	/*
	 * Entries not fetched yet are dropped; commands already running
	 * complete first, and completions waiting for room in the CQ are
	 * posted, then the core posts this command's completion.
	 */
	spin_lock(&ctrl->lock);
	WRITE_ONCE(sq->valid, false);
	if (sq->inflight || sq->nr_cq_wait) {
		sq->deleting = true;
		sq->delete_cid = sqe->cid;
		status = NEPF_STATUS_DEFERRED;
	} else {
		ctrl->cq[sq->cqid].nr_sqs--;
	}
	spin_unlock(&ctrl->lock);
	return status;
}

u16 nepf_queue_delete_cq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe)
{
	u16 qid = le32_to_cpu(sqe->cdw10) & 0xffff;
	struct nepf_cq *cq;
	u16 nr_sqs;

	if (!qid || qid > NEPF_MAX_IO_QUEUES || !ctrl->cq[qid].valid)
		return NVME_SC_QID_INVALID | NVME_STATUS_DNR;
	cq = &ctrl->cq[qid];
	spin_lock(&ctrl->lock);
	nr_sqs = cq->nr_sqs;
	spin_unlock(&ctrl->lock);
	if (nr_sqs)
		return NVME_SC_INVALID_QUEUE | NVME_STATUS_DNR;	/* Invalid Queue Deletion */
	nepf_cq_drop_waiting(ctrl, cq);
	nepf_regs_clear_doorbell(ctrl, qid, true);
	spin_lock(&cq->lock);
	WRITE_ONCE(cq->valid, false);
	spin_unlock(&cq->lock);
	/*
	 * No SQ uses it (nr_sqs), so no completion is being written to it:
	 * an I/O command's CQE is written before sq_put() counts it out.
	 */
	cq_unmap(ctrl, cq);
	return NVME_SC_SUCCESS;
}

/**
 * nepf_arb_burst_len() - the Arbitration Burst of Feature 01h
 * @arbitration: the feature's value (AB in bits 2:0)
 *
 * Return: the commands one SQ may give per turn, 2^AB; UINT_MAX for
 * AB = 7 (no limit).
 */
unsigned int nepf_arb_burst_len(u32 arbitration)
{
	u32 ab = arbitration & NVME_ARB_AB_MASK;

	return ab == NVME_ARB_AB_NOLIMIT ? UINT_MAX : 1U << ab;
}
