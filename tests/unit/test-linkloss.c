// SPDX-License-Identifier: GPL-2.0
/*
 * test-linkloss.c - controller generations (issue 16, item 0): nothing
 * fetched before a link loss, PERST#, CC.EN = 0 or a function stop
 * (nepf_ctrl_cut()) may touch host memory afterwards: no data, no CQE, no
 * interrupt, not even when the host has enabled the controller again and
 * reuses the same memory for its new queues and buffers.
 */
#include "unit.h"
#include "../../src/prp-sgl.h"

#define QSIZE	16
#define POISON	0x5a

/* Enabled, namespace 1 (64 x 512 B, block i filled with i), one I/O pair. */
static struct sim *gen_sim(void)
{
	struct sim *s = unit_sim_enabled();
	unsigned int i;

	sim_add_ns(s, 1, 64, 9);
	for (i = 0; i < 64; i++)
		memset(s->ns[0].data + i * 512, i, 512);
	if (sim_create_io_queues(s, 1, QSIZE))
		abort();
	return s;
}

/* Submit a 512-byte Read of block @lba into a fresh poisoned page. */
static u64 submit_read(struct sim *s, u64 lba)
{
	u64 buf = sim_alloc(s, SIM_PAGE, SIM_PAGE);
	struct nvme_sqe sqe;

	memset(sim_ptr(s, buf), POISON, SIM_PAGE);
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(1);
	sqe.rw.slba = cpu_to_le64(lba);
	sqe.dptr.prp1 = cpu_to_le64(buf);
	if (sim_submit(s, 1, &sqe))
		abort();
	return buf;
}

static bool all_poison(struct sim *s, u64 addr, size_t len)
{
	const u8 *p = sim_ptr(s, addr);
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != POISON)
			return false;
	return true;
}

/*
 * A Read fetched and held in the backend; the host goes away (@how: cut
 * as on a link loss, or CC.EN = 0); then the backend finishes.  The
 * host's buffer, its CQ and its interrupts stay untouched.
 */
static void held_read_then(bool disable)
{
	struct sim *s = gen_sim();
	u64 cq = s->q[1].cq_addr, buf;
	u8 cq_before[QSIZE * NVME_CQE_SIZE];
	u32 irqs, errs;

	s->hold_defer = true;
	buf = submit_read(s, 7);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	memcpy(cq_before, sim_ptr(s, cq), sizeof(cq_before));
	irqs = s->nr_irqs;
	errs = s->ctrl.err_count;
	if (disable) {
		/* sim_run() finishes the held command once it saw EN = 0 */
		sim_wr32(s, NVME_REG_CC, sim_rd32(s, NVME_REG_CC) & ~NVME_CC_ENABLE);
		sim_run(s);
	} else {
		nepf_ctrl_cut(&s->ctrl);
		sim_release_held(s);
	}
	CHECK_EQ(s->nr_held, 0);
	CHECK_EQ(s->nr_released, s->nr_fetched);	/* the command ended */
	CHECK(all_poison(s, buf, SIM_PAGE));		/* no data */
	CHECK(!memcmp(cq_before, sim_ptr(s, cq), sizeof(cq_before)));
	CHECK_EQ(s->nr_irqs, irqs);			/* no interrupt */
	CHECK_EQ(s->ctrl.err_count, errs);		/* no error log entry */
	CHECK(s->ctrl.nr_stale > 0);
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS));
	sim_free(s);
}

UNIT_TEST(gen_cut_held_read_touches_nothing)
{
	held_read_then(false);
}

UNIT_TEST(gen_disable_held_read_touches_nothing)
{
	held_read_then(true);
}

/*
 * The worst case: the link comes back and the new host reuses the very
 * same memory for its queues and buffers while a command of the old
 * controller is still in the backend.  Its data must not land in the new
 * buffer and its CQE (with an old cid) not in the new CQ; the new
 * controller's own I/O is unaffected.
 */
UNIT_TEST(gen_stale_command_after_reenable)
{
	struct sim *s = sim_new(NULL);
	struct nepf_cmd *stale;
	u64 mem0, cq, buf;
	u8 data[512];
	u32 irqs;

	CHECK_EQ(sim_enable(s, 32), 0);
	sim_add_ns(s, 1, 64, 9);
	memset(s->ns[0].data, 0x11, 64 * 512);
	mem0 = s->mem_next;
	CHECK_EQ(sim_create_io_queues(s, 1, QSIZE), 0);
	cq = s->q[1].cq_addr;
	s->hold_defer = true;
	buf = submit_read(s, 3);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	stale = s->held[0];
	s->nr_held = 0;		/* keep it past the reset below */
	s->hold_defer = false;

	nepf_ctrl_cut(&s->ctrl);	/* link down */
	sim_disable(s);			/* the glue's reset after quiescing */
	/* The new host: admin queue, then I/O queues and a buffer at the
	 * addresses the old ones had.
	 */
	CHECK_EQ(sim_enable(s, 32), 0);
	s->mem_next = mem0;
	CHECK_EQ(sim_create_io_queues(s, 1, QSIZE), 0);
	CHECK_EQ(s->q[1].cq_addr, cq);
	CHECK_EQ(sim_alloc(s, SIM_PAGE, SIM_PAGE), buf);
	memset(sim_ptr(s, buf), POISON, SIM_PAGE);
	memset(sim_ptr(s, cq), 0, QSIZE * NVME_CQE_SIZE);
	irqs = s->nr_irqs;

	nepf_cmd_finish(stale);		/* the old backend I/O ends now */
	CHECK(all_poison(s, buf, SIM_PAGE));
	CHECK_EQ(sim_reap(s, 1, NULL), -EAGAIN);	/* no stale CQE */
	CHECK_EQ(s->nr_irqs, irqs);
	CHECK_EQ(s->ctrl.sq[1].inflight, 0);
	/* The new controller works, and its first CQE is its own. */
	memset(data, 0, sizeof(data));
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 5, 1, data), 0);
	CHECK_EQ(data[0], 0x11);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

/* After a cut, nothing more is fetched, and that is not a fault. */
UNIT_TEST(gen_no_fetch_after_cut)
{
	struct sim *s = gen_sim();
	u32 fetched;
	u64 buf;

	buf = submit_read(s, 1);
	nepf_ctrl_cut(&s->ctrl);
	fetched = s->nr_fetched;
	sim_run(s);
	CHECK_EQ(s->nr_fetched, fetched);
	CHECK(all_poison(s, buf, SIM_PAGE));
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS));
	sim_free(s);
}

/* Completions that waited for CQ room die with their generation. */
UNIT_TEST(gen_waiting_completions_dropped)
{
	struct sim *s = sim_new(NULL);
	struct nvme_cqe cqe;

	CHECK_EQ(sim_admin_cq_backlog(s, 3), 0);
	CHECK_EQ(s->ctrl.cq[0].nr_wait, 2);
	nepf_ctrl_cut(&s->ctrl);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);		/* posted before the cut */
	sim_run(s);					/* room now: nothing */
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
	sim_free(s);
}

/* An outstanding AER is not answered once the host is gone. */
UNIT_TEST(gen_no_event_after_cut)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	u32 irqs;

	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	CHECK_EQ(kfifo_len(&s->ctrl.aer_cids), 1);
	nepf_ctrl_cut(&s->ctrl);
	irqs = s->nr_irqs;
	nepf_ctrl_aen(&s->ctrl, NVME_AER_TYPE_ERROR,
		      NVME_AER_ERROR_INVALID_DB_VAL, NVME_LOG_ERROR);
	CHECK_EQ(sim_reap(s, 0, NULL), -EAGAIN);
	CHECK_EQ(s->nr_irqs, irqs);
	sim_free(s);
}

/*
 * A namespace change noted for the poll loop (the board's thread posts
 * nothing) belongs to the controller it happened under: a reset drops it,
 * and the next controller's first AER does not get it (issue 16 item 6).
 */
UNIT_TEST(gen_ns_event_dropped_by_reset)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;

	s->no_flush = true;		/* no poll pass until the new controller */
	sim_add_ns(s, 2, 8, 9);
	CHECK(s->ctrl.ns_event);
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR,
				 NULL), 0);
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	s->no_flush = false;
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, NULL), -EAGAIN);
	/* a change under the new controller is reported */
	nepf_ctrl_detach_ns(&s->ctrl, 2);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, NULL), 0);
	sim_free(s);
}

/* Data pointers carry their generation: a stale list moves nothing. */
UNIT_TEST(gen_stale_seglist_moves_nothing)
{
	struct sim *s = unit_sim_enabled();
	u64 a = sim_alloc(s, 64, 16);
	struct nepf_seg room[1];
	struct nepf_seglist sl = { .seg = room, .nr = 1, .max = 1 };
	u8 buf[64];

	memset(buf, 1, sizeof(buf));
	memset(sim_ptr(s, a), POISON, 64);
	sl.seg[0] = (struct nepf_seg){ a, 64 };
	sl.gen = s->ctrl.gen;
	nepf_ctrl_cut(&s->ctrl);
	CHECK_EQ(nepf_seglist_to_host(&s->ctrl, &sl, buf), NVME_SC_DATA_XFER_ERROR);
	CHECK(all_poison(s, a, 64));
	CHECK_EQ(nepf_seglist_from_host(&s->ctrl, &sl, buf), NVME_SC_DATA_XFER_ERROR);
	CHECK_EQ(buf[0], 1);
	CHECK_EQ(nepf_host_irq(&s->ctrl, sl.gen, 0), -ESTALE);
	sim_free(s);
}

/* Every enable is a generation of its own. */
UNIT_TEST(gen_new_at_every_enable)
{
	struct sim *s = unit_sim_enabled();
	u32 g1 = s->ctrl.gen;

	CHECK_EQ(s->ctrl.sq[0].gen, g1);
	CHECK_EQ(s->ctrl.cq[0].gen, g1);
	sim_disable(s);
	CHECK(s->ctrl.gen != g1);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK(s->ctrl.gen != g1);
	CHECK_EQ(s->ctrl.cq[0].gen, s->ctrl.gen);
	CHECK_EQ(sim_create_io_queues(s, 1, QSIZE), 0);
	CHECK_EQ(s->ctrl.sq[1].gen, s->ctrl.gen);
	sim_free(s);
}

/*
 * A batch of SQEs read in a generation that is cut before, while or just
 * after the read takes nothing: the SQ head stays (a new controller
 * starts from its own), no command is made (nothing reaches a backend or
 * the host), and the failure is not the controller's (no error count, no
 * CSTS.CFS).  @cut: nepf_ctrl_cut() before the pass, or in the read
 * (SIM_CUT_READ_FAILS / SIM_CUT_READ_WORKS).
 */
static void sqe_batch_cut(int cut)
{
	struct sim *s = gen_sim();
	u64 cq = s->q[1].cq_addr, buf[3];
	u8 cq_before[QSIZE * NVME_CQE_SIZE];
	unsigned int i;
	u32 irqs, reads, fetched = s->nr_fetched;

	for (i = 0; i < 3; i++)
		buf[i] = submit_read(s, i);
	memcpy(cq_before, sim_ptr(s, cq), sizeof(cq_before));
	irqs = s->nr_irqs;
	reads = s->ledger.host_reads;
	if (cut == SIM_CUT_NONE)
		nepf_ctrl_cut(&s->ctrl);
	else
		s->cut_in_read = cut;
	sim_run(s);
	/* one read at most: after a cut the SQ is not read again */
	CHECK_EQ(s->ledger.host_reads, reads + (cut == SIM_CUT_NONE ? 0 : 1));
	CHECK_EQ(s->ctrl.sq[1].head, 0);
	CHECK_EQ(s->ctrl.sq[1].fetch_errors, 0);
	CHECK_EQ(s->ctrl.sq[1].inflight, 0);
	CHECK_EQ(s->nr_fetched, fetched);
	for (i = 0; i < 3; i++)
		CHECK(all_poison(s, buf[i], SIM_PAGE));
	CHECK(!memcmp(cq_before, sim_ptr(s, cq), sizeof(cq_before)));
	CHECK_EQ(s->nr_irqs, irqs);
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS));
	sim_free(s);
}

UNIT_TEST(gen_cut_before_sqe_batch_takes_nothing)
{
	sqe_batch_cut(SIM_CUT_NONE);
}

UNIT_TEST(gen_cut_failing_sqe_batch_takes_nothing)
{
	sqe_batch_cut(SIM_CUT_READ_FAILS);
}

UNIT_TEST(gen_cut_after_sqe_batch_takes_nothing)
{
	sqe_batch_cut(SIM_CUT_READ_WORKS);
}
