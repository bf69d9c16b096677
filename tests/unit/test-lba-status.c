// SPDX-License-Identifier: GPL-2.0
/*
 * test-lba-status.c - Get LBA Status (admin 86h) and the LBA Status
 * Information log (0Eh), src/lba-status.c: what they report of the
 * uncorrectable-LBA sets, and their answers to hostile field values.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 reply[SIM_PAGE];

static struct sim *lbas_sim(void)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	sim_add_ns(s, 1, 4096, 9);
	return s;
}

static u16 wu(struct sim *s, u32 nsid, u64 slba, u32 nlb)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_cmd_write_uncor);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.rw.slba = cpu_to_le64(slba);
	sqe.rw.length = cpu_to_le16(nlb - 1);
	return sim_cmd(s, 1, &sqe, NULL);
}

/*
 * Get LBA Status into reply[], through a one-page host buffer of @len
 * bytes filled with EEh first: what the controller did not write stays.
 */
static u16 gls(struct sim *s, u32 nsid, u64 slba, u32 mndw, u8 atype, u16 rl,
	       u32 len)
{
	u64 addr = sim_alloc(s, SIM_PAGE, SIM_PAGE);
	struct nvme_sqe sqe;
	u16 status;

	memset(sim_ptr(s, addr), 0xee, len);
	sim_sqe(&sqe, nvme_admin_get_lba_status);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(slba);
	sqe.cdw11 = cpu_to_le32(slba >> 32);
	sqe.cdw12 = cpu_to_le32(mndw);
	sqe.cdw13 = cpu_to_le32((u32)atype << 24 | rl);
	status = sim_cmd(s, 0, &sqe, NULL);
	memcpy(reply, sim_ptr(s, addr), len);
	return status;
}

static u32 nlsd(void)
{
	return le32_to_cpu(((struct nvme_lba_status_hdr *)reply)->nlsd);
}

static u8 cmpc(void)
{
	return ((struct nvme_lba_status_hdr *)reply)->cmpc;
}

static const struct nvme_lba_status_desc *desc(unsigned int i)
{
	return (const struct nvme_lba_status_desc *)(reply + 8) + i;
}

UNIT_TEST(lba_status_offered)
{
	struct sim *s = lbas_sim();
	static struct nvme_id_ctrl id;
	static struct nvme_effects_log eff;
	static struct nvme_supported_log sup;

	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, &id), 0);
	CHECK(le16_to_cpu(id.oacs) & NVME_CTRL_OACS_LBA_STATUS);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CMD_EFFECTS, sizeof(eff), 0, false, &eff), 0);
	CHECK_EQ(le32_to_cpu(eff.acs[nvme_admin_get_lba_status]),
		 NVME_CMD_EFFECTS_CSUPP);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SUPPORTED, sizeof(sup), 0, false, &sup), 0);
	CHECK(le32_to_cpu(sup.lids[NVME_LOG_LBA_STATUS]) & NVME_LID_SUPPORTED);
	sim_free(s);
}

UNIT_TEST(lba_status_reports_uncor_set)
{
	struct sim *s = lbas_sim();

	/* nothing tracked: no descriptor, the whole range covered */
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 0);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_RL);
	CHECK_EQ(wu(s, 1, 10, 4), 0);			/* 10..13 */
	CHECK_EQ(wu(s, 1, 100, 1), 0);
	CHECK_EQ(wu(s, 1, 4000, 96), 0);		/* to the last block */
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 3);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_RL);
	CHECK_EQ(le64_to_cpu(desc(0)->dslba), 10);
	CHECK_EQ(le32_to_cpu(desc(0)->nlb), 4);
	CHECK_EQ(le64_to_cpu(desc(1)->dslba), 100);
	CHECK_EQ(le32_to_cpu(desc(1)->nlb), 1);
	CHECK_EQ(le64_to_cpu(desc(2)->dslba), 4000);
	CHECK_EQ(le32_to_cpu(desc(2)->nlb), 96);
	/* a scan finds the same: nothing is known beyond the set */
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_SCAN, 0, 4096), 0);
	CHECK_EQ(nlsd(), 3);
	/* a range clips: SLBA 12, RL 90 covers 12..101 */
	CHECK_EQ(gls(s, 1, 12, 1023, NVME_LBAS_ATYPE_TRACKED, 90, 4096), 0);
	CHECK_EQ(nlsd(), 2);
	CHECK_EQ(le64_to_cpu(desc(0)->dslba), 12);
	CHECK_EQ(le32_to_cpu(desc(0)->nlb), 2);
	CHECK_EQ(le64_to_cpu(desc(1)->dslba), 100);
	CHECK_EQ(gls(s, 1, 12, 1023, NVME_LBAS_ATYPE_TRACKED, 88, 4096), 0);
	CHECK_EQ(nlsd(), 1);
	/* RL past the end stops at the end */
	CHECK_EQ(gls(s, 1, 4090, 1023, NVME_LBAS_ATYPE_TRACKED, 0xffff, 4096), 0);
	CHECK_EQ(nlsd(), 1);
	CHECK_EQ(le64_to_cpu(desc(0)->dslba), 4090);
	CHECK_EQ(le32_to_cpu(desc(0)->nlb), 6);
	/* a write clears what it covers */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 10, 4, reply), 0);
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 2);
	CHECK_EQ(le64_to_cpu(desc(0)->dslba), 100);
	sim_free(s);
}

/* MNDW bounds the reply: as many descriptors as fit, CMPC 1h. */
UNIT_TEST(lba_status_mndw_limits)
{
	struct sim *s = lbas_sim();
	unsigned int i;

	for (i = 0; i < 5; i++)
		CHECK_EQ(wu(s, 1, 2 * i, 1), 0);
	/* 8 + 2 * 16 bytes: 10 dwords, MNDW 9 */
	CHECK_EQ(gls(s, 1, 0, 9, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 2);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_MNDW);
	CHECK_EQ(le64_to_cpu(desc(1)->dslba), 2);
	CHECK_EQ(reply[40], 0xee);			/* nothing past MNDW */
	/* one dword short of a descriptor: one fewer */
	CHECK_EQ(gls(s, 1, 0, 8, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 1);
	CHECK_EQ(reply[24], 0xee);
	/* the host resumes after the last one it got */
	CHECK_EQ(gls(s, 1, 3, 9, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 2);
	CHECK_EQ(le64_to_cpu(desc(0)->dslba), 4);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_MNDW);
	CHECK_EQ(gls(s, 1, 7, 9, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 1);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_RL);
	/* MNDW 0: one dword, the start of the header, no descriptor */
	CHECK_EQ(gls(s, 1, 0, 0, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 0);
	CHECK_EQ(reply[4], 0xee);
	/* the largest MNDW: bounded by the set and MDTS, not by MNDW */
	CHECK_EQ(gls(s, 1, 0, 0xffffffff, NVME_LBAS_ATYPE_TRACKED, 0, 4096), 0);
	CHECK_EQ(nlsd(), 5);
	CHECK_EQ(cmpc(), NVME_LBAS_CMPC_RL);
	sim_free(s);
}

UNIT_TEST(lba_status_hostile_fields)
{
	struct sim *s = lbas_sim();
	u8 atype;

	/* NSIDs: 0, inactive, beyond NN, all */
	CHECK_EQ(gls(s, 0, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(gls(s, 2, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(gls(s, NEPF_MAX_NAMESPACES + 1, 0, 1023,
		     NVME_LBAS_ATYPE_TRACKED, 0, 4096), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(gls(s, NVME_NSID_ALL, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_INVALID_NS | DNR);
	/* every action type but 10h and 11h */
	for (atype = 0; atype < 0xff; atype++)
		if (atype != NVME_LBAS_ATYPE_SCAN && atype != NVME_LBAS_ATYPE_TRACKED)
			CHECK_EQ(gls(s, 1, 0, 1023, atype, 0, 4096),
				 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(gls(s, 1, 0, 1023, 0xff, 0, 4096), NVME_SC_INVALID_FIELD | DNR);
	/* SLBA at or past the end, and one that wraps with RL */
	CHECK_EQ(gls(s, 1, 4096, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(gls(s, 1, ~0ULL, 1023, NVME_LBAS_ATYPE_TRACKED, 0xffff, 4096),
		 NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(gls(s, 1, 1ULL << 32, 1023, NVME_LBAS_ATYPE_TRACKED, 1, 4096),
		 NVME_SC_LBA_RANGE | DNR);
	/* a Format or Sanitize owns the namespace: their status */
	s->ns[0].ns.busy = NEPF_NS_FORMAT;
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_FORMAT_IN_PROGRESS);
	s->ns[0].ns.busy = NEPF_NS_SANITIZE;
	CHECK_EQ(gls(s, 1, 0, 1023, NVME_LBAS_ATYPE_TRACKED, 0, 4096),
		 NVME_SC_SANITIZE_IN_PROGRESS);
	s->ns[0].ns.busy = NEPF_NS_FREE;
	CHECK_EQ(nepf_ns_users(&s->ns[0].ns), 0);
	/* the controller still works */
	CHECK_EQ(wu(s, 1, 4095, 1), 0);
	CHECK_EQ(gls(s, 1, 4095, 1023, NVME_LBAS_ATYPE_TRACKED, 1, 4096), 0);
	CHECK_EQ(nlsd(), 1);
	sim_free(s);
}

/* ---- the log ---- */

static const struct nvme_lba_status_log *lsi(void)
{
	return (const struct nvme_lba_status_log *)reply;
}

UNIT_TEST(lba_status_log)
{
	struct sim *s = lbas_sim();
	const struct nvme_lba_status_ns_element *e;
	const struct nvme_lba_range_desc *d;
	u16 gen;

	CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS, 4096, 0, false, reply), 0);
	CHECK_EQ(le32_to_cpu(lsi()->lslplen), 16);
	CHECK_EQ(le32_to_cpu(lsi()->nlslne), 0);
	CHECK_EQ(le32_to_cpu(lsi()->estulb), 0);
	gen = le16_to_cpu(lsi()->lsigcn);
	CHECK(gen != 0);
	/* same content: same generation */
	CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS, 4096, 0, false, reply), 0);
	CHECK_EQ(le16_to_cpu(lsi()->lsigcn), gen);

	sim_add_ns(s, 3, 1024, 12);
	CHECK_EQ(wu(s, 1, 7, 3), 0);
	CHECK_EQ(wu(s, 1, 20, 1), 0);
	CHECK_EQ(wu(s, 3, 1000, 24), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS, 4096, 0, false, reply), 0);
	CHECK_EQ(le32_to_cpu(lsi()->lslplen), 16 + 16 + 2 * 16 + 16 + 16);
	CHECK_EQ(le32_to_cpu(lsi()->nlslne), 2);
	CHECK_EQ(le32_to_cpu(lsi()->estulb), 3 + 1 + 24);
	CHECK(le16_to_cpu(lsi()->lsigcn) != gen);
	e = (const void *)(reply + 16);
	CHECK_EQ(le32_to_cpu(e->neid), 1);
	CHECK_EQ(le32_to_cpu(e->nlrd), 2);
	CHECK_EQ(e->ratype, NVME_LBAS_ATYPE_TRACKED);
	d = (const void *)(e + 1);
	CHECK_EQ(le64_to_cpu(d[0].rslba), 7);
	CHECK_EQ(le32_to_cpu(d[0].rnlb), 3);
	CHECK_EQ(le64_to_cpu(d[1].rslba), 20);
	CHECK_EQ(le32_to_cpu(d[1].rnlb), 1);
	e = (const void *)(d + 2);
	CHECK_EQ(le32_to_cpu(e->neid), 3);
	CHECK_EQ(le32_to_cpu(e->nlrd), 1);
	d = (const void *)(e + 1);
	CHECK_EQ(le64_to_cpu(d[0].rslba), 1000);
	CHECK_EQ(le32_to_cpu(d[0].rnlb), 24);
	/* past its end the log reads as zeroes; an offset inside it works */
	CHECK_EQ(reply[96], 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS, 16, 32, false, reply), 0);
	CHECK_EQ(le64_to_cpu(*(__le64 *)reply), 7);
	CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS, 4, 96, false, reply),
		 NVME_SC_INVALID_FIELD | DNR);
	/* the namespaces' references were let go */
	CHECK_EQ(nepf_ns_users(&s->ns[0].ns), 0);
	CHECK_EQ(nepf_ns_users(&s->ns[2].ns), 0);
	sim_free(s);
}

/* The largest log: every block of the set a range of its own. */
UNIT_TEST(lba_status_log_full_set)
{
	struct sim *s = sim_new(NULL);
	static u8 big[16 + 16 + NEPF_UNCOR_MAX_BLOCKS * 16];
	const struct nvme_lba_range_desc *d;
	u32 i;

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	sim_add_ns(s, 1, 4 * NEPF_UNCOR_MAX_BLOCKS, 9);
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++)
		CHECK_EQ(wu(s, 1, 2 * i, 1), 0);
	/* 16 KiB + 32 bytes, read in 8 KiB pieces as a host would */
	for (i = 0; i < sizeof(big); i += 8192)
		CHECK_EQ(sim_get_log(s, NVME_LOG_LBA_STATUS,
				     min_t(u32, 8192, sizeof(big) - i), i, true,
				     big + i), 0);
	CHECK_EQ(le32_to_cpu(((struct nvme_lba_status_log *)big)->lslplen),
		 sizeof(big));
	d = (const void *)(big + 32);
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++) {
		CHECK_EQ(le64_to_cpu(d[i].rslba), 2 * i);
		CHECK_EQ(le32_to_cpu(d[i].rnlb), 1);
	}
	sim_free(s);
}
