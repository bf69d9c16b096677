// SPDX-License-Identifier: GPL-2.0
/*
 * test-bar-regs.c - register file and CC/CSTS state machine.
 */
#include "unit.h"

#define CC_IO	((NVME_SQES << NVME_CC_IOSQES_SHIFT) | \
		 (NVME_CQES << NVME_CC_IOCQES_SHIFT))

static u64 rd_cap(struct sim *s)
{
	return sim_rd32(s, NVME_REG_CAP) | ((u64)sim_rd32(s, NVME_REG_CAP + 4) << 32);
}

UNIT_TEST(regs_initial_values)
{
	struct sim *s = sim_new(NULL);
	u64 cap = rd_cap(s);

	CHECK_EQ(NVME_CAP_MQES(cap), 63);		/* queue_depth 64 */
	CHECK(cap & NVME_CAP_CQR);
	CHECK(!(cap & (NVME_CAP_AMS_WRR | NVME_CAP_AMS_VS)));
	CHECK_EQ(NVME_CAP_TIMEOUT(cap), 30);
	CHECK_EQ((cap >> NVME_CAP_DSTRD_SHIFT) & 0xf, 0);
	CHECK(!(cap & NVME_CAP_NSSRS));
	CHECK(cap & NVME_CAP_CSS_NVM);
	CHECK(cap & NVME_CAP_CSS_CSI);		/* Identify CNS 1Ch, Feature 19h */
	CHECK(!(cap & NVME_CAP_CSS_NOIO));
	CHECK_EQ(NVME_CAP_MPSMIN(cap), 0);
	CHECK_EQ(NVME_CAP_MPSMAX(cap), 4);
	/* NVMe 2.0: ready with media, CRTO.CRWMT no shorter than CAP.TO */
	CHECK(cap & NVME_CAP_CRMS_CRWMS);
	CHECK(!(cap & NVME_CAP_CRMS_CRIMS));
	CHECK_EQ(sim_rd32(s, NVME_REG_CRTO) & 0xffff, 30);
	CHECK_EQ(sim_rd32(s, NVME_REG_VS), NVME_VS(2, 0, 0));
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_DISABLED);
	sim_free(s);
}

UNIT_TEST(regs_enable_valid)
{
	struct sim *s = sim_new(NULL);

	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_RDY);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_LIVE);
	CHECK(s->ctrl.sq[0].valid && s->ctrl.cq[0].valid);
	CHECK_EQ(s->ctrl.sq[0].size, 32);
	CHECK_EQ(s->ctrl.page_size, 4096);
	sim_free(s);
}

/* Enable with @cc and admin sizes; expect CFS (not RDY) or RDY. */
static int try_enable(u16 sqe, u16 cqe, u32 cc, bool misalign, u32 *csts)
{
	struct sim *s = sim_new(NULL);
	int ret;

	if (misalign) {
		sim_wr32(s, NVME_REG_AQA, 31 | (31 << 16));
		sim_wr64(s, NVME_REG_ASQ, sim_alloc(s, 8192, 4096) + 512);
		sim_wr64(s, NVME_REG_ACQ, sim_alloc(s, 8192, 4096));
		sim_wr32(s, NVME_REG_CC, cc | NVME_CC_ENABLE);
		sim_run(s);
		ret = (sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY) ? 0 : -EIO;
	} else {
		ret = sim_enable_cc(s, sqe, cqe, cc);
	}
	*csts = sim_rd32(s, NVME_REG_CSTS);
	sim_free(s);
	return ret;
}

UNIT_TEST(regs_enable_invalid)
{
	u32 csts;

	/* AQA.ASQS = 0 (one entry) */
	CHECK(try_enable(1, 32, CC_IO, false, &csts));
	CHECK_EQ(csts, NVME_CSTS_CFS);
	CHECK(try_enable(32, 1, CC_IO, false, &csts));
	CHECK_EQ(csts, NVME_CSTS_CFS);
	/* ASQ not page aligned */
	CHECK(try_enable(32, 32, CC_IO, true, &csts));
	CHECK_EQ(csts, NVME_CSTS_CFS);
	/* MPS above CAP.MPSMAX (4) */
	CHECK(try_enable(32, 32, CC_IO | (5 << NVME_CC_MPS_SHIFT), false, &csts));
	CHECK_EQ(csts, NVME_CSTS_CFS);
	/* CSS neither NVM nor I/O command set profile, AMS not round robin */
	CHECK(try_enable(32, 32, CC_IO | NVME_CC_CSS_ADMIN, false, &csts));
	CHECK(try_enable(32, 32, CC_IO | (1 << NVME_CC_CSS_SHIFT), false, &csts));
	CHECK(try_enable(32, 32, CC_IO | NVME_CC_AMS_WRRU, false, &csts));
	CHECK_EQ(csts, NVME_CSTS_CFS);
	/* the largest valid values: 64 KiB pages, 4096-entry admin queues */
	CHECK_EQ(try_enable(4096, 4096, CC_IO | (4 << NVME_CC_MPS_SHIFT), false,
			    &csts), 0);
	CHECK_EQ(csts, NVME_CSTS_RDY);
	/* what Linux writes when CAP.CSS bit 6 is set */
	CHECK_EQ(try_enable(32, 32, CC_IO | NVME_CC_CSS_CSI, false, &csts), 0);
	CHECK_EQ(csts, NVME_CSTS_RDY);
}

UNIT_TEST(regs_cfs_cleared_by_reset)
{
	struct sim *s = sim_new(NULL);

	CHECK(sim_enable_cc(s, 1, 32, CC_IO));
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_FATAL);
	sim_disable(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_DISABLED);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_free(s);
}

UNIT_TEST(regs_disable_tears_down)
{
	struct sim *s = unit_sim_enabled();

	CHECK_EQ(sim_create_io_queues(s, 2, 16), 0);
	CHECK(s->ctrl.sq[2].valid && s->ctrl.cq[2].valid);
	sim_disable(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY, 0);
	CHECK(!s->ctrl.sq[0].valid && !s->ctrl.cq[0].valid);
	CHECK(!s->ctrl.sq[2].valid && !s->ctrl.cq[2].valid);
	/* and it comes back */
	CHECK_EQ(sim_enable(s, 16), 0);
	CHECK_EQ(sim_create_io_queues(s, 2, 16), 0);
	sim_free(s);
}

static void shutdown_test(u32 shn)
{
	struct sim *s = unit_sim_enabled();
	u32 cc = sim_rd32(s, NVME_REG_CC);

	sim_wr32(s, NVME_REG_CC, cc | shn);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK,
		 NVME_CSTS_SHST_CMPLT);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_SHUTDOWN);
	/* the host then resets the controller: SHST is cleared */
	sim_wr32(s, NVME_REG_CC, cc & ~NVME_CC_ENABLE);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_free(s);
}

UNIT_TEST(regs_shutdown_normal)
{
	shutdown_test(NVME_CC_SHN_NORMAL);
}

UNIT_TEST(regs_shutdown_abrupt)
{
	shutdown_test(NVME_CC_SHN_ABRUPT);
}

UNIT_TEST(regs_shutdown_while_disabled)
{
	struct sim *s = sim_new(NULL);

	sim_wr32(s, NVME_REG_CC, NVME_CC_SHN_NORMAL);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK,
		 NVME_CSTS_SHST_CMPLT);
	sim_free(s);
}

UNIT_TEST(regs_read_only_restored)
{
	struct sim *s = unit_sim_enabled();
	u64 cap = s->ctrl.cap;

	sim_wr64(s, NVME_REG_CAP, ~0ULL);
	sim_wr32(s, NVME_REG_VS, 0x12345678);
	sim_wr32(s, NVME_REG_CSTS, NVME_CSTS_CFS | NVME_CSTS_SHST_CMPLT);
	sim_wr32(s, NVME_REG_NSSR, 0x4e564d65);	/* "NVMe": no subsystem reset */
	sim_wr32(s, NVME_REG_CMBSZ, 0xffffffff);
	sim_wr32(s, NVME_REG_CRTO, 0);
	sim_run(s);
	CHECK_EQ(rd_cap(s), cap);
	CHECK_EQ(sim_rd32(s, NVME_REG_VS), NVME_VS(2, 0, 0));
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_RDY);
	CHECK_EQ(sim_rd32(s, NVME_REG_NSSR), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSZ), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CRTO), 30 | (30 << 16));
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_LIVE);
	sim_free(s);
}

UNIT_TEST(regs_intms_intmc)
{
	struct sim *s = unit_sim_enabled();

	sim_wr32(s, NVME_REG_INTMS, 0x5);
	sim_run(s);
	CHECK_EQ(nepf_regs_irq_mask(&s->ctrl), 0x5);
	CHECK_EQ(sim_rd32(s, NVME_REG_INTMS), 0x5);
	sim_wr32(s, NVME_REG_INTMS, 0x2);
	sim_run(s);
	CHECK_EQ(nepf_regs_irq_mask(&s->ctrl), 0x7);
	sim_wr32(s, NVME_REG_INTMC, 0x5);
	sim_run(s);
	CHECK_EQ(nepf_regs_irq_mask(&s->ctrl), 0x2);
	CHECK_EQ(sim_rd32(s, NVME_REG_INTMC), 0);
	sim_free(s);
}

/*
 * The environment's cheap look between register polls: true exactly when
 * the host wrote CC, INTMS or INTMC since the last nepf_regs_poll().
 */
UNIT_TEST(regs_changed_cheap_check)
{
	struct sim *s = unit_sim_enabled();
	u32 cc = sim_rd32(s, NVME_REG_CC);

	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_CSTS, 0);		/* read-only: not a change */
	sim_wr32(s, NVME_REG_AQA, 0);
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_CC, cc | NVME_CC_SHN_NORMAL);
	CHECK(nepf_regs_changed(&s->ctrl));
	CHECK(nepf_regs_changed(&s->ctrl));	/* no side effect */
	sim_run(s);
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_INTMS, 0x1);
	CHECK(nepf_regs_changed(&s->ctrl));
	sim_run(s);
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_INTMS, 0x1);	/* the mask it already reads */
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_INTMC, 0x1);
	CHECK(nepf_regs_changed(&s->ctrl));
	sim_run(s);
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_wr32(s, NVME_REG_CC, 0);
	CHECK(nepf_regs_changed(&s->ctrl));
	sim_run(s);
	CHECK(!nepf_regs_changed(&s->ctrl));
	sim_free(s);
}

/*
 * INTx/MSI: a message that fires while masked is not sent, and is sent
 * once when the host clears its mask bit (NVMe 2.0 3.1.4.3/3.1.4.4).
 */
UNIT_TEST(regs_intm_masked_pending_raised_on_unmask)
{
	struct sim *s = unit_sim_enabled();
	u32 irqs0 = s->irqs[0], irqs2 = s->irqs[2];

	sim_wr32(s, NVME_REG_INTMS, 0x5);
	sim_run(s);
	CHECK(nepf_regs_irq_hold(&s->ctrl, 0));		/* masked: held */
	CHECK(nepf_regs_irq_hold(&s->ctrl, 0));		/* still one pending */
	CHECK(!nepf_regs_irq_hold(&s->ctrl, 1));	/* not masked */
	CHECK(!nepf_regs_irq_hold(&s->ctrl, 40));	/* no INTMS bit */
	sim_run(s);
	CHECK_EQ(s->irqs[0], irqs0);			/* nothing sent yet */
	sim_wr32(s, NVME_REG_INTMC, 0x1);		/* unmask 0, keep 2 */
	sim_run(s);
	CHECK_EQ(s->irqs[0], irqs0 + 1);		/* sent once */
	CHECK_EQ(s->irqs[2], irqs2);
	sim_wr32(s, NVME_REG_INTMC, 0x4);		/* 2 had nothing pending */
	sim_run(s);
	CHECK_EQ(s->irqs[0], irqs0 + 1);
	CHECK_EQ(s->irqs[2], irqs2);
	/* A controller reset forgets what was held. */
	sim_wr32(s, NVME_REG_INTMS, 0x1);
	sim_run(s);
	CHECK(nepf_regs_irq_hold(&s->ctrl, 0));
	nepf_ctrl_reset(&s->ctrl);
	sim_wr32(s, NVME_REG_INTMC, 0x1);
	sim_run(s);
	CHECK_EQ(s->irqs[0], irqs0 + 1);
	sim_free(s);
}

UNIT_TEST(regs_invalid_doorbell_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, &cqe), SIM_NO_CQE);	/* parked */
	/* SQ 0 has 32 entries: a tail of 40 is ignored and reported */
	sim_wr32(s, NVME_REG_SQTDBL(0), 40);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(le32_to_cpu(cqe.result),
		 NVME_AER_RESULT(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL,
				 NVME_LOG_ERROR));
	/* the controller keeps working once the doorbell is sane again */
	sim_wr32(s, NVME_REG_SQTDBL(0), s->q[0].sq_tail);
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), 0);
	sim_free(s);
}

UNIT_TEST(regs_invalid_cq_doorbell_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe, aer;
	struct nvme_cqe cqe;
	u8 log[4096];

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	/* CQ 0 has 32 entries: a head of 99 is ignored and reported */
	sim_wr32(s, NVME_REG_CQHDBL(0), 99);
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_submit(s, 0, &sqe), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(le32_to_cpu(cqe.result) & 0xffff,
		 NVME_AER_TYPE_ERROR | (NVME_AER_ERROR_INVALID_DB_VAL << 8));
	/* masked until the error log is read, then reported again */
	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, log), 0);
	sim_wr32(s, NVME_REG_CQHDBL(0), 77);
	CHECK_EQ(sim_submit(s, 0, &sqe), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);		/* Get Features */
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);		/* the AER */
	CHECK_EQ(cqe.cid, aer.cid);
	sim_free(s);
}

UNIT_TEST(regs_doorbell_of_absent_queue_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe aer;
	struct nvme_cqe cqe;
	u8 log[4096];

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	/* I/O SQ 1 was never created: Invalid Doorbell Register */
	sim_wr32(s, NVME_REG_SQTDBL(1), 3);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(le32_to_cpu(cqe.result),
		 NVME_AER_RESULT(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_REG,
				 NVME_LOG_ERROR));
	/* the same value again is not a new event; a CQ head after the log is */
	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, log), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
	sim_wr32(s, NVME_REG_CQHDBL(1), 1);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	sim_free(s);
}

UNIT_TEST(regs_pmr_reads_zero)
{
	struct sim *s = unit_sim_enabled();

	sim_wr32(s, NVME_REG_PMRCAP, ~0U);
	sim_wr32(s, NVME_REG_PMRMSCU, ~0U);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_PMRCAP), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_PMRMSCU), 0);
	sim_free(s);
}

/*
 * A refused enable leaves RDY = 0, so a host may clear EN and set it again
 * between two polls: new register values with EN set are a new attempt,
 * the same values stay refused (and are not reported again).
 */
UNIT_TEST(regs_refused_enable_then_fast_reenable)
{
	struct sim *s = sim_new(NULL);

	CHECK(sim_enable_cc(s, 32, 32, CC_IO | (5 << NVME_CC_MPS_SHIFT)));
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_CFS);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_CFS);
	/* EN 1 -> 0 -> 1 unseen, a valid CC this time */
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_RDY);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_LIVE);
	sim_free(s);
}

UNIT_TEST(regs_refused_enable_then_disable_clears_cfs)
{
	struct sim *s = sim_new(NULL);

	CHECK(sim_enable_cc(s, 1, 32, CC_IO));
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), NVME_CSTS_CFS);
	sim_wr32(s, NVME_REG_CC, 0);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_DISABLED);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_free(s);
}

/* Reap the admin CQ until the AER @cid completes; its result, or 0. */
static u32 reap_aer(struct sim *s, u16 cid)
{
	struct nvme_cqe cqe;

	while (!sim_reap(s, 0, &cqe))
		if (cqe.cid == cid)
			return le32_to_cpu(cqe.result);
	return 0;
}

/*
 * A CQ head pointing at an entry the controller never posted (the host
 * "consumed" an empty queue): Invalid Doorbell Write Value, the value is
 * ignored (NVMe 2.0 5.27.1.2, error information 01h).
 */
UNIT_TEST(regs_cq_head_past_tail_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe, aer;
	struct nvme_cqe cqe;
	u16 head;

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), 0);		/* slot 0, head 1 */
	CHECK_EQ(s->ctrl.cq[0].tail, 1);
	head = s->ctrl.cq[0].head;			/* 0: read when posting */
	sim_wr32(s, NVME_REG_CQHDBL(0), 4);		/* 1..3 never posted */
	CHECK_EQ(sim_submit(s, 0, &sqe), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(s->ctrl.cq[0].head, head);		/* the bad value ignored */
	CHECK_EQ(reap_aer(s, aer.cid),
		 NVME_AER_RESULT(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL,
				 NVME_LOG_ERROR));
	sim_free(s);
}

/*
 * An SQ tail that overruns the head (more new entries than free slots,
 * or a tail moved backwards): ignored and reported like a tail past the
 * queue's end; the entries of the last valid tail are still fetched.
 */
UNIT_TEST(regs_sq_tail_overrun_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nepf_sq *sq = &s->ctrl.sq[0];
	struct nvme_sqe sqe, aer;
	struct nvme_cqe cqe;
	unsigned int i, n = 0;

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);	/* head 1 */
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	for (i = 0; i < 3; i++)
		CHECK_EQ(sim_submit(s, 0, &sqe), 0);		/* tail 4 */
	CHECK_EQ(nepf_sq_pending(&s->ctrl, sq), 3);
	/* 2 would mean 30 new entries after 4 in a 32-entry queue */
	sim_wr32(s, NVME_REG_SQTDBL(0), 2);
	CHECK_EQ(nepf_sq_pending(&s->ctrl, sq), 3);
	CHECK_EQ(sq->tail, 4);
	sim_wr32(s, NVME_REG_SQTDBL(0), 4);
	sim_run(s);
	for (i = 0; i < 4 && !sim_reap(s, 0, &cqe); i++) {
		if (cqe.cid == aer.cid)
			CHECK_EQ(le32_to_cpu(cqe.result),
				 NVME_AER_RESULT(NVME_AER_TYPE_ERROR,
						 NVME_AER_ERROR_INVALID_DB_VAL,
						 NVME_LOG_ERROR));
		else
			n++;
	}
	CHECK_EQ(i, 4);
	CHECK_EQ(n, 3);
	sim_free(s);
}

/*
 * A shutdown after CSTS.CFS: writes completed before the fatal status may
 * sit in a volatile cache, so the backends are flushed all the same.
 */
UNIT_TEST(regs_shutdown_after_cfs_flushes)
{
	struct sim *s = unit_sim_enabled();
	u32 cc = sim_rd32(s, NVME_REG_CC);
	u8 buf[512] = { 0x5a };

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf), 0);
	nepf_ctrl_fatal(&s->ctrl, "test");
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	sim_wr32(s, NVME_REG_CC, cc | NVME_CC_SHN_NORMAL);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK,
		 NVME_CSTS_SHST_CMPLT);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	CHECK_EQ(s->nr_flush_all, 1);
	sim_free(s);
}

#define MSIX_VCTRL(n)	(SIM_MSIX_TABLE(s) + 16 * (n) + 12)

/* A function reset masks every MSI-X vector and clears the PBA. */
UNIT_TEST(regs_msix_reset_masks_every_vector)
{
	struct sim *s = unit_sim_enabled();
	unsigned int i;

	sim_wr32(s, SIM_MSIX_PBA(s), 0x1f);
	nepf_regs_init(&s->ctrl);		/* what link down / PERST# do */
	for (i = 0; i < s->ctrl.cfg.nr_msix; i++)
		CHECK_EQ(sim_rd32(s, MSIX_VCTRL(i)), 1);
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), 0);
	sim_free(s);
}

/*
 * The MSI-X table follows the doorbells in BAR0.  A controller reset
 * clears the doorbells of the queues the controller offers, and nothing
 * past them: it used to clear every possible qid's, which zeroed the
 * host's table (seen on the 7.2 guest: after a host rebind, MSI-X
 * messages to address 0 and admin timeouts until the host reprogrammed).
 */
UNIT_TEST(regs_reset_keeps_msix_table)
{
	struct sim *s = unit_sim_enabled();
	u32 end = SIM_MSIX_PBA(s) + 4;
	u32 off;

	for (off = SIM_MSIX_TABLE(s); off < end; off += 4)
		sim_wr32(s, off, 0xfee00000 | off);
	sim_disable(s);
	for (off = SIM_MSIX_TABLE(s); off < end; off += 4)
		CHECK_EQ(sim_rd32(s, off), 0xfee00000 | off);
	sim_free(s);
}

/*
 * An interrupt raised while its MSI-X vector is masked (Linux masks around
 * every message rewrite) or refused by the EPC (Function Mask) is not
 * lost: its Pending Bit is set, and it is sent once unmasked.
 */
UNIT_TEST(regs_msix_masked_pending_sent_on_unmask)
{
	struct sim *s = unit_sim_enabled();
	u8 buf[512] = { 1 };
	u32 irqs;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);	/* CQ 1: vector 1 */
	irqs = s->irqs[1];
	sim_wr32(s, MSIX_VCTRL(1), 1);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf), 0);
	CHECK_EQ(s->irqs[1], irqs);
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), BIT(1));
	CHECK(nepf_regs_msix_held(&s->ctrl));	/* the poll thread's look */
	sim_run(s);
	CHECK_EQ(s->irqs[1], irqs);			/* still masked */
	sim_wr32(s, MSIX_VCTRL(1), 0);
	sim_run(s);
	CHECK_EQ(s->irqs[1], irqs + 1);
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), 0);
	CHECK(!nepf_regs_msix_held(&s->ctrl));
	sim_run(s);
	CHECK_EQ(s->irqs[1], irqs + 1);			/* once */

	s->msix_refuse = true;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, buf), 0);
	CHECK_EQ(s->irqs[1], irqs + 1);
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), BIT(1));
	sim_run(s);					/* refused again */
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), BIT(1));
	s->msix_refuse = false;
	sim_run(s);
	CHECK_EQ(s->irqs[1], irqs + 2);
	CHECK_EQ(sim_rd32(s, SIM_MSIX_PBA(s)), 0);
	sim_free(s);
}

/*
 * An Invalid Doorbell event comes with an Error Information log entry
 * (not tied to a command: SQID and CID FFFFh), one per event reported.
 */
UNIT_TEST(regs_invalid_doorbell_error_log_entry)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_error_log_entry log[2];
	struct nvme_sqe aer;

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	sim_wr32(s, NVME_REG_SQTDBL(0), 40);		/* 32 entries */
	sim_run(s);
	CHECK_EQ(reap_aer(s, aer.cid),
		 NVME_AER_RESULT(NVME_AER_TYPE_ERROR, NVME_AER_ERROR_INVALID_DB_VAL,
				 NVME_LOG_ERROR));
	sim_wr32(s, NVME_REG_SQTDBL(0), s->q[0].sq_tail);
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, sizeof(log), 0, false, log), 0);
	CHECK_EQ(le64_to_cpu(log[0].error_count), 1);
	CHECK_EQ(le16_to_cpu(log[0].sqid), 0xffff);
	CHECK_EQ(log[0].cmdid, 0xffff);
	CHECK_EQ(le16_to_cpu(log[1].error_count), 0);	/* one per event */
	sim_free(s);
}
