// SPDX-License-Identifier: GPL-2.0
/*
 * test-dma-batch.c - a command's data segments go to the environment in
 * one call (env->host_xfer_segs), so that the glue's DMA issues all of
 * them before it waits, and waits once (src/dma.c, src/edma.c): PRP
 * lists both ways, a failure in any one segment, and an environment
 * without the call (one host read or write per segment, as before).
 */
#include "unit.h"

#define PG	4096
#define NSEG	8		/* pages of one command, none adjacent */

static struct sim *batch_sim(void)
{
	struct sim *s = unit_sim_enabled();

	sim_add_ns(s, 1, 256, 9);
	if (sim_create_io_queues(s, 1, 8))
		abort();
	return s;
}

/*
 * A Read or Write of NSEG pages at LBA 0 whose PRP entries are every
 * other page of a buffer: NSEG segments that cannot merge.
 */
static void scattered(struct sim *s, struct nvme_sqe *sqe, u8 opc,
		      u64 page[NSEG])
{
	u64 base = sim_alloc(s, 2 * NSEG * PG, PG), list = sim_alloc(s, PG, PG);
	__le64 *l = sim_ptr(s, list);
	unsigned int i;

	for (i = 0; i < NSEG; i++)
		page[i] = base + 2ULL * i * PG;
	for (i = 1; i < NSEG; i++)
		l[i - 1] = cpu_to_le64(page[i]);
	sim_sqe(sqe, opc);
	sqe->nsid = cpu_to_le32(1);
	sqe->rw.slba = cpu_to_le64(0);
	sqe->rw.length = cpu_to_le16(NSEG * PG / 512 - 1);
	sqe->dptr.prp1 = cpu_to_le64(page[0]);
	sqe->dptr.prp2 = cpu_to_le64(list);
}

static bool pages_hold_disk(struct sim *s, const u64 page[NSEG])
{
	unsigned int i;

	for (i = 0; i < NSEG; i++)
		if (memcmp(sim_ptr(s, page[i]), s->ns[0].data + i * PG, PG))
			return false;
	return true;
}

/* A Read of NSEG scattered pages, the disk filled from @seed first. */
static void read_scattered(struct sim *s, struct nvme_sqe *sqe, u64 page[NSEG],
			   unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < NSEG * PG; i++)
		s->ns[0].data[i] = i * seed + i / PG;
	scattered(s, sqe, nvme_cmd_read, page);
}

UNIT_TEST(dma_batch_read_one_call)
{
	struct sim *s = batch_sim();
	struct nvme_sqe sqe;
	u64 page[NSEG];
	u32 calls, segs, writes;

	read_scattered(s, &sqe, page, 13);
	calls = s->ledger.xfer_calls;
	segs = s->ledger.xfer_segs;
	writes = s->ledger.host_writes;
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	/* the data: one call with every segment; the CQE is no transfer */
	CHECK_EQ(s->ledger.xfer_calls - calls, 1);
	CHECK_EQ(s->ledger.xfer_segs - segs, NSEG);
	CHECK_EQ(s->ledger.host_writes - writes, NSEG);
	CHECK(pages_hold_disk(s, page));
	sim_free(s);
}

UNIT_TEST(dma_batch_write_one_call)
{
	struct sim *s = batch_sim();
	struct nvme_sqe sqe;
	u64 page[NSEG];
	u32 calls, segs;
	unsigned int i, j;

	scattered(s, &sqe, nvme_cmd_write, page);
	for (i = 0; i < NSEG; i++)
		for (j = 0; j < PG; j++)
			((u8 *)sim_ptr(s, page[i]))[j] = j * 5 + i;
	calls = s->ledger.xfer_calls;
	segs = s->ledger.xfer_segs;
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK_EQ(s->ledger.xfer_calls - calls, 1);
	CHECK_EQ(s->ledger.xfer_segs - segs, NSEG);
	CHECK_EQ(s->ledger.xfer_segs_max, NSEG);
	CHECK(pages_hold_disk(s, page));
	sim_free(s);
}

/*
 * A failure in any one segment (first, middle, last: a descriptor that
 * aborted after its data moved) fails the command with a Data Transfer
 * Error, retryable, and the write does not reach the backend.
 */
UNIT_TEST(dma_batch_any_segment_fails)
{
	static const u32 which[] = { 1, NSEG / 2, NSEG };
	struct sim *s = batch_sim();
	struct nvme_sqe sqe;
	u64 page[NSEG];
	unsigned int i;
	u64 written;

	for (i = 0; i < ARRAY_SIZE(which); i++) {
		s->fail_xfer_seg = which[i];
		scattered(s, &sqe, nvme_cmd_read, page);
		CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), NVME_SC_DATA_XFER_ERROR);
		written = s->ns[0].written_bytes;
		scattered(s, &sqe, nvme_cmd_write, page);
		CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), NVME_SC_DATA_XFER_ERROR);
		CHECK_EQ(s->ns[0].written_bytes, written);
	}
	s->fail_xfer_seg = 0;
	scattered(s, &sqe, nvme_cmd_read, page);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK(pages_hold_disk(s, page));
	sim_free(s);
}

/* Without host_xfer_segs: one host write per segment, the same data. */
UNIT_TEST(dma_batch_per_segment_env)
{
	struct sim *s = batch_sim();
	struct nvme_sqe sqe;
	u64 page[NSEG];
	u32 writes;

	sim_per_segment(s);
	read_scattered(s, &sqe, page, 3);
	writes = s->ledger.host_writes;
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK_EQ(s->ledger.xfer_calls, 0);
	CHECK_EQ(s->ledger.host_writes - writes, NSEG);
	CHECK(pages_hold_disk(s, page));
	sim_free(s);
}
