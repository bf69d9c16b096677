// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-ctrl.c - libFuzzer target: the whole controller under a hostile
 * host.  The unit tests' simulated host (tests/unit/simhost.c) plays the
 * glue; the input is a sequence of host actions:
 *
 *   [0] setup: bit 0 enable with 2 I/O queue pairs and namespace 1 (256
 *       blocks), bit 1 SGLs, bit 2 MDTS 4 KiB, bit 3 read-only namespace,
 *       bit 4 a 1 MiB capacity pool (Namespace Management, Attachment),
 *       bit 5 a 16 KiB CMB after the registers, on at FUZZ_CBA (CMBMSC)
 *   then operations, the first byte of each choosing (mod 6):
 *   0 register write: le16 offset, le32 value (CC, AQA, ASQ, doorbells,
 *     CMBMSC...; with a CMB, the offset reaches it and the SQs there)
 *   1 admin SQE: 64 bytes          2 I/O SQE: qid byte, 64 bytes
 *   3 host memory write: le32 offset, length byte, data
 *   4 doorbell: qid byte (bit 7: CQ head), le16 value
 *   5 controller disable, or shutdown when the next byte is odd
 *   6 hold completions (deferred work waits, commands stay in flight)
 *   7 release the held completions
 * Data pointers below SIM_MEM_SIZE in an SQE are taken as offsets into
 * host memory, so that the fuzzer does not have to guess its base.
 * Whatever the host does, the core must not crash, hang or leak, and
 * once reset every command must have been released.
 *
 * fuzz-sources: @core tests/unit/simhost.c
 */
#include "fuzz-host.h"
#include "../unit/simhost.h"

#define MAX_OPS		128
#define FUZZ_CBA	0x4000000000ULL

struct input {
	const u8 *p;
	size_t left;
};

static bool take(struct input *in, void *buf, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

static u64 relocate(u64 addr)
{
	return addr < SIM_MEM_SIZE ? addr + SIM_MEM_BASE : addr;
}

/* FUZZ_TRACE=1 shows the completions, to check what a seed reaches. */
static void reap_all(struct sim *s)
{
	static int trace = -1;
	struct nvme_cqe cqe;
	unsigned int qid;

	if (trace < 0)
		trace = !!getenv("FUZZ_TRACE");
	for (qid = 0; qid <= 2; qid++)
		while (!sim_reap(s, qid, &cqe))
			if (trace)
				fprintf(stderr, "cq %u cid %u status %#x dw0 %#x\n",
					qid, cqe.cid, le16_to_cpu(cqe.status) >> 1,
					le32_to_cpu(cqe.result));
}

static bool submit(struct sim *s, struct input *in, u16 qid)
{
	struct nvme_sqe sqe;

	if (!take(in, &sqe, sizeof(sqe)))
		return false;
	sqe.dptr.prp1 = cpu_to_le64(relocate(le64_to_cpu(sqe.dptr.prp1)));
	sqe.dptr.prp2 = cpu_to_le64(relocate(le64_to_cpu(sqe.dptr.prp2)));
	if (!sim_submit(s, qid, &sqe)) {
		sim_run(s);
		reap_all(s);
	}
	return true;
}

static u64 rd64(struct sim *s, u32 off)
{
	return sim_rd32(s, off) | (u64)sim_rd32(s, off + 4) << 32;
}

/*
 * After the input enabled the controller through raw register writes, let
 * the host side use the admin queue it described, if it lies in memory.
 */
static void adopt_admin_queue(struct sim *s)
{
	struct sim_queue *q = &s->q[0];
	u32 aqa = sim_rd32(s, NVME_REG_AQA);
	u16 sqs = NVME_AQA_ASQS(aqa) + 1, cqs = NVME_AQA_ACQS(aqa) + 1;
	u64 sq = rd64(s, NVME_REG_ASQ), cq = rd64(s, NVME_REG_ACQ);

	if (q->sq_size || !(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY))
		return;
	if (!sim_ptr(s, sq) || !sim_ptr(s, sq + sqs * NVME_SQE_SIZE - 1) ||
	    !sim_ptr(s, cq) || !sim_ptr(s, cq + cqs * NVME_CQE_SIZE - 1))
		return;
	q->sq_addr = sq;
	q->sq_size = sqs;
	q->cq_addr = cq;
	q->cq_size = cqs;
	q->sq_tail = 0;
	q->cq_head = 0;
	q->phase = 1;
	q->cqid = 0;
}

static bool one_op(struct sim *s, struct input *in)
{
	u8 op, b;
	u16 off16;
	u32 off32, val;
	u8 data[256];

	if (!take(in, &op, 1))
		return false;
	switch (op % 8) {
	case 0:
		if (!take(in, &off16, 2) || !take(in, &val, 4))
			return false;
		sim_wr32(s, le16_to_cpu(off16) % s->bar_size & ~3U, le32_to_cpu(val));
		sim_run(s);
		if (!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY))
			memset(s->q, 0, sizeof(s->q));
		adopt_admin_queue(s);
		return true;
	case 1:
		return submit(s, in, 0);
	case 2:
		if (!take(in, &b, 1))
			return false;
		return submit(s, in, 1 + (b & 1));
	case 3:
		if (!take(in, &off32, 4) || !take(in, &b, 1) || !take(in, data, b))
			return false;
		off32 = le32_to_cpu(off32) % (SIM_MEM_SIZE - sizeof(data));
		memcpy(sim_ptr(s, SIM_MEM_BASE + off32), data, b);
		return true;
	case 4:
		if (!take(in, &b, 1) || !take(in, &off16, 2))
			return false;
		sim_wr32(s, b & 0x80 ? NVME_REG_CQHDBL(b & 3) : NVME_REG_SQTDBL(b & 3),
			 le16_to_cpu(off16));
		sim_run(s);
		return true;
	case 6:
		s->hold_defer = true;
		return true;
	case 7:
		s->hold_defer = false;
		sim_release_held(s);
		sim_run(s);
		reap_all(s);
		return true;
	default:
		if (!take(in, &b, 1))
			return false;
		val = sim_rd32(s, NVME_REG_CC);
		if (b & 1)
			sim_wr32(s, NVME_REG_CC, (val & ~NVME_CC_SHN_MASK) |
				 NVME_CC_SHN_NORMAL);
		else
			sim_wr32(s, NVME_REG_CC, val & ~NVME_CC_ENABLE);
		sim_run(s);
		if (!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY))
			memset(s->q, 0, sizeof(s->q));
		return true;
	}
}

/* No command holds a namespace of the pool, deleted or not. */
static bool pool_unheld(struct sim_pool *sp)
{
	unsigned int i;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (sp->pool.ns[i] && nepf_ns_users(sp->pool.ns[i]))
			return false;
	for (i = 0; i < sp->nr_removed; i++)
		if (nepf_ns_users(sp->removed[i]))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct nepf_ctrl_config cfg;
	struct sim_pool *sp = NULL;
	struct sim *s;
	u8 setup;
	int i;

	if (!take(&in, &setup, 1))
		return 0;
	sim_default_config(&cfg);
	cfg.sgl = setup & 2;
	if (setup & 4)
		cfg.mdts_kb = 4;
	if (setup & 32) {
		cfg.cmb_off = SIM_BAR_SIZE;
		cfg.cmb_size = SIM_BAR_SIZE;
	}
	s = sim_new(&cfg);
	if (setup & 32)
		sim_cmb_enable(s, FUZZ_CBA);
	if (setup & 16)
		sp = sim_pool_new(s, 1 << 20);
	if (setup & 1) {
		if (sim_enable(s, 32) || sim_create_io_queues(s, 2, 16))
			fuzz_fail("cannot set up the controller");
		sim_add_ns(s, 1, 256, 9)->cfg.readonly = setup & 8;
	}
	for (i = 0; i < MAX_OPS && one_op(s, &in); i++)
		;

	s->hold_defer = false;
	sim_release_held(s);
	/* Background operations hold namespace references until they end. */
	sim_bg_end(s);
	nepf_ctrl_reset(&s->ctrl);
	if (s->nr_released != s->nr_fetched)
		fuzz_fail("commands not released after a reset");
	if (nepf_ns_users(&s->ns[0].ns) || (sp && !pool_unheld(sp)))
		fuzz_fail("namespace reference leaked");
	if (sp)
		sim_pool_free(s, sp);
	sim_free(s);
	return 0;
}
