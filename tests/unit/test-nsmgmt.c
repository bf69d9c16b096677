// SPDX-License-Identifier: GPL-2.0
/*
 * test-nsmgmt.c - Namespace Management and Attachment over a capacity
 * pool (src/ns-mgmt.c): every command's validation and status codes,
 * the Identify data that goes with them (OACS, TNVMCAP, UNVMCAP, MNAN,
 * CNS 10h-12h), the namespace-changed event, and a namespace's life:
 * create, attach, I/O, detach (data kept), delete, re-create.
 *
 * The pool here is RAM namespaces (simhost.c sim_pool) with a capacity
 * and a storage error to inject; the kernel's is a directory of sparse
 * files (pool.c).
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR
#define CAP	(1ULL << 20)	/* the pool: 1 MiB */
#define CNTLID	1		/* sim_default_config() leaves it 0: 1 */

static u8 buf[8192];

static struct sim *ns_sim(struct sim_pool **tp)
{
	struct sim *s = sim_new(NULL);

	*tp = sim_pool_new(s, CAP);
	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	return s;
}

struct create_args {
	u64 nsze, ncap;
	u8 flbas, dps, nmic, csi;
};

static u16 create_ns(struct sim *s, const struct create_args *a, u32 *nsid)
{
	struct nvme_id_ns *id = (void *)buf;
	struct nvme_sqe sqe;
	u32 result = 0;
	u16 status;

	memset(buf, 0, sizeof(buf));
	id->nsze = cpu_to_le64(a->nsze);
	id->ncap = cpu_to_le64(a->ncap);
	id->flbas = a->flbas;
	id->dps = a->dps;
	id->nmic = a->nmic;
	sim_sqe(&sqe, nvme_admin_ns_mgmt);
	sqe.cdw10 = cpu_to_le32(0);	/* SEL: create */
	sqe.cdw11 = cpu_to_le32((u32)a->csi << 24);
	status = sim_admin_data(s, &sqe, buf, 4096, true, &result);
	if (nsid)
		*nsid = status ? 0 : result;
	return status;
}

/* A namespace of @nsze blocks, format @flbas: its NSID, 0 on failure. */
static u32 create(struct sim *s, u64 nsze, u8 flbas)
{
	struct create_args a = { .nsze = nsze, .ncap = nsze, .flbas = flbas };
	u32 nsid;

	return create_ns(s, &a, &nsid) ? 0 : nsid;
}

static u16 mgmt_sel(struct sim *s, u32 nsid, u32 sel)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_ns_mgmt);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(sel);
	return sim_cmd(s, 0, &sqe, NULL);
}

static u16 delete_ns(struct sim *s, u32 nsid)
{
	return mgmt_sel(s, nsid, 1);
}

/* Namespace Attachment with a controller list of @n ids. */
static u16 attach_list(struct sim *s, u32 nsid, u32 sel, const u16 *ids, u16 n)
{
	__le16 *list = (void *)buf;
	struct nvme_sqe sqe;
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	list[0] = cpu_to_le16(n);
	for (i = 0; i < n; i++)
		list[1 + i] = cpu_to_le16(ids[i]);
	sim_sqe(&sqe, nvme_admin_ns_attach);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(sel);
	return sim_admin_data(s, &sqe, buf, 4096, true, NULL);
}

static u16 attach(struct sim *s, u32 nsid)
{
	static const u16 me = CNTLID;

	return attach_list(s, nsid, 0, &me, 1);
}

static u16 detach(struct sim *s, u32 nsid)
{
	static const u16 me = CNTLID;

	return attach_list(s, nsid, 1, &me, 1);
}

static u64 le128_lo(const u8 *p)
{
	__le64 v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

static u64 unvmcap(struct sim *s)
{
	struct nvme_id_ctrl *id = (void *)buf;

	if (sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf))
		return ~0ULL;
	return le128_lo(id->unvmcap);
}

/* Is @nsid in the NSID list of Identify @cns (02h active, 10h allocated)? */
static int in_list(struct sim *s, u8 cns, u32 nsid)
{
	__le32 *list = (void *)buf;
	unsigned int i;

	if (sim_identify(s, cns, 0, 0, buf))
		return -1;
	for (i = 0; i < 1024 && list[i]; i++)
		if (le32_to_cpu(list[i]) == nsid)
			return 1;
	return 0;
}

/* Without a pool: nothing of it is offered. */
UNIT_TEST(nsmgmt_not_offered)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_id_ctrl *id = (void *)buf;
	struct nvme_effects_log *log = (void *)buf;

	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK_EQ(le16_to_cpu(id->oacs) & NVME_CTRL_OACS_NS_MNGT, 0);
	CHECK_EQ(le128_lo(id->tnvmcap), 0);
	CHECK_EQ(le32_to_cpu(id->mnan), 0);
	CHECK_EQ(mgmt_sel(s, 0, 0), NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(attach(s, 1), NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT_LIST, 0, 0, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT, 1, 0, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL_NS_LIST, 1, 0, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, NVME_NSID_ALL, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CMD_EFFECTS, sizeof(*log), 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(log->acs[nvme_admin_ns_mgmt]), 0);
	CHECK_EQ(le32_to_cpu(log->acs[nvme_admin_ns_attach]), 0);
	sim_free(s);
}

/* OACS bit 3, the capacities, NN and MNAN, the effects log. */
UNIT_TEST(nsmgmt_identify_ctrl)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct nvme_id_ctrl *id = (void *)buf;
	struct nvme_effects_log *log = (void *)buf;
	u32 e;

	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK(le16_to_cpu(id->oacs) & NVME_CTRL_OACS_NS_MNGT);
	/* Format NVM and self-test are still there */
	CHECK(le16_to_cpu(id->oacs) & NVME_CTRL_OACS_FORMAT);
	CHECK_EQ(le128_lo(id->tnvmcap), CAP);
	CHECK_EQ(le128_lo(id->unvmcap), CAP);
	CHECK_EQ(le128_lo(id->tnvmcap + 8), 0);
	CHECK_EQ(le32_to_cpu(id->nn), NEPF_MAX_NAMESPACES);
	CHECK_EQ(le32_to_cpu(id->mnan), NEPF_MAX_NAMESPACES);
	CHECK(create(s, 64, 1));		/* 256 KiB */
	CHECK_EQ(unvmcap(s), CAP - 64 * 4096);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK_EQ(le128_lo(id->tnvmcap), CAP);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CMD_EFFECTS, sizeof(*log), 0, false, buf), 0);
	e = le32_to_cpu(log->acs[nvme_admin_ns_mgmt]);
	CHECK_EQ(e, NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_NIC | NVME_CMD_EFFECTS_NCC);
	e = le32_to_cpu(log->acs[nvme_admin_ns_attach]);
	CHECK_EQ(e, NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_NIC | NVME_CMD_EFFECTS_NCC);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* Create: each field's check, and nothing allocated when one fails. */
UNIT_TEST(nsmgmt_create_validation)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct create_args a = { .nsze = 8, .ncap = 8 };
	u32 nsid;

	a.nsze = 0;
	a.ncap = 0;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FIELD | DNR);
	a.nsze = 8;
	a.ncap = 9;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FIELD | DNR);
	a.ncap = 4;	/* thin: not supported */
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_THIN_PROV_NOT_SUPP | DNR);
	a.ncap = 8;
	a.flbas = 2;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FORMAT | DNR);
	a.flbas = 0x20;	/* index bits 5:4 = 1: format 16 */
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FORMAT | DNR);
	a.flbas = 0;
	a.dps = 1;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FIELD | DNR);
	a.dps = 0;
	a.nmic = 1;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FIELD | DNR);
	a.nmic = 0;
	a.csi = NVME_CSI_ZNS;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FIELD | DNR);
	a.csi = 0;
	/* beyond the pool; beyond 64 bits of bytes */
	a.nsze = a.ncap = CAP / 512 + 1;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_INSUFFICIENT_CAP | DNR);
	a.nsze = a.ncap = 1ULL << 60;
	a.flbas = 1;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_INSUFFICIENT_CAP | DNR);
	CHECK_EQ(tp->nr_create, 0);
	/* the storage behind the pool is full, or fails */
	a.nsze = a.ncap = 8;
	tp->fail = -ENOSPC;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_INSUFFICIENT_CAP | DNR);
	tp->fail = -EIO;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INTERNAL);
	tp->fail = -EOPNOTSUPP;	/* e.g. 512 on a 4Kn device, direct I/O */
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(tp->nr_create, 3);
	CHECK_EQ(tp->pool.used, 0);
	CHECK_EQ(unvmcap(s), CAP);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, 1), 0);
	/* SEL 2..15: reserved */
	CHECK_EQ(mgmt_sel(s, 0, 2), NVME_SC_INVALID_FIELD | DNR);
	/* the whole pool is fine, and then nothing more */
	a.nsze = a.ncap = CAP / 4096;
	CHECK_EQ(create_ns(s, &a, &nsid), 0);
	CHECK_EQ(nsid, 1);
	CHECK_EQ(unvmcap(s), 0);
	a.nsze = a.ncap = 1;
	a.flbas = 0;
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_INSUFFICIENT_CAP | DNR);
	/* the board shrank the pool below what is allocated */
	tp->pool.capacity = CAP / 2;
	CHECK_EQ(unvmcap(s), 0);
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_INSUFFICIENT_CAP | DNR);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* NSIDs: the lowest free one; the board's are taken; NN of them at most. */
UNIT_TEST(nsmgmt_nsid_unavailable)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct create_args a = { .nsze = 1, .ncap = 1 };
	unsigned int i;
	u32 nsid;

	sim_add_ns(s, 2, 8, 9);		/* the board's, configfs */
	CHECK_EQ(create(s, 1, 0), 1);
	for (i = 3; i <= NEPF_MAX_NAMESPACES; i++)
		CHECK_EQ(create(s, 1, 0), i);
	CHECK_EQ(create_ns(s, &a, &nsid), NVME_SC_NS_ID_UNAVAILABLE | DNR);
	CHECK_EQ(delete_ns(s, 7), 0);
	CHECK_EQ(create(s, 2, 0), 7);
	/* the allocated list has them all, the board's too */
	for (i = 1; i <= NEPF_MAX_NAMESPACES; i++)
		CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, i), 1);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* Attachment: the controller list, the NSID, the namespace's state. */
UNIT_TEST(nsmgmt_attach_validation)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	static const u16 other = CNTLID + 1, twice[] = { CNTLID, CNTLID };
	static const u16 me = CNTLID;
	u32 nsid;

	sim_add_ns(s, 2, 8, 9);
	nsid = create(s, 8, 0);
	CHECK_EQ(nsid, 1);
	CHECK_EQ(attach_list(s, nsid, 0, &me, 0), NVME_SC_CTRL_LIST_INVALID | DNR);
	CHECK_EQ(attach_list(s, nsid, 0, &other, 1), NVME_SC_CTRL_LIST_INVALID | DNR);
	CHECK_EQ(attach_list(s, nsid, 0, twice, 2), NVME_SC_CTRL_LIST_INVALID | DNR);
	CHECK_EQ(attach_list(s, nsid, 2, &me, 1), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(attach(s, 0), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(attach(s, NVME_NSID_ALL), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(attach(s, NEPF_MAX_NAMESPACES + 1), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(attach(s, 3), NVME_SC_INVALID_FIELD | DNR);	/* unallocated */
	CHECK_EQ(detach(s, 3), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(detach(s, nsid), NVME_SC_NS_NOT_ATTACHED | DNR);
	CHECK_EQ(tp->nr_attached, 0);
	CHECK_EQ(attach(s, nsid), 0);
	CHECK_EQ(tp->nr_attached, 1);
	CHECK(tp->last_on);
	CHECK_EQ(attach(s, nsid), NVME_SC_NS_ALREADY_ATTACHED | DNR);
	/* the board's namespace: attached, and not the host's to detach */
	CHECK_EQ(attach(s, 2), NVME_SC_NS_ALREADY_ATTACHED | DNR);
	CHECK_EQ(detach(s, 2), NVME_SC_INVALID_FIELD | DNR);
	CHECK(s->ctrl.ns[1]);
	CHECK_EQ(detach(s, nsid), 0);
	CHECK(!tp->last_on);
	CHECK_EQ(detach(s, nsid), NVME_SC_NS_NOT_ATTACHED | DNR);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* Delete: the NSID, the board's, a background operation in the way. */
UNIT_TEST(nsmgmt_delete_validation)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct nvme_sqe sqe;
	u32 nsid;

	sim_add_ns(s, 2, 64, 9);
	nsid = create(s, 8, 0);
	CHECK_EQ(delete_ns(s, 0), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(delete_ns(s, NEPF_MAX_NAMESPACES + 1), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(delete_ns(s, 3), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(delete_ns(s, 2), NVME_SC_INVALID_FIELD | DNR);
	CHECK(s->ctrl.ns[1]);
	/* a self-test reads the namespaces: not now, retry (no DNR) */
	s->hold_bg = true;
	sim_sqe(&sqe, nvme_admin_dev_self_test);
	sqe.nsid = cpu_to_le32(2);
	sqe.cdw10 = cpu_to_le32(NVME_DST_EXTENDED);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), 0);
	CHECK_EQ(delete_ns(s, nsid), NVME_SC_NS_NOT_READY);
	CHECK_EQ(attach(s, nsid), NVME_SC_NS_NOT_READY);
	CHECK_EQ(tp->nr_remove, 0);
	s->hold_bg = false;
	sim_run(s);
	CHECK(nepf_bg_idle(&s->ctrl));
	CHECK_EQ(delete_ns(s, nsid), 0);
	CHECK_EQ(tp->nr_remove, 1);
	CHECK_EQ(delete_ns(s, nsid), NVME_SC_INVALID_FIELD | DNR);
	sim_pool_free(s, tp);
	sim_free(s);
}

static u16 rw(struct sim *s, u8 opc, u32 nsid, u64 slba, u16 nlb)
{
	return sim_rw(s, 1, opc, nsid, slba, nlb, buf);
}

/*
 * A namespace's life, as nvme-cli drives it: create (allocated, not
 * active), attach (active, event), I/O, detach (inactive, event), attach
 * again (the data is there), delete, re-create at another size and
 * format (fresh storage).
 */
UNIT_TEST(nsmgmt_lifecycle)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct nvme_id_ns *idns = (void *)buf;
	__le32 *list = (void *)buf;
	__le16 *ctrls = (void *)buf;
	struct nvme_sqe aer;
	struct nvme_cqe cqe;
	unsigned int i;
	u32 nsid;

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, NULL), 0);
	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);

	nsid = create(s, 128, 1);	/* 128 x 4 KiB */
	CHECK_EQ(nsid, 1);
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);	/* not attached: no event */
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, nsid), 1);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_ACTIVE_LIST, nsid), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT, nsid, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(idns->nsze), 128);
	CHECK_EQ(le64_to_cpu(idns->ncap), 128);
	CHECK_EQ(idns->flbas & 0xf, 1);
	CHECK_EQ(idns->lbaf[1].ds, 12);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, nsid, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(idns->nsze), 0);	/* inactive: zeroes */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL_NS_LIST, nsid, 0, buf), 0);
	CHECK_EQ(le16_to_cpu(ctrls[0]), 0);
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 0, 1), NVME_SC_INVALID_NS | DNR);

	CHECK_EQ(attach(s, nsid), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(le32_to_cpu(cqe.result),
		 NVME_AER_RESULT(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
				 NVME_LOG_CHANGED_NS));
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), nsid);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_ACTIVE_LIST, nsid), 1);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL_NS_LIST, nsid, 0, buf), 0);
	CHECK_EQ(le16_to_cpu(ctrls[0]), 1);
	CHECK_EQ(le16_to_cpu(ctrls[1]), CNTLID);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, nsid, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(idns->nsze), 128);

	for (i = 0; i < 8192; i++)
		buf[i] = i * 7 + 3;
	CHECK_EQ(rw(s, nvme_cmd_write, nsid, 126, 2), 0);
	CHECK_EQ(rw(s, nvme_cmd_write, nsid, 127, 2), NVME_SC_LBA_RANGE | DNR);

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	CHECK_EQ(detach(s, nsid), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), nsid);
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 126, 2), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, nsid), 1);

	CHECK_EQ(attach(s, nsid), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 126, 2), 0);
	for (i = 0; i < 8192; i++)
		CHECK_EQ(buf[i], (u8)(i * 7 + 3));

	CHECK_EQ(unvmcap(s), CAP - 128 * 4096);
	CHECK_EQ(delete_ns(s, nsid), 0);	/* attached: detached first */
	CHECK(!s->ctrl.ns[nsid - 1]);
	CHECK_EQ(unvmcap(s), CAP);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, nsid), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT, nsid, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(idns->nsze), 0);
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 0, 1), NVME_SC_INVALID_NS | DNR);

	/* again, 512-byte blocks and another size: new, zeroed storage */
	nsid = create(s, 1000, 0);
	CHECK_EQ(nsid, 1);
	CHECK_EQ(unvmcap(s), CAP - 1000 * 512);
	CHECK_EQ(attach(s, nsid), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, nsid, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(idns->nsze), 1000);
	CHECK_EQ(idns->flbas & 0xf, 0);
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 984, 16), 0);
	for (i = 0; i < 8192; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(rw(s, nvme_cmd_read, nsid, 985, 16), NVME_SC_LBA_RANGE | DNR);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* Delete FFFFFFFFh: every namespace of the host's, not the board's. */
UNIT_TEST(nsmgmt_delete_all)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	__le32 *list = (void *)buf;

	sim_add_ns(s, 1, 8, 9);
	CHECK_EQ(create(s, 8, 0), 2);
	CHECK_EQ(create(s, 8, 1), 3);
	CHECK_EQ(attach(s, 3), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(delete_ns(s, NVME_NSID_ALL), 0);
	CHECK_EQ(tp->nr_remove, 2);
	CHECK_EQ(tp->pool.used, 0);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, 1), 1);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, 2), 0);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_PRESENT_LIST, 3), 0);
	CHECK_EQ(in_list(s, NVME_ID_CNS_NS_ACTIVE_LIST, 1), 1);
	/* the attached one changed for the host */
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 3);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	CHECK_EQ(rw(s, nvme_cmd_read, 1, 0, 1), 0);
	/* nothing left: FFFFFFFFh deletes nothing, fine */
	CHECK_EQ(delete_ns(s, NVME_NSID_ALL), 0);
	sim_pool_free(s, tp);
	sim_free(s);
}

/* CNS 10h/11h/12h NSID checks. */
UNIT_TEST(nsmgmt_identify_nsid)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	__le32 *list = (void *)buf;

	CHECK_EQ(create(s, 8, 0), 1);
	CHECK_EQ(create(s, 8, 0), 2);
	/* 10h: NSIDs above the one given */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT_LIST, 1, 0, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 2);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT_LIST, 0xfffffffe, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT, 0, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_PRESENT, NVME_NSID_ALL, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL_NS_LIST, 0, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	/* 00h, FFFFFFFFh: what every namespace Create makes has in common */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, NVME_NSID_ALL, 0, buf), 0);
	CHECK_EQ(((struct nvme_id_ns *)buf)->nlbaf, 1);
	CHECK_EQ(((struct nvme_id_ns *)buf)->lbaf[0].ds, 9);
	CHECK_EQ(((struct nvme_id_ns *)buf)->lbaf[1].ds, 12);
	CHECK_EQ(((struct nvme_id_ns *)buf)->nsze, 0);
	sim_pool_free(s, tp);
	sim_free(s);
}

/*
 * A command that found the namespace before the delete keeps it: it
 * completes with its data; the pool frees the namespace only once no
 * command holds it (the kernel's remove waits for that).
 */
UNIT_TEST(nsmgmt_delete_while_io_in_flight)
{
	struct sim_pool *tp;
	struct sim *s = ns_sim(&tp);
	struct nepf_ns *ns;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u64 addr;

	CHECK_EQ(create(s, 8, 0), 1);
	CHECK_EQ(attach(s, 1), 0);
	ns = tp->pool.ns[0];
	memset(buf, 0x6b, 512);
	CHECK_EQ(rw(s, nvme_cmd_write, 1, 3, 1), 0);
	s->hold_defer = true;
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(1);
	sqe.rw.slba = cpu_to_le64(3);
	addr = sim_alloc(s, SIM_PAGE, SIM_PAGE);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), SIM_NO_CQE);	/* held */
	CHECK_EQ(nepf_ns_users(ns), 1);
	s->hold_defer = false;
	CHECK_EQ(delete_ns(s, 1), 0);
	CHECK_EQ(tp->nr_remove, 1);
	CHECK(ns->dying);
	CHECK_EQ(rw(s, nvme_cmd_read, 1, 3, 1), NVME_SC_INVALID_NS | DNR);
	sim_release_held(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(((u8 *)sim_ptr(s, addr))[511], 0x6b);
	CHECK_EQ(nepf_ns_users(ns), 0);
	sim_pool_free(s, tp);
	sim_free(s);
}
