// SPDX-License-Identifier: GPL-2.0
/*
 * test-inject.c - error injection (src/inject.c): rule matching (LBA range,
 * every Nth, first N), actions (status, delay, hold, lose, xfer, fatal),
 * Abort of held commands, SQ deletion and controller reset with held
 * commands (ASan checks they are freed), per-queue statistics.
 */
#include "unit.h"
#include "../../src/inject.h"

#define DNR	NVME_STATUS_DNR

static struct nepf_inject inj;

/* An enabled controller with one namespace, one I/O queue and rule set. */
static struct sim *inj_sim(void)
{
	struct sim *s = sim_new(NULL);

	nepf_inject_init(&inj);
	s->ctrl.inject = &inj;
	if (sim_enable(s, 32))
		abort();
	sim_add_ns(s, 1, 4096, 9);
	if (sim_create_io_queues(s, 1, 32))
		abort();
	return s;
}

static void rule_init(struct nepf_inject_rule *r, u8 action)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->name, "t");
	r->queue = NEPF_INJQ_ANY;
	r->opcode = NEPF_INJECT_ANY;
	r->lba_last = U64_MAX;
	r->every = 1;
	r->percent = 100;
	r->action = action;
	r->status = NVME_SC_READ_ERROR | DNR;
}

static void rule_on(struct nepf_inject_rule *r)
{
	if (nepf_inject_add(&inj, r))
		abort();
	nepf_inject_enable(&inj, r, true);
}

static u16 abort_cmd(struct sim *s, u16 sqid, u16 cid, u32 *dw0)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u16 status;

	sim_sqe(&sqe, nvme_admin_abort_cmd);
	sqe.cdw10 = cpu_to_le32(sqid | (u32)cid << 16);
	status = sim_cmd(s, 0, &sqe, &cqe);
	*dw0 = le32_to_cpu(cqe.result);
	return status;
}

UNIT_TEST(inject_status_on_lba_range)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[4096] = { 0 };
	u64 matched, fired;

	rule_init(&r, NEPF_INJ_STATUS);
	r.opcode = nvme_cmd_read;
	r.lba_first = 1000;
	r.lba_last = 1007;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 992, 8, buf), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 996, 8, buf), NVME_SC_READ_ERROR | DNR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1007, 1, buf), NVME_SC_READ_ERROR | DNR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1008, 8, buf), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 1000, 8, buf), 0);
	nepf_inject_counts(&inj, &r, &matched, &fired);
	CHECK_EQ(matched, 2);
	CHECK_EQ(fired, 2);
	/* The host sees them in the SMART media error count, too. */
	CHECK_EQ(s->ctrl.smart.media_errors, 2);
	/* Disabled: nothing fires. */
	nepf_inject_enable(&inj, &r, false);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1000, 8, buf), 0);
	nepf_inject_remove(&inj, &r);
	CHECK_EQ(inj.nr_enabled, 0);
	sim_free(s);
}

UNIT_TEST(inject_every_nth_first_n)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[512] = { 0 };
	unsigned int i, failed = 0;

	rule_init(&r, NEPF_INJ_STATUS);
	r.queue = NEPF_INJQ_IO;
	r.opcode = nvme_cmd_write;
	r.every = 3;
	r.first = 2;
	r.status = NVME_SC_WRITE_FAULT | NVME_STATUS_MORE;
	rule_on(&r);
	for (i = 1; i <= 12; i++) {
		u16 st = sim_rw(s, 1, nvme_cmd_write, 1, i, 1, buf);

		if (st) {
			CHECK_EQ(st, NVME_SC_WRITE_FAULT | NVME_STATUS_MORE);
			CHECK(i == 3 || i == 6);
			failed++;
		}
	}
	CHECK_EQ(failed, 2);
	CHECK_EQ(r.matched, 12);
	sim_free(s);
}

/* A held command is aborted by Abort; anything else is "not aborted". */
UNIT_TEST(inject_hold_then_abort)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_cqe cqe;
	u8 buf[512] = { 0 };
	u32 dw0;
	u16 cid;

	rule_init(&r, NEPF_INJ_HOLD);
	r.queue = NEPF_INJQ_IO;
	r.opcode = nvme_cmd_write;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 5, 1, buf), SIM_NO_CQE);
	cid = s->next_cid;
	CHECK_EQ(s->ctrl.nr_held, 1);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), -EAGAIN);
	/* Wrong cid, wrong queue: not aborted. */
	CHECK_EQ(abort_cmd(s, 1, cid + 100, &dw0), 0);
	CHECK_EQ(dw0 & 1, 1);
	CHECK_EQ(abort_cmd(s, 2, cid, &dw0), 0);
	CHECK_EQ(dw0 & 1, 1);
	CHECK_EQ(abort_cmd(s, 1, cid, &dw0), 0);
	CHECK_EQ(dw0 & 1, 0);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(cqe.cid, cid);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, NVME_SC_ABORT_REQ);
	CHECK_EQ(s->ctrl.nr_held, 0);
	CHECK_EQ(s->ctrl.sq[1].inflight, 0);
	/* The rule still holds the next write; reads pass. */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 5, 1, buf), 0);
	sim_free(s);
}

/* A lost command cannot be aborted; a controller reset drops it. */
UNIT_TEST(inject_lose_until_reset)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[512] = { 0 };
	u32 dw0;

	rule_init(&r, NEPF_INJ_LOSE);
	r.queue = NEPF_INJQ_IO;		/* 01h is Create I/O SQ on the admin queue */
	r.opcode = nvme_cmd_write;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 5, 1, buf), SIM_NO_CQE);
	CHECK_EQ(abort_cmd(s, 1, s->next_cid, &dw0), 0);
	CHECK_EQ(dw0 & 1, 1);
	CHECK_EQ(s->ctrl.nr_held, 1);
	CHECK_EQ(s->nr_released + 1, s->nr_fetched);
	sim_disable(s);
	CHECK_EQ(s->ctrl.nr_held, 0);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	/* Enabled again, the rule holds again (not closed). */
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_io_queues(s, 1, 32), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 5, 1, buf), SIM_NO_CQE);
	CHECK_EQ(s->ctrl.nr_held, 1);
	sim_free(s);
}

/*
 * A shutdown drops what error injection holds, as the kernel's quiesce
 * does (poll.c), without a completion: the host stopped waiting for it.
 */
UNIT_TEST(inject_held_dropped_by_shutdown)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[512] = { 0 };

	rule_init(&r, NEPF_INJ_LOSE);
	r.queue = NEPF_INJQ_IO;
	r.opcode = nvme_cmd_write;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 5, 1, buf), SIM_NO_CQE);
	CHECK_EQ(s->ctrl.nr_held, 1);
	sim_wr32(s, NVME_REG_CC, sim_rd32(s, NVME_REG_CC) | NVME_CC_SHN_NORMAL);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK,
		 NVME_CSTS_SHST_CMPLT);
	CHECK_EQ(s->ctrl.nr_held, 0);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	CHECK_EQ(sim_reap(s, 1, NULL), -EAGAIN);
	sim_free(s);
}

/*
 * A completion while a lost command stays in flight owes its interrupt to
 * the poll pass (one per CQ and pass).  A shutdown stops the passes: the
 * core sends what is owed once the environment quiesced.
 */
UNIT_TEST(inject_shutdown_sends_owed_irq)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_sqe sqe;
	u8 buf[512] = { 0 };

	rule_init(&r, NEPF_INJ_LOSE);
	r.queue = NEPF_INJQ_IO;
	r.opcode = nvme_cmd_write;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 5, 1, buf), SIM_NO_CQE);
	s->hold_defer = true;
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(sim_alloc(s, 512, SIM_PAGE));
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	s->hold_defer = false;
	sim_release_held(s);			/* the write is still in flight */
	CHECK_EQ(s->irqs[1], 0);
	sim_wr32(s, NVME_REG_CC, sim_rd32(s, NVME_REG_CC) | NVME_CC_SHN_NORMAL);
	CHECK_EQ(nepf_regs_poll(&s->ctrl), NEPF_REGS_SHUTDOWN);
	nepf_inject_drop_held(&s->ctrl);
	nepf_ctrl_quiesced(&s->ctrl, NEPF_REGS_SHUTDOWN);
	CHECK_EQ(s->irqs[1], 1);
	CHECK_EQ(sim_reap(s, 1, NULL), 0);
	sim_free(s);
}

/* Delete I/O SQ completes the commands held on it, then itself. */
UNIT_TEST(inject_held_end_with_sq_deletion)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u8 buf[512] = { 0 };

	rule_init(&r, NEPF_INJ_LOSE);
	rule_on(&r);
	r.queue = NEPF_INJQ_IO;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 5, 1, buf), SIM_NO_CQE);
	nepf_inject_enable(&inj, &r, false);
	sim_sqe(&sqe, nvme_admin_delete_sq);
	sqe.cdw10 = cpu_to_le32(1);
	CHECK_EQ(sim_cmd(s, 0, &sqe, &cqe), 0);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, NVME_SC_ABORT_QUEUE);
	CHECK_EQ(s->ctrl.nr_held, 0);
	sim_free(s);
}

UNIT_TEST(inject_delay_then_execute)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_cqe cqe;
	u8 buf[512] = { 7 }, out[512];

	uport_fake_ns = 1000000000ULL;
	rule_init(&r, NEPF_INJ_DELAY);
	r.queue = NEPF_INJQ_IO;
	r.opcode = nvme_cmd_write;
	r.delay_us = 2000;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 9, 1, buf), SIM_NO_CQE);
	uport_fake_ns += 1000000;
	sim_run(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), -EAGAIN);
	uport_fake_ns += 1000000;
	sim_run(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	nepf_inject_enable(&inj, &r, false);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 9, 1, out), 0);
	CHECK_EQ(out[0], 7);
	/* Latency accounted: 2000 us in bucket [2^10, 2^11) us. */
	CHECK_EQ(s->ctrl.sq_stats[1].lat[11], 1);
	CHECK_EQ(s->ctrl.sq_stats[1].writes, 1);
	CHECK_EQ(s->ctrl.sq_stats[1].bytes_written, 512);
	uport_fake_ns = 0;
	sim_free(s);
}

/* A delayed status is abortable and counted once. */
UNIT_TEST(inject_delayed_status_abort)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_cqe cqe;
	u8 buf[512] = { 0 };
	u32 dw0;

	rule_init(&r, NEPF_INJ_STATUS);
	r.delay_us = 60000000;
	rule_on(&r);
	r.queue = NEPF_INJQ_IO;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1, 1, buf), SIM_NO_CQE);
	CHECK_EQ(abort_cmd(s, 1, s->next_cid, &dw0), 0);
	CHECK_EQ(dw0 & 1, 0);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, NVME_SC_ABORT_REQ);
	sim_free(s);
}

/* xfer: a Read runs but its data does not reach the host; a Write fails. */
UNIT_TEST(inject_xfer_error)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[512] = { 3 };

	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 2, 1, buf), 0);
	rule_init(&r, NEPF_INJ_XFER);
	r.queue = NEPF_INJQ_IO;
	rule_on(&r);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 2, 1, buf), NVME_SC_DATA_XFER_ERROR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 2, 1, buf), NVME_SC_DATA_XFER_ERROR);
	nepf_inject_enable(&inj, &r, false);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 2, 1, buf), 0);
	CHECK_EQ(buf[0], 3);
	CHECK_EQ(s->ctrl.sq_stats[1].errors, 2);
	sim_free(s);
}

/* fatal: CSTS.CFS, the command is lost until the reset. */
UNIT_TEST(inject_fatal_sets_cfs)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	u8 buf[512] = { 0 };

	rule_init(&r, NEPF_INJ_FATAL);
	r.queue = NEPF_INJQ_IO;
	r.first = 1;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 2, 1, buf), SIM_NO_CQE);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	sim_disable(s);
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS));
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

/* Ending held commands with a status closes the list until reopened. */
UNIT_TEST(inject_end_held_closes)
{
	struct sim *s = inj_sim();
	struct nepf_inject_rule r;
	struct nvme_cqe cqe;
	u8 buf[512] = { 0 };

	rule_init(&r, NEPF_INJ_HOLD);
	r.queue = NEPF_INJQ_IO;
	rule_on(&r);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1, 1, buf), SIM_NO_CQE);
	nepf_inject_end_held(&s->ctrl, NVME_SC_ABORT_REQ);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, NVME_SC_ABORT_REQ);
	/* Closed: the rule fires but the command runs. */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1, 1, buf), 0);
	nepf_inject_reopen(&s->ctrl);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 1, 1, buf), SIM_NO_CQE);
	sim_free(s);
}
