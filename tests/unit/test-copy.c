// SPDX-License-Identifier: GPL-2.0
/*
 * test-copy.c - Copy, descriptor format 0h (src/io-cmd.c): data, the
 * MSRC/MSSRL/MCL limits and their status, every range checked before
 * anything is written, backend failures between the steps.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR
#define LIMIT	(NVME_SC_CMD_SIZE_LIMIT | DNR)

static u8 data[8192];

/* Fails the @fail_at-th backend I/O (1-based, 0: none); counts them. */
static struct {
	const struct nepf_backend_ops *ram;
	unsigned int calls, fail_at, writes;
} bk;

static void bk_submit(struct nepf_io *io)
{
	bk.calls++;
	if (io->op == NEPF_IO_WRITE)
		bk.writes++;
	if (bk.calls == bk.fail_at)
		nepf_io_done(io, io->op == NEPF_IO_READ ? NEPF_IO_ERR_READ :
							  NEPF_IO_ERR_WRITE);
	else
		bk.ram->submit(io);
}

static const struct nepf_backend_ops bk_ops = { .name = "bk", .submit = bk_submit };

static struct sim *copy_sim(u32 mdts_kb)
{
	struct nepf_ctrl_config cfg;
	struct nepf_ns *ns;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.mdts_kb = mdts_kb;
	s = sim_new(&cfg);
	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	ns = sim_add_ns(s, 1, 4096, 9);
	memset(&bk, 0, sizeof(bk));
	bk.ram = ns->ops;
	ns->ops = &bk_ops;
	return s;
}

struct range {
	u64 slba;
	u32 nlb;
};

/* Copy @nr ranges to @sdlba; @cdw12_extra adds DESFMT, FUA... */
static u16 copy(struct sim *s, u64 sdlba, const struct range *r, u32 nr,
		u32 cdw12_extra)
{
	u64 addr = sim_alloc(s, 8192, 4096);
	struct nvme_copy_range *d = sim_ptr(s, addr);
	struct nvme_sqe sqe;
	u32 i;

	for (i = 0; i < nr && i < 256; i++) {
		d[i].slba = cpu_to_le64(r[i].slba);
		d[i].nlb = cpu_to_le16(r[i].nlb - 1);
	}
	sim_sqe(&sqe, nvme_cmd_copy);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.dptr.prp2 = cpu_to_le64(addr + 4096);
	sqe.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	sqe.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	sqe.cdw12 = cpu_to_le32(((nr - 1) & 0xff) | cdw12_extra);
	return sim_cmd(s, 1, &sqe, NULL);
}

static u8 *blk(struct sim *s, u64 lba)
{
	return s->ns[0].data + lba * 512;
}

static void fill(struct sim *s, u64 lba, u32 nlb, u8 seed)
{
	u32 i;

	for (i = 0; i < nlb * 512; i++)
		blk(s, lba)[i] = (u8)(seed + i * 7 + i / 512);
}

UNIT_TEST(copy_ranges_to_destination)
{
	struct sim *s = copy_sim(128);
	struct range r[3] = { { 0, 8 }, { 20, 4 }, { 3, 1 } };

	fill(s, 0, 8, 1);
	fill(s, 20, 4, 2);
	CHECK_EQ(copy(s, 100, r, 3, NVME_COPY_FUA), 0);
	CHECK(!memcmp(blk(s, 100), blk(s, 0), 8 * 512));
	CHECK(!memcmp(blk(s, 108), blk(s, 20), 4 * 512));
	CHECK(!memcmp(blk(s, 112), blk(s, 3), 512));
	CHECK_EQ(bk.calls, 4);				/* 3 reads, 1 write */
	CHECK_EQ(bk.writes, 1);
	/* a host write command for SMART */
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, data), 0);
	CHECK_EQ(((struct nvme_smart_log *)data)->host_writes[0], 1);
	/* the host sees it too */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 108, 4, data), 0);
	CHECK(!memcmp(data, blk(s, 20), 4 * 512));
	/* overlapping source and destination: the sources are read first */
	fill(s, 200, 4, 3);
	memcpy(data, blk(s, 200), 4 * 512);
	r[0] = (struct range){ 200, 4 };
	CHECK_EQ(copy(s, 202, r, 1, 0), 0);
	CHECK(!memcmp(blk(s, 202), data, 4 * 512));
	sim_free(s);
}

/* MSRC, MSSRL, MCL: Command Size Limit Exceeded, nothing written. */
UNIT_TEST(copy_limits)
{
	struct sim *s = copy_sim(128);		/* MCL: 256 blocks of 512 */
	struct nepf_ns *ns = &s->ns[0].ns;
	static struct range r[256];
	struct nvme_id_ns *id = (void *)data;
	u32 i;

	CHECK_EQ(nepf_io_copy_mcl(&s->ctrl, ns), 256);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 1, 0, data), 0);
	CHECK_EQ(le16_to_cpu(id->mssrl), 256);
	CHECK_EQ(le32_to_cpu(id->mcl), 256);
	CHECK_EQ(id->msrc, NEPF_COPY_MSRC);
	for (i = 0; i < 256; i++)
		r[i] = (struct range){ i, 1 };
	CHECK_EQ(copy(s, 1000, r, NEPF_COPY_MSRC + 2, 0), LIMIT);
	CHECK_EQ(copy(s, 1000, r, NEPF_COPY_MSRC + 1, 0), 0);
	r[0] = (struct range){ 0, 257 };
	CHECK_EQ(copy(s, 1000, r, 1, 0), LIMIT);		/* MSSRL */
	r[0] = (struct range){ 0, 256 };
	CHECK_EQ(copy(s, 1000, r, 1, 0), 0);
	r[1] = (struct range){ 300, 1 };
	bk.calls = 0;
	CHECK_EQ(copy(s, 1000, r, 2, 0), LIMIT);		/* MCL */
	CHECK_EQ(bk.calls, 0);
	sim_free(s);
}

UNIT_TEST(copy_invalid)
{
	struct sim *s = copy_sim(128);
	struct range r[2] = { { 0, 4 }, { 4092, 4 } };
	struct nvme_error_log_entry *e = (void *)data;

	/* descriptor formats 1h-3h (PI, cross-namespace), directives */
	CHECK_EQ(copy(s, 100, r, 1, 1 << 8), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(copy(s, 100, r, 1, 2 << 8), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(copy(s, 100, r, 1, 1 << 20), NVME_SC_INVALID_FIELD | DNR);
	/* a source or the destination beyond the namespace */
	r[1] = (struct range){ 4093, 4 };
	CHECK_EQ(copy(s, 100, r, 2, 0), NVME_SC_LBA_RANGE | DNR);
	r[1] = (struct range){ ~0ULL, 1 };
	CHECK_EQ(copy(s, 100, r, 2, 0), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(copy(s, 4092, r, 1, 0), 0);
	CHECK_EQ(copy(s, 4093, r, 1, 0), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(copy(s, ~0ULL - 1, r, 1, 0), NVME_SC_LBA_RANGE | DNR);
	/* an uncorrectable source block: nothing read, the LBA logged */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write_uncor, 1, 2, 1, data), 0);
	bk.calls = 0;
	CHECK_EQ(copy(s, 100, r, 1, 0), NVME_SC_READ_ERROR | DNR);
	CHECK_EQ(bk.calls, 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, data), 0);
	CHECK_EQ(le64_to_cpu(e[0].lba), 2);
	/* an uncorrectable destination is written: readable again */
	r[0] = (struct range){ 10, 4 };
	CHECK_EQ(copy(s, 1, r, 1, 0), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 2, 1, data), 0);
	s->ns[0].ns.cfg.readonly = true;
	CHECK_EQ(copy(s, 100, r, 1, 0), NVME_SC_NS_WRITE_PROTECTED | DNR);
	sim_free(s);
}

/* A failed read ends the Copy before the write; a failed write reports. */
UNIT_TEST(copy_backend_errors)
{
	struct sim *s = copy_sim(128);
	struct range r[3] = { { 0, 1 }, { 8, 1 }, { 16, 1 } };

	memset(blk(s, 100), 0xee, 3 * 512);
	bk.fail_at = 2;
	CHECK_EQ(copy(s, 100, r, 3, 0), NVME_SC_READ_ERROR);
	CHECK_EQ(bk.calls, 2);
	CHECK_EQ(bk.writes, 0);
	CHECK_EQ(blk(s, 100)[0], 0xee);
	bk.calls = 0;
	bk.fail_at = 4;
	CHECK_EQ(copy(s, 100, r, 3, 0), NVME_SC_WRITE_FAULT);
	CHECK_EQ(bk.calls, 4);
	bk.fail_at = 0;
	CHECK_EQ(copy(s, 100, r, 3, 0), 0);
	sim_free(s);
}

/* Hidden by the identity: no Copy limits, no OCFS. */
UNIT_TEST(copy_hidden_by_oncs)
{
	struct nepf_ctrl_config cfg;
	struct nvme_id_ctrl *idc = (void *)data;
	struct nvme_id_ns *id = (void *)data;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.oncs_mask = NVME_CTRL_ONCS_COPY;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, data), 0);
	CHECK_EQ(le16_to_cpu(idc->oncs) & NVME_CTRL_ONCS_COPY, 0);
	CHECK_EQ(le16_to_cpu(idc->ocfs), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 1, 0, data), 0);
	CHECK_EQ(le32_to_cpu(id->mcl), 0);
	CHECK_EQ(id->msrc, 0);
	sim_free(s);
}
