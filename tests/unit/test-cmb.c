// SPDX-License-Identifier: GPL-2.0
/*
 * test-cmb.c - the Controller Memory Buffer: CAP.CMBS, CMBLOC, CMBSZ,
 * CMBMSC and CMBSTS, submission queues (admin and I/O) whose ring is in
 * the CMB and are fetched by a local copy, the uses the CMB does not
 * offer (CQs; data pointers: test-prp-sgl.c too), and what resets keep.
 */
#include "unit.h"

#define DNR		NVME_STATUS_DNR
#define CMB_OFF		0x4000U			/* after the MSI-X table */
#define CMB_SIZE	0x10000U		/* 64 KiB */
#define CBA		0x4000000000ULL		/* where the host sees it */
#define BAD		(NVME_SC_CMB_INVALID_USE | DNR)
#define COST(s, NAME)	((s)->costs.v[NEPF_COST_##NAME])

static struct sim *cmb_sim(bool sgl)
{
	struct nepf_ctrl_config cfg;

	sim_default_config(&cfg);
	cfg.cmb_off = CMB_OFF;
	cfg.cmb_size = CMB_SIZE;
	cfg.queue_depth = 1024;		/* rings larger than a page */
	cfg.sgl = sgl;
	return sim_new(&cfg);
}

/* Enabled, the CMB on at CBA, one namespace, CQ 1 in host memory. */
static struct sim *cmb_sim_ready(bool sgl)
{
	struct sim *s = cmb_sim(sgl);

	sim_cmb_enable(s, CBA);
	if (sim_enable(s, 32) || !sim_add_ns(s, 1, 1024, 9) ||
	    sim_create_cq(s, 1, 16, true, 1))
		abort();
	return s;
}

UNIT_TEST(cmb_registers_absent)
{
	struct sim *s = sim_new(NULL);

	CHECK(!(s->ctrl.cap & NVME_CAP_CMBS));
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBLOC), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSZ), 0);
	/* Without CAP.CMBS, CMBMSC is reserved: it reads 0 again. */
	sim_cmb_enable(s, CBA);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBMSC), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBMSC + 4), 0);
	CHECK_EQ(s->ctrl.cmb_msc, 0);
	sim_free(s);
}

UNIT_TEST(cmb_registers)
{
	struct sim *s = cmb_sim(false);

	CHECK(s->ctrl.cap & NVME_CAP_CMBS);
	CHECK_EQ(sim_rd32(s, 4), upper_32_bits(s->ctrl.cap));
	/* Readable before CRE: the deviation bar-regs.c explains. */
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBLOC),
		 NVME_CMBLOC_CQMMS | NVME_CMBLOC_CDPCILS | (CMB_OFF / 4096) << 12);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSZ),
		 NVME_CMBSZ_SQS | (CMB_SIZE / 4096) << 12);
	/* Read-only: what the host writes is put back. */
	sim_wr32(s, NVME_REG_CMBLOC, ~0U);
	sim_wr32(s, NVME_REG_CMBSZ, ~0U);
	sim_wr32(s, NVME_REG_CMBSTS, ~0U);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSZ),
		 NVME_CMBSZ_SQS | (CMB_SIZE / 4096) << 12);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBLOC) & 7, 0);		/* BAR0 */
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSTS), 0);

	/* CRE, then CMSE with CBA: accepted. */
	sim_cmb_enable(s, CBA);
	sim_run(s);
	CHECK_EQ(s->ctrl.cmb_msc,
		 CBA | NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSTS), 0);
	/* The register is the host's: left as written. */
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBMSC + 4), upper_32_bits(CBA));

	/* CMSE without CRE: nothing is on. */
	sim_wr64(s, NVME_REG_CMBMSC, CBA | NVME_CMBMSC_CMSE);
	sim_run(s);
	CHECK_EQ(s->ctrl.cmb_msc, 0);

	/* A CBA at which the CMB wraps past 2^64: CBAI, CMSE refused. */
	sim_wr64(s, NVME_REG_CMBMSC, 0xfffffffffffff000ULL |
		 NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE);
	sim_run(s);
	CHECK_EQ(s->ctrl.cmb_msc, NVME_CMBMSC_CRE);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSTS), NVME_CMBSTS_CBAI);
	/* Ending a page below 2^64 is fine (base + size stays a u64). */
	sim_wr64(s, NVME_REG_CMBMSC, (0ULL - CMB_SIZE - 4096) |
		 NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE);
	sim_run(s);
	CHECK(s->ctrl.cmb_msc & NVME_CMBMSC_CMSE);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSTS), 0);

	/* Caught between the halves of a write: the last value stays. */
	sim_cmb_enable(s, CBA);
	sim_run(s);
	sim_wr32(s, NVME_REG_CMBMSC + 4, 0x55);
	sim_wr32(s, NVME_REG_CMBMSC, NVME_CMBMSC_CRE);
	CHECK_EQ(nepf_regs_cmb_msc(&s->ctrl),
		 NVME_CMBMSC_CRE);	/* consistent halves: CRE alone */
	sim_free(s);
}

UNIT_TEST(cmb_locate)
{
	struct sim *s = cmb_sim(false);
	u64 on = CBA | NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE;
	struct nepf_ctrl *c = &s->ctrl;
	u32 off = 0;

	CHECK_EQ(nepf_cmb_locate(c, on, CBA, CMB_SIZE, &off), NEPF_CMB_INSIDE);
	CHECK_EQ(off, 0);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA + 0x1000, 64, &off), NEPF_CMB_INSIDE);
	CHECK_EQ(off, 0x1000);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA + CMB_SIZE - 64, 64, &off),
		 NEPF_CMB_INSIDE);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA + CMB_SIZE - 64, 128, &off),
		 NEPF_CMB_PARTLY);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA - 64, 128, &off), NEPF_CMB_PARTLY);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA - 64, 64, &off), NEPF_CMB_OUTSIDE);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA + CMB_SIZE, 64, &off),
		 NEPF_CMB_OUTSIDE);
	CHECK_EQ(nepf_cmb_locate(c, on, 0, U64_MAX, &off), NEPF_CMB_PARTLY);
	CHECK_EQ(nepf_cmb_locate(c, on, CBA, 0, &off), NEPF_CMB_OUTSIDE);
	/* CMSE off: every address is host memory. */
	CHECK_EQ(nepf_cmb_locate(c, NVME_CMBMSC_CRE, CBA, 64, &off),
		 NEPF_CMB_OUTSIDE);
	sim_free(s);
}

/* Reads and writes through I/O SQ 1, whose ring is in the CMB. */
UNIT_TEST(cmb_sq_fetch)
{
	struct sim *s = cmb_sim_ready(false);
	u8 wbuf[512], rbuf[512];
	unsigned int i;

	CHECK_EQ(sim_create_sq_at(s, 1, 4, 1, CBA + 0x2000), 0);
	CHECK(s->ctrl.sq[1].cmb_ring == s->bar + CMB_OFF + 0x2000);
	memset(&s->costs, 0, sizeof(s->costs));
	memset(&s->ledger, 0, sizeof(s->ledger));
	/* Around the 4-entry ring more than twice. */
	for (i = 0; i < 10; i++) {
		memset(wbuf, 0x30 + i, sizeof(wbuf));
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, i, 1, wbuf), 0);
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, i, 1, rbuf), 0);
		CHECK(!memcmp(wbuf, rbuf, sizeof(rbuf)));
	}
	CHECK_EQ(COST(s, SQES_CMB), 20);
	CHECK_EQ(COST(s, SQE_HOST_READS), 0);
	CHECK_EQ(COST(s, SQES_HOST), 0);
	/* The host reads: the written data only, never an SQE. */
	CHECK_EQ(s->ledger.host_reads, 10);
	CHECK_EQ(s->ledger.host_read_bytes, 10 * 512);
	/* An SQ in host memory next to it is fetched by a host read. */
	CHECK_EQ(sim_create_cq(s, 2, 16, true, 2), 0);
	CHECK_EQ(sim_create_sq(s, 2, 16, 2), 0);
	CHECK(!s->ctrl.sq[2].cmb_ring);
	memset(&s->costs, 0, sizeof(s->costs));
	CHECK_EQ(sim_rw(s, 2, nvme_cmd_read, 1, 0, 1, rbuf), 0);
	CHECK_EQ(COST(s, SQE_HOST_READS), 1);
	CHECK_EQ(COST(s, SQES_HOST), 1);
	CHECK_EQ(COST(s, SQES_CMB), 0);
	sim_free(s);
}

/* The host may rewrite the CMB at any time: a fetched SQE is a copy. */
UNIT_TEST(cmb_sqe_copied_once)
{
	struct sim *s = cmb_sim_ready(false);
	struct nepf_sq *sq = &s->ctrl.sq[1];
	struct nvme_sqe sqe;
	struct nepf_cmd *cmd = calloc(1, sizeof(*cmd));
	u8 *slot = s->bar + CMB_OFF;
	u32 gen;

	CHECK(cmd);
	CHECK_EQ(sim_create_sq_at(s, 1, 4, 1, CBA), 0);
	sim_sqe(&sqe, nvme_cmd_flush);
	sqe.nsid = cpu_to_le32(1);
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	CHECK_EQ(nepf_sq_pending(&s->ctrl, sq), 1);
	CHECK_EQ(nepf_sq_read(&s->ctrl, sq, s->fetch_buf, 1, &gen), 1);
	memset(slot, 0xff, NVME_SQE_SIZE);		/* too late */
	cmd->ctrl = &s->ctrl;
	nepf_sq_take(&s->ctrl, sq, gen, cmd, &s->fetch_buf[0]);
	CHECK_EQ(cmd->sqe.opcode, nvme_cmd_flush);
	CHECK_EQ(le32_to_cpu(cmd->sqe.nsid), 1);
	CHECK_EQ(cmd->sqe.cid, sqe.cid);
	nepf_cmd_exec(cmd);		/* the environment frees it */
	sim_run(s);
	sim_free(s);
}

static u16 create_raw(struct sim *s, u8 opc, u16 qid, u16 entries, u16 cqid,
		      u32 flags, u64 prp1)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.cdw10 = cpu_to_le32(qid | (u32)(entries - 1) << 16);
	sqe.cdw11 = cpu_to_le32(flags | (u32)cqid << 16);
	sqe.dptr.prp1 = cpu_to_le64(prp1);
	return sim_cmd(s, 0, &sqe, NULL);
}

UNIT_TEST(cmb_queue_invalid_uses)
{
	struct sim *s = cmb_sim_ready(false);
	u32 pc = NVME_QUEUE_PHYS_CONTIG;

	/* 128 entries (8 KiB) from the CMB's last page: past its end. */
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 2, 128, 1, pc,
			    CBA + CMB_SIZE - 4096), BAD);
	/* From host memory into the CMB. */
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 2, 128, 1, pc, CBA - 4096),
		 BAD);
	/* CMBSZ.CQS = 0: no CQ in it, wholly or partly. */
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 2, 16, 0, pc, CBA), BAD);
	CHECK_EQ(create_raw(s, nvme_admin_create_cq, 2, 512, 0, pc,
			    CBA - 4096), BAD);
	/* Discontiguous (PC = 0): refused before anything else (CAP.CQR). */
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 2, 16, 1, 0, CBA),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK(!s->ctrl.sq[2].valid);
	CHECK(!s->ctrl.cq[2].valid);
	/* Inside: fine. */
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 2, 64, 1, pc,
			    CBA + CMB_SIZE - 4096), 0);
	CHECK(s->ctrl.sq[2].cmb_ring);

	/* CMSE off: the same address is host memory, not the CMB. */
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 2), 0);
	sim_wr32(s, NVME_REG_CMBMSC, NVME_CMBMSC_CRE);
	CHECK_EQ(create_raw(s, nvme_admin_create_sq, 2, 64, 1, pc,
			    CBA + CMB_SIZE - 4096), 0);
	CHECK(s->ctrl.sq[2].valid);
	CHECK(!s->ctrl.sq[2].cmb_ring);
	sim_free(s);
}

/* Through the whole path: an Identify and a Read into the CMB. */
UNIT_TEST(cmb_data_pointer_commands)
{
	struct sim *s = cmb_sim_ready(false);
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_identify);
	sqe.cdw10 = cpu_to_le32(NVME_ID_CNS_CTRL);
	sqe.dptr.prp1 = cpu_to_le64(CBA + 0x1000);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), BAD);
	CHECK_EQ(sim_create_sq(s, 1, 16, 1), 0);
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(CBA + 0x1000);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), BAD);
	sim_free(s);
}

/* Admin SQ in the CMB (CMBSZ.SQS covers it); the admin CQ may not be. */
UNIT_TEST(cmb_admin_queues)
{
	struct sim *s = cmb_sim(false);
	struct sim_queue *q = &s->q[0];
	u8 id[4096];

	sim_cmb_enable(s, CBA);
	q->sq_size = 16;
	q->cq_size = 16;
	q->sq_addr = CBA + 0x8000;
	q->cq_addr = sim_alloc(s, 16 * NVME_CQE_SIZE, SIM_PAGE);
	q->phase = 1;
	sim_wr32(s, NVME_REG_AQA, 15 | 15 << 16);
	sim_wr64(s, NVME_REG_ASQ, q->sq_addr);
	sim_wr64(s, NVME_REG_ACQ, q->cq_addr);
	sim_wr32(s, NVME_REG_CC, (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
		 (NVME_CQES << NVME_CC_IOCQES_SHIFT) | NVME_CC_ENABLE);
	sim_run(s);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY);
	CHECK(s->ctrl.sq[0].cmb_ring == s->bar + CMB_OFF + 0x8000);
	memset(&s->costs, 0, sizeof(s->costs));
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, id), 0);
	CHECK_EQ(COST(s, SQES_CMB), 1);
	CHECK_EQ(COST(s, SQE_HOST_READS), 0);
	sim_disable(s);

	/* ACQ in the CMB: the enable is refused (CSTS.CFS). */
	sim_wr64(s, NVME_REG_ACQ, CBA);
	sim_wr32(s, NVME_REG_CC, (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
		 (NVME_CQES << NVME_CC_IOCQES_SHIFT) | NVME_CC_ENABLE);
	sim_run(s);
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY));
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	sim_wr32(s, NVME_REG_CC, 0);
	sim_run(s);

	/* ASQ across the CMB's end: refused too. */
	sim_wr64(s, NVME_REG_ASQ, CBA + CMB_SIZE - 512);
	sim_wr64(s, NVME_REG_ACQ, q->cq_addr);
	sim_wr32(s, NVME_REG_CC, (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
		 (NVME_CQES << NVME_CC_IOCQES_SHIFT) | NVME_CC_ENABLE);
	sim_run(s);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	sim_free(s);
}

/*
 * A controller reset keeps CMBMSC (Linux does not write it again after
 * one, and its SQs stay in the CMB); power-on (nepf_regs_init(): link
 * down, PERST#) clears it.  Queues in the CMB go with the reset.
 */
UNIT_TEST(cmb_reset)
{
	struct sim *s = cmb_sim_ready(false);
	u8 buf[512];

	CHECK_EQ(sim_create_sq_at(s, 1, 8, 1, CBA), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, buf), 0);
	sim_disable(s);
	CHECK(!s->ctrl.sq[1].cmb_ring);
	CHECK_EQ(s->ctrl.cmb_msc, CBA | NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	CHECK_EQ(sim_create_sq_at(s, 1, 8, 1, CBA), 0);
	CHECK(s->ctrl.sq[1].cmb_ring);
	memset(&s->costs, 0, sizeof(s->costs));
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, buf), 0);
	CHECK_EQ(COST(s, SQES_CMB), 1);

	/* Power-on: everything as before the host came. */
	sim_disable(s);
	nepf_regs_init(&s->ctrl);
	CHECK_EQ(s->ctrl.cmb_msc, 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBMSC), 0);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBMSC + 4), 0);
	CHECK(s->ctrl.cap & NVME_CAP_CMBS);
	CHECK_EQ(sim_rd32(s, NVME_REG_CMBSZ), NVME_CMBSZ_SQS | (CMB_SIZE / 4096) << 12);
	sim_free(s);
}

/* The configurations nepf_ctrl_init() refuses. */
UNIT_TEST(cmb_config_checked)
{
	static u8 bar[0x20000];
	static const struct { u32 off, size; } bad[] = {
		{ 0x1000, 0x1000 },	/* over the doorbells */
		{ 0x4800, 0x1000 },	/* not 4 KiB aligned */
		{ 0x4000, 0x1800 },	/* size neither */
		{ 0x10000, 0x20000 },	/* past the BAR */
	};
	struct nepf_ctrl *c = calloc(1, sizeof(*c));
	unsigned int i;

	CHECK(c);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(c, 0, sizeof(*c));
		sim_default_config(&c->cfg);
		c->cfg.nr_msix = 0;
		c->cfg.cmb_off = bad[i].off;
		c->cfg.cmb_size = bad[i].size;
		CHECK_EQ(nepf_ctrl_init(c, bar, sizeof(bar), NULL), -EINVAL);
	}
	free(c);
}
