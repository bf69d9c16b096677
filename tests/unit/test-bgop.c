// SPDX-License-Identifier: GPL-2.0
/*
 * test-bgop.c - the background operations on the media (src/bgop.c):
 * Format NVM, Device Self-test and Sanitize.  Validation of every field
 * the host sets, the statuses the spec gives, what they do to the data and
 * the geometry, I/O refused meanwhile, progress in the logs, aborts.
 * s->hold_bg keeps the operation from stepping, so a test sees it in
 * progress; nepf_bg_run() then steps it by hand (one chunk per run with
 * the synchronous RAM backend).
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 data[8192];
static u8 buf[8192];

static struct sim *bg_sim(void)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	return s;
}

static struct sim_ns *sns(struct sim *s, u32 nsid)
{
	return &s->ns[nsid - 1];
}

static u16 admin(struct sim *s, u8 opc, u32 nsid, u32 dw10)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(dw10);
	return sim_cmd(s, 0, &sqe, NULL);
}

/* Format NVM CDW10: LBA format index, SES, PI. */
#define FMT(lbaf, ses, pi) \
	(((lbaf) & 0xf) | (((lbaf) >> 4) << 12) | ((ses) << 9) | ((pi) << 5))

static u16 format(struct sim *s, u32 nsid, u32 dw10)
{
	return admin(s, nvme_admin_format_nvm, nsid, dw10);
}

static u16 self_test(struct sim *s, u32 nsid, u8 stc)
{
	return admin(s, nvme_admin_dev_self_test, nsid, stc);
}

static u16 sanitize(struct sim *s, u32 dw10)
{
	return admin(s, nvme_admin_sanitize_nvm, 0, dw10);
}

static u16 rd(struct sim *s, u32 nsid, u64 slba, u16 nlb)
{
	return sim_rw(s, 1, nvme_cmd_read, nsid, slba, nlb, data);
}

static u16 wr(struct sim *s, u32 nsid, u64 slba, u16 nlb)
{
	return sim_rw(s, 1, nvme_cmd_write, nsid, slba, nlb, data);
}

static bool all_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static struct nvme_id_ns *id_ns(struct sim *s, u32 nsid)
{
	if (sim_identify(s, NVME_ID_CNS_NS, nsid, 0, buf))
		return NULL;
	return (struct nvme_id_ns *)buf;
}

static struct nvme_dst_log *dst_log(struct sim *s)
{
	if (sim_get_log(s, NVME_LOG_DEVICE_SELF_TEST, sizeof(struct nvme_dst_log),
			0, false, buf))
		return NULL;
	return (struct nvme_dst_log *)buf;
}

static struct nvme_sanitize_log *san_log(struct sim *s)
{
	if (sim_get_log(s, NVME_LOG_SANITIZE, sizeof(struct nvme_sanitize_log),
			0, false, buf))
		return NULL;
	return (struct nvme_sanitize_log *)buf;
}

/* ---- Format NVM ---- */

UNIT_TEST(format_validation)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ro, *big;
	unsigned int ses;

	sim_add_ns(s, 1, 64, 9);
	ro = sim_add_ns(s, 2, 64, 9);
	ro->cfg.readonly = true;
	/* secure erase: crypto (FNA bit 2 clear) and reserved values */
	for (ses = 2; ses < 8; ses++)
		CHECK_EQ(format(s, 1, FMT(0, ses, 0)), NVME_SC_INVALID_FIELD | DNR);
	/* no protection information in any format */
	CHECK_EQ(format(s, 1, FMT(0, 0, 1)), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(format(s, 1, FMT(0, 0, 7)), NVME_SC_INVALID_FORMAT | DNR);
	/* formats 0 and 1 only (NLBAF 1), LBAFU included */
	CHECK_EQ(format(s, 1, FMT(2, 0, 0)), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(format(s, 1, FMT(15, 0, 0)), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(format(s, 1, FMT(0x11, 0, 0)), NVME_SC_INVALID_FORMAT | DNR);
	/* NSID 0, inactive, beyond NN */
	CHECK_EQ(format(s, 0, FMT(0, 0, 0)), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(format(s, 3, FMT(0, 0, 0)), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(format(s, NEPF_MAX_NAMESPACES + 1, FMT(0, 0, 0)),
		 NVME_SC_INVALID_NS | DNR);
	/* write protected, alone or among all */
	CHECK_EQ(format(s, 2, FMT(0, 1, 0)), NVME_SC_NS_WRITE_PROTECTED | DNR);
	CHECK_EQ(format(s, NVME_NSID_ALL, FMT(0, 0, 0)),
		 NVME_SC_NS_WRITE_PROTECTED | DNR);
	/* a backend that cannot serve 512-byte blocks: Invalid Format */
	big = sim_add_ns(s, 3, 16, 12);
	big->lba_shift_min = 12;
	CHECK_EQ(format(s, 3, FMT(0, 0, 0)), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(big->lba_shift, 12);
	/* nothing was left claimed: I/O goes through */
	CHECK_EQ(wr(s, 1, 0, 1), 0);
	CHECK_EQ(rd(s, 2, 0, 1), 0);
	CHECK_EQ(rd(s, 3, 0, 1), 0);
	CHECK(nepf_bg_idle(&s->ctrl));
	sim_free(s);
}

/* 512 -> 4096 with user data erase: capacity in LBAs, data, host told. */
UNIT_TEST(format_changes_block_size_and_erases)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ns = sim_add_ns(s, 1, 64, 9);
	struct nvme_id_ns *id;
	__le32 *list = (void *)buf;
	struct nvme_sqe aer, fmt;
	struct nvme_cqe cqe;

	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, NULL), 0);
	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	memset(data, 0x5a, sizeof(data));
	CHECK_EQ(wr(s, 1, 8, 8), 0);
	CHECK(!all_zero(sns(s, 1)->data + 8 * 512, 4096));

	/*
	 * two completions: the format's, and the event, which the poll loop
	 * posts (nepf_ctrl_flush_waiting()) at its next pass
	 */
	sim_sqe(&fmt, nvme_admin_format_nvm);
	fmt.nsid = cpu_to_le32(1);
	fmt.cdw10 = cpu_to_le32(FMT(1, 1, 0));
	CHECK_EQ(sim_submit(s, 0, &fmt), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, fmt.cid);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(le32_to_cpu(cqe.result), NVME_AER_RESULT(NVME_AER_TYPE_NOTICE,
				NVME_AER_NOTICE_NS_CHANGED, NVME_LOG_CHANGED_NS));
	CHECK_EQ(ns->lba_shift, 12);
	CHECK_EQ(ns->nr_blocks, 8);
	CHECK_EQ(ns->cfg.block_size, 4096);
	CHECK(all_zero(sns(s, 1)->data, 64 * 512));
	CHECK_EQ(sns(s, 1)->written_bytes, 8 * 512 + 64 * 512);
	id = id_ns(s, 1);
	CHECK(id);
	CHECK_EQ(le64_to_cpu(id->nsze), 8);
	CHECK_EQ(le64_to_cpu(id->ncap), 8);
	CHECK_EQ(id->flbas, 1);
	/* the namespace is in the changed list */
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	/* 4096-byte blocks now: 8 of them */
	memset(data, 0x77, sizeof(data));
	CHECK_EQ(wr(s, 1, 6, 2), 0);
	CHECK_EQ(rd(s, 1, 7, 1), 0);
	CHECK_EQ(data[4095], 0x77);
	CHECK_EQ(rd(s, 1, 8, 1), NVME_SC_LBA_RANGE | DNR);

	/* back to 512 without erase: the data stays */
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), 0);
	CHECK_EQ(ns->lba_shift, 9);
	CHECK_EQ(ns->nr_blocks, 64);
	CHECK_EQ(rd(s, 1, 63, 1), 0);
	CHECK_EQ(data[511], 0x77);
	sim_free(s);
}

/*
 * A subsystem's namespace is attached to every controller serving it; a
 * Format through one of them changes it for all: each one's host gets
 * the Namespace Attribute Changed event and the changed-namespace list.
 */
UNIT_TEST(format_event_reaches_every_controller)
{
	struct sim *a = bg_sim(), *b = bg_sim();
	struct nepf_ns *ns = sim_add_ns(a, 1, 64, 9);
	struct nepf_ns *only_a = sim_add_ns(a, 2, 64, 9);
	__le32 *list = (void *)buf;
	struct nvme_sqe aer;
	struct nvme_cqe cqe;

	CHECK_EQ(nepf_ctrl_attach_ns(&b->ctrl, ns), 0);
	/* b's host has seen the attach; an AER waits */
	CHECK_EQ(sim_get_log(b, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(sim_set_feature(b, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, NULL), 0);
	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(b, 0, &aer, NULL), SIM_NO_CQE);
	sim_run(b);
	CHECK(sim_reap(b, 0, &cqe) != 0);

	/* a namespace b does not have: nothing for b */
	CHECK(!nepf_ctrl_ns_moved(&b->ctrl));
	CHECK_EQ(format(a, 2, FMT(1, 0, 0)), 0);
	CHECK_EQ(only_a->lba_shift, 12);
	CHECK(!nepf_ctrl_ns_moved(&b->ctrl));
	sim_run(b);
	CHECK(sim_reap(b, 0, &cqe) != 0);

	CHECK_EQ(format(a, 1, FMT(1, 0, 0)), 0);
	CHECK_EQ(ns->lba_shift, 12);
	/* the poll thread's cheap look sees it, without acting */
	CHECK(nepf_ctrl_ns_moved(&b->ctrl));
	CHECK(nepf_ctrl_ns_moved(&b->ctrl));
	sim_run(b);
	CHECK(!nepf_ctrl_ns_moved(&b->ctrl));
	CHECK_EQ(sim_reap(b, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, aer.cid);
	CHECK_EQ(le32_to_cpu(cqe.result), NVME_AER_RESULT(NVME_AER_TYPE_NOTICE,
				NVME_AER_NOTICE_NS_CHANGED, NVME_LOG_CHANGED_NS));
	CHECK_EQ(sim_get_log(b, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	CHECK_EQ(id_ns(b, 1)->flbas, 1);
	/* told once: the next poll has nothing new */
	CHECK_EQ(sim_cmd(b, 0, &aer, NULL), SIM_NO_CQE);
	sim_run(b);
	CHECK(sim_reap(b, 0, &cqe) != 0);
	/* a's host was told too, once */
	CHECK_EQ(sim_get_log(a, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(le32_to_cpu(list[1]), 2);
	CHECK_EQ(le32_to_cpu(list[2]), 0);
	/* formatted again while b is disabled: b sees the new format after */
	sim_disable(b);
	CHECK_EQ(format(a, 1, FMT(0, 0, 0)), 0);
	CHECK_EQ(sim_enable(b, 32), 0);
	sim_run(b);
	CHECK_EQ(sim_get_log(b, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(id_ns(b, 1)->flbas, 0);
	nepf_ctrl_detach_ns(&b->ctrl, 1);
	sim_free(b);
	sim_free(a);
}

/*
 * A backend with 2048-byte blocks: format 2 is its own size, 4096 works,
 * 512 does not; configfs's block_size only ever gets 512 or 4096.
 */
UNIT_TEST(format_odd_backend_block_size)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ns = sim_add_ns(s, 1, 32, 11);
	struct nvme_id_ns *id;

	ns->lba_shift_min = 11;
	id = id_ns(s, 1);
	CHECK(id);
	CHECK_EQ(id->nlbaf, 2);
	CHECK_EQ(id->lbaf[2].ds, 11);
	CHECK_EQ(id->flbas, 2);
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), NVME_SC_INVALID_FORMAT | DNR);
	CHECK_EQ(format(s, 1, FMT(1, 0, 0)), 0);
	CHECK_EQ(ns->nr_blocks, 16);
	CHECK_EQ(ns->cfg.block_size, 4096);
	id = id_ns(s, 1);
	CHECK_EQ(id->flbas, 1);
	CHECK_EQ(id->nlbaf, 2);			/* the same list */
	CHECK_EQ(id->lbaf[2].ds, 11);
	/* and back to its own size: configfs says 512, the smallest */
	CHECK_EQ(format(s, 1, FMT(2, 0, 0)), 0);
	CHECK_EQ(ns->lba_shift, 11);
	CHECK_EQ(ns->nr_blocks, 32);
	CHECK_EQ(ns->cfg.block_size, 512);
	sim_free(s);
}

/* FFFFFFFFh: every namespace; without Write Zeroes, zero buffers. */
UNIT_TEST(format_all_namespaces)
{
	struct sim *s = bg_sim();
	struct nepf_ns *a = sim_add_ns(s, 1, 64, 9), *b = sim_add_ns(s, 2, 300, 9);

	b->can_write_zeroes = false;
	memset(data, 0x11, sizeof(data));
	CHECK_EQ(wr(s, 1, 0, 16), 0);
	CHECK_EQ(wr(s, 2, 284, 16), 0);
	CHECK_EQ(format(s, NVME_NSID_ALL, FMT(1, 1, 0)), 0);
	CHECK_EQ(a->lba_shift, 12);
	CHECK_EQ(b->lba_shift, 12);
	CHECK_EQ(b->nr_blocks, 300 * 512 / 4096);
	CHECK(all_zero(sns(s, 1)->data, 64 * 512));
	/* the tail beyond the last whole 4096-byte block is not a block */
	CHECK(all_zero(sns(s, 2)->data, 37 * 4096));
	CHECK_EQ(sns(s, 2)->written_bytes - 16 * 512, 37 * 4096);
	sim_free(s);
}

/* I/O gets Format In Progress meanwhile; the command completes at the end. */
UNIT_TEST(format_in_progress_refuses_io)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ns = sim_add_ns(s, 1, 64, 9);
	struct nvme_cqe cqe;

	sim_add_ns(s, 2, 64, 9);
	s->hold_bg = true;
	CHECK_EQ(format(s, 1, FMT(1, 1, 0)), SIM_NO_CQE);
	CHECK_EQ(rd(s, 1, 0, 1), NVME_SC_FORMAT_IN_PROGRESS);
	CHECK_EQ(wr(s, 1, 0, 1), NVME_SC_FORMAT_IN_PROGRESS);
	CHECK_EQ(rd(s, 2, 0, 1), 0);			/* another namespace */
	CHECK_EQ(format(s, 2, FMT(0, 0, 0)), NVME_SC_FORMAT_IN_PROGRESS);
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), NVME_SC_FORMAT_IN_PROGRESS);
	CHECK_EQ(ns->lba_shift, 9);
	s->hold_bg = false;
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(ns->lba_shift, 12);
	CHECK_EQ(rd(s, 1, 0, 1), 0);
	sim_free(s);
}

/* It waits for the I/O commands that hold the namespace before it starts. */
UNIT_TEST(format_waits_for_running_io)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ns = sim_add_ns(s, 1, 64, 9);
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	s->hold_defer = true;
	sim_sqe(&sqe, nvme_cmd_flush);
	sqe.nsid = cpu_to_le32(1);
	ns->volatile_cache = true;
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), SIM_NO_CQE);	/* held: ns in use */
	CHECK_EQ(s->nr_held, 1);
	s->hold_defer = false;
	CHECK_EQ(format(s, 1, FMT(1, 1, 0)), SIM_NO_CQE);
	CHECK_EQ(ns->lba_shift, 9);		/* not yet */
	CHECK_EQ(sns(s, 1)->written_bytes, 0);
	sim_release_held(s);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);	/* the flush */
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);	/* the format */
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(ns->lba_shift, 12);
	sim_free(s);
}

/* A backend write error fails the format with its status. */
UNIT_TEST(format_erase_error)
{
	struct sim *s = bg_sim();

	sim_add_ns(s, 1, 64, 9);
	sns(s, 1)->fail_writes = true;
	CHECK_EQ(format(s, 1, FMT(0, 1, 0)), NVME_SC_WRITE_FAULT);
	sns(s, 1)->fail_writes = false;
	CHECK_EQ(rd(s, 1, 0, 1), 0);		/* released all the same */
	sim_free(s);
}

/* Uncorrectable LBAs do not survive a format (they had the old size). */
UNIT_TEST(format_clears_uncorrectable)
{
	struct sim *s = bg_sim();
	struct nvme_sqe sqe;

	sim_add_ns(s, 1, 64, 9);
	sim_sqe(&sqe, nvme_cmd_write_uncor);
	sqe.nsid = cpu_to_le32(1);
	sqe.rw.slba = cpu_to_le64(3);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK_EQ(rd(s, 1, 3, 1), NVME_SC_READ_ERROR | DNR);
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), 0);
	CHECK_EQ(rd(s, 1, 3, 1), 0);
	sim_free(s);
}

/* ---- Device Self-test ---- */

UNIT_TEST(self_test_validation)
{
	struct sim *s = bg_sim();
	struct nvme_dst_log *log;
	unsigned int stc;

	sim_add_ns(s, 1, 64, 9);
	for (stc = 0; stc < 15; stc++)
		if (stc != NVME_DST_SHORT && stc != NVME_DST_EXTENDED)
			CHECK_EQ(self_test(s, 1, stc), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(self_test(s, 2, NVME_DST_SHORT), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(self_test(s, NEPF_MAX_NAMESPACES + 1, NVME_DST_SHORT),
		 NVME_SC_INVALID_NS | DNR);
	/* abort with none running: nothing to do */
	CHECK_EQ(self_test(s, 0, NVME_DST_ABORT), 0);
	log = dst_log(s);
	CHECK(log);
	CHECK_EQ(log->current_op, 0);
	CHECK_EQ(log->result[0].result, NVME_DST_RES_UNUSED);
	/* one at a time */
	s->hold_bg = true;
	CHECK_EQ(self_test(s, 1, NVME_DST_EXTENDED), 0);
	CHECK_EQ(self_test(s, 1, NVME_DST_SHORT), NVME_SC_SELF_TEST_IN_PROGRESS);
	s->hold_bg = false;
	sim_run(s);
	CHECK_EQ(self_test(s, 1, NVME_DST_SHORT), 0);
	sim_free(s);
}

/* Extended reads every byte of every namespace; the log says it passed. */
UNIT_TEST(self_test_extended_reads_all)
{
	struct sim *s = bg_sim();
	struct nvme_dst_log *log;

	sim_add_ns(s, 1, 2048, 9);
	sim_add_ns(s, 2, 100, 12);
	CHECK_EQ(self_test(s, NVME_NSID_ALL, NVME_DST_EXTENDED), 0);
	CHECK_EQ(sns(s, 1)->read_bytes, 2048 * 512);
	CHECK_EQ(sns(s, 2)->read_bytes, 100 * 4096);
	log = dst_log(s);
	CHECK(log);
	CHECK_EQ(log->current_op, 0);
	CHECK_EQ(log->result[0].result, (NVME_DST_EXTENDED << 4) | NVME_DST_RES_OK);
	CHECK_EQ(log->result[0].valid, 0);
	CHECK_EQ(log->result[1].result, NVME_DST_RES_UNUSED);
	/* one namespace only; NSID 0: none */
	CHECK_EQ(self_test(s, 2, NVME_DST_EXTENDED), 0);
	CHECK_EQ(sns(s, 1)->read_bytes, 2048 * 512);
	CHECK_EQ(sns(s, 2)->read_bytes, 2 * 100 * 4096);
	CHECK_EQ(self_test(s, 0, NVME_DST_SHORT), 0);
	CHECK_EQ(sns(s, 2)->read_bytes, 2 * 100 * 4096);
	log = dst_log(s);
	CHECK(log);
	CHECK_EQ(log->result[0].result, (NVME_DST_SHORT << 4) | NVME_DST_RES_OK);
	CHECK_EQ(log->result[2].result, (NVME_DST_EXTENDED << 4) | NVME_DST_RES_OK);
	sim_free(s);
}

/* Short: 64 chunks of one MDTS (128 KiB) spread over a 16 MiB namespace. */
UNIT_TEST(self_test_short_samples)
{
	struct sim *s = bg_sim();

	sim_add_ns(s, 1, 32768, 9);
	CHECK_EQ(self_test(s, 1, NVME_DST_SHORT), 0);
	CHECK_EQ(sns(s, 1)->read_bytes, 64 * 128 * 1024);
	CHECK_EQ(dst_log(s)->result[0].result, (NVME_DST_SHORT << 4) | NVME_DST_RES_OK);
	sim_free(s);
}

/* A block the host made uncorrectable fails it, with where and why. */
UNIT_TEST(self_test_finds_uncorrectable)
{
	struct sim *s = bg_sim();
	struct nvme_dst_result *r;
	struct nvme_sqe sqe;

	sim_add_ns(s, 1, 4096, 9);
	sim_sqe(&sqe, nvme_cmd_write_uncor);
	sqe.nsid = cpu_to_le32(1);
	sqe.rw.slba = cpu_to_le64(1000);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK_EQ(self_test(s, NVME_NSID_ALL, NVME_DST_EXTENDED), 0);
	r = &dst_log(s)->result[0];
	CHECK_EQ(r->result, (NVME_DST_EXTENDED << 4) | NVME_DST_RES_FAIL_SEGMENT);
	CHECK_EQ(r->segnum, 1);
	CHECK_EQ(r->valid, NVME_DST_VALID_NSID | NVME_DST_VALID_FLBA |
			   NVME_DST_VALID_SCT | NVME_DST_VALID_SC);
	CHECK_EQ(le32_to_cpu(r->nsid), 1);
	CHECK_EQ(le64_to_cpu(r->flba), 1000);
	CHECK_EQ(r->sct, NVME_SCT_MEDIA);
	CHECK_EQ(r->sc, NVME_SC_READ_ERROR & 0xff);
	/* it stopped there: 1000 blocks read, in chunks of 128 KiB */
	CHECK_EQ(sns(s, 1)->read_bytes, 1000 * 512 / (128 * 1024) * (128 * 1024));
	sim_free(s);
}

/* Progress while it runs, and STC Fh aborts it. */
UNIT_TEST(self_test_progress_and_abort)
{
	struct sim *s = bg_sim();
	struct nvme_dst_log *log;

	sim_add_ns(s, 1, 4096, 9);		/* 2 MiB: 16 chunks */
	s->hold_bg = true;
	CHECK_EQ(self_test(s, 1, NVME_DST_EXTENDED), 0);
	/* each run accounts the chunk before and submits the next one */
	nepf_bg_run(&s->ctrl);
	nepf_bg_run(&s->ctrl);
	nepf_bg_run(&s->ctrl);
	log = dst_log(s);
	CHECK(log);
	CHECK_EQ(log->current_op, NVME_DST_EXTENDED);
	CHECK_EQ(log->completion, 2 * 100 / 16);
	CHECK_EQ(self_test(s, 1, NVME_DST_ABORT), 0);
	s->hold_bg = false;
	sim_run(s);
	log = dst_log(s);
	CHECK_EQ(log->current_op, 0);
	CHECK_EQ(log->result[0].result, (NVME_DST_EXTENDED << 4) | NVME_DST_RES_ABORT_CMD);
	CHECK(sns(s, 1)->read_bytes < 4096 * 512);
	sim_free(s);
}

/* A controller reset aborts a short test; an extended one goes on. */
UNIT_TEST(self_test_reset)
{
	struct sim *s = bg_sim();
	struct nvme_dst_log *log;

	sim_add_ns(s, 1, 4096, 9);
	s->hold_bg = true;
	CHECK_EQ(self_test(s, 1, NVME_DST_SHORT), 0);
	sim_disable(s);
	s->hold_bg = false;
	CHECK_EQ(sim_enable(s, 32), 0);
	log = dst_log(s);
	CHECK(log);
	CHECK_EQ(log->result[0].result, (NVME_DST_SHORT << 4) | NVME_DST_RES_ABORT_RESET);
	s->hold_bg = true;
	CHECK_EQ(self_test(s, 1, NVME_DST_EXTENDED), 0);
	sim_disable(s);
	s->hold_bg = false;
	CHECK_EQ(sim_enable(s, 32), 0);
	log = dst_log(s);
	CHECK_EQ(log->result[0].result, (NVME_DST_EXTENDED << 4) | NVME_DST_RES_OK);
	CHECK_EQ(sns(s, 1)->read_bytes, 4096 * 512 + 0);
	sim_free(s);
}

/* A format of the namespace it reads aborts it (result 4h). */
UNIT_TEST(self_test_aborted_by_format)
{
	struct sim *s = bg_sim();
	struct nvme_cqe cqe;

	sim_add_ns(s, 1, 4096, 9);
	s->hold_bg = true;
	CHECK_EQ(self_test(s, 1, NVME_DST_EXTENDED), 0);
	nepf_bg_run(&s->ctrl);
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), SIM_NO_CQE);
	s->hold_bg = false;
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	CHECK_EQ(dst_log(s)->result[0].result,
		 (NVME_DST_EXTENDED << 4) | NVME_DST_RES_ABORT_FORMAT);
	sim_free(s);
}

/* ---- Sanitize ---- */

UNIT_TEST(sanitize_validation)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ro;

	sim_add_ns(s, 1, 64, 9);
	/* reserved actions, overwrite and crypto erase (SANICAP: no) */
	CHECK_EQ(sanitize(s, 0), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sanitize(s, NVME_SANACT_OVERWRITE), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sanitize(s, NVME_SANACT_CRYPTO_ERASE), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sanitize(s, 5), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sanitize(s, 7), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(san_log(s)->sstat, NVME_SSTAT_NEVER);
	/* a write-protected namespace: refused, nothing left claimed */
	ro = sim_add_ns(s, 2, 64, 9);
	ro->cfg.readonly = true;
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), NVME_SC_NS_WRITE_PROTECTED | DNR);
	CHECK_EQ(wr(s, 1, 0, 1), 0);
	/* Exit Failure Mode when not failed: nothing to do */
	CHECK_EQ(sanitize(s, NVME_SANACT_EXIT_FAILURE), 0);
	sim_free(s);
}

UNIT_TEST(sanitize_block_erase)
{
	struct sim *s = bg_sim();
	struct nvme_sanitize_log *log;
	u32 dw10 = NVME_SANACT_BLOCK_ERASE | NVME_SAN_AUSE;

	sim_add_ns(s, 1, 64, 9);
	sim_add_ns(s, 2, 16, 12);
	memset(data, 0xee, sizeof(data));
	CHECK_EQ(wr(s, 1, 0, 16), 0);
	CHECK_EQ(wr(s, 2, 14, 2), 0);
	s->hold_bg = true;
	CHECK_EQ(sanitize(s, dw10), 0);		/* completes at once */
	log = san_log(s);
	CHECK(log);
	CHECK_EQ(le16_to_cpu(log->sstat) & NVME_SSTAT_STATUS_MASK, NVME_SSTAT_IN_PROGRESS);
	CHECK_EQ(le16_to_cpu(log->sprog), 0);
	CHECK_EQ(le32_to_cpu(log->scdw10), dw10);
	CHECK_EQ(le32_to_cpu(log->etbe), 0xffffffff);
	/* I/O on every namespace, and the other media commands, wait */
	CHECK_EQ(rd(s, 1, 0, 1), NVME_SC_SANITIZE_IN_PROGRESS);
	CHECK_EQ(wr(s, 2, 0, 1), NVME_SC_SANITIZE_IN_PROGRESS);
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), NVME_SC_SANITIZE_IN_PROGRESS);
	CHECK_EQ(self_test(s, 1, NVME_DST_SHORT), NVME_SC_SANITIZE_IN_PROGRESS);
	CHECK_EQ(sanitize(s, dw10), NVME_SC_SANITIZE_IN_PROGRESS);
	CHECK_EQ(sanitize(s, NVME_SANACT_EXIT_FAILURE), NVME_SC_SANITIZE_IN_PROGRESS);
	s->hold_bg = false;
	sim_run(s);
	log = san_log(s);
	CHECK_EQ(le16_to_cpu(log->sstat) & NVME_SSTAT_STATUS_MASK, NVME_SSTAT_DONE);
	CHECK_EQ(le16_to_cpu(log->sprog), 0xffff);
	CHECK(all_zero(sns(s, 1)->data, 64 * 512));
	CHECK(all_zero(sns(s, 2)->data, 16 * 4096));
	CHECK_EQ(rd(s, 1, 0, 1), 0);
	CHECK_EQ(wr(s, 2, 0, 1), 0);
	sim_free(s);
}

/* SPROG moves with the erase (zero buffers: chunks of one MDTS). */
UNIT_TEST(sanitize_progress)
{
	struct sim *s = bg_sim();
	struct nepf_ns *ns = sim_add_ns(s, 1, 2048, 9);	/* 1 MiB: 8 chunks */
	struct nvme_sanitize_log *log;

	ns->can_write_zeroes = false;
	s->hold_bg = true;
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), 0);
	nepf_bg_run(&s->ctrl);
	nepf_bg_run(&s->ctrl);
	nepf_bg_run(&s->ctrl);
	log = san_log(s);
	CHECK(log);
	CHECK_EQ(le16_to_cpu(log->sprog), 2 * 65536 / 8);
	s->hold_bg = false;
	sim_run(s);
	CHECK_EQ(le16_to_cpu(san_log(s)->sprog), 0xffff);
	CHECK_EQ(sns(s, 1)->written_bytes, 2048 * 512);
	sim_free(s);
}

/* A failed sanitize: Sanitize Failed for I/O until Exit Failure Mode. */
UNIT_TEST(sanitize_failure_mode)
{
	struct sim *s = bg_sim();

	sim_add_ns(s, 1, 64, 9);
	sns(s, 1)->fail_writes = true;
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), 0);
	CHECK_EQ(le16_to_cpu(san_log(s)->sstat) & NVME_SSTAT_STATUS_MASK,
		 NVME_SSTAT_FAILED);
	CHECK_EQ(rd(s, 1, 0, 1), NVME_SC_SANITIZE_FAILED | DNR);
	CHECK_EQ(format(s, 1, FMT(0, 0, 0)), NVME_SC_SANITIZE_IN_PROGRESS);
	sns(s, 1)->fail_writes = false;
	CHECK_EQ(sanitize(s, NVME_SANACT_EXIT_FAILURE), 0);
	CHECK_EQ(rd(s, 1, 0, 1), 0);
	/* a new sanitize may also start from the failed state */
	sns(s, 1)->fail_writes = true;
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), 0);
	sns(s, 1)->fail_writes = false;
	CHECK_EQ(sanitize(s, NVME_SANACT_BLOCK_ERASE), 0);
	CHECK_EQ(le16_to_cpu(san_log(s)->sstat) & NVME_SSTAT_STATUS_MASK,
		 NVME_SSTAT_DONE);
	CHECK_EQ(rd(s, 1, 0, 1), 0);
	sim_free(s);
}

/* The logs are listed, and the commands in the effects log. */
UNIT_TEST(bgop_logs_and_effects)
{
	struct sim *s = bg_sim();
	struct nvme_supported_log *sup = (void *)buf;
	struct nvme_effects_log *ef = (void *)buf;
	struct nvme_sqe sqe;

	CHECK_EQ(sim_get_log(s, NVME_LOG_SUPPORTED, 1024, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(sup->lids[NVME_LOG_DEVICE_SELF_TEST]), NVME_LID_SUPPORTED);
	CHECK_EQ(le32_to_cpu(sup->lids[NVME_LOG_SANITIZE]), NVME_LID_SUPPORTED);
	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_CMD_EFFECTS | (1023U << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 4096, false, NULL), 0);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_format_nvm]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC |
		 NVME_CMD_EFFECTS_NCC | NVME_CMD_EFFECTS_CSE_NS);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_sanitize_nvm]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC |
		 NVME_CMD_EFFECTS_CSE_ALL);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_dev_self_test]), NVME_CMD_EFFECTS_CSUPP);
	sim_free(s);
}
