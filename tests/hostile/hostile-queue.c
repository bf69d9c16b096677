// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-queue.c - the plumbing of a hand-driven NVMe host: registers,
 * enable/disable, polled queues in DMA-coherent memory, and the usual
 * admin commands, all without the nvme driver.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include "hostile.h"

#define H_CMD_MS	5000	/* a command that takes longer is lost */

u32 h_rd32(struct hostile *h, u32 off)
{
	return readl(h->bar + off);
}

u64 h_rd64(struct hostile *h, u32 off)
{
	return h_rd32(h, off) | ((u64)h_rd32(h, off + 4) << 32);
}

void h_wr32(struct hostile *h, u32 off, u32 val)
{
	writel(val, h->bar + off);
}

void h_wr64(struct hostile *h, u32 off, u64 val)
{
	h_wr32(h, off, lower_32_bits(val));
	h_wr32(h, off + 4, upper_32_bits(val));
}

void h_sq_doorbell(struct hostile *h, u16 qid, u32 val)
{
	h_wr32(h, NVME_REG_DBS + 2 * qid * h->dstrd, val);
}

void h_cq_doorbell(struct hostile *h, u16 qid, u32 val)
{
	h_wr32(h, NVME_REG_DBS + (2 * qid + 1) * h->dstrd, val);
}

/* Wait until (CSTS & mask) == want; 0, or -ETIMEDOUT. */
int h_wait_csts(struct hostile *h, u32 mask, u32 want, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	for (;;) {
		if ((h_rd32(h, NVME_REG_CSTS) & mask) == want)
			return 0;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		usleep_range(200, 400);
	}
}

static void hq_reset(struct hq *q)
{
	q->head = 0;
	q->tail = 0;
	q->phase = 1;
	memset(q->ring, 0, q->size * (q->cq ? 16 : 64));
}

int h_disable(struct hostile *h)
{
	h_wr32(h, NVME_REG_CC, h_rd32(h, NVME_REG_CC) & ~NVME_CC_ENABLE);
	h->aer_pending = false;
	return h_wait_csts(h, NVME_CSTS_RDY, 0, h->timeout_ms);
}

int h_enable(struct hostile *h)
{
	u32 cc = NVME_CC_ENABLE | NVME_CC_CSS_NVM | NVME_CC_AMS_RR |
		 NVME_CC_IOSQES | NVME_CC_IOCQES;	/* MPS 0: 4 KiB pages */

	hq_reset(&h->asq);
	hq_reset(&h->acq);
	hq_reset(&h->iosq);
	hq_reset(&h->iocq);
	h_wr32(h, NVME_REG_AQA, (h->acq.size - 1) << 16 | (h->asq.size - 1));
	h_wr64(h, NVME_REG_ASQ, h->asq.dma);
	h_wr64(h, NVME_REG_ACQ, h->acq.dma);
	h_wr32(h, NVME_REG_CC, cc);
	if (h_wait_csts(h, NVME_CSTS_RDY | NVME_CSTS_CFS, NVME_CSTS_RDY,
			h->timeout_ms))
		return -EIO;
	return 0;
}

int h_submit(struct hostile *h, struct hq *sq, struct nvme_command *c)
{
	u16 cid = c->common.command_id;

	if (cid != H_AER_CID) {
		h->cid = (h->cid + 1) & 0x7fff;
		cid = h->cid;
		c->common.command_id = cid;
	}
	memcpy(sq->ring + sq->tail * sizeof(*c), c, sizeof(*c));
	sq->tail = (sq->tail + 1) % sq->size;
	wmb();	/* the entry before the doorbell */
	h_sq_doorbell(h, sq->qid, sq->tail);
	return cid;
}

/*
 * Poll @cq for the completion of @cid; other completions are consumed
 * (the AER's is recorded).  0, or -ETIMEDOUT.
 */
int h_wait(struct hostile *h, struct hq *cq, u16 cid, struct nvme_completion *cqe,
	   unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	struct nvme_completion *e;
	u16 st;

	for (;;) {
		e = (struct nvme_completion *)cq->ring + cq->head;
		st = le16_to_cpu(READ_ONCE(e->status));
		if ((st & 1) != cq->phase) {
			if (time_after(jiffies, end))
				return -ETIMEDOUT;
			usleep_range(50, 100);
			continue;
		}
		dma_rmb();	/* the rest of the entry after its phase */
		*cqe = *e;
		if (++cq->head == cq->size) {
			cq->head = 0;
			cq->phase ^= 1;
		}
		h_cq_doorbell(h, cq->qid, cq->head);
		if (!cq->qid && cqe->command_id == H_AER_CID) {
			h->aer_pending = false;
			h->aer_done = true;
			h->aer_result = le32_to_cpu(cqe->result.u32);
			continue;
		}
		if (cqe->command_id == cid)
			return 0;
	}
}

static u16 h_cmd(struct hostile *h, struct hq *sq, struct hq *cq,
		 struct nvme_command *c, u32 *result)
{
	struct nvme_completion cqe;
	int cid = h_submit(h, sq, c);

	if (h_wait(h, cq, cid, &cqe, H_CMD_MS))
		return ST_TIMEOUT;
	if (result)
		*result = le32_to_cpu(cqe.result.u32);
	return (le16_to_cpu(cqe.status) >> 1) & 0x7ff;
}

u16 h_admin(struct hostile *h, struct nvme_command *c, u32 *result)
{
	return h_cmd(h, &h->asq, &h->acq, c, result);
}

u16 h_io(struct hostile *h, struct nvme_command *c)
{
	return h_cmd(h, &h->iosq, &h->iocq, c, NULL);
}

/* Read or Write of @nlb blocks at @slba, namespace 1; data pointer unset. */
void h_rw(struct hostile *h, struct nvme_command *c, bool write, u64 slba, u32 nlb)
{
	memset(c, 0, sizeof(*c));
	c->common.opcode = write ? nvme_cmd_write : nvme_cmd_read;
	c->common.nsid = cpu_to_le32(1);
	c->common.cdw10 = cpu_to_le32(lower_32_bits(slba));
	c->common.cdw11 = cpu_to_le32(upper_32_bits(slba));
	c->common.cdw12 = cpu_to_le32(nlb - 1);
}

/* Create I/O CQ (@hi: interrupt vector) or SQ (@hi: CQ id). */
static int h_create_q(struct hostile *h, u8 opcode, u16 qid, u16 size,
		      dma_addr_t dma, u32 flags, u16 hi, u16 *status)
{
	struct nvme_command c = { };

	c.common.opcode = opcode;
	c.common.dptr.prp1 = cpu_to_le64(dma);
	c.common.cdw10 = cpu_to_le32((u32)(size - 1) << 16 | qid);
	c.common.cdw11 = cpu_to_le32((u32)hi << 16 | flags);
	*status = h_admin(h, &c, NULL);
	return *status ? -EIO : 0;
}

int h_create_cq(struct hostile *h, u16 qid, u16 size, dma_addr_t dma, u32 flags,
		u16 vector, u16 *status)
{
	return h_create_q(h, nvme_admin_create_cq, qid, size, dma, flags, vector,
			  status);
}

int h_create_sq(struct hostile *h, u16 qid, u16 size, dma_addr_t dma, u32 flags,
		u16 cqid, u16 *status)
{
	return h_create_q(h, nvme_admin_create_sq, qid, size, dma, flags, cqid,
			  status);
}

u16 h_delete_q(struct hostile *h, u8 opcode, u16 qid)
{
	struct nvme_command c = { };

	c.common.opcode = opcode;
	c.common.cdw10 = cpu_to_le32(qid);
	return h_admin(h, &c, NULL);
}

static u16 h_identify(struct hostile *h, u32 nsid, u8 cns)
{
	struct nvme_command c = { };

	c.common.opcode = nvme_admin_identify;
	c.common.nsid = cpu_to_le32(nsid);
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
	c.common.cdw10 = cpu_to_le32(cns);
	return h_admin(h, &c, NULL);
}

/* Disable, enable, learn the controller and namespace 1, one I/O queue pair. */
int h_setup(struct hostile *h)
{
	struct nvme_id_ctrl *id = (void *)h->buf;
	struct nvme_id_ns *ns = (void *)h->buf;
	struct nvme_command c = { };
	u16 st;

	if (h_disable(h) || h_enable(h))
		return -EIO;
	if (h_identify(h, 0, NVME_ID_CNS_CTRL))
		return -EIO;
	h->max_xfer = id->mdts ? 4096U << id->mdts : 0;
	h->sgls = le32_to_cpu(id->sgls);
	if (h_identify(h, 1, NVME_ID_CNS_NS))
		return -EIO;
	h->nsze = le64_to_cpu(ns->nsze);
	h->lba_shift = ns->lbaf[ns->flbas & 0xf].ds;
	if (h->lba_shift < 9 || h->lba_shift > 12)
		return -EIO;
	c.common.opcode = nvme_admin_set_features;
	c.common.cdw10 = cpu_to_le32(NVME_FEAT_NUM_QUEUES);
	/* Four pairs (0's based): ids 2..4 are legal but never created. */
	c.common.cdw11 = cpu_to_le32(3 << 16 | 3);
	if (h_admin(h, &c, NULL))
		return -EIO;
	if (h_create_cq(h, HQ_IOQID, h->iocq.size, h->iocq.dma, NVME_QUEUE_PHYS_CONTIG,
			0, &st) ||
	    h_create_sq(h, HQ_IOQID, h->iosq.size, h->iosq.dma, NVME_QUEUE_PHYS_CONTIG,
			HQ_IOQID, &st))
		return -EIO;
	return 0;
}
