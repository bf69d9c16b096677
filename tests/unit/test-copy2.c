// SPDX-License-Identifier: GPL-2.0
/*
 * test-copy2.c - Copy descriptor format 2h (cross-namespace, src/io-cmd.c)
 * and Host Behavior Support, Feature 16h (src/admin-cmd.c), which enables
 * it: data, source namespace checks, references, hostile field values.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR
#define CDF2E	BIT(2)

static struct sim *copy2_sim(void)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	sim_add_ns(s, 1, 4096, 9);
	sim_add_ns(s, 2, 1024, 9);
	sim_add_ns(s, 3, 1024, 12);
	return s;
}

/* Set Features 16h with @hb (512 bytes); @nsid, @dw10_extra (SV). */
static u16 hbs_set_raw(struct sim *s, const struct nvme_feat_host_behavior *hb,
		       u32 nsid, u32 dw10_extra)
{
	struct nvme_feat_host_behavior copy = *hb;
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_HOST_BEHAVIOR | dw10_extra);
	return sim_admin_data(s, &sqe, &copy, sizeof(copy), true, NULL);
}

static u16 hbs_set_cdfe(struct sim *s, u16 cdfe)
{
	struct nvme_feat_host_behavior hb = { .cdfe = cpu_to_le16(cdfe) };

	return hbs_set_raw(s, &hb, 0, 0);
}

static u16 hbs_get(struct sim *s, u8 sel, struct nvme_feat_host_behavior *hb)
{
	struct nvme_sqe sqe;

	memset(hb, 0xee, sizeof(*hb));
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_HOST_BEHAVIOR | (u32)sel << 8);
	return sim_admin_data(s, &sqe, hb, sizeof(*hb), false, NULL);
}

struct src {
	u32 snsid;
	u64 slba;
	u32 nlb;
	u16 sopt;
};

/* Copy with format 2h descriptors into namespace @nsid at @sdlba. */
static u16 copy2(struct sim *s, u32 nsid, u64 sdlba, const struct src *r,
		 u32 nr)
{
	u64 addr = sim_alloc(s, SIM_PAGE, SIM_PAGE);
	struct nvme_copy_range_f2 *d = sim_ptr(s, addr);
	struct nvme_sqe sqe;
	u32 i;

	for (i = 0; i < nr; i++) {
		d[i].snsid = cpu_to_le32(r[i].snsid);
		d[i].slba = cpu_to_le64(r[i].slba);
		d[i].nlb = cpu_to_le16(r[i].nlb - 1);
		d[i].sopt = cpu_to_le16(r[i].sopt);
	}
	sim_sqe(&sqe, nvme_cmd_copy);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	sqe.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	sqe.cdw12 = cpu_to_le32((nr - 1) | 2 << 8);
	return sim_cmd(s, 1, &sqe, NULL);
}

static u8 *blk(struct sim *s, u32 nsid, u64 lba)
{
	return s->ns[nsid - 1].data + (lba << s->ns[nsid - 1].ns.lba_shift);
}

static void fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 13 + i / 512);
}

UNIT_TEST(hbs_feature_get_set)
{
	struct sim *s = copy2_sim();
	struct nvme_feat_host_behavior hb;
	static const u8 zero[sizeof(hb)];
	u32 caps = 0;

	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_CURRENT, &hb), 0);
	CHECK(!memcmp(&hb, zero, sizeof(hb)));
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_HOST_BEHAVIOR,
				 NVME_FEAT_SEL_SUPPORTED, 0, &caps), 0);
	CHECK_EQ(caps, NVME_FEAT_CAP_CHANGEABLE);
	CHECK_EQ(hbs_set_cdfe(s, CDF2E), 0);
	memset(&hb, 0, sizeof(hb));
	hb.acre = 1;
	hb.cdfe = cpu_to_le16(CDF2E);
	hb.rsvd6[100] = 0x5a;				/* reserved: ignored */
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), 0);
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_CURRENT, &hb), 0);
	CHECK_EQ(hb.acre, 1);
	CHECK_EQ(le16_to_cpu(hb.cdfe), CDF2E);
	CHECK_EQ(hb.rsvd6[100], 0);
	/* default and saved: zeroes */
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_DEFAULT, &hb), 0);
	CHECK(!memcmp(&hb, zero, sizeof(hb)));
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_SAVED, &hb), 0);
	CHECK(!memcmp(&hb, zero, sizeof(hb)));
	/* a controller reset brings the default back */
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_CURRENT, &hb), 0);
	CHECK(!memcmp(&hb, zero, sizeof(hb)));
	sim_free(s);
}

UNIT_TEST(hbs_feature_hostile)
{
	struct sim *s = copy2_sim();
	struct nvme_feat_host_behavior hb = { };
	unsigned int bit;

	CHECK_EQ(hbs_set_cdfe(s, CDF2E), 0);
	hb.acre = 2;
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), NVME_SC_INVALID_FIELD | DNR);
	hb.acre = 0xff;
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), NVME_SC_INVALID_FIELD | DNR);
	memset(&hb, 0, sizeof(hb));
	hb.etdas = 1;		/* no Telemetry Data Area 4 */
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), NVME_SC_INVALID_FIELD | DNR);
	memset(&hb, 0, sizeof(hb));
	hb.lbafee = 1;		/* no extended LBA formats */
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), NVME_SC_INVALID_FIELD | DNR);
	memset(&hb, 0, sizeof(hb));
	hb.hdisns = 1;		/* no dispersed namespaces */
	CHECK_EQ(hbs_set_raw(s, &hb, 0, 0), NVME_SC_INVALID_FIELD | DNR);
	/* every CDFE bit but 2h's */
	for (bit = 0; bit < 16; bit++)
		if (bit != 2)
			CHECK_EQ(hbs_set_cdfe(s, BIT(bit) | CDF2E),
				 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(hbs_set_cdfe(s, 0xffff), NVME_SC_INVALID_FIELD | DNR);
	/* nothing saveable; controller-wide; nothing changed by the above */
	memset(&hb, 0, sizeof(hb));
	CHECK_EQ(hbs_set_raw(s, &hb, 0, NVME_FEAT_SAVE),
		 NVME_SC_FEATURE_NOT_SAVEABLE | DNR);
	CHECK_EQ(hbs_set_raw(s, &hb, 1, 0), NVME_SC_FEATURE_NOT_PER_NS | DNR);
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_CURRENT, &hb), 0);
	CHECK_EQ(le16_to_cpu(hb.cdfe), CDF2E);
	CHECK_EQ(hb.acre, 0);
	/* a data pointer the host never mapped */
	{
		struct nvme_sqe sqe;

		sim_sqe(&sqe, nvme_admin_set_features);
		sqe.cdw10 = cpu_to_le32(NVME_FEAT_HOST_BEHAVIOR);
		sqe.dptr.prp1 = cpu_to_le64(0x1000);
		CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_DATA_XFER_ERROR);
	}
	CHECK_EQ(hbs_get(s, NVME_FEAT_SEL_CURRENT, &hb), 0);
	CHECK_EQ(le16_to_cpu(hb.cdfe), CDF2E);
	sim_free(s);
}

UNIT_TEST(copy2_cross_namespace)
{
	struct sim *s = copy2_sim();
	static struct nvme_id_ctrl id;
	struct src r[3] = {
		{ 2, 10, 8, 0 },	/* from namespace 2 */
		{ 1, 50, 2, 0 },	/* from the destination itself */
		{ 2, 1023, 1, 0 },	/* namespace 2's last block */
	};

	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, &id), 0);
	CHECK_EQ(le16_to_cpu(id.ocfs), NVME_CTRL_OCFS_FMT0 | NVME_CTRL_OCFS_FMT2);
	fill(blk(s, 2, 10), 8 * 512, 1);
	fill(blk(s, 1, 50), 2 * 512, 2);
	fill(blk(s, 2, 1023), 512, 3);
	/* not enabled yet */
	CHECK_EQ(copy2(s, 1, 100, r, 3), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(hbs_set_cdfe(s, CDF2E), 0);
	CHECK_EQ(copy2(s, 1, 100, r, 3), 0);
	CHECK(!memcmp(blk(s, 1, 100), blk(s, 2, 10), 8 * 512));
	CHECK(!memcmp(blk(s, 1, 108), blk(s, 1, 50), 2 * 512));
	CHECK(!memcmp(blk(s, 1, 110), blk(s, 2, 1023), 512));
	/* the other namespace's references were let go */
	CHECK_EQ(nepf_ns_users(&s->ns[1].ns), 0);
	CHECK_EQ(nepf_ns_users(&s->ns[0].ns), 0);
	/* into namespace 2 from namespace 1 */
	r[0] = (struct src){ 1, 100, 11, 0 };
	CHECK_EQ(copy2(s, 2, 500, r, 1), 0);
	CHECK(!memcmp(blk(s, 2, 500), blk(s, 1, 100), 11 * 512));
	/* disabled again: refused */
	CHECK_EQ(hbs_set_cdfe(s, 0), 0);
	CHECK_EQ(copy2(s, 2, 500, r, 1), NVME_SC_INVALID_FIELD | DNR);
	sim_free(s);
}

UNIT_TEST(copy2_hostile_sources)
{
	struct sim *s = copy2_sim();
	struct src r[2] = { { 2, 0, 1, 0 }, { 2, 0, 1, 0 } };
	u32 bad[] = { 0, 4, NEPF_MAX_NAMESPACES, NEPF_MAX_NAMESPACES + 1,
		      0xfffffffe, NVME_NSID_ALL };
	unsigned int i;

	CHECK_EQ(hbs_set_cdfe(s, CDF2E), 0);
	/* NSIDs that are invalid or not active here */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r[1].snsid = bad[i];
		CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_INVALID_NS | DNR);
		CHECK_EQ(nepf_ns_users(&s->ns[1].ns), 0);
	}
	/* 4096-byte blocks into 512-byte ones */
	r[1] = (struct src){ 3, 0, 1, 0 };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_INCOMPATIBLE_NS | DNR);
	CHECK_EQ(nepf_ns_users(&s->ns[2].ns), 0);
	CHECK_EQ(nepf_ns_users(&s->ns[1].ns), 0);
	/* past the end of the source namespace, inside the destination */
	r[1] = (struct src){ 2, 1023, 2, 0 };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_LBA_RANGE | DNR);
	r[1] = (struct src){ 2, ~0ULL, 1, 0 };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_LBA_RANGE | DNR);
	/* Fast Copy Only: every copy here reads and writes */
	r[1] = (struct src){ 2, 0, 1, NVME_COPY_SOPT_FCO };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_FAST_COPY_NOT_POSSIBLE | DNR);
	/* a source block namespace 2 made uncorrectable */
	{
		struct nvme_sqe sqe;

		sim_sqe(&sqe, nvme_cmd_write_uncor);
		sqe.nsid = cpu_to_le32(2);
		sqe.rw.slba = cpu_to_le64(7);
		CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	}
	r[1] = (struct src){ 2, 5, 4, 0 };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_READ_ERROR | DNR);
	/* a source namespace a Format owns */
	s->ns[1].ns.busy = NEPF_NS_FORMAT;
	r[1] = (struct src){ 2, 0, 1, 0 };
	CHECK_EQ(copy2(s, 1, 100, r, 2), NVME_SC_FORMAT_IN_PROGRESS);
	s->ns[1].ns.busy = NEPF_NS_FREE;
	/* every reference let go, and the controller still copies */
	CHECK_EQ(nepf_ns_users(&s->ns[1].ns), 0);
	CHECK_EQ(nepf_ns_users(&s->ns[0].ns), 0);
	CHECK_EQ(copy2(s, 1, 100, r, 2), 0);
	sim_free(s);
}

/* Hidden Copy: no format 2h to enable, none advertised. */
UNIT_TEST(copy2_hidden_by_oncs)
{
	struct nepf_ctrl_config cfg;
	static struct nvme_id_ctrl id;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.oncs_mask = NVME_CTRL_ONCS_COPY;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, &id), 0);
	CHECK_EQ(id.ocfs, 0);
	CHECK_EQ(hbs_set_cdfe(s, CDF2E), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(hbs_set_cdfe(s, 0), 0);
	sim_free(s);
}
