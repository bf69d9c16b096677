// SPDX-License-Identifier: GPL-2.0
/*
 * test-queues.c - queue management commands, ring arithmetic, shared CQs,
 * full CQs, deferred SQ deletion and arbitration.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

/* Raw Create I/O CQ/SQ with every field under control. */
static u16 create_raw(struct sim *s, u8 opc, u32 dw10, u32 dw11, u64 prp1)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.cdw10 = cpu_to_le32(dw10);
	sqe.cdw11 = cpu_to_le32(dw11);
	sqe.dptr.prp1 = cpu_to_le64(prp1);
	return sim_cmd(s, 0, &sqe, NULL);
}

UNIT_TEST(queue_create_cq_status)
{
	struct sim *s = unit_sim_enabled();
	u64 mem = sim_alloc(s, 64 * 16, 4096);
	u32 pc = NVME_QUEUE_PHYS_CONTIG, ien = NVME_CQ_IRQ_ENABLED;

	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 0 | (15 << 16), pc, mem),
		 NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 5 | (15 << 16), pc, mem),
		 NVME_SC_QID_INVALID | DNR);		/* 4 granted */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (0 << 16), pc, mem),
		 NVME_SC_QUEUE_SIZE | DNR);		/* one entry */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (64 << 16), pc, mem),
		 NVME_SC_QUEUE_SIZE | DNR);		/* MQES + 2 */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (15 << 16), 0, mem),
		 NVME_SC_INVALID_FIELD | DNR);		/* CAP.CQR */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (15 << 16),
			    pc | ien | (5 << 16), mem),
		 NVME_SC_INVALID_VECTOR | DNR);		/* 5 vectors: 0..4 */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (15 << 16), pc, mem + 8),
		 NVME_SC_PRP_INVALID_OFFSET | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (63 << 16),
			    pc | ien | (4 << 16), mem), 0);
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 1 | (15 << 16), pc, mem),
		 NVME_SC_QID_INVALID | DNR);		/* exists */
	CHECK(s->ctrl.cq[1].valid);
	CHECK_EQ(s->ctrl.cq[1].size, 64);
	CHECK_EQ(s->ctrl.cq[1].vector, 4);
	sim_free(s);
}

UNIT_TEST(queue_create_sq_status)
{
	struct sim *s = unit_sim_enabled();
	u64 mem = sim_alloc(s, 64 * 64, 4096);
	u32 pc = NVME_QUEUE_PHYS_CONTIG;

	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16), pc, mem),
		 NVME_SC_CQ_INVALID | DNR);		/* CQID 0 */
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16),
			    pc | (2 << 16), mem), NVME_SC_CQ_INVALID | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 9 | (15 << 16),
			    pc | (1 << 16), mem), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16),
			    1 << 16, mem), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16),
			    pc | (1 << 16), mem + 64), NVME_SC_PRP_INVALID_OFFSET | DNR);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16),
			    pc | (NVME_SQ_PRIO_LOW << NVME_SQ_PRIO_SHIFT) | (1 << 16),
			    mem), 0);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 1 | (15 << 16),
			    pc | (1 << 16), mem), NVME_SC_QID_INVALID | DNR);
	sim_free(s);
}

UNIT_TEST(queue_delete_status)
{
	struct sim *s = unit_sim_enabled();

	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 0), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 0), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 2), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 2), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 0xffff), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), NVME_SC_INVALID_QUEUE | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 1), 0);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 1), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), 0);
	CHECK(!s->ctrl.cq[1].valid);
	/* and they can be created again */
	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 16, 1), 0);
	sim_free(s);
}

UNIT_TEST(queue_ring_arithmetic)
{
	CHECK_EQ(nepf_ring_inc(0, 4), 1);
	CHECK_EQ(nepf_ring_inc(3, 4), 0);
	CHECK_EQ(nepf_ring_used(0, 0, 4), 0);
	CHECK_EQ(nepf_ring_used(1, 3, 4), 2);
	CHECK_EQ(nepf_ring_used(3, 1, 4), 2);		/* wrapped */
	CHECK_EQ(nepf_ring_used(2, 1, 4), 3);
	CHECK(nepf_ring_full(2, 1, 4));
	CHECK(nepf_ring_full(0, 3, 4));
	CHECK(!nepf_ring_full(0, 2, 4));
	CHECK(!nepf_ring_full(1, 1, 4));
	CHECK_EQ(nepf_ring_used(4095, 0, 4096), 1);
}

static u16 get_arb(struct sim *s, u16 sqid, struct nvme_cqe *cqe)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	return sim_cmd(s, sqid, &sqe, cqe);
}

/* Admin queue of 4 entries: phase flips every 4 completions. */
UNIT_TEST(queue_cq_wrap_phase)
{
	struct sim *s = sim_new(NULL);
	struct nvme_cqe cqe;
	unsigned int i;

	CHECK_EQ(sim_enable(s, 4), 0);
	for (i = 0; i < 13; i++) {
		CHECK_EQ(get_arb(s, 0, &cqe), 0);
		CHECK_EQ(le16_to_cpu(cqe.status) & 1, ((i / 4) & 1) ? 0 : 1);
		CHECK_EQ(le16_to_cpu(cqe.sq_head), (i + 1) % 4);
		CHECK_EQ(le16_to_cpu(cqe.sq_id), 0);
	}
	CHECK_EQ(s->irqs[0], 13);
	sim_free(s);
}

/* A CQ the host does not consume: completions wait, none is overwritten. */
static void cq_full_test(bool no_flush)
{
	struct sim *s = sim_new(NULL);
	struct nvme_cqe cqe;
	unsigned int i;

	s->no_flush = no_flush;
	CHECK_EQ(sim_admin_cq_backlog(s, 3), 0);
	/* 2 entries: one usable slot while the host's head stays at 0 */
	CHECK_EQ(s->ctrl.cq[0].nr_wait, 2);
	CHECK_EQ(s->nr_released, 3);		/* commands are not kept */
	for (i = 0; i < 3; i++) {
		CHECK_EQ(sim_reap(s, 0, &cqe), 0);
		CHECK_EQ(cqe.cid, i + 1);
		CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
		sim_run(s);
	}
	CHECK_EQ(s->ctrl.cq[0].nr_wait, 0);
	sim_free(s);
}

UNIT_TEST(queue_cq_full_waits)
{
	cq_full_test(false);
}

/* Without nepf_ctrl_flush_waiting(): the fetch path posts them. */
UNIT_TEST(queue_cq_full_flushed_by_fetch)
{
	cq_full_test(true);
}

/* Two SQs on one CQ; the CQ goes only after both SQs. */
UNIT_TEST(queue_shared_cq)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_cqe cqe;

	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 16, 1), 0);
	CHECK_EQ(sim_create_sq(s, 2, 16, 1), 0);
	CHECK_EQ(s->ctrl.cq[1].nr_sqs, 2);
	/* I/O commands without a namespace: errors, but real completions */
	CHECK(get_arb(s, 1, &cqe) != SIM_NO_CQE);
	CHECK_EQ(le16_to_cpu(cqe.sq_id), 1);
	CHECK(get_arb(s, 2, &cqe) != SIM_NO_CQE);
	CHECK_EQ(le16_to_cpu(cqe.sq_id), 2);
	CHECK_EQ(le16_to_cpu(cqe.sq_head), 1);
	CHECK_EQ(s->irqs[1], 2);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 1), 0);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), NVME_SC_INVALID_QUEUE | DNR);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 2), 0);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), 0);
	sim_free(s);
}

/* Delete I/O SQ completes only after the SQ's running commands. */
UNIT_TEST(queue_delete_sq_waits_for_commands)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 buf[512] = { 1 };

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	s->hold_defer = true;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf), SIM_NO_CQE);
	CHECK_EQ(s->nr_held, 1);
	CHECK_EQ(s->ctrl.sq[1].inflight, 1);
	sim_sqe(&sqe, nvme_admin_delete_sq);
	sqe.cdw10 = cpu_to_le32(1);
	CHECK_EQ(sim_cmd(s, 0, &sqe, &cqe), SIM_NO_CQE);
	CHECK(!s->ctrl.sq[1].valid && s->ctrl.sq[1].deleting);
	s->hold_defer = false;
	sim_release_held(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);		/* the write */
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);		/* then the deletion */
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), 0);
	sim_free(s);
}

/* Submit @n reads of LBA 0 to @sqid without letting the controller run. */
static void submit_reads(struct sim *s, u16 sqid, unsigned int n)
{
	struct nvme_sqe sqe;

	while (n--) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.dptr.prp1 = cpu_to_le64(sim_alloc(s, 512, SIM_PAGE));
		CHECK_EQ(sim_submit(s, sqid, &sqe), 0);
	}
}

/*
 * The arbitration the poll thread runs (nepf_ctrl_fetch()): with
 * Arbitration Burst 2, each pass takes up to 2 commands per SQ, and each
 * pass starts one I/O SQ further.  SQs 1 and 2 share CQ 1, so the order
 * of the CQEs is the order of the fetches.
 */
UNIT_TEST(queue_arbitration_burst)
{
	static const u16 order[] = { 1, 1, 2, 2, 2, 1, 1, 1 };
	struct sim *s = unit_sim_enabled();
	struct nvme_cqe cqe;
	unsigned int i;

	CHECK_EQ(nepf_arb_burst_len(0), 1);
	CHECK_EQ(nepf_arb_burst_len(3), 8);
	CHECK_EQ(nepf_arb_burst_len(0xff07), UINT_MAX);
	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 1 | (1 << 16), NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 16, 1), 0);
	CHECK_EQ(sim_create_sq(s, 2, 16, 1), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ARBITRATION, 1, NULL), 0);
	submit_reads(s, 1, 5);
	submit_reads(s, 2, 3);
	s->ctrl.arb_rr = 0;		/* the next pass starts at SQ 1 */
	sim_run(s);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		CHECK_EQ(sim_reap(s, 1, &cqe), 0);
		CHECK_EQ(le16_to_cpu(cqe.sq_id), order[i]);
	}
	CHECK_EQ(sim_reap(s, 1, &cqe), -EAGAIN);
	sim_free(s);
}

/*
 * A host that learnt a newer SQ head from some completions may fill the
 * ring again while the other commands still run: never more commands of
 * one SQ in flight than it has entries.
 */
UNIT_TEST(queue_fetch_room)
{
	struct sim *s = unit_sim_enabled();
	u32 fetched;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0, NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 4, 1), 0);
	fetched = s->nr_fetched;
	s->hold_defer = true;
	submit_reads(s, 1, 3);
	sim_run(s);
	CHECK_EQ(s->nr_fetched, fetched + 3);
	submit_reads(s, 1, 1);		/* the ring's fourth command */
	sim_run(s);
	CHECK_EQ(s->ctrl.sq[1].inflight, 4);
	submit_reads(s, 1, 1);		/* one too many: waits */
	sim_run(s);
	CHECK_EQ(s->nr_fetched, fetched + 4);
	s->hold_defer = false;
	sim_release_held(s);
	sim_run(s);
	CHECK_EQ(s->nr_fetched, fetched + 5);
	CHECK_EQ(s->ctrl.sq[1].inflight, 0);
	sim_free(s);
}

UNIT_TEST(queue_number_of_queues)
{
	struct sim *s = unit_sim_enabled();
	u32 res;

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0xffff, &res),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 63 | (1 << 16), &res), 0);
	CHECK_EQ(res, 3 | (1 << 16));		/* 4 SQs (our max), 2 CQs */
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_NUM_QUEUES, 0, 0, &res), 0);
	CHECK_EQ(res, 3 | (1 << 16));
	CHECK_EQ(sim_create_cq(s, 3, 16, true, 1), NVME_SC_QID_INVALID | DNR);
	CHECK_EQ(sim_create_cq(s, 2, 16, true, 1), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0, &res),
		 NVME_SC_CMD_SEQ_ERROR | DNR);
	/* kept across a reset, settable again before queues exist */
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 16), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_NUM_QUEUES, 0, 0, &res), 0);
	CHECK_EQ(res, 3 | (1 << 16));
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0, &res), 0);
	CHECK_EQ(res, 0);
	sim_free(s);
}

/*
 * Completions of an SQ still waiting for room in a full CQ are part of
 * that SQ's commands: Delete I/O SQ completes after they are posted, and
 * a Delete I/O CQ in between neither succeeds nor drops them.
 */
UNIT_TEST(queue_delete_sq_posts_waiting_cqes_first)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe, del;
	struct nvme_cqe cqe;
	unsigned int i;
	u64 buf = sim_alloc(s, 4096, 4096);

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0, NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 2, true, 1), 0);	/* one usable slot */
	CHECK_EQ(sim_create_sq(s, 1, 8, 1), 0);
	for (i = 0; i < 3; i++) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.rw.slba = cpu_to_le64(i);
		sqe.dptr.prp1 = cpu_to_le64(buf);
		CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	}
	sim_run(s);
	CHECK_EQ(s->ctrl.cq[1].nr_wait, 2);
	sim_sqe(&del, nvme_admin_delete_sq);
	del.cdw10 = cpu_to_le32(1);
	CHECK_EQ(sim_cmd(s, 0, &del, NULL), SIM_NO_CQE);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1),
		 NVME_SC_INVALID_QUEUE | DNR);
	CHECK_EQ(s->ctrl.cq[1].nr_wait, 2);
	for (i = 0; i < 3; i++) {
		/* the Delete completes once the last waiting CQE is posted */
		CHECK_EQ(sim_reap(s, 0, &cqe), s->ctrl.cq[1].nr_wait ? -EAGAIN : 0);
		if (!s->ctrl.cq[1].nr_wait) {
			CHECK_EQ(cqe.cid, del.cid);
			CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
		}
		CHECK_EQ(sim_reap(s, 1, &cqe), 0);
		CHECK_EQ(cqe.cid, del.cid - 3 + i);
		CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
		sim_run(s);
	}
	CHECK_EQ(sim_reap(s, 1, &cqe), -EAGAIN);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), 0);
	sim_free(s);
}
