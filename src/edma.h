/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edma.h - the programming sequence of a DesignWare PCIe eDMA (v0,
 * unrolled register map), free of kernel services so that the unit tests
 * run it against a register model (tests/unit/test-edma.c).
 *
 * The caller owns the channels: at most one transfer per channel, several
 * channels in flight at once.  Register access goes through @io (MMIO in
 * the kernel, the model in the tests); a channel's linked list lives in
 * memory the engine reads (coherent DMA memory in the kernel).
 *
 * Completion is read from the interrupt status register: done, or abort
 * (the engine stopped on an error, or was stopped): an aborted transfer
 * is a failed transfer, whatever it moved.
 */
#ifndef NEPF_EDMA_H
#define NEPF_EDMA_H

#include "port.h"
#include "edma-regs.h"

enum nepf_edma_dir {
	NEPF_EDMA_WRITE = 0,		/* local memory -> host (PCI) */
	NEPF_EDMA_READ = 1,		/* host (PCI) -> local memory */
};

struct nepf_edma_io {
	u32 (*rd)(void *ctx, u32 off);
	void (*wr)(void *ctx, u32 off, u32 val);
};

/* One piece of a transfer: the engine's local address, the PCI address. */
struct nepf_edma_seg {
	u64 local;
	u64 pci;
	u32 len;
};

/* A channel's linked-list memory: @max data elements plus the link. */
struct nepf_edma_ll {
	void *virt;			/* CPU view */
	u64 bus;			/* the engine's view */
	u32 max;
};

/* A list element as the engine reads it (little endian). */
struct nepf_edma_lli {
	__le32 ctl;
	__le32 size;			/* link element: reserved */
	__le32 sar_lo;			/* link element: next element, low */
	__le32 sar_hi;			/* link element: next element, high */
	__le32 dar_lo;
	__le32 dar_hi;
};

/* Why a channel aborted (nepf_edma_status()'s @err); 0: stopped, or unknown. */
#define NEPF_EDMA_ERR_LOCAL	BIT(0)	/* local memory (AXI) access */
#define NEPF_EDMA_ERR_LL	BIT(1)	/* list element fetch */
#define NEPF_EDMA_ERR_UR	BIT(2)	/* host: Unsupported Request */
#define NEPF_EDMA_ERR_CA	BIT(3)	/* host: Completer Abort */
#define NEPF_EDMA_ERR_CTO	BIT(4)	/* host: completion timeout */
#define NEPF_EDMA_ERR_POISON	BIT(5)	/* host: poisoned data */

enum nepf_edma_result {
	NEPF_EDMA_BUSY = 0,
	NEPF_EDMA_DONE,
	NEPF_EDMA_ABORT,
};

struct nepf_edma {
	const struct nepf_edma_io *io;
	void *ctx;
	u8 nr_ch[2];			/* by enum nepf_edma_dir */
	bool irq;			/* done/abort unmasked */
};

/* Data elements in one channel's list: a 4 KiB page with the link. */
#define NEPF_EDMA_LL_MAX	(4096 / EDMA_LL_ELEM_SIZE - 1)

/* Bytes of list memory that hold @nr data elements and the link. */
static inline u32 nepf_edma_ll_bytes(u32 nr)
{
	return (nr + 1) * EDMA_LL_ELEM_SIZE;
}

/*
 * A channel's queue of transfers: one list runs, the others wait their
 * turn in order, so that a channel takes the next transfer as soon as
 * one ends, not when its waiter wakes.  The caller serializes every call
 * on a queue (the glue: a spinlock, taken by the interrupt handler too)
 * and owns a request, with its list memory and pieces, until @end has
 * been called for it, under that lock: the request has ended, done,
 * aborted, or not started (@ret).
 */
struct nepf_edma_req {
	struct nepf_edma_req *next;	/* the queue's */
	const struct nepf_edma_ll *ll;
	const struct nepf_edma_seg *seg;
	unsigned int nr;
	void (*end)(struct nepf_edma_req *r);
	bool ended;
	enum nepf_edma_result res;	/* once ended: DONE or ABORT */
	u32 err;			/* NEPF_EDMA_ERR_* of an abort */
	int ret;			/* nepf_edma_start()'s error, or 0 */
};

struct nepf_edma_q {
	enum nepf_edma_dir dir;
	unsigned int ch;
	struct nepf_edma_req *cur;	/* running on the channel */
	struct nepf_edma_req *head;	/* waiting, in order */
	struct nepf_edma_req **tail;
};

int nepf_edma_probe(struct nepf_edma *e);
void nepf_edma_enable(struct nepf_edma *e, bool irq);
void nepf_edma_disable(struct nepf_edma *e);
int nepf_edma_start(struct nepf_edma *e, enum nepf_edma_dir dir,
		    unsigned int ch, const struct nepf_edma_ll *ll,
		    const struct nepf_edma_seg *seg, unsigned int nr);
enum nepf_edma_result nepf_edma_status(struct nepf_edma *e,
				       enum nepf_edma_dir dir,
				       unsigned int ch, u32 *err);
u32 nepf_edma_pending(struct nepf_edma *e, enum nepf_edma_dir dir);
void nepf_edma_stop(struct nepf_edma *e, enum nepf_edma_dir dir,
		    unsigned int ch);
unsigned int nepf_edma_ch_state(struct nepf_edma *e, enum nepf_edma_dir dir,
				unsigned int ch);
const char *nepf_edma_err_str(u32 err);
void nepf_edma_q_init(struct nepf_edma_q *q, enum nepf_edma_dir dir,
		      unsigned int ch);
bool nepf_edma_q_submit(struct nepf_edma *e, struct nepf_edma_q *q,
			struct nepf_edma_req *r);
struct nepf_edma_req *nepf_edma_q_poll(struct nepf_edma *e,
				       struct nepf_edma_q *q);
bool nepf_edma_q_cancel(struct nepf_edma_q *q, struct nepf_edma_req *r);
void nepf_edma_q_flush(struct nepf_edma_q *q);
void nepf_edma_q_fail(struct nepf_edma_q *q);
bool nepf_edma_q_revive(struct nepf_edma *e, struct nepf_edma_q *q);

/* Whether @r runs on the channel now (not waiting its turn, not ended). */
static inline bool nepf_edma_q_running(const struct nepf_edma_q *q,
				       const struct nepf_edma_req *r)
{
	return q->cur == r;
}

#endif /* NEPF_EDMA_H */
