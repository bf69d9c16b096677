// SPDX-License-Identifier: GPL-2.0
/*
 * test-uncor.c - Write Uncorrectable and the namespace's uncorrectable-LBA
 * set (src/io-cmd.c): reads fail with Unrecovered Read Error and log the
 * first bad LBA, writes clear, the set stays bounded.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR
#define RERR	(NVME_SC_READ_ERROR | DNR)

static u8 data[8192];

static struct sim *uncor_sim(u64 blocks, u8 shift)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	sim_add_ns(s, 1, blocks, shift);
	return s;
}

/* An I/O command without data (Write Uncorrectable, Verify, ...). */
static u16 nodata(struct sim *s, u8 opc, u32 nsid, u64 slba, u32 nlb)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.rw.slba = cpu_to_le64(slba);
	sqe.rw.length = cpu_to_le16(nlb - 1);
	return sim_cmd(s, 1, &sqe, NULL);
}

static u16 wu(struct sim *s, u64 slba, u32 nlb)
{
	return nodata(s, nvme_cmd_write_uncor, 1, slba, nlb);
}

static u16 rd(struct sim *s, u64 slba, u16 nlb)
{
	return sim_rw(s, 1, nvme_cmd_read, 1, slba, nlb, data);
}

static u16 wr(struct sim *s, u64 slba, u16 nlb)
{
	return sim_rw(s, 1, nvme_cmd_write, 1, slba, nlb, data);
}

/* Verify and Write Zeroes: reads and writes without host memory. */
static u16 vf(struct sim *s, u64 slba, u32 nlb)
{
	return nodata(s, nvme_cmd_verify, 1, slba, nlb);
}

static u16 wz(struct sim *s, u64 slba, u32 nlb)
{
	return nodata(s, nvme_cmd_write_zeroes, 1, slba, nlb);
}

/* The LBA of the newest error log entry. */
static u64 newest_error_lba(struct sim *s)
{
	static struct nvme_error_log_entry e[NEPF_ERR_LOG_ENTRIES];

	if (sim_get_log(s, NVME_LOG_ERROR, sizeof(e), 0, false, e))
		return ~0ULL;
	return le64_to_cpu(e[0].lba);
}

static u64 smart_media_errors(struct sim *s)
{
	static struct nvme_smart_log log;
	u64 v;

	if (sim_get_log(s, NVME_LOG_SMART, sizeof(log), 0, false, &log))
		return ~0ULL;
	memcpy(&v, log.media_errors, sizeof(v));
	return le64_to_cpu(v);
}

UNIT_TEST(uncor_read_fails_write_clears)
{
	struct sim *s = uncor_sim(256, 9);

	memset(data, 0x5a, sizeof(data));
	CHECK_EQ(wr(s, 0, 16), 0);
	CHECK_EQ(wu(s, 10, 4), 0);			/* 10..13 */
	CHECK_EQ(rd(s, 8, 2), 0);
	CHECK_EQ(rd(s, 14, 2), 0);
	CHECK_EQ(rd(s, 8, 4), RERR);
	CHECK_EQ(newest_error_lba(s), 10);		/* the first bad one */
	CHECK_EQ(smart_media_errors(s), 1);
	CHECK_EQ(rd(s, 13, 1), RERR);
	CHECK_EQ(newest_error_lba(s), 13);
	CHECK_EQ(nodata(s, nvme_cmd_verify, 1, 12, 4), RERR);
	CHECK_EQ(newest_error_lba(s), 12);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_compare, 1, 0, 16, data), RERR);
	CHECK_EQ(newest_error_lba(s), 10);
	CHECK_EQ(smart_media_errors(s), 4);
	/* a write in the middle splits the range */
	CHECK_EQ(wr(s, 11, 1), 0);
	CHECK_EQ(rd(s, 11, 1), 0);
	CHECK_EQ(rd(s, 10, 1), RERR);
	CHECK_EQ(rd(s, 12, 2), RERR);
	CHECK_EQ(newest_error_lba(s), 12);
	/* Write Zeroes clears, the data is zero */
	CHECK_EQ(nodata(s, nvme_cmd_write_zeroes, 1, 10, 1), 0);
	CHECK_EQ(rd(s, 10, 1), 0);
	CHECK_EQ(data[0], 0);
	CHECK_EQ(wr(s, 12, 2), 0);
	CHECK_EQ(rd(s, 0, 16), 0);
	/* the set survives a controller reset */
	CHECK_EQ(wu(s, 100, 1), 0);
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_io_queues(s, 1, 64), 0);
	CHECK_EQ(rd(s, 100, 1), RERR);
	sim_free(s);
}

UNIT_TEST(uncor_dsm_deallocate_clears)
{
	struct sim *s = uncor_sim(256, 9);
	struct nvme_dsm_range *r;
	struct nvme_sqe sqe;
	u64 addr;

	CHECK_EQ(wu(s, 20, 10), 0);
	addr = sim_alloc(s, 4096, 4096);
	r = sim_ptr(s, addr);
	r[0].slba = cpu_to_le64(22);
	r[0].nlb = cpu_to_le32(4);			/* 22..25 */
	sim_sqe(&sqe, nvme_cmd_dsm);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw11 = cpu_to_le32(NVME_DSMGMT_AD);
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), 0);
	CHECK_EQ(rd(s, 22, 4), 0);
	CHECK_EQ(rd(s, 21, 1), RERR);
	CHECK_EQ(rd(s, 26, 4), RERR);
	sim_free(s);
}

UNIT_TEST(uncor_validation)
{
	struct sim *s = uncor_sim(2048, 9);
	struct nvme_sqe sqe;
	struct nepf_ns *ns4k;

	CHECK_EQ(nodata(s, nvme_cmd_write_uncor, 2, 0, 1), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(nodata(s, nvme_cmd_write_uncor, 0, 0, 1), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(wu(s, 2048, 1), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(wu(s, 2047, 2), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(wu(s, ~0ULL, 1), NVME_SC_LBA_RANGE | DNR);
	/* WUSL 7: 512 KiB, 1024 blocks of 512 bytes, 128 of 4 KiB */
	CHECK_EQ(wu(s, 0, 1025), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(wu(s, 0, 1024), 0);
	ns4k = sim_add_ns(s, 2, 1024, 12);
	CHECK_EQ(nodata(s, nvme_cmd_write_uncor, 2, 0, 129), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(nodata(s, nvme_cmd_write_uncor, 2, 0, 128), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 127, 1, data), RERR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 128, 1, data), 0);
	/* no directives */
	sim_sqe(&sqe, nvme_cmd_write_uncor);
	sqe.nsid = cpu_to_le32(1);
	sqe.rw.control = cpu_to_le16(1 << 4);		/* DTYPE 1: streams */
	CHECK_EQ(sim_cmd(s, 1, &sqe, NULL), NVME_SC_INVALID_FIELD | DNR);
	ns4k->cfg.readonly = true;
	CHECK_EQ(nodata(s, nvme_cmd_write_uncor, 2, 0, 1), NVME_SC_NS_WRITE_PROTECTED | DNR);
	sim_free(s);
}

/*
 * At most NEPF_UNCOR_MAX_BLOCKS blocks: one more is Internal Error and
 * changes nothing; marking marked blocks again costs nothing; writes that
 * split ranges always succeed.
 */
UNIT_TEST(uncor_set_bounded)
{
	/* data-less commands only: the simulated host's memory is a bump allocator */
	struct sim *s = uncor_sim(4 * NEPF_UNCOR_MAX_BLOCKS, 9);
	u64 i;

	/* as many separate ranges as there may be blocks */
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++)
		CHECK_EQ(wu(s, 2 * i, 1), 0);
	CHECK_EQ(wu(s, 2 * NEPF_UNCOR_MAX_BLOCKS, 1), NVME_SC_INTERNAL | DNR);
	CHECK_EQ(vf(s, 2 * NEPF_UNCOR_MAX_BLOCKS, 1), 0);	/* not marked */
	CHECK_EQ(wu(s, 1, 1), NVME_SC_INTERNAL | DNR);		/* a gap */
	CHECK_EQ(wu(s, 0, 1), 0);				/* already in */
	CHECK_EQ(wu(s, 100, 1), 0);
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++) {
		CHECK_EQ(vf(s, 2 * i, 1), RERR);
		CHECK_EQ(vf(s, 2 * i + 1, 1), 0);
	}
	/* one write frees 3 blocks: room for 3 more */
	CHECK_EQ(wz(s, 10, 5), 0);				/* clears 10, 12, 14 */
	CHECK_EQ(wu(s, 11, 3), 0);				/* 11..13, merges */
	CHECK_EQ(vf(s, 10, 1), 0);
	CHECK_EQ(vf(s, 11, 1), RERR);
	CHECK_EQ(vf(s, 14, 1), 0);
	CHECK_EQ(wu(s, 3001, 1), NVME_SC_INTERNAL | DNR);
	/* clear everything, then one range of the whole size, split by
	 * single-block writes into as many ranges as it has blocks / 2 */
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++)
		CHECK_EQ(wz(s, 2 * i, 2), 0);
	CHECK_EQ(wu(s, 0, NEPF_UNCOR_MAX_BLOCKS), 0);
	for (i = 1; i < NEPF_UNCOR_MAX_BLOCKS; i += 2)
		CHECK_EQ(wz(s, i, 1), 0);
	for (i = 0; i < NEPF_UNCOR_MAX_BLOCKS; i++)
		CHECK_EQ(vf(s, i, 1), i & 1 ? 0 : RERR);
	CHECK_EQ(vf(s, NEPF_UNCOR_MAX_BLOCKS, 1), 0);
	/* half the cap is free again: a range of that size fits, one more not */
	CHECK_EQ(wu(s, 2000, NEPF_UNCOR_MAX_BLOCKS / 2 + 1), NVME_SC_INTERNAL | DNR);
	CHECK_EQ(wu(s, 2000, NEPF_UNCOR_MAX_BLOCKS / 2), 0);
	CHECK_EQ(vf(s, 2000 + NEPF_UNCOR_MAX_BLOCKS / 2 - 1, 1), RERR);
	CHECK_EQ(vf(s, 2000 + NEPF_UNCOR_MAX_BLOCKS / 2, 1), 0);
	sim_free(s);
}

/* Merging: adjacent and overlapping marks, then clears across ranges. */
UNIT_TEST(uncor_merge_and_clear_across)
{
	struct sim *s = uncor_sim(256, 9);
	u64 i;

	CHECK_EQ(wu(s, 10, 2), 0);		/* 10-11 */
	CHECK_EQ(wu(s, 14, 2), 0);		/* 14-15 */
	CHECK_EQ(wu(s, 12, 2), 0);		/* 12-13: touches both */
	CHECK_EQ(wu(s, 5, 20), 0);		/* 5-24 covers it all */
	CHECK_EQ(wu(s, 30, 1), 0);
	CHECK_EQ(wu(s, 40, 1), 0);
	CHECK_EQ(wr(s, 20, 16), 0);		/* 20-35: trims one, drops one */
	for (i = 0; i < 50; i++)
		CHECK_EQ(rd(s, i, 1), (i >= 5 && i < 20) || i == 40 ? RERR : 0);
	sim_free(s);
}
