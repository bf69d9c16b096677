/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hostile.h - a deliberately misbehaving NVMe host (test only).
 *
 * The driver talks to the controller by hand: BAR0 registers, its own
 * DMA-coherent admin and I/O queues (polled, no interrupts), and command
 * fields chosen to be wrong.  Each case checks the exact status or
 * controller state the NVMe base specification requires, then that a
 * normal write + read still works.
 */
#ifndef NVME_HOSTILE_H
#define NVME_HOSTILE_H

#include <linux/types.h>
#include <linux/pci.h>
#include <linux/nvme.h>

#define HQ_DEPTH	32		/* entries of every queue we create */
#define HQ_IOQID	1		/* the one I/O queue pair */
#define H_BUF_SIZE	(256 * 1024)	/* data buffer: two halves */
#define H_AER_CID	0xfff0		/* the outstanding AER's command id */

#define H_CAP_CQR	BIT_ULL(16)	/* queues must be physically contiguous */
#define H_SGLS_OVERSIZE	BIT(18)	/* SGLs may describe more than the transfer */

/* Status as SCT << 8 | SC (the CQE status field >> 1, without CRD/M/DNR). */
#define ST(sct, sc)		(((sct) << 8) | (sc))
#define ST_OK			ST(0, 0x00)
#define ST_INVALID_OPCODE	ST(0, 0x01)
#define ST_INVALID_FIELD	ST(0, 0x02)
#define ST_DATA_XFER		ST(0, 0x04)
#define ST_INVALID_NS		ST(0, 0x0b)
#define ST_SGL_COUNT		ST(0, 0x0e)
#define ST_SGL_DATA_LEN		ST(0, 0x0f)
#define ST_SGL_TYPE		ST(0, 0x11)
#define ST_PRP_OFFSET		ST(0, 0x13)
#define ST_LBA_RANGE		ST(0, 0x80)
#define ST_CQ_INVALID		ST(1, 0x00)
#define ST_QID_INVALID		ST(1, 0x01)
#define ST_QUEUE_SIZE		ST(1, 0x02)
#define ST_INVALID_VECTOR	ST(1, 0x08)
#define ST_QUEUE_DELETE		ST(1, 0x0c)
#define ST_TIMEOUT		0xffff	/* no completion at all */

struct hq {
	void *ring;
	dma_addr_t dma;
	u16 qid;
	u16 size;
	u16 head;		/* CQ: next entry to look at */
	u16 tail;		/* SQ: next free slot */
	u8 phase;		/* CQ: expected phase */
	bool cq;
};

struct hostile {
	struct pci_dev *pdev;
	void __iomem *bar;
	u64 cap;
	u32 dstrd;		/* doorbell stride in bytes */
	u32 timeout_ms;		/* CAP.TO */
	struct hq asq, acq, iosq, iocq;
	u8 *buf;		/* data buffer, DMA-coherent */
	dma_addr_t buf_dma;
	u8 *list;		/* a page for PRP lists / SGL segments */
	dma_addr_t list_dma;
	struct page *unmapped;	/* a page the device must never reach */
	u16 cid;
	/* what the controller told us */
	u32 lba_shift;
	u64 nsze;
	u32 max_xfer;		/* MDTS in bytes, 0: none */
	u32 sgls;
	u16 mqes;
	/* an Asynchronous Event Request is outstanding / has completed */
	bool aer_pending;
	bool aer_done;
	u32 aer_result;
	/* this run */
	bool dma_all;		/* every controller transfer goes by DMA */
	bool windows_only;	/* the function has no DMA at all */
	const char *suffix;	/* of the case names */
	/* report */
	char *out;
	size_t out_len, out_size;
	unsigned int passed, failed;
};

/* hostile-queue.c: registers, queues, commands */
u32 h_rd32(struct hostile *h, u32 off);
u64 h_rd64(struct hostile *h, u32 off);
void h_wr32(struct hostile *h, u32 off, u32 val);
void h_wr64(struct hostile *h, u32 off, u64 val);
int h_disable(struct hostile *h);
int h_enable(struct hostile *h);
int h_setup(struct hostile *h);
void h_sq_doorbell(struct hostile *h, u16 qid, u32 val);
void h_cq_doorbell(struct hostile *h, u16 qid, u32 val);
int h_submit(struct hostile *h, struct hq *sq, struct nvme_command *c);
int h_wait(struct hostile *h, struct hq *cq, u16 cid, struct nvme_completion *cqe,
	   unsigned int ms);
u16 h_admin(struct hostile *h, struct nvme_command *c, u32 *result);
u16 h_io(struct hostile *h, struct nvme_command *c);
void h_rw(struct hostile *h, struct nvme_command *c, bool write, u64 slba,
	  u32 nlb);
int h_create_cq(struct hostile *h, u16 qid, u16 size, dma_addr_t dma, u32 flags,
		u16 vector, u16 *status);
int h_create_sq(struct hostile *h, u16 qid, u16 size, dma_addr_t dma, u32 flags,
		u16 cqid, u16 *status);
u16 h_delete_q(struct hostile *h, u8 opcode, u16 qid);
int h_wait_csts(struct hostile *h, u32 mask, u32 want, unsigned int ms);

/* hostile-cases.c */
void h_run_cases(struct hostile *h, bool dma_all, bool windows_only);

/* hostile-main.c: the report */
__printf(2, 3) void h_out(struct hostile *h, const char *fmt, ...);

#endif
