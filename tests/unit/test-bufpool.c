// SPDX-License-Identifier: GPL-2.0
/*
 * test-bufpool.c - data buffers of I/O commands (src/bufpool.c): kept 4 KiB
 * slots and MDTS-sized buffers are reused, env->alloc_buf() is the
 * fallback, and the budget keeps commands in the host's SQ (the head does
 * not move) until buffers come back, without ever stalling for good.
 * Reservations and buffers return from commands of an old generation, a
 * deleted SQ and a reset (sim_free() checks that no buffer is left).
 */
#include <string.h>
#include "unit.h"

#define NSID		1
#define NS_BLOCKS	16384		/* 8 MiB of 512-byte blocks */
#define KB		1024U
#define COST(s, NAME)	((s)->costs.v[NEPF_COST_##NAME])

static struct sim *bp_sim(u32 mdts_kb, u32 budget_kb)
{
	struct nepf_ctrl_config cfg;
	struct sim *s;
	u64 i;

	sim_default_config(&cfg);
	cfg.mdts_kb = mdts_kb;
	cfg.buf_budget_kb = budget_kb;
	cfg.sgl = true;
	s = sim_new(&cfg);
	if (sim_enable(s, 32))
		abort();
	sim_add_ns(s, NSID, NS_BLOCKS, 9);
	/* Every block holds its LBA in each byte: reads are checkable. */
	for (i = 0; i < NS_BLOCKS; i++)
		memset(s->ns[0].data + i * 512, (u8)i, 512);
	if (sim_create_io_queues(s, 2, 64))
		abort();
	return s;
}

/* A Read of @len bytes at @slba into one host buffer (SGL Data Block). */
static u64 bp_read(struct sim *s, u16 sqid, u64 slba, u32 len)
{
	u64 addr = sim_alloc(s, len, SIM_PAGE);
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(NSID);
	sqe.rw.slba = cpu_to_le64(slba);
	sqe.rw.length = cpu_to_le16(len / 512 - 1);
	sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
	sqe.dptr.sgl.addr = cpu_to_le64(addr);
	sqe.dptr.sgl.length = cpu_to_le32(len);
	sqe.dptr.sgl.type = NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK,
					NVME_SGL_SUBTYPE_ADDRESS);
	if (sim_submit(s, sqid, &sqe))
		abort();
	return addr;
}

static bool bp_data_ok(struct sim *s, u64 addr, u64 slba, u32 len)
{
	const u8 *p = sim_ptr(s, addr);
	u32 i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(slba + i / 512))
			return false;
	return true;
}

/* Finish what the sim holds, then reap; the number of good completions. */
static unsigned int bp_finish_reap(struct sim *s, u16 sqid)
{
	struct nvme_cqe cqe;
	unsigned int n = 0;

	sim_release_held(s);
	while (!sim_reap(s, sqid, &cqe))
		if (!(le16_to_cpu(cqe.status) >> 1))
			n++;
	return n;
}

static struct nepf_bufs_stats bp_stats(struct sim *s)
{
	struct nepf_bufs_stats st;

	nepf_bufs_stats(&s->ctrl, &st);
	return st;
}

/* 4 KiB commands reuse kept slots: the environment allocates once. */
UNIT_TEST(bufpool_slot_reuse)
{
	struct sim *s = bp_sim(128, 0);
	unsigned int i;

	s->hold_defer = true;
	for (i = 0; i < 3; i++)
		bp_read(s, 1, 8 * i, 4096);
	sim_run(s);
	CHECK_EQ(s->nr_held, 3);
	CHECK_EQ(s->ledger.alloc_bufs, 3);
	CHECK_EQ(COST(s, BUF_MISSES), 3);
	CHECK_EQ(bp_finish_reap(s, 1), 3);
	CHECK_EQ(s->ledger.free_bufs, 0);		/* kept */
	CHECK_EQ(bp_stats(s).nr_slots, 3);

	for (i = 0; i < 3; i++)
		bp_read(s, 2, 8 * i, 4096);
	sim_run(s);
	CHECK_EQ(s->nr_held, 3);
	CHECK_EQ(s->ledger.alloc_bufs, 3);		/* none more */
	CHECK_EQ(COST(s, BUF_HITS), 3);
	CHECK_EQ(bp_finish_reap(s, 2), 3);
	CHECK_EQ(COST(s, ALLOCS), 0);		/* inline segments */
	sim_free(s);
}

/*
 * Larger data: NEPF_BUF_BIGS kept buffers of MDTS bytes, then buffers of
 * their own from env->alloc_buf() (the fallback), freed at completion.
 */
UNIT_TEST(bufpool_big_and_fallback)
{
	struct sim *s = bp_sim(128, 0);
	const u32 len = 64 * KB, n = NEPF_BUF_BIGS + 2;
	u64 addr[NEPF_BUF_BIGS + 2];
	unsigned int i;

	s->hold_defer = true;
	for (i = 0; i < n; i++)
		addr[i] = bp_read(s, 1, 128 * i, len);
	sim_run(s);
	CHECK_EQ(s->nr_held, n);
	CHECK_EQ(s->ledger.alloc_bufs, n);
	CHECK_EQ(s->ledger.alloc_buf_bytes, NEPF_BUF_BIGS * 128 * KB + 2 * len);
	CHECK_EQ(s->ledger.alloc_bigs, NEPF_BUF_BIGS);	/* the kept ones */
	CHECK_EQ(bp_finish_reap(s, 1), n);
	for (i = 0; i < n; i++)
		CHECK(bp_data_ok(s, addr[i], 128 * i, len));
	CHECK_EQ(s->ledger.free_bufs, 2);		/* the fallbacks */
	CHECK_EQ(bp_stats(s).nr_bigs, NEPF_BUF_BIGS);
	CHECK_EQ(bp_stats(s).held, NEPF_BUF_BIGS * 128 * KB);

	for (i = 0; i < n; i++)
		addr[i] = bp_read(s, 1, 128 * i + 1, len);
	sim_run(s);
	CHECK_EQ(COST(s, BUF_HITS), NEPF_BUF_BIGS);
	CHECK_EQ(s->ledger.alloc_bufs, n + 2);
	CHECK_EQ(bp_finish_reap(s, 1), n);
	for (i = 0; i < n; i++)
		CHECK(bp_data_ok(s, addr[i], 128 * i + 1, len));
	sim_free(s);
}

/*
 * A deep queue of MDTS reads under a budget of two: two are taken at a
 * time, the rest stay in the host's SQ (its head says so), and every one
 * completes with its data once buffers come back.  The buffers never
 * pass the budget, and the two kept MDTS buffers serve them all.
 */
UNIT_TEST(bufpool_budget_backpressure)
{
	const u32 len = 128 * KB, n = 32;
	struct sim *s = bp_sim(128, 256);
	struct nepf_bufs_stats st;
	unsigned int i, done = 0, rounds = 0;
	u64 addr[32];
	u32 reads;

	s->hold_defer = true;
	for (i = 0; i < n; i++)
		addr[i] = bp_read(s, 1, 256 * i, len);
	sim_run(s);
	CHECK_EQ(s->nr_held, 2);
	CHECK_EQ(s->ctrl.sq[1].head, 2);		/* the rest wait in the SQ */
	CHECK(COST(s, BUF_WAITS) > 0);
	st = bp_stats(s);
	CHECK_EQ(st.reserved, 256 * KB);
	CHECK_EQ(st.nr_resv, 2);
	/* While the budget is full, passes do not even read the SQ. */
	reads = s->ledger.host_reads;
	sim_run(s);
	CHECK_EQ(s->ledger.host_reads, reads);
	CHECK_EQ(s->ctrl.sq[1].head, 2);

	while (done < n && rounds++ < n) {
		CHECK(s->nr_held <= 2);
		done += bp_finish_reap(s, 1);
		sim_run(s);
	}
	CHECK_EQ(done, n);
	for (i = 0; i < n; i++)
		CHECK(bp_data_ok(s, addr[i], 256 * i, len));
	st = bp_stats(s);
	CHECK_EQ(st.reserved, 0);
	CHECK_EQ(st.reserved_peak, 256 * KB);
	CHECK(st.held_peak <= 256 * KB);
	CHECK_EQ(st.misses, 2);
	CHECK_EQ(st.hits, n - 2);
	CHECK_EQ(st.over, 0);
	sim_free(s);
}

/* A command larger than the whole budget still runs, alone. */
UNIT_TEST(bufpool_command_over_budget_runs_alone)
{
	const u32 len = 128 * KB, n = 4;
	struct sim *s = bp_sim(128, 64);
	unsigned int i, done = 0, rounds = 0;

	s->hold_defer = true;
	for (i = 0; i < n; i++)
		bp_read(s, 1, 256 * i, len);
	/* 4 KiB commands behind it wait too: the SQ is served in order. */
	bp_read(s, 1, 0, 4096);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	while (done < n + 1 && rounds++ < 2 * n) {
		CHECK(s->nr_held <= 1);
		done += bp_finish_reap(s, 1);
		sim_run(s);
	}
	CHECK_EQ(done, n + 1);
	CHECK_EQ(bp_stats(s).over, n);
	sim_free(s);
}

/*
 * Commands cut off by a link loss (an old generation), by the deletion of
 * their SQ and by a reset return their reservations and buffers when they
 * end; the reset frees the kept buffers (sim_free() checks none is left).
 */
UNIT_TEST(bufpool_no_leak_cut_delete_reset)
{
	struct sim *s = bp_sim(128, 256);
	struct nepf_bufs_stats st;

	/* SQ 2 deleted while its commands run: deferred until they end. */
	s->hold_defer = true;
	bp_read(s, 2, 0, 4096);
	bp_read(s, 2, 8, 64 * KB);
	sim_run(s);
	CHECK_EQ(s->nr_held, 2);
	CHECK_EQ(bp_stats(s).nr_resv, 2);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 2), SIM_NO_CQE);
	sim_release_held(s);
	sim_run(s);
	st = bp_stats(s);
	CHECK_EQ(st.nr_resv, 0);
	CHECK_EQ(st.reserved, 0);

	/* A link loss with commands in flight: they end in the old one. */
	bp_read(s, 1, 0, 128 * KB);
	bp_read(s, 1, 256, 4096);
	sim_run(s);
	CHECK_EQ(s->nr_held, 2);
	nepf_ctrl_cut(&s->ctrl);
	sim_release_held(s);
	st = bp_stats(s);
	CHECK_EQ(st.nr_resv, 0);
	CHECK_EQ(st.reserved, 0);
	CHECK(st.held > 0);				/* kept for reuse */

	/* The reset frees what was kept; a new enable starts empty. */
	sim_disable(s);
	st = bp_stats(s);
	CHECK_EQ(st.held, 0);
	CHECK_EQ(s->bufs_out, 0);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_io_queues(s, 1, 64), 0);
	s->hold_defer = false;
	bp_read(s, 1, 0, 128 * KB);
	sim_run(s);
	CHECK_EQ(bp_finish_reap(s, 1), 1);
	sim_free(s);
}

/* A reset with commands in flight: they are dropped, their budget too. */
UNIT_TEST(bufpool_reset_in_flight)
{
	struct sim *s = bp_sim(128, 256);

	s->hold_defer = true;
	bp_read(s, 1, 0, 128 * KB);
	bp_read(s, 1, 256, 128 * KB);
	bp_read(s, 1, 512, 128 * KB);		/* waits in the SQ */
	sim_run(s);
	CHECK_EQ(s->nr_held, 2);
	sim_disable(s);				/* quiesce finishes the held */
	CHECK_EQ(bp_stats(s).nr_resv, 0);
	CHECK_EQ(bp_stats(s).reserved, 0);
	CHECK_EQ(s->bufs_out, 0);
	sim_free(s);
}

/*
 * An SGL of more discontiguous blocks than a command's inline segments:
 * the map is done again with a full list, and the data is right.
 */
UNIT_TEST(bufpool_sgl_inline_overflow)
{
	struct sim *s = bp_sim(128, 0);
	const u32 nd = NEPF_SEGS_INLINE + 2, blk = 512;
	struct nvme_sgl_desc *d;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u64 seg, data[NEPF_SEGS_INLINE + 2];
	unsigned int i;

	seg = sim_alloc(s, nd * sizeof(*d), 16);
	d = sim_ptr(s, seg);
	for (i = 0; i < nd; i++) {
		/* a page apart: nothing merges */
		data[i] = sim_alloc(s, SIM_PAGE, SIM_PAGE);
		d[i].addr = cpu_to_le64(data[i]);
		d[i].length = cpu_to_le32(blk);
		d[i].type = NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK,
					NVME_SGL_SUBTYPE_ADDRESS);
	}
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(NSID);
	sqe.rw.slba = cpu_to_le64(40);
	sqe.rw.length = cpu_to_le16(nd - 1);
	sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
	sqe.dptr.sgl.addr = cpu_to_le64(seg);
	sqe.dptr.sgl.length = cpu_to_le32(nd * sizeof(*d));
	sqe.dptr.sgl.type = NVME_SGL_ID(NVME_SGL_TYPE_LAST_SEGMENT,
					NVME_SGL_SUBTYPE_ADDRESS);
	CHECK_EQ(sim_cmd(s, 1, &sqe, &cqe), 0);
	for (i = 0; i < nd; i++)
		CHECK(bp_data_ok(s, data[i], 40 + i, blk));
	CHECK_EQ(COST(s, DATA_SEGS), nd);
	CHECK_EQ(COST(s, ALLOCS), 1);		/* the full list */

	/* Within the inline room: nothing allocated. */
	memset(&s->costs, 0, sizeof(s->costs));
	sqe.rw.length = cpu_to_le16(NEPF_SEGS_INLINE - 1);
	sqe.dptr.sgl.length = cpu_to_le32(NEPF_SEGS_INLINE * sizeof(*d));
	CHECK_EQ(sim_cmd(s, 1, &sqe, &cqe), 0);
	CHECK_EQ(COST(s, DATA_SEGS), NEPF_SEGS_INLINE);
	CHECK_EQ(COST(s, ALLOCS), 0);
	sim_free(s);
}

/* A Copy of @nlb blocks from 0 to @dst, one descriptor (format 0h). */
static void bp_copy(struct sim *s, u64 dst, u32 nlb)
{
	u64 addr = sim_alloc(s, SIM_PAGE, SIM_PAGE);
	struct nvme_copy_range *d = sim_ptr(s, addr);
	struct nvme_sqe sqe;

	d->slba = cpu_to_le64(0);
	d->nlb = cpu_to_le16(nlb - 1);
	sim_sqe(&sqe, nvme_cmd_copy);
	sqe.nsid = cpu_to_le32(NSID);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw10 = cpu_to_le32(lower_32_bits(dst));
	sqe.cdw11 = cpu_to_le32(upper_32_bits(dst));
	if (sim_submit(s, 1, &sqe))
		abort();
}

/*
 * Copy moves up to MDTS of data through a buffer whose size its SQE does
 * not say: each reserves MDTS, so a queue of them is held back too.
 */
UNIT_TEST(bufpool_copy_reserves_mdts)
{
	struct sim *s = bp_sim(128, 256);
	unsigned int i, done = 0, rounds = 0;

	s->hold_defer = true;
	for (i = 0; i < 6; i++)
		bp_copy(s, 1024 + 8 * i, 8);
	sim_run(s);
	CHECK_EQ(s->nr_held, 2);
	CHECK_EQ(bp_stats(s).reserved, 256 * KB);
	while (done < 6 && rounds++ < 12) {
		done += bp_finish_reap(s, 1);
		sim_run(s);
	}
	CHECK_EQ(done, 6);
	for (i = 0; i < 6; i++)
		CHECK(!memcmp(s->ns[0].data + (1024 + 8 * i) * 512,
			      s->ns[0].data, 8 * 512));
	sim_free(s);
}
