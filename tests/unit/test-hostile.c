// SPDX-License-Identifier: GPL-2.0
/*
 * test-hostile.c - a host that writes garbage: random admin commands and
 * doorbells, then random register writes.  Nothing may crash (ASan/UBSan
 * watch), every admin command must get exactly one completion or the
 * controller must report CSTS.CFS, and a reset must bring it back.
 * Deterministic (fixed seeds); the libFuzzer targets in tests/fuzz/ go
 * further.
 */
#include "unit.h"

static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64*: reproducible without libc's rand() */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Mostly small values, sometimes anything: hits both checks and limits. */
static u32 rnd_field(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd() % 8;
	case 1:
		return rnd() % 0x10000;
	case 2:
		return (u32)rnd();
	default:
		return (u32)((rnd() % 8) | ((rnd() % 128) << 16));
	}
}

static u64 rnd_addr(struct sim *s, u64 good)
{
	switch (rnd() % 4) {
	case 0:
		return good;
	case 1:
		return good + (rnd() % 4096);
	case 2:
		return rnd();
	default:
		/* anywhere but the admin queues (first 64 KiB): the host may
		 * scribble on its own queues, but then nothing is countable */
		return SIM_MEM_BASE + 65536 + (rnd() % (SIM_MEM_SIZE - 65536 - 8192));
	}
}

static void random_admin(struct sim *s, struct nvme_sqe *sqe, u64 data)
{
	static const u8 opcodes[] = {
		nvme_admin_delete_sq, nvme_admin_create_sq, nvme_admin_get_log_page,
		nvme_admin_delete_cq, nvme_admin_create_cq, nvme_admin_identify,
		nvme_admin_abort_cmd, nvme_admin_set_features,
		nvme_admin_get_features, nvme_admin_async_event,
	};

	sim_sqe(sqe, rnd() % 8 ? opcodes[rnd() % ARRAY_SIZE(opcodes)] : (u8)rnd());
	sqe->flags = rnd() % 8 ? 0 : (u8)rnd();
	sqe->nsid = cpu_to_le32(rnd() % 4 ? rnd() % 4 : (u32)rnd());
	sqe->dptr.prp1 = cpu_to_le64(rnd_addr(s, data));
	sqe->dptr.prp2 = cpu_to_le64(rnd_addr(s, data + 4096));
	sqe->cdw10 = cpu_to_le32(rnd_field());
	sqe->cdw11 = cpu_to_le32(rnd_field());
	sqe->cdw12 = cpu_to_le32(rnd() % 2 ? 0 : rnd_field());
	sqe->cdw13 = cpu_to_le32(rnd() % 2 ? 0 : rnd_field());
	sqe->cdw14 = cpu_to_le32(rnd() % 2 ? 0 : rnd_field());
}

/* Submit @n random admin commands; returns the completions reaped. */
static unsigned int random_admin_run(struct sim *s, u64 data, unsigned int n,
				     bool bad_doorbells)
{
	unsigned int i, cqes = 0;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	for (i = 0; i < n && s->ctrl.state == NEPF_CTRL_LIVE; i++) {
		random_admin(s, &sqe, data);
		if (sim_submit(s, 0, &sqe))
			break;
		sim_run(s);
		while (!sim_reap(s, 0, &cqe))
			cqes++;
		if (bad_doorbells && rnd() % 32 == 0) {
			/* the controller refetches stale entries or reports it */
			sim_wr32(s, NVME_REG_SQTDBL(0), (u32)rnd() % 64);
			sim_run(s);
			sim_wr32(s, NVME_REG_SQTDBL(0), s->q[0].sq_tail);
			sim_run(s);
			while (!sim_reap(s, 0, &cqe))
				cqes++;
		}
	}
	return cqes;
}

UNIT_TEST(hostile_admin_commands)
{
	struct sim *s = unit_sim_enabled();
	u64 data = sim_alloc(s, 8192, 4096);
	unsigned int cqes;

	rng_state = 0x9e3779b97f4a7c15ULL;
	sim_add_ns(s, 1, 64, 9);
	/* well-formed doorbells: one completion per command, but parked AERs */
	cqes = random_admin_run(s, data, 2000, false);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_LIVE);
	CHECK_EQ(cqes + kfifo_len(&s->ctrl.aer_cids), 2000);
	CHECK(s->ctrl.err_count > 1000);	/* most garbage is refused */
	/* garbage doorbells too: only robustness */
	random_admin_run(s, data, 2000, true);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_disable(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, 0, 0, NULL), 0);
	sim_free(s);
}

UNIT_TEST(hostile_register_writes)
{
	static const u32 regs[] = {
		NVME_REG_CAP, NVME_REG_CAP + 4, NVME_REG_VS, NVME_REG_INTMS,
		NVME_REG_INTMC, NVME_REG_CC, NVME_REG_CSTS, NVME_REG_NSSR,
		NVME_REG_AQA, NVME_REG_ASQ, NVME_REG_ASQ + 4, NVME_REG_ACQ,
		NVME_REG_ACQ + 4, NVME_REG_CRTO,
	};
	struct sim *s = sim_new(NULL);
	unsigned int i;

	rng_state = 0x853c49e6748fea9bULL;
	for (i = 0; i < 5000; i++) {
		u32 off = rnd() % 2 ? regs[rnd() % ARRAY_SIZE(regs)] :
			  NVME_REG_DBS + (rnd() % 10) * 4;
		u32 val = rnd() % 2 ? (u32)rnd() : rnd_field();

		/* valid-looking admin queues half of the time */
		if (off == NVME_REG_ASQ || off == NVME_REG_ACQ)
			val = rnd() % 2 ? lower_32_bits(SIM_MEM_BASE) + (rnd() % 16) * 4096 : val;
		if (off == NVME_REG_ASQ + 4 || off == NVME_REG_ACQ + 4)
			val = rnd() % 2 ? upper_32_bits(SIM_MEM_BASE) : val;
		sim_wr32(s, off, val);
		sim_run(s);
		CHECK_EQ(sim_rd32(s, NVME_REG_VS), NVME_VS(2, 0, 0));
		CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), s->ctrl.csts);
	}
	/* whatever happened, a disable/enable cycle brings it back */
	sim_wr32(s, NVME_REG_CC, 0);
	sim_run(s);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & (NVME_CSTS_RDY | NVME_CSTS_CFS), 0);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, 0, 0, NULL), 0);
	sim_free(s);
}
