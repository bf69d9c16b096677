// SPDX-License-Identifier: GPL-2.0
/*
 * test-prp-sgl.c - PRP and SGL walking (src/prp-sgl.c) over the simulated
 * host memory: well-formed lists, every malformed case with the status
 * NVMe 2.0 gives it, and the bounds that keep hostile lists finite.
 */
#include "unit.h"
#include "../../src/prp-sgl.h"

#define DNR		NVME_STATUS_DNR
#define PG		SIM_PAGE
#define RD		nvme_cmd_read
#define WR		nvme_cmd_write

static struct nepf_seg sl_room[NEPF_MAX_SEGS];
static struct nepf_seglist sl = { .seg = sl_room, .max = NEPF_MAX_SEGS };

/* Bytes a segment list covers (bit buckets included). */
static u64 seg_bytes(const struct nepf_seglist *l)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		n += l->seg[i].len;
	return n;
}

static const struct nepf_xfer_limits prp_only = { .page_size = PG };
static const struct nepf_xfer_limits with_sgl = { .page_size = PG, .sgl = true };

static u16 map_prp(struct sim *s, u8 opc, u64 prp1, u64 prp2, u32 len)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.dptr.prp1 = cpu_to_le64(prp1);
	sqe.dptr.prp2 = cpu_to_le64(prp2);
	return nepf_map_data_lim(&s->ctrl, &sqe, len, &prp_only, &sl);
}

static void put64(struct sim *s, u64 addr, u64 v)
{
	__le64 le = cpu_to_le64(v);

	memcpy(sim_ptr(s, addr), &le, sizeof(le));
}

static void put_desc(struct sim *s, u64 addr, u8 type, u64 a, u32 len)
{
	struct nvme_sgl_desc d = {
		.addr = cpu_to_le64(a), .length = cpu_to_le32(len),
		.type = NVME_SGL_ID(type, NVME_SGL_SUBTYPE_ADDRESS),
	};

	memcpy(sim_ptr(s, addr), &d, sizeof(d));
}

static u16 map_sgl(struct sim *s, u8 opc, u8 type, u64 a, u32 dlen, u32 len)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opc);
	sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
	sqe.dptr.sgl.addr = cpu_to_le64(a);
	sqe.dptr.sgl.length = cpu_to_le32(dlen);
	sqe.dptr.sgl.type = NVME_SGL_ID(type, NVME_SGL_SUBTYPE_ADDRESS);
	return nepf_map_data_lim(&s->ctrl, &sqe, len, &with_sgl, &sl);
}

UNIT_TEST(prp_prp1_only)
{
	struct sim *s = sim_new(NULL);

	CHECK_EQ(map_prp(s, RD, 0x10000200, 0xdead000, 512), 0);
	CHECK_EQ(sl.nr, 1);
	CHECK_EQ(sl.seg[0].addr, 0x10000200);
	CHECK_EQ(sl.seg[0].len, 512);
	CHECK_EQ(seg_bytes(&sl), 512);
	/* Up to the end of PRP1's page, PRP2 is not used. */
	CHECK_EQ(map_prp(s, RD, 0x10000204, 0, PG - 0x204), 0);
	CHECK_EQ(sl.nr, 1);
	sim_free(s);
}

UNIT_TEST(prp_prp1_prp2)
{
	struct sim *s = sim_new(NULL);

	CHECK_EQ(map_prp(s, WR, 0x10000e00, 0x20000000, PG), 0);
	CHECK_EQ(sl.nr, 2);
	CHECK_EQ(sl.seg[0].addr, 0x10000e00);
	CHECK_EQ(sl.seg[0].len, 0x200);
	CHECK_EQ(sl.seg[1].addr, 0x20000000);
	CHECK_EQ(sl.seg[1].len, 0xe00);
	/* Contiguous pages merge into one segment. */
	CHECK_EQ(map_prp(s, WR, 0x10000000, 0x10001000, 2 * PG), 0);
	CHECK_EQ(sl.nr, 1);
	CHECK_EQ(sl.seg[0].len, 2 * PG);
	/* PRP2 as a data page must be page aligned. */
	CHECK_EQ(map_prp(s, WR, 0x10000000, 0x10001010, 2 * PG),
		 NVME_SC_PRP_INVALID_OFFSET | DNR);
	sim_free(s);
}

UNIT_TEST(prp_misaligned_prp1)
{
	struct sim *s = sim_new(NULL);

	CHECK_EQ(map_prp(s, RD, 0x10000002, 0, 512), NVME_SC_PRP_INVALID_OFFSET | DNR);
	CHECK_EQ(map_prp(s, RD, 0x10000001, 0, 512), NVME_SC_PRP_INVALID_OFFSET | DNR);
	/* Dword aligned offsets are fine. */
	CHECK_EQ(map_prp(s, RD, 0x10000004, 0, 512), 0);
	sim_free(s);
}

UNIT_TEST(prp_list)
{
	struct sim *s = sim_new(NULL);
	u64 list = sim_alloc(s, PG, PG);
	int i;

	/* 5 pages: PRP1 + 4 list entries, every other one contiguous. */
	for (i = 0; i < 4; i++)
		put64(s, list + 8 * i, 0x30000000 + (i / 2) * 0x100000 + (i % 2) * PG);
	CHECK_EQ(map_prp(s, RD, 0x10000000, list, 5 * PG - 100), 0);
	CHECK_EQ(sl.nr, 3);
	CHECK_EQ(sl.seg[0].len, PG);
	CHECK_EQ(sl.seg[1].addr, 0x30000000);
	CHECK_EQ(sl.seg[1].len, 2 * PG);
	CHECK_EQ(sl.seg[2].addr, 0x30100000);
	CHECK_EQ(sl.seg[2].len, 2 * PG - 100);
	CHECK_EQ(seg_bytes(&sl), 5 * PG - 100);
	/* A list entry with an offset. */
	put64(s, list + 8, 0x30001200);
	CHECK_EQ(map_prp(s, RD, 0x10000000, list, 5 * PG),
		 NVME_SC_PRP_INVALID_OFFSET | DNR);
	/* List pointers are qword aligned. */
	CHECK_EQ(map_prp(s, RD, 0x10000000, list + 4, 5 * PG),
		 NVME_SC_PRP_INVALID_OFFSET | DNR);
	sim_free(s);
}

/* A list that starts 16 bytes before its page ends: data, then a chain. */
UNIT_TEST(prp_list_offset_chain)
{
	struct sim *s = sim_new(NULL);
	u64 pages = sim_alloc(s, 2 * PG, PG);
	u64 next = pages + PG, list = pages + PG - 16;

	put64(s, list, 0x40000000);
	put64(s, list + 8, next);		/* chain */
	put64(s, next, 0x50000000);
	put64(s, next + 8, 0x60000000);
	CHECK_EQ(map_prp(s, RD, 0x10000800, list, 3 * PG + 0x800), 0);
	CHECK_EQ(sl.nr, 4);
	CHECK_EQ(sl.seg[0].len, 0x800);
	CHECK_EQ(sl.seg[1].addr, 0x40000000);
	CHECK_EQ(sl.seg[2].addr, 0x50000000);
	CHECK_EQ(sl.seg[3].addr, 0x60000000);
	CHECK_EQ(sl.seg[3].len, PG);
	/* Exactly filling the first list page: its last slot is data. */
	CHECK_EQ(map_prp(s, RD, 0x10000000, list, 3 * PG), 0);
	CHECK_EQ(sl.nr, 3);
	CHECK_EQ(sl.seg[2].addr, next);
	/* A chain pointer with an offset. */
	put64(s, list + 8, next + 8);
	CHECK_EQ(map_prp(s, RD, 0x10000800, list, 3 * PG + 0x800),
		 NVME_SC_PRP_INVALID_OFFSET | DNR);
	sim_free(s);
}

/* 600 pages through two full list pages; contiguous, so one segment. */
UNIT_TEST(prp_chain_long)
{
	struct sim *s = sim_new(NULL);
	u64 l1 = sim_alloc(s, PG, PG), l2 = sim_alloc(s, PG, PG);
	u64 data = 0x80000000;
	int i;

	/* PRP1 is page 0, list entries pages 1..599. */
	for (i = 0; i < 511; i++)
		put64(s, l1 + 8 * i, data + (u64)(i + 1) * PG);
	put64(s, l1 + 8 * 511, l2);
	for (i = 0; i < 88; i++)
		put64(s, l2 + 8 * i, data + (u64)(i + 512) * PG);
	CHECK_EQ(map_prp(s, RD, data, l1, 600 * PG), 0);
	CHECK_EQ(sl.nr, 1);
	CHECK_EQ(sl.seg[0].len, 600 * PG);
	/* Scattered pages overflow NEPF_MAX_SEGS: Data Transfer Error. */
	for (i = 0; i < 511; i += 2)
		put64(s, l1 + 8 * i, 0x70000000 + (u64)i * 2 * PG);
	CHECK_EQ(map_prp(s, RD, data, l1, 600 * PG), NVME_SC_DATA_XFER_ERROR | DNR);
	sim_free(s);
}

/*
 * The largest MDTS in scattered pages, the first at an offset (an unaligned
 * 1 MiB buffer): NEPF_MAX_SEGS segments, all of them used; one page more
 * is a Data Transfer Error.
 */
UNIT_TEST(prp_max_xfer_unaligned_scattered)
{
	struct sim *s = sim_new(NULL);
	u64 list = sim_alloc(s, PG, PG);
	u32 len = NEPF_MAX_XFER_KB * 1024, off = 0x200;
	u64 page = 0x70000000;		/* page i at page + 2 * i * PG */
	unsigned int i;

	for (i = 1; i < NEPF_MAX_SEGS + 1; i++)
		put64(s, list + 8 * (i - 1), page + 2ULL * i * PG);
	CHECK_EQ(map_prp(s, RD, page + off, list, len), 0);
	CHECK_EQ(sl.nr, NEPF_MAX_SEGS);
	CHECK_EQ(seg_bytes(&sl), len);
	CHECK_EQ(sl.seg[0].len, PG - off);
	CHECK_EQ(sl.seg[NEPF_MAX_SEGS - 1].addr, page + 2ULL * (NEPF_MAX_SEGS - 1) * PG);
	CHECK_EQ(sl.seg[NEPF_MAX_SEGS - 1].len, off);
	CHECK_EQ(map_prp(s, RD, page + off, list, len + PG), NVME_SC_DATA_XFER_ERROR | DNR);
	sim_free(s);
}

/* A list chaining to itself ends when the transfer length is described. */
UNIT_TEST(prp_chain_to_itself)
{
	struct sim *s = sim_new(NULL);
	u64 l1 = sim_alloc(s, PG, PG);
	int i;

	for (i = 0; i < 511; i++)
		put64(s, l1 + 8 * i, 0x90000000);
	put64(s, l1 + 8 * 511, l1);
	CHECK_EQ(map_prp(s, RD, 0x90000000, l1, 2000 * PG),
		 NVME_SC_DATA_XFER_ERROR | DNR);
	CHECK_EQ(map_prp(s, RD, 0x90000000, l1, 1500 * PG),
		 NVME_SC_DATA_XFER_ERROR | DNR);
	sim_free(s);
}

UNIT_TEST(prp_list_unreadable)
{
	struct sim *s = sim_new(NULL);

	/* Host memory the environment cannot reach. */
	CHECK_EQ(map_prp(s, RD, 0x10000000, 0x1000, 3 * PG), NVME_SC_DATA_XFER_ERROR);
	sim_free(s);
}

UNIT_TEST(prp_len_zero_and_mdts)
{
	struct sim *s = sim_new(NULL);
	struct nepf_xfer_limits lim = { .page_size = PG, .max_len = 2 * PG };
	struct nvme_sqe sqe;

	CHECK_EQ(map_prp(s, RD, 0x10000001, 0, 0), 0);	/* nothing checked */
	CHECK_EQ(sl.nr, 0);
	CHECK_EQ(seg_bytes(&sl), 0);
	sim_sqe(&sqe, RD);
	sqe.dptr.prp1 = cpu_to_le64(0x10000000);
	sqe.dptr.prp2 = cpu_to_le64(0x20000000);
	CHECK_EQ(nepf_map_data_lim(&s->ctrl, &sqe, 2 * PG, &lim, &sl), 0);
	CHECK_EQ(nepf_map_data_lim(&s->ctrl, &sqe, 2 * PG + 4, &lim, &sl),
		 NVME_SC_INVALID_FIELD | DNR);
	/* nepf_map_data() takes MDTS from the configuration (128 KiB). */
	s->ctrl.page_size = PG;
	CHECK_EQ(nepf_map_data(&s->ctrl, s->ctrl.gen, &sqe, 128 * 1024 + 512, &sl),
		 NVME_SC_INVALID_FIELD | DNR);
	sim_free(s);
}

UNIT_TEST(prp_psdt)
{
	struct sim *s = sim_new(NULL);
	struct nvme_sqe sqe;

	s->ctrl.page_size = PG;
	s->ctrl.cfg.sgl = true;
	sim_sqe(&sqe, RD);
	sqe.dptr.sgl.addr = cpu_to_le64(0x10000000);
	sqe.dptr.sgl.length = cpu_to_le32(512);
	sqe.flags |= NVME_CMD_PSDT_RESERVED;
	CHECK_EQ(nepf_map_data(&s->ctrl, s->ctrl.gen, &sqe, 512, &sl), NVME_SC_INVALID_FIELD | DNR);
	sqe.flags &= ~NVME_CMD_PSDT_MASK;
	sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_SGL;
	CHECK_EQ(nepf_map_data(&s->ctrl, s->ctrl.gen, &sqe, 512, &sl), 0);
	/* Admin commands never take SGLs; I/O only when configured. */
	CHECK_EQ(nepf_map_admin_data(&s->ctrl, s->ctrl.gen, &sqe, 512, &sl),
		 NVME_SC_INVALID_FIELD | DNR);
	s->ctrl.cfg.sgl = false;
	CHECK_EQ(nepf_map_data(&s->ctrl, s->ctrl.gen, &sqe, 512, &sl), NVME_SC_INVALID_FIELD | DNR);
	sim_free(s);
}

UNIT_TEST(sgl_data_block)
{
	struct sim *s = sim_new(NULL);

	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_DATA_BLOCK, 0x10000003, 1000, 1000), 0);
	CHECK_EQ(sl.nr, 1);
	CHECK_EQ(sl.seg[0].addr, 0x10000003);
	CHECK_EQ(sl.seg[0].len, 1000);
	/* Longer than the transfer: the excess is ignored (SGLS bit 18). */
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 8192, 1000), 0);
	CHECK_EQ(seg_bytes(&sl), 1000);
	/* Shorter: Data SGL Length Invalid. */
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 999, 1000),
		 NVME_SC_SGL_INVALID_DATA | DNR);
	/* Wrapping around the top of the address space. */
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_DATA_BLOCK, ~0ULL - 99, 1000, 1000),
		 NVME_SC_SGL_INVALID_DATA | DNR);
	sim_free(s);
}

UNIT_TEST(sgl_last_segment)
{
	struct sim *s = sim_new(NULL);
	u64 seg = sim_alloc(s, 64, 16);

	put_desc(s, seg, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 512);
	put_desc(s, seg + 16, NVME_SGL_TYPE_DATA_BLOCK, 0x10000200, 512);
	put_desc(s, seg + 32, NVME_SGL_TYPE_DATA_BLOCK, 0x20000000, 0);
	put_desc(s, seg + 48, NVME_SGL_TYPE_DATA_BLOCK, 0x30000000, 1024);
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_LAST_SEGMENT, seg, 64, 2048), 0);
	CHECK_EQ(sl.nr, 2);			/* merged, empty one skipped */
	CHECK_EQ(sl.seg[0].len, 1024);
	CHECK_EQ(sl.seg[1].addr, 0x30000000);
	/* A segment descriptor inside the last segment. */
	put_desc(s, seg + 48, NVME_SGL_TYPE_SEGMENT, seg, 16);
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_LAST_SEGMENT, seg, 64, 2048),
		 NVME_SC_SGL_INVALID_LAST | DNR);
	/* Segment lengths: whole descriptors, not zero. */
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_LAST_SEGMENT, seg, 40, 1024),
		 NVME_SC_SGL_INVALID_LAST | DNR);
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_LAST_SEGMENT, seg, 0, 1024),
		 NVME_SC_SGL_INVALID_LAST | DNR);
	/* Unreadable segment. */
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_LAST_SEGMENT, 0x1000, 32, 1024),
		 NVME_SC_DATA_XFER_ERROR);
	sim_free(s);
}

UNIT_TEST(sgl_segment_chain_bit_bucket)
{
	struct sim *s = sim_new(NULL);
	u64 a = sim_alloc(s, 32, 16), b = sim_alloc(s, 32, 16);
	u64 c = sim_alloc(s, 48, 16);

	put_desc(s, a, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 512);
	put_desc(s, a + 16, NVME_SGL_TYPE_SEGMENT, b, 32);
	put_desc(s, b, NVME_SGL_TYPE_BIT_BUCKET, 0, 256);
	put_desc(s, b + 16, NVME_SGL_TYPE_LAST_SEGMENT, c, 48);
	put_desc(s, c, NVME_SGL_TYPE_BIT_BUCKET, 0, 256);
	put_desc(s, c + 16, NVME_SGL_TYPE_DATA_BLOCK, 0x20000000, 1024);
	put_desc(s, c + 32, NVME_SGL_TYPE_DATA_BLOCK, 0x30000000, 1024);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_SEGMENT, a, 32, 2048), 0);
	CHECK_EQ(sl.nr, 3);
	CHECK_EQ(sl.seg[1].addr, NEPF_SEG_BITBUCKET);	/* merged buckets */
	CHECK_EQ(sl.seg[1].len, 512);
	CHECK_EQ(sl.seg[2].addr, 0x20000000);
	CHECK_EQ(sl.seg[2].len, 1024);
	CHECK_EQ(seg_bytes(&sl), 2048);
	/* Bit buckets only for data going to the host. */
	CHECK_EQ(map_sgl(s, WR, NVME_SGL_TYPE_SEGMENT, a, 32, 2048),
		 NVME_SC_SGL_INVALID_TYPE | DNR);
	/* A segment descriptor that is not its segment's last one. */
	put_desc(s, a, NVME_SGL_TYPE_SEGMENT, b, 32);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_SEGMENT, a, 32, 2048),
		 NVME_SC_SGL_INVALID_LAST | DNR);
	sim_free(s);
}

/* A segment pointing to itself ends at NEPF_SGL_MAX_DESCS descriptors. */
UNIT_TEST(sgl_segment_loop)
{
	struct sim *s = sim_new(NULL);
	u64 a = sim_alloc(s, 32, 16);

	put_desc(s, a, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 0);
	put_desc(s, a + 16, NVME_SGL_TYPE_SEGMENT, a, 32);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_SEGMENT, a, 32, 512),
		 NVME_SC_SGL_INVALID_COUNT | DNR);
	/* With data in it, the walk ends when the length is described. */
	put_desc(s, a, NVME_SGL_TYPE_DATA_BLOCK, 0x10000000, 16);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_SEGMENT, a, 32, 512), 0);
	CHECK_EQ(sl.nr, 32);
	sim_free(s);
}

UNIT_TEST(sgl_descriptor_types)
{
	static const u8 bad[] = {
		NVME_SGL_ID(NVME_SGL_TYPE_KEYED_DATA_BLOCK, 0),
		NVME_SGL_ID(NVME_SGL_TYPE_TRANSPORT_DATA, 0),
		NVME_SGL_ID(6, 0),
		NVME_SGL_ID(NVME_SGL_TYPE_VENDOR, 0),
		NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK, NVME_SGL_SUBTYPE_OFFSET),
		NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK, NVME_SGL_SUBTYPE_TRANSPORT),
		NVME_SGL_ID(NVME_SGL_TYPE_LAST_SEGMENT, NVME_SGL_SUBTYPE_OFFSET),
	};
	struct sim *s = sim_new(NULL);
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		sim_sqe(&sqe, RD);
		sqe.flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
		sqe.dptr.sgl.addr = cpu_to_le64(0x10000000);
		sqe.dptr.sgl.length = cpu_to_le32(512);
		sqe.dptr.sgl.type = bad[i];
		CHECK_EQ(nepf_map_data_lim(&s->ctrl, &sqe, 512, &with_sgl, &sl),
			 NVME_SC_SGL_INVALID_TYPE | DNR);
	}
	sim_free(s);
}

UNIT_TEST(seglist_copy)
{
	struct sim *s = sim_new(NULL);
	u64 a = sim_alloc(s, 64, 16), b = sim_alloc(s, 64, 16);
	static u8 buf[96], back[96];	/* not on the stack: see simhost.c */
	int i;

	for (i = 0; i < 96; i++)
		buf[i] = i;
	sl.nr = 3;
	sl.seg[0] = (struct nepf_seg){ a, 32 };
	sl.seg[1] = (struct nepf_seg){ NEPF_SEG_BITBUCKET, 32 };
	sl.seg[2] = (struct nepf_seg){ b, 32 };
	CHECK_EQ(nepf_seglist_to_host(&s->ctrl, &sl, buf), 0);
	CHECK(!memcmp(sim_ptr(s, a), buf, 32));
	CHECK(!memcmp(sim_ptr(s, b), buf + 64, 32));
	memset(back, 0xee, sizeof(back));
	CHECK_EQ(nepf_seglist_from_host(&s->ctrl, &sl, back), 0);
	CHECK(!memcmp(back, buf, 32));
	CHECK_EQ(back[40], 0xee);		/* bit bucket: untouched */
	CHECK(!memcmp(back + 64, buf + 64, 32));
	s->fail_host_write = true;
	CHECK_EQ(nepf_seglist_to_host(&s->ctrl, &sl, buf), NVME_SC_DATA_XFER_ERROR);
	sim_free(s);
}

/* The CMB holds no PRP lists, SGL segments or data (CMBSZ: SQS only). */
UNIT_TEST(prp_sgl_cmb_invalid_use)
{
	struct nepf_ctrl_config cfg;
	const u64 cba = 0x4000000000ULL;
	const u16 bad = NVME_SC_CMB_INVALID_USE | DNR;
	struct sim *s;
	u64 host, list;

	sim_default_config(&cfg);
	cfg.cmb_off = 0x4000;
	cfg.cmb_size = 0x10000;
	s = sim_new(&cfg);
	host = sim_alloc(s, 4 * PG, PG);
	list = sim_alloc(s, PG, PG);
	sim_cmb_enable(s, cba);
	nepf_regs_cmb_msc(&s->ctrl);
	/* PRP1, PRP2 as a data page, PRP2 as a list, an entry of a list. */
	CHECK_EQ(map_prp(s, RD, cba, 0, 512), bad);
	CHECK_EQ(map_prp(s, WR, host, cba, 2 * PG), bad);
	CHECK_EQ(map_prp(s, RD, host, cba + 8, 3 * PG), bad);
	put64(s, list, host + PG);
	put64(s, list + 8, cba + PG);
	CHECK_EQ(map_prp(s, RD, host, list, 3 * PG), bad);
	/* The same out of the CMB passes. */
	put64(s, list + 8, host + 2 * PG);
	CHECK_EQ(map_prp(s, RD, host, list, 3 * PG), 0);
	CHECK_EQ(map_prp(s, RD, cba + 0x10000, 0, 512), 0);
	/* SGL: a data block, a segment, a data block in a segment. */
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_DATA_BLOCK, cba + 512, 512, 512), bad);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_LAST_SEGMENT, cba, 16, 512), bad);
	put_desc(s, list, NVME_SGL_TYPE_DATA_BLOCK, cba, 512);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_LAST_SEGMENT, list, 16, 512), bad);
	put_desc(s, list, NVME_SGL_TYPE_DATA_BLOCK, host, 512);
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_LAST_SEGMENT, list, 16, 512), 0);
	/* A bit bucket has no address: nothing to refuse. */
	CHECK_EQ(map_sgl(s, RD, NVME_SGL_TYPE_BIT_BUCKET, cba, 512, 512), 0);
	/* CMSE off: the CMB's addresses are host memory. */
	sim_wr32(s, NVME_REG_CMBMSC, NVME_CMBMSC_CRE);
	nepf_regs_cmb_msc(&s->ctrl);
	CHECK_EQ(map_prp(s, RD, cba, 0, 512), 0);
	sim_free(s);
}
