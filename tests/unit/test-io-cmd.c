// SPDX-License-Identifier: GPL-2.0
/*
 * test-io-cmd.c - the NVM command set (src/io-cmd.c) end to end through
 * the simulated host: I/O queue, RAM namespace, and a spy backend in front
 * of it that records what the backend was asked and can fail on demand.
 */
#include "unit.h"
#include "../../src/io-cmd.h"

#define DNR		NVME_STATUS_DNR
#define PG		SIM_PAGE
#define NR_BLOCKS	256

static struct spy {
	const struct nepf_backend_ops *ram;
	enum nepf_io_result fail;	/* NEPF_IO_OK: pass to the RAM backend */
	bool fail_flush_only;		/* ... fail Flush alone */
	unsigned int calls;
	enum nepf_io_op ops[8];		/* the first calls' operations */
	struct nepf_io last;
	struct nepf_range ranges[NVME_DSM_MAX_RANGES];
} spy;

static void spy_submit(struct nepf_io *io)
{
	if (spy.calls < ARRAY_SIZE(spy.ops))
		spy.ops[spy.calls] = io->op;
	spy.calls++;
	spy.last = *io;
	if (io->op == NEPF_IO_DISCARD)
		memcpy(spy.ranges, io->ranges, io->nr_ranges * sizeof(*io->ranges));
	if (spy.fail != NEPF_IO_OK &&
	    (!spy.fail_flush_only || io->op == NEPF_IO_FLUSH))
		nepf_io_done(io, spy.fail);
	else
		spy.ram->submit(io);
}

static const struct nepf_backend_ops spy_ops = {
	.name = "spy",
	.submit = spy_submit,
};

static struct sim *io_sim_cfg(const struct nepf_ctrl_config *cfg)
{
	struct sim *s = sim_new(cfg);
	struct nepf_ns *ns;

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 32))
		abort();
	ns = sim_add_ns(s, 1, NR_BLOCKS, 9);
	memset(&spy, 0, sizeof(spy));
	spy.ram = ns->ops;
	ns->ops = &spy_ops;
	return s;
}

static struct sim *io_sim(void)
{
	return io_sim_cfg(NULL);
}

static struct nepf_ns *ns1(struct sim *s)
{
	return &s->ns[0].ns;
}

static u8 *disk(struct sim *s)
{
	return s->ns[0].data;
}

static void rw_sqe(struct nvme_sqe *sqe, u8 opc, u32 nsid, u64 slba, u32 nlb)
{
	sim_sqe(sqe, opc);
	sqe->nsid = cpu_to_le32(nsid);
	sqe->rw.slba = cpu_to_le64(slba);
	sqe->rw.length = cpu_to_le16(nlb - 1);
}

/* A host buffer of up to two pages, PRP1/PRP2 pointing at it. */
static u64 host_buf(struct sim *s, struct nvme_sqe *sqe, u32 len)
{
	u64 addr = sim_alloc(s, ALIGN(len, PG), PG);

	sqe->dptr.prp1 = cpu_to_le64(addr);
	if (len > PG)
		sqe->dptr.prp2 = cpu_to_le64(addr + PG);
	return addr;
}

static u16 io(struct sim *s, struct nvme_sqe *sqe)
{
	return sim_cmd(s, 1, sqe, NULL);
}

UNIT_TEST(io_read_write)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	u64 buf;
	int i;

	rw_sqe(&sqe, nvme_cmd_write, 1, 10, 16);
	sqe.rw.control = cpu_to_le16(NVME_RW_FUA);
	buf = host_buf(s, &sqe, 8192);
	for (i = 0; i < 8192; i++)
		((u8 *)sim_ptr(s, buf))[i] = i * 7;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_WRITE);
	CHECK_EQ(spy.last.pos, 10 * 512);
	CHECK_EQ(spy.last.len, 8192);
	CHECK(spy.last.fua);
	CHECK(!memcmp(disk(s) + 10 * 512, sim_ptr(s, buf), 8192));

	rw_sqe(&sqe, nvme_cmd_read, 1, 12, 4);
	buf = host_buf(s, &sqe, 2048);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_READ);
	CHECK(!spy.last.fua);
	CHECK(!memcmp(disk(s) + 12 * 512, sim_ptr(s, buf), 2048));
	CHECK_EQ(ns1(s)->stats.reads, 1);
	CHECK_EQ(ns1(s)->stats.writes, 1);
	CHECK_EQ(ns1(s)->stats.bytes_read, 2048);
	CHECK_EQ(ns1(s)->stats.bytes_written, 8192);
	CHECK_EQ(nepf_ns_users(ns1(s)), 0);		/* references dropped */
	sim_free(s);
}

UNIT_TEST(io_lba_range)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	rw_sqe(&sqe, nvme_cmd_read, 1, NR_BLOCKS - 1, 1);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), 0);
	rw_sqe(&sqe, nvme_cmd_read, 1, NR_BLOCKS - 1, 2);
	host_buf(s, &sqe, 1024);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	rw_sqe(&sqe, nvme_cmd_write, 1, ~0ULL - 1, 4);
	host_buf(s, &sqe, 2048);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	rw_sqe(&sqe, nvme_cmd_verify, 1, NR_BLOCKS, 1);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 1ULL << 60, 1);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(spy.calls, 1);			/* only the valid read */
	sim_free(s);
}

UNIT_TEST(io_nsid)
{
	static const u32 bad[] = { 0, 2, NEPF_MAX_NAMESPACES, NEPF_MAX_NAMESPACES + 1,
				   0xfffffffe, 0xffffffff };
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rw_sqe(&sqe, nvme_cmd_read, bad[i], 0, 1);
		host_buf(s, &sqe, 512);
		CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_NS | DNR);
		rw_sqe(&sqe, nvme_cmd_flush, bad[i], 0, 1);
		CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_NS | DNR);
	}
	/* A namespace going away counts as not attached. */
	ns1(s)->dying = true;
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_NS | DNR);
	ns1(s)->dying = false;
	CHECK_EQ(spy.calls, 0);
	sim_free(s);
}

UNIT_TEST(io_opcodes_and_fields)
{
	static const u8 bad[] = { nvme_cmd_resv_register, 0x03, 0x7f, 0x80, 0xff };
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rw_sqe(&sqe, bad[i], 1, 0, 1);
		CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_OPCODE | DNR);
	}
	/* No fused operations. */
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	host_buf(s, &sqe, 512);
	sqe.flags |= NVME_CMD_FUSE_FIRST;
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	/* No directives. */
	rw_sqe(&sqe, nvme_cmd_write, 1, 0, 1);
	host_buf(s, &sqe, 512);
	sqe.rw.control = cpu_to_le16(1 << NVME_RW_DTYPE_SHIFT);
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	/* PRINFO is ignored without protection information. */
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	host_buf(s, &sqe, 512);
	sqe.rw.control = cpu_to_le16(NVME_RW_PRINFO_MASK);
	CHECK_EQ(io(s, &sqe), 0);
	/* Misaligned PRP1. */
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	sqe.dptr.prp1 = cpu_to_le64(host_buf(s, &sqe, 512) + 2);
	CHECK_EQ(io(s, &sqe), NVME_SC_PRP_INVALID_OFFSET | DNR);
	CHECK_EQ(spy.calls, 1);
	sim_free(s);
}

/* MDTS is 128 KiB in the default configuration. */
UNIT_TEST(io_mdts)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 257);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);	/* 256 blocks */
	/* Larger on paper: nothing reaches the RAM backend anyway. */
	ns1(s)->nr_blocks = 1024;
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	rw_sqe(&sqe, nvme_cmd_verify, 1, 0, 257);	/* VSL = MDTS */
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	rw_sqe(&sqe, nvme_cmd_compare, 1, 0, 257);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(spy.calls, 0);
	ns1(s)->nr_blocks = NR_BLOCKS;
	sim_free(s);
}

UNIT_TEST(io_read_only)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	ns1(s)->cfg.readonly = true;
	rw_sqe(&sqe, nvme_cmd_write, 1, 0, 1);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), NVME_SC_NS_WRITE_PROTECTED | DNR);
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 0, 1);
	CHECK_EQ(io(s, &sqe), NVME_SC_NS_WRITE_PROTECTED | DNR);
	rw_sqe(&sqe, nvme_cmd_dsm, 1, 0, 1);
	sqe.cdw11 = cpu_to_le32(NVME_DSMGMT_AD);
	host_buf(s, &sqe, 16);
	CHECK_EQ(io(s, &sqe), NVME_SC_NS_WRITE_PROTECTED | DNR);
	CHECK_EQ(spy.calls, 0);
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	host_buf(s, &sqe, 512);
	CHECK_EQ(io(s, &sqe), 0);
	rw_sqe(&sqe, nvme_cmd_flush, 1, 0, 1);
	CHECK_EQ(io(s, &sqe), 0);
	sim_free(s);
}

UNIT_TEST(io_flush)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	/* Without a volatile cache there is nothing to flush. */
	rw_sqe(&sqe, nvme_cmd_flush, 1, 0, 1);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 0);
	ns1(s)->volatile_cache = true;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 1);
	CHECK_EQ(spy.last.op, NEPF_IO_FLUSH);
	spy.fail = NEPF_IO_ERR_INTERNAL;
	CHECK_EQ(io(s, &sqe), NVME_SC_WRITE_FAULT);
	sim_free(s);
}

UNIT_TEST(io_write_zeroes)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	u8 zero[4096] = { 0 };

	memset(disk(s), 0xab, NR_BLOCKS * 512);
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 4, 8);
	sqe.rw.control = cpu_to_le16(NVME_RW_DEAC);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_WRITE_ZEROES);
	CHECK(!memcmp(disk(s) + 4 * 512, zero, 4096));
	CHECK_EQ(disk(s)[3 * 512], 0xab);
	CHECK_EQ(disk(s)[12 * 512], 0xab);

	/* Emulated with a zeroed buffer when the backend cannot. */
	ns1(s)->can_write_zeroes = false;
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 100, 8);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_WRITE);
	CHECK(!memcmp(disk(s) + 100 * 512, zero, 4096));
	CHECK_EQ(disk(s)[108 * 512], 0xab);
	CHECK_EQ(ns1(s)->stats.writes, 0);	/* not a host write */
	/* ... limited to MDTS (Identify WZSL). */
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 0, NR_BLOCKS + 1);
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	s->ctrl.cfg.mdts_kb = 8;		/* Identify MDTS 1: 8 KiB */
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 0, 16);
	CHECK_EQ(io(s, &sqe), 0);
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 0, 17);
	CHECK_EQ(io(s, &sqe), NVME_SC_INVALID_FIELD | DNR);
	ns1(s)->can_write_zeroes = true;
	CHECK_EQ(io(s, &sqe), 0);
	sim_free(s);
}

/*
 * Write Zeroes with FUA over a volatile cache: no backend zeroes with FUA
 * (the block layer refuses REQ_FUA on REQ_OP_WRITE_ZEROES, fallocate has
 * no such flag), so the core flushes after it, before the completion.
 */
UNIT_TEST(io_write_zeroes_fua_flushes)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	ns1(s)->volatile_cache = true;
	s->ctrl.vwc = true;			/* as latched at CC.EN */
	s->ctrl.feat.vwc = NVME_VWC_WCE;
	rw_sqe(&sqe, nvme_cmd_write_zeroes, 1, 4, 8);
	sqe.rw.control = cpu_to_le16(NVME_RW_FUA);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 2);
	CHECK_EQ(spy.ops[0], NEPF_IO_WRITE_ZEROES);
	CHECK_EQ(spy.ops[1], NEPF_IO_FLUSH);

	/* A flush that fails is a write fault of the command. */
	spy.calls = 0;
	spy.fail = NEPF_IO_ERR_INTERNAL;
	spy.fail_flush_only = true;
	CHECK_EQ(io(s, &sqe), NVME_SC_WRITE_FAULT);
	CHECK_EQ(spy.calls, 2);
	spy.fail = NEPF_IO_OK;

	/* Write through (WCE = 0): as if FUA. */
	spy.calls = 0;
	s->ctrl.feat.vwc = 0;
	sqe.rw.control = 0;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 2);
	CHECK_EQ(spy.ops[1], NEPF_IO_FLUSH);

	/* Cache on, no FUA; or no volatile cache: nothing to flush. */
	spy.calls = 0;
	s->ctrl.feat.vwc = NVME_VWC_WCE;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 1);
	spy.calls = 0;
	ns1(s)->volatile_cache = false;
	sqe.rw.control = cpu_to_le16(NVME_RW_FUA);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 1);

	/* Emulated with a zeroed buffer, it is a write: FUA goes with it. */
	spy.calls = 0;
	ns1(s)->volatile_cache = true;
	ns1(s)->can_write_zeroes = false;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 1);
	CHECK_EQ(spy.last.op, NEPF_IO_WRITE);
	CHECK(spy.last.fua);
	sim_free(s);
}

static void put_range(struct sim *s, u64 addr, int i, u64 slba, u32 nlb)
{
	struct nvme_dsm_range r = {
		.cattr = 0, .nlb = cpu_to_le32(nlb), .slba = cpu_to_le64(slba),
	};

	memcpy((u8 *)sim_ptr(s, addr) + i * sizeof(r), &r, sizeof(r));
}

UNIT_TEST(io_dsm)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	u64 buf;

	memset(disk(s), 0xab, NR_BLOCKS * 512);
	rw_sqe(&sqe, nvme_cmd_dsm, 1, 0, 1);
	sqe.cdw10 = cpu_to_le32(2);		/* three ranges */
	sqe.cdw11 = cpu_to_le32(NVME_DSMGMT_AD | NVME_DSMGMT_IDR);
	buf = host_buf(s, &sqe, 48);
	put_range(s, buf, 0, 0, 2);
	put_range(s, buf, 1, 50, 0);		/* empty: dropped */
	put_range(s, buf, 2, NR_BLOCKS - 4, 4);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_DISCARD);
	CHECK_EQ(spy.last.nr_ranges, 2);
	CHECK_EQ(spy.ranges[0].pos, 0);
	CHECK_EQ(spy.ranges[0].len, 1024);
	CHECK_EQ(spy.ranges[1].pos, (NR_BLOCKS - 4) * 512);
	CHECK_EQ(spy.ranges[1].len, 2048);
	CHECK_EQ(disk(s)[0], 0);
	CHECK_EQ(disk(s)[2 * 512], 0xab);

	/* One range out of the namespace fails the command. */
	put_range(s, buf, 1, NR_BLOCKS - 1, 2);
	spy.calls = 0;
	CHECK_EQ(io(s, &sqe), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(spy.calls, 0);
	/* Without AD, or without backend support: nothing to do. */
	sqe.cdw11 = cpu_to_le32(NVME_DSMGMT_IDW);
	CHECK_EQ(io(s, &sqe), 0);
	put_range(s, buf, 1, 0, 1);
	sqe.cdw11 = cpu_to_le32(NVME_DSMGMT_AD);
	ns1(s)->can_discard = false;
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.calls, 0);
	/* The range list must be readable. */
	ns1(s)->can_discard = true;
	sqe.dptr.prp1 = cpu_to_le64(0x1000);
	CHECK_EQ(io(s, &sqe), NVME_SC_DATA_XFER_ERROR);
	sim_free(s);
}

UNIT_TEST(io_compare)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	u64 buf;
	int i;

	for (i = 0; i < NR_BLOCKS * 512; i++)
		disk(s)[i] = i % 251;
	rw_sqe(&sqe, nvme_cmd_compare, 1, 8, 16);	/* two compare chunks */
	buf = host_buf(s, &sqe, 8192);
	memcpy(sim_ptr(s, buf), disk(s) + 8 * 512, 8192);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_READ);
	((u8 *)sim_ptr(s, buf))[8191] ^= 1;
	CHECK_EQ(io(s, &sqe), NVME_SC_COMPARE_FAILED | DNR);
	((u8 *)sim_ptr(s, buf))[8191] ^= 1;
	((u8 *)sim_ptr(s, buf))[0] ^= 0x80;
	CHECK_EQ(io(s, &sqe), NVME_SC_COMPARE_FAILED | DNR);
	/* Nothing of the namespace changed. */
	CHECK_EQ(disk(s)[8 * 512], (8 * 512) % 251);
	sim_free(s);
}

UNIT_TEST(io_verify)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	rw_sqe(&sqe, nvme_cmd_verify, 1, 0, 64);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK_EQ(spy.last.op, NEPF_IO_READ);
	CHECK_EQ(spy.last.len, 64 * 512);
	spy.fail = NEPF_IO_ERR_READ;
	CHECK_EQ(io(s, &sqe), NVME_SC_READ_ERROR);
	sim_free(s);
}

UNIT_TEST(io_backend_errors)
{
	static const struct { enum nepf_io_result r; u16 status; } map[] = {
		{ NEPF_IO_ERR_READ, NVME_SC_READ_ERROR },
		{ NEPF_IO_ERR_WRITE, NVME_SC_WRITE_FAULT },
		{ NEPF_IO_ERR_NOSPC, NVME_SC_CAP_EXCEEDED | DNR },
		{ NEPF_IO_ERR_NOTSUPP, NVME_SC_INVALID_FIELD | DNR },
		{ NEPF_IO_ERR_RANGE, NVME_SC_LBA_RANGE | DNR },
		{ NEPF_IO_ERR_INTERNAL, NVME_SC_INTERNAL },
		{ NEPF_IO_ERR_READONLY, NVME_SC_NS_WRITE_PROTECTED | DNR },
	};
	struct sim *s = io_sim();
	struct nvme_sqe sqe;
	unsigned int i;
	u64 buf;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		spy.fail = map[i].r;
		rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
		buf = host_buf(s, &sqe, 512);
		memset(sim_ptr(s, buf), 0x77, 512);
		CHECK_EQ(io(s, &sqe), map[i].status);
		/* A failed read leaves the host buffer alone. */
		CHECK_EQ(((u8 *)sim_ptr(s, buf))[0], 0x77);
	}
	CHECK_EQ(ns1(s)->stats.errors, ARRAY_SIZE(map));
	CHECK_EQ(ns1(s)->stats.reads, ARRAY_SIZE(map));
	CHECK_EQ(ns1(s)->stats.bytes_read, 0);
	CHECK_EQ(nepf_ns_users(ns1(s)), 0);
	sim_free(s);
}

/* Read through an SGL with a bit bucket in the middle. */
UNIT_TEST(io_sgl_read)
{
	struct nepf_ctrl_config cfg;
	struct nvme_sgl_desc d[3];
	struct nvme_sqe sqe;
	struct sim *s;
	u64 seg, a, b;
	int i;

	sim_default_config(&cfg);
	cfg.sgl = true;
	s = io_sim_cfg(&cfg);
	for (i = 0; i < 2048; i++)
		disk(s)[i] = i * 3;
	seg = sim_alloc(s, sizeof(d), 16);
	a = sim_alloc(s, 512, 8);
	b = sim_alloc(s, 1024, 8);
	d[0] = (struct nvme_sgl_desc){ .addr = cpu_to_le64(a), .length = cpu_to_le32(512) };
	d[1] = (struct nvme_sgl_desc){ .length = cpu_to_le32(512),
		.type = NVME_SGL_ID(NVME_SGL_TYPE_BIT_BUCKET, 0) };
	d[2] = (struct nvme_sgl_desc){ .addr = cpu_to_le64(b), .length = cpu_to_le32(1024) };
	memcpy(sim_ptr(s, seg), d, sizeof(d));
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 4);
	sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
	sqe.dptr.sgl.addr = cpu_to_le64(seg);
	sqe.dptr.sgl.length = cpu_to_le32(sizeof(d));
	sqe.dptr.sgl.type = NVME_SGL_ID(NVME_SGL_TYPE_LAST_SEGMENT, 0);
	CHECK_EQ(io(s, &sqe), 0);
	CHECK(!memcmp(sim_ptr(s, a), disk(s), 512));
	CHECK(!memcmp(sim_ptr(s, b), disk(s) + 1024, 1024));
	/* The same SGL for a write: bit buckets are for reads only. */
	sqe.opcode = nvme_cmd_write;
	CHECK_EQ(io(s, &sqe), NVME_SC_SGL_INVALID_TYPE | DNR);
	sim_free(s);
}

/* Commands held in the backend keep their namespace referenced. */
UNIT_TEST(io_ns_reference)
{
	struct sim *s = io_sim();
	struct nvme_sqe sqe;

	s->hold_defer = true;
	rw_sqe(&sqe, nvme_cmd_read, 1, 0, 1);
	host_buf(s, &sqe, 512);
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	CHECK_EQ(nepf_ns_users(ns1(s)), 1);
	s->hold_defer = false;
	sim_release_held(s);
	CHECK_EQ(nepf_ns_users(ns1(s)), 0);
	sim_free(s);
}

/* A Write to namespace 1 through I/O queue 1: did the backend get FUA? */
static int write_fua(struct sim *s)
{
	static u8 buf[512];

	s->last_write_fua = false;
	if (sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf))
		return -1;
	return s->last_write_fua;
}

/*
 * Volatile write cache: when the host cannot flush a backend's cache
 * (Feature 06h WCE = 0, attr_vwc = 0, or Identify VWC read as 0 before a
 * cached namespace came), its writes go through (FUA).  Identify VWC is
 * fixed when the host enables the controller: it reads it once.
 */
UNIT_TEST(vwc_write_through_when_host_cannot_flush)
{
	struct nvme_id_ctrl *id = calloc(1, NVME_IDENTIFY_DATA_SIZE);
	struct nepf_ctrl_config cfg;
	struct sim *s = sim_new(NULL);

	CHECK(id);
	sim_add_ns(s, 1, 64, 9)->volatile_cache = true;
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(write_fua(s), 0);			/* the host flushes */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_VOLATILE_WC, 0, NULL), 0);
	CHECK_EQ(write_fua(s), 1);			/* WCE = 0 */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_VOLATILE_WC, NVME_VWC_WCE, NULL), 0);
	CHECK_EQ(write_fua(s), 0);
	sim_free(s);

	sim_default_config(&cfg);
	cfg.vwc_mode = NEPF_VWC_OFF;			/* attr_vwc = 0 */
	s = sim_new(&cfg);
	sim_add_ns(s, 1, 64, 9)->volatile_cache = true;
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(write_fua(s), 1);
	sim_free(s);

	s = unit_sim_enabled();				/* auto, no namespace */
	sim_add_ns(s, 1, 64, 9)->volatile_cache = true;	/* came later */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, id), 0);
	CHECK_EQ(id->vwc, 0);				/* as at enable */
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(write_fua(s), 1);
	sim_disable(s);					/* the next enable sees it */
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, id), 0);
	CHECK_EQ(id->vwc, NVME_CTRL_VWC_PRESENT | NVME_CTRL_VWC_FLUSH_NO_ALL);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(write_fua(s), 0);
	sim_free(s);
	free(id);
}
