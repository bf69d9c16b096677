// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-cases.c - what a broken host does, and what the NVMe base
 * specification says the controller must answer.  One PASS:/FAIL: line per
 * case; a case passes only if the answer is exact AND a normal write +
 * read-back works afterwards (the controller is re-initialised when it
 * does not, so that one failure does not hide the next cases).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include "hostile.h"

#define PS		4096U
#define IO_LBA_BYTES	SZ_1M		/* byte offset the normal I/O uses */
#define HALF		(H_BUF_SIZE / 2)

/* Status codes in the report: 0x%03x = SCT << 8 | SC. */

static dma_addr_t unmapped_dma(struct hostile *h)
{
	/* vepc's checking IOMMU is 1:1: the page's physical address. */
	return page_to_phys(h->unmapped);
}

static u32 nlb_of(struct hostile *h, u32 bytes)
{
	return bytes >> h->lba_shift;
}

static u64 lba_of(struct hostile *h, u64 byte)
{
	return byte >> h->lba_shift;
}

/* Write @len bytes of @buf_off at @byte, PRP (one list when needed). */
static u16 prp_rw(struct hostile *h, bool write, u64 byte, u32 buf_off, u32 len)
{
	__le64 *list = (__le64 *)h->list;
	struct nvme_command c;
	u32 i, n = len / PS;

	h_rw(h, &c, write, lba_of(h, byte), nlb_of(h, len));
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma + buf_off);
	if (n == 2) {
		c.common.dptr.prp2 = cpu_to_le64(h->buf_dma + buf_off + PS);
	} else if (n > 2) {
		for (i = 1; i < n; i++)
			list[i - 1] = cpu_to_le64(h->buf_dma + buf_off + i * PS);
		c.common.dptr.prp2 = cpu_to_le64(h->list_dma);
	}
	return h_io(h, &c);
}

/* A normal 8 KiB write and read-back; 0 or a reason. */
static const char *normal_io(struct hostile *h)
{
	u16 st;

	get_random_bytes(h->buf, 8192);
	memset(h->buf + HALF, 0, 8192);
	st = prp_rw(h, true, IO_LBA_BYTES, 0, 8192);
	if (st)
		return st == ST_TIMEOUT ? "write timed out" : "write failed";
	st = prp_rw(h, false, IO_LBA_BYTES, HALF, 8192);
	if (st)
		return st == ST_TIMEOUT ? "read timed out" : "read failed";
	if (memcmp(h->buf, h->buf + HALF, 8192))
		return "read-back differs";
	return NULL;
}

static void verdict(struct hostile *h, const char *name, const char *why)
{
	const char *io = normal_io(h);

	if (!why && !io) {
		h->passed++;
		h_out(h, "PASS: hostile-%s%s\n", name, h->suffix);
		return;
	}
	h->failed++;
	h_out(h, "FAIL: hostile-%s%s (%s%s%s)\n", name, h->suffix, why ?: "",
	      why && io ? "; then " : "", io ? io : "");
	if (io && h_setup(h))
		h_out(h, "    | controller setup failed after %s\n", name);
}

static char why_buf[128];

static void expect(struct hostile *h, const char *name, u16 got, u16 want)
{
	const char *why = NULL;

	if (got != want) {
		snprintf(why_buf, sizeof(why_buf), "status %#05x, want %#05x", got, want);
		why = why_buf;
	}
	verdict(h, name, why);
}

/*
 * A transfer to or from memory the host did not map.  Without any DMA the
 * function moves data through outbound windows only, where such a read
 * returns all-ones and such a write is dropped, with nothing the function
 * can see (on a board: an Unsupported Request): no error to expect.
 */
static bool skip_unmapped(struct hostile *h, const char *name)
{
	if (!h->windows_only)
		return false;
	h_out(h, "SKIP: hostile-%s%s (no DMA: an unmapped host address reads all-ones and drops writes through a window, invisible to the function)\n",
	      name, h->suffix);
	return true;
}

static void expect_unmapped(struct hostile *h, const char *name, u16 got,
			    u16 want)
{
	if (!skip_unmapped(h, name))
		expect(h, name, got, want);
}

/* ---- registers ---- */

#define H_CAP_CMBS	BIT_ULL(57)	/* CAP.CMBS: CMBLOC/CMBSZ are there */

static void case_ro_registers(struct hostile *h)
{
	u64 cap = h_rd64(h, NVME_REG_CAP);
	u32 vs = h_rd32(h, NVME_REG_VS);
	/* A function with a CMB (cmb=1) shows it there, else both read 0. */
	u32 cmbloc = h_rd32(h, NVME_REG_CMBLOC);
	u32 cmbsz = h_rd32(h, NVME_REG_CMBSZ);
	const char *why = NULL;

	h_wr64(h, NVME_REG_CAP, ~cap);
	h_wr32(h, NVME_REG_VS, ~vs);
	h_wr32(h, NVME_REG_CSTS, ~0U);
	h_wr32(h, NVME_REG_NSSR, 0x4e564d65);	/* "NVMe": CAP.NSSRS is 0 */
	h_wr32(h, NVME_REG_CMBLOC, ~0U);
	h_wr32(h, NVME_REG_CMBSZ, ~0U);
	h_wr32(h, NVME_REG_BPINFO, ~0U);
	h_wr32(h, NVME_REG_PMRCAP, ~0U);
	msleep(100);	/* BAR0 is memory: the controller's poll undoes writes */
	if (h_rd64(h, NVME_REG_CAP) != cap)
		why = "CAP changed";
	else if (h_rd32(h, NVME_REG_VS) != vs)
		why = "VS changed";
	else if (h_rd32(h, NVME_REG_CSTS) != NVME_CSTS_RDY)
		why = "CSTS is not just RDY";
	else if (h_rd32(h, NVME_REG_NSSR))
		why = "NSSR does not read 0";
	else if (h_rd32(h, NVME_REG_CMBLOC) != cmbloc ||
		 h_rd32(h, NVME_REG_CMBSZ) != cmbsz)
		why = "CMBLOC/CMBSZ changed";
	else if (!(cap & H_CAP_CMBS) && (cmbloc || cmbsz))
		why = "CMBLOC/CMBSZ not 0 (no CMB)";
	else if (h_rd32(h, NVME_REG_BPINFO))
		why = "BPINFO not 0 (no boot partitions)";
	else if (h_rd32(h, NVME_REG_PMRCAP))
		why = "PMRCAP not 0 (no PMR)";
	verdict(h, "ro-registers", why);
}

/*
 * MLBAR bits 13:4 are reserved (read 0): the smallest BAR0 a host can
 * size is 16 KiB, and some firmware and drivers refuse less.
 */
static void case_bar0_size(struct hostile *h)
{
	resource_size_t len = pci_resource_len(h->pdev, 0);

	snprintf(why_buf, sizeof(why_buf), "BAR0 is %llu bytes",
		 (unsigned long long)len);
	verdict(h, "bar0-at-least-16k", len < SZ_16K ? why_buf : NULL);
}

static void case_reserved_registers(struct hostile *h)
{
	u32 off;

	/* Reserved space and the unused doorbells of the last BAR page. */
	for (off = 0x70; off < 0xe00; off += 4)
		h_wr32(h, off, ~0U);
	h_wr32(h, pci_resource_len(h->pdev, 0) - 4, 7);
	msleep(50);
	verdict(h, "reserved-registers", h_rd32(h, NVME_REG_CSTS) != NVME_CSTS_RDY ?
		"CSTS changed" : NULL);
}

/* ---- asynchronous events for bad doorbells ---- */

static void aer_submit(struct hostile *h)
{
	struct nvme_command c = { };

	c.common.opcode = nvme_admin_async_event;
	c.common.command_id = H_AER_CID;
	h->aer_done = false;
	h->aer_pending = true;
	h_submit(h, &h->asq, &c);
}

/* Error log page, RAE = 0: error events may come again. */
static u16 read_error_log(struct hostile *h)
{
	struct nvme_command c = { };

	c.common.opcode = nvme_admin_get_log_page;
	c.common.nsid = cpu_to_le32(NVME_NSID_ALL);
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma + HALF);
	c.common.cdw10 = cpu_to_le32(NVME_LOG_ERROR | (64 / 4 - 1) << 16);
	return h_admin(h, &c, NULL);
}

/*
 * Wait for the AER; a Get Features keeps the admin CQ being looked at.
 * Up to about 3 s: a live controller whose registers the host left alone
 * looks for doorbells of absent queues once a second (poll.c), and a TCG
 * guest may stretch that.
 */
static const char *aer_expect(struct hostile *h, u32 want)
{
	struct nvme_command c = { };
	int i;

	for (i = 0; i < 150 && !h->aer_done; i++) {
		memset(&c, 0, sizeof(c));
		c.common.opcode = nvme_admin_get_features;
		c.common.cdw10 = cpu_to_le32(NVME_FEAT_NUM_QUEUES);
		h_admin(h, &c, NULL);
		msleep(20);
	}
	if (!h->aer_done)
		return "no asynchronous event";
	if ((h->aer_result & 0xffffff) != want) {
		snprintf(why_buf, sizeof(why_buf), "event %#08x, want %#08x",
			 h->aer_result, want);
		return why_buf;
	}
	if (read_error_log(h))
		return "error log page failed";
	return NULL;
}

/* Event result: type 0 (error), info, log page 01h. */
#define AEN_ERR(info)	((u32)NVME_LOG_ERROR << 16 | (info) << 8 | NVME_AER_ERROR)

static void case_sq_doorbell_past_size(struct hostile *h)
{
	aer_submit(h);
	h_sq_doorbell(h, HQ_IOQID, h->iosq.size + 3);
	msleep(20);
	/* Ignored; the real tail again, as a host recovering would write. */
	h_sq_doorbell(h, HQ_IOQID, h->iosq.tail);
	verdict(h, "sq-doorbell-past-size", aer_expect(h, AEN_ERR(1)));
}

static void case_cq_doorbell_past_size(struct hostile *h)
{
	aer_submit(h);
	/*
	 * The controller reads a CQ head when it posts: the next completion
	 * finds the bad value (our own poll then writes the real head).
	 */
	h_cq_doorbell(h, HQ_IOQID, h->iocq.size);
	if (normal_io(h)) {
		verdict(h, "cq-doorbell-past-size", "I/O after the bad head failed");
		return;
	}
	verdict(h, "cq-doorbell-past-size", aer_expect(h, AEN_ERR(1)));
}

static void case_doorbell_no_queue(struct hostile *h)
{
	aer_submit(h);
	h_sq_doorbell(h, 3, 1);		/* queue 3 was never created */
	msleep(20);
	verdict(h, "doorbell-nonexistent-queue", aer_expect(h, AEN_ERR(0)));
}

/* ---- admin: opcodes, queue creation and deletion ---- */

static void case_admin_opcode(struct hostile *h)
{
	struct nvme_command c = { };

	c.common.opcode = 0x3f;		/* reserved */
	expect(h, "admin-invalid-opcode", h_admin(h, &c, NULL), ST_INVALID_OPCODE);
}

static void case_queue_create(struct hostile *h)
{
	dma_addr_t q = h->buf_dma + HALF;	/* page aligned, unused */
	u32 pc = NVME_QUEUE_PHYS_CONTIG;
	u16 st;

	h_create_cq(h, 0, 8, q, pc, 0, &st);
	expect(h, "create-cq-qid-0", st, ST_QID_INVALID);
	h_create_cq(h, 0xffff, 8, q, pc, 0, &st);
	expect(h, "create-cq-qid-ffff", st, ST_QID_INVALID);
	h_create_cq(h, HQ_IOQID, 8, q, pc, 0, &st);
	expect(h, "create-cq-qid-in-use", st, ST_QID_INVALID);
	h_create_cq(h, 2, 1, q, pc, 0, &st);
	expect(h, "create-cq-size-1", st, ST_QUEUE_SIZE);
	h_create_cq(h, 2, h->mqes + 2, q, pc, 0, &st);
	expect(h, "create-cq-size-past-mqes", st, ST_QUEUE_SIZE);
	h_create_cq(h, 2, 8, q, 0, 0, &st);	/* CAP.CQR = 1 */
	expect(h, "create-cq-pc-0", st,
	       (h->cap & H_CAP_CQR) ? ST_INVALID_FIELD : ST_OK);
	if (!st)
		h_delete_q(h, nvme_admin_delete_cq, 2);
	h_create_cq(h, 2, 8, q, pc | NVME_CQ_IRQ_ENABLED, 2047, &st);
	expect(h, "create-cq-vector-2047", st, ST_INVALID_VECTOR);
	h_create_cq(h, 2, 8, q + 1024, pc, 0, &st);
	expect(h, "create-cq-prp-offset", st, ST_PRP_OFFSET);

	h_create_sq(h, 2, 8, q, pc, 3, &st);	/* CQ 3 does not exist */
	expect(h, "create-sq-cq-absent", st, ST_CQ_INVALID);
	h_create_sq(h, 2, 8, q, pc, 0, &st);	/* the admin CQ */
	expect(h, "create-sq-cq-0", st, ST_CQ_INVALID);
	h_create_sq(h, 0, 8, q, pc, HQ_IOQID, &st);
	expect(h, "create-sq-qid-0", st, ST_QID_INVALID);
	h_create_sq(h, 2, 1, q, pc, HQ_IOQID, &st);
	expect(h, "create-sq-size-1", st, ST_QUEUE_SIZE);
	h_create_sq(h, 2, 8, q, 0, HQ_IOQID, &st);
	expect(h, "create-sq-pc-0", st,
	       (h->cap & H_CAP_CQR) ? ST_INVALID_FIELD : ST_OK);
	if (!st)
		h_delete_q(h, nvme_admin_delete_sq, 2);
}

static void case_queue_delete(struct hostile *h)
{
	expect(h, "delete-cq-with-sq", h_delete_q(h, nvme_admin_delete_cq, HQ_IOQID),
	       ST_QUEUE_DELETE);
	expect(h, "delete-sq-0", h_delete_q(h, nvme_admin_delete_sq, 0), ST_QID_INVALID);
	expect(h, "delete-cq-0", h_delete_q(h, nvme_admin_delete_cq, 0), ST_QID_INVALID);
	expect(h, "delete-sq-absent", h_delete_q(h, nvme_admin_delete_sq, 3),
	       ST_QID_INVALID);
}

/* ---- I/O commands and data pointers ---- */

static void case_io_fields(struct hostile *h)
{
	struct nvme_command c;

	h_rw(h, &c, false, 0, 1);
	c.common.opcode = 0x7e;		/* reserved */
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
	expect(h, "io-invalid-opcode", h_io(h, &c), ST_INVALID_OPCODE);
	h_rw(h, &c, false, 0, 1);
	c.common.nsid = cpu_to_le32(0xdead);
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
	expect(h, "io-invalid-nsid", h_io(h, &c), ST_INVALID_NS);
	h_rw(h, &c, false, h->nsze - 1, 2);
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
	c.common.dptr.prp2 = cpu_to_le64(h->buf_dma + PS);
	expect(h, "io-lba-past-end", h_io(h, &c), ST_LBA_RANGE);
}

/* A read of @len at the normal I/O's LBA with the given PRPs. */
static u16 read_prp(struct hostile *h, u32 len, u64 prp1, u64 prp2)
{
	struct nvme_command c;

	h_rw(h, &c, false, lba_of(h, IO_LBA_BYTES), nlb_of(h, len));
	c.common.dptr.prp1 = cpu_to_le64(prp1);
	c.common.dptr.prp2 = cpu_to_le64(prp2);
	return h_io(h, &c);
}

static void case_prp(struct hostile *h)
{
	__le64 *list = (__le64 *)h->list;
	dma_addr_t b = h->buf_dma, bad = unmapped_dma(h);

	expect(h, "prp1-not-dword-aligned", read_prp(h, PS, b + 2, 0), ST_PRP_OFFSET);
	expect(h, "prp2-page-offset", read_prp(h, 2 * PS, b, b + PS + 512),
	       ST_PRP_OFFSET);
	list[0] = cpu_to_le64(b + PS);
	list[1] = cpu_to_le64(b + 2 * PS + 0x200);
	list[2] = cpu_to_le64(b + 3 * PS);
	expect(h, "prp-list-entry-offset", read_prp(h, 4 * PS, b, h->list_dma),
	       ST_PRP_OFFSET);
	expect(h, "prp-list-not-qword-aligned",
	       read_prp(h, 4 * PS, b, h->list_dma + 4), ST_PRP_OFFSET);

	/* Outside what the host mapped: Data Transfer Error, nothing moved. */
	memset(page_address(h->unmapped), 0x5a, PAGE_SIZE);
	expect_unmapped(h, "read-prp1-unmapped", read_prp(h, PS, bad, 0),
			ST_DATA_XFER);
	expect_unmapped(h, "read-prp2-unmapped", read_prp(h, 2 * PS, b, bad),
			ST_DATA_XFER);
	/*
	 * A PRP list is shorter than nvme_epf's dma_min_len: it is read
	 * through an outbound window, where a refused read returns all-ones
	 * with no error the function can see (like an Unsupported Request):
	 * entries of all-ones have a bad offset.  With dma_min_len=1 the read
	 * goes through DMA, whose failure is a Data Transfer Error.
	 */
	expect(h, "prp-list-unmapped", read_prp(h, 4 * PS, b, bad),
	       h->dma_all ? ST_DATA_XFER : ST_PRP_OFFSET);
	list[0] = cpu_to_le64(b + PS);
	list[1] = cpu_to_le64(bad);
	list[2] = cpu_to_le64(b + 3 * PS);
	expect_unmapped(h, "prp-list-entry-unmapped",
			read_prp(h, 4 * PS, b, h->list_dma), ST_DATA_XFER);
	verdict(h, "unmapped-page-untouched",
		memchr_inv(page_address(h->unmapped), 0x5a, PAGE_SIZE) ?
		"the controller wrote into an unmapped page" : NULL);
}

/* A write from an unmapped page fails and leaves the media unchanged. */
static void case_write_unmapped(struct hostile *h)
{
	struct nvme_command c;
	const char *why = NULL;
	u16 st;

	if (skip_unmapped(h, "write-prp1-unmapped"))
		return;
	get_random_bytes(h->buf, PS);
	if (prp_rw(h, true, IO_LBA_BYTES, 0, PS)) {
		verdict(h, "write-prp1-unmapped", "preparing write failed");
		return;
	}
	h_rw(h, &c, true, lba_of(h, IO_LBA_BYTES), nlb_of(h, PS));
	c.common.dptr.prp1 = cpu_to_le64(unmapped_dma(h));
	st = h_io(h, &c);
	if (st != ST_DATA_XFER) {
		snprintf(why_buf, sizeof(why_buf), "status %#05x, want %#05x", st,
			 ST_DATA_XFER);
		why = why_buf;
	} else if (prp_rw(h, false, IO_LBA_BYTES, HALF, PS) ||
		   memcmp(h->buf, h->buf + HALF, PS)) {
		why = "the failed write changed the media";
	}
	verdict(h, "write-prp1-unmapped", why);
}

static void case_mdts(struct hostile *h)
{
	u32 len = h->max_xfer + PS;

	if (!h->max_xfer || len > HALF) {
		h_out(h, "SKIP: hostile-mdts-exceeded (MDTS %u bytes)\n", h->max_xfer);
		return;
	}
	expect(h, "mdts-exceeded", prp_rw(h, false, IO_LBA_BYTES, 0, len),
	       ST_INVALID_FIELD);
	expect(h, "mdts-exact", prp_rw(h, false, IO_LBA_BYTES, 0, h->max_xfer), ST_OK);
}

/* ---- SGLs ---- */

static void sgl_set(struct nvme_sgl_desc *d, u64 addr, u32 len, u8 type)
{
	d->addr = cpu_to_le64(addr);
	d->length = cpu_to_le32(len);
	memset(d->rsvd, 0, sizeof(d->rsvd));
	d->type = type;
}

static u16 read_sgl(struct hostile *h, u32 len, u64 addr, u32 dlen, u8 type)
{
	struct nvme_command c;

	h_rw(h, &c, false, lba_of(h, IO_LBA_BYTES), nlb_of(h, len));
	c.common.flags = NVME_CMD_SGL_METABUF;
	sgl_set(&c.common.dptr.sgl, addr, dlen, type);
	return h_io(h, &c);
}

#define SGL_DATA	(NVME_SGL_FMT_DATA_DESC << 4)
#define SGL_SEG		(NVME_SGL_FMT_SEG_DESC << 4)
#define SGL_LAST	(NVME_SGL_FMT_LAST_SEG_DESC << 4)

static void case_sgl(struct hostile *h)
{
	struct nvme_sgl_desc *seg = (struct nvme_sgl_desc *)h->list;
	dma_addr_t b = h->buf_dma;
	const char *why = NULL;
	u16 st;

	if (!(h->sgls & 3)) {
		h_out(h, "SKIP: hostile-sgl (SGLs not supported)\n");
		return;
	}
	/* Byte-aligned data block: the data of the last normal write. */
	normal_io(h);
	memset(h->buf + HALF, 0, 8192 + 3);
	st = read_sgl(h, 8192, b + HALF + 3, 8192, SGL_DATA);
	if (st)
		why = "status not 0";
	else if (memcmp(h->buf, h->buf + HALF + 3, 8192))
		why = "data differs";
	verdict(h, "sgl-data-block-byte-aligned", why);

	/* A segment whose only descriptor points back at itself. */
	sgl_set(&seg[0], h->list_dma, 16, SGL_SEG);
	expect(h, "sgl-segment-loop", read_sgl(h, 8192, h->list_dma, 16, SGL_SEG),
	       ST_SGL_COUNT);
	/* Two segments pointing at each other. */
	/* Two segments pointing at each other (empty data blocks are legal). */
	sgl_set(&seg[0], b, 0, SGL_DATA);
	sgl_set(&seg[1], h->list_dma + 64, 32, SGL_SEG);
	sgl_set(&seg[4], b, 0, SGL_DATA);
	sgl_set(&seg[5], h->list_dma, 32, SGL_SEG);
	expect(h, "sgl-segment-cycle",
	       read_sgl(h, 8192, h->list_dma, 32, SGL_SEG), ST_SGL_COUNT);

	expect(h, "sgl-length-oversize", read_sgl(h, 8192, b, ~0U, SGL_DATA),
	       (h->sgls & H_SGLS_OVERSIZE) ? ST_OK : ST_SGL_DATA_LEN);
	expect(h, "sgl-length-short", read_sgl(h, 8192, b, 4096, SGL_DATA),
	       ST_SGL_DATA_LEN);
	expect(h, "sgl-address-wraps", read_sgl(h, 8192, ~0ULL - 100, 8192, SGL_DATA),
	       ST_SGL_DATA_LEN);
	expect(h, "sgl-type-reserved", read_sgl(h, 8192, b, 8192, 0x60), ST_SGL_TYPE);
	expect_unmapped(h, "sgl-data-unmapped",
			read_sgl(h, 8192, unmapped_dma(h), 8192, SGL_DATA),
			ST_DATA_XFER);
	/* As prp-list-unmapped: all-ones descriptors have a vendor type. */
	expect(h, "sgl-segment-unmapped",
	       read_sgl(h, 8192, unmapped_dma(h), 32, SGL_LAST),
	       h->dma_all ? ST_DATA_XFER : ST_SGL_TYPE);
}

/* ---- CC.EN and CC.SHN while commands run ---- */

/* Queue @n 64 KiB writes from the buffer without waiting for them. */
static void io_burst(struct hostile *h, unsigned int n)
{
	__le64 *list = (__le64 *)h->list;
	struct nvme_command c;
	unsigned int i, k;

	for (k = 1; k < 16; k++)
		list[k - 1] = cpu_to_le64(h->buf_dma + k * PS);
	for (i = 0; i < n; i++) {
		h_rw(h, &c, true, lba_of(h, (u64)(4 + i) << 20), nlb_of(h, 65536));
		c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
		c.common.dptr.prp2 = cpu_to_le64(h->list_dma);
		h_submit(h, &h->iosq, &c);
	}
}

static void case_disable_during_io(struct hostile *h)
{
	const char *why = NULL;

	io_burst(h, 16);
	h_wr32(h, NVME_REG_CC, h_rd32(h, NVME_REG_CC) & ~NVME_CC_ENABLE);
	if (h_wait_csts(h, NVME_CSTS_RDY, 0, h->timeout_ms))
		why = "CSTS.RDY still 1 after CAP.TO";
	else if (h_rd32(h, NVME_REG_CSTS) & NVME_CSTS_CFS)
		why = "CSTS.CFS set";
	else if (h_setup(h))
		why = "re-enable failed";
	verdict(h, "cc-en-0-during-io", why);
}

static void shutdown_during_io(struct hostile *h, const char *name, u32 shn)
{
	u32 cc = h_rd32(h, NVME_REG_CC);
	const char *why = NULL;

	io_burst(h, 16);
	h_wr32(h, NVME_REG_CC, (cc & ~NVME_CC_SHN_MASK) | shn);
	if (h_wait_csts(h, NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_CMPLT, h->timeout_ms))
		why = "CSTS.SHST not complete after CAP.TO";
	else if (h_rd32(h, NVME_REG_CSTS) & NVME_CSTS_CFS)
		why = "CSTS.CFS set";
	else if (h_setup(h))
		why = "disable + enable after the shutdown failed";
	else if (h_rd32(h, NVME_REG_CSTS) != NVME_CSTS_RDY)
		why = "CSTS.SHST not cleared by the reset";
	verdict(h, name, why);
}

static void case_enable_bad_cc(struct hostile *h)
{
	const char *why = NULL;

	h_disable(h);
	/* CC.MPS 15 (128 MiB pages) is above CAP.MPSMAX. */
	h_wr32(h, NVME_REG_CC, NVME_CC_ENABLE | NVME_CC_IOSQES | NVME_CC_IOCQES |
	       (15 << NVME_CC_MPS_SHIFT));
	if (h_wait_csts(h, NVME_CSTS_CFS, NVME_CSTS_CFS, h->timeout_ms))
		why = "no CSTS.CFS";
	else if (h_rd32(h, NVME_REG_CSTS) & NVME_CSTS_RDY)
		why = "CSTS.RDY with an invalid CC";
	else if (h_setup(h))
		why = "reset after CFS failed";
	verdict(h, "cc-mps-above-max", why);
}

/*
 * ---- MSI-X masking (PCIe 6.0 6.1.4.5): a message the function would send
 * while its vector (Mask bit) or the whole function (Function Mask) is
 * masked is not sent; its Pending Bit is set instead, and the message goes
 * out once unmasked.  Linux masks a vector around every message rewrite
 * (affinity, CPU hotplug): an interrupt lost there leaves a completion
 * the host only finds at its timeout.
 */
#define HQ_IRQ_QID	2	/* the queue pair with an interrupt (vector 1) */

struct h_msix {
	atomic_t count[2];	/* interrupts seen per vector */
	int cap;		/* MSI-X capability offset */
	u32 table, pba;		/* BAR0 offsets of the table and the PBA */
};

static irqreturn_t msix_irq(int irq, void *data)
{
	atomic_inc(data);
	return IRQ_HANDLED;
}

static u16 irq_queue_read(struct hostile *h, struct hq *sq, struct hq *cq)
{
	struct nvme_completion cqe;
	struct nvme_command c;
	int cid;

	h_rw(h, &c, false, lba_of(h, IO_LBA_BYTES), nlb_of(h, PS));
	c.common.dptr.prp1 = cpu_to_le64(h->buf_dma);
	cid = h_submit(h, sq, &c);
	if (h_wait(h, cq, cid, &cqe, 5000))
		return ST_TIMEOUT;
	return (le16_to_cpu(cqe.status) >> 1) & 0x7ff;
}

static bool pba_bit(struct hostile *h, struct h_msix *m, unsigned int vec)
{
	return h_rd32(h, m->pba + vec / 32 * 4) & BIT(vec % 32);
}

/* Vector 1 (@function: the whole function) masked during a completion. */
static const char *masked_completion(struct hostile *h, struct h_msix *m,
				     struct hq *sq, struct hq *cq, bool function)
{
	u32 vc = m->table + PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL;
	unsigned long end;
	const char *why = NULL;
	u16 flags;
	int before;

	pci_read_config_word(h->pdev, m->cap + PCI_MSIX_FLAGS, &flags);
	if (function)
		pci_write_config_word(h->pdev, m->cap + PCI_MSIX_FLAGS,
				      flags | PCI_MSIX_FLAGS_MASKALL);
	else
		h_wr32(h, vc, h_rd32(h, vc) | PCI_MSIX_ENTRY_CTRL_MASKBIT);
	before = atomic_read(&m->count[1]);
	if (irq_queue_read(h, sq, cq))
		why = "the read failed";
	msleep(50);
	if (!why && atomic_read(&m->count[1]) != before)
		why = "interrupt sent while masked";
	else if (!why && !pba_bit(h, m, 1))
		why = "Pending Bit not set while masked";
	if (function)
		pci_write_config_word(h->pdev, m->cap + PCI_MSIX_FLAGS, flags);
	else
		h_wr32(h, vc, h_rd32(h, vc) & ~PCI_MSIX_ENTRY_CTRL_MASKBIT);
	end = jiffies + msecs_to_jiffies(1000);
	while (atomic_read(&m->count[1]) == before && time_before(jiffies, end))
		usleep_range(500, 1000);
	if (why)
		return why;
	if (atomic_read(&m->count[1]) != before + 1)
		return atomic_read(&m->count[1]) == before ?
		       "no interrupt after unmasking" : "more than one interrupt";
	if (pba_bit(h, m, 1))
		return "Pending Bit still set after the message";
	return NULL;
}

static void case_msix_masked(struct hostile *h)
{
	struct pci_dev *pdev = h->pdev;
	struct hq sq = { .qid = HQ_IRQ_QID, .size = HQ_DEPTH };
	struct hq cq = { .qid = HQ_IRQ_QID, .size = HQ_DEPTH, .phase = 1, .cq = true };
	struct h_msix m = { };
	const char *why = NULL;
	u32 pc = NVME_QUEUE_PHYS_CONTIG;
	bool req[2] = { };
	int i, nvec;
	u16 st;

	m.cap = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	nvec = m.cap ? pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX) : -ENODEV;
	if (nvec < 2) {
		h_out(h, "SKIP: hostile-msix-vector-masked (no 2 MSI-X vectors: %d)\n",
		      nvec);
		return;
	}
	pci_read_config_dword(pdev, m.cap + PCI_MSIX_TABLE, &m.table);
	pci_read_config_dword(pdev, m.cap + PCI_MSIX_PBA, &m.pba);
	m.table &= PCI_MSIX_TABLE_OFFSET;
	m.pba &= PCI_MSIX_PBA_OFFSET;
	for (i = 0; i < 2; i++) {
		atomic_set(&m.count[i], 0);
		req[i] = !request_irq(pci_irq_vector(pdev, i), msix_irq, 0,
				      "nvme_hostile", &m.count[i]);
		if (!req[i])
			why = "request_irq failed";
	}
	sq.ring = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &sq.dma, GFP_KERNEL);
	cq.ring = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &cq.dma, GFP_KERNEL);
	if (!why && (!sq.ring || !cq.ring))
		why = "no memory";
	if (!why && (h_create_cq(h, HQ_IRQ_QID, HQ_DEPTH, cq.dma,
				 pc | NVME_CQ_IRQ_ENABLED, 1, &st) ||
		     h_create_sq(h, HQ_IRQ_QID, HQ_DEPTH, sq.dma, pc, HQ_IRQ_QID, &st)))
		why = "creating the queue pair failed";
	if (!why && irq_queue_read(h, &sq, &cq))
		why = "unmasked read failed";
	if (!why && atomic_read(&m.count[1]) != 1)
		why = "no interrupt on vector 1 while unmasked";
	verdict(h, "msix-vector-masked",
		why ?: masked_completion(h, &m, &sq, &cq, false));
	verdict(h, "msix-function-masked",
		why ?: masked_completion(h, &m, &sq, &cq, true));
	h_delete_q(h, nvme_admin_delete_sq, HQ_IRQ_QID);
	h_delete_q(h, nvme_admin_delete_cq, HQ_IRQ_QID);
	for (i = 0; i < 2; i++)
		if (req[i])
			free_irq(pci_irq_vector(pdev, i), &m.count[i]);
	pci_free_irq_vectors(pdev);
	if (sq.ring)
		dma_free_coherent(&pdev->dev, PAGE_SIZE, sq.ring, sq.dma);
	if (cq.ring)
		dma_free_coherent(&pdev->dev, PAGE_SIZE, cq.ring, cq.dma);
}

/* ---- Copy descriptor format 2h, enabled by Host Behavior Support ---- */

#define H_FEAT_HBS	0x16
#define H_CMD_COPY	0x19
#define H_COPY_DST	(IO_LBA_BYTES + SZ_64K)

/* Set Feature 16h with only CDFE (bytes 5:4), from the second half. */
static u16 set_hbs_cdfe(struct hostile *h, u16 cdfe)
{
	struct nvme_command c = {};
	u8 *hb = h->buf + HALF;

	memset(hb, 0, 512);
	hb[4] = cdfe & 0xff;
	hb[5] = cdfe >> 8;
	c.features.opcode = nvme_admin_set_features;
	c.features.fid = cpu_to_le32(H_FEAT_HBS);
	c.features.dptr.prp1 = cpu_to_le64(h->buf_dma + HALF);
	return h_admin(h, &c, NULL);
}

/* Source range descriptor format 2h: the fields this host sets. */
struct h_copy_range2 {
	__le32 snsid;
	u32 rsvd4;
	__le64 slba;
	__le16 nlb;			/* 0-based */
	u8 rsvd18[14];
};

/* One format 2h range of @len bytes from IO_LBA_BYTES to H_COPY_DST. */
static u16 copy2(struct hostile *h, u32 len)
{
	struct h_copy_range2 *d = (struct h_copy_range2 *)h->list;
	struct nvme_command c = {};

	BUILD_BUG_ON(sizeof(*d) != 32);
	memset(d, 0, sizeof(*d));
	d->snsid = cpu_to_le32(1);
	d->slba = cpu_to_le64(lba_of(h, IO_LBA_BYTES));
	d->nlb = cpu_to_le16(nlb_of(h, len) - 1);
	c.common.opcode = H_CMD_COPY;
	c.common.nsid = cpu_to_le32(1);
	c.common.cdw10 = cpu_to_le32(lower_32_bits(lba_of(h, H_COPY_DST)));
	c.common.cdw11 = cpu_to_le32(upper_32_bits(lba_of(h, H_COPY_DST)));
	c.common.cdw12 = cpu_to_le32(2 << 8);	/* one range, format 2h */
	c.common.dptr.prp1 = cpu_to_le64(h->list_dma);
	return h_io(h, &c);
}

/*
 * A stock Linux host cannot enable format 2h (its driver refuses Set
 * Features 16h from userspace), so this host does: refused before, a
 * copy whose data is read back after, refused again once disabled.
 */
static void case_copy_format2(struct hostile *h)
{
	const char *why = NULL;
	u16 st;

	expect(h, "copy2-refused-until-enabled", copy2(h, 8192), ST_INVALID_FIELD);
	expect(h, "copy2-hbs-enable", set_hbs_cdfe(h, BIT(2)), ST_OK);
	get_random_bytes(h->buf, 8192);
	st = prp_rw(h, true, IO_LBA_BYTES, 0, 8192);
	if (!st)
		st = copy2(h, 8192);
	if (st) {
		snprintf(why_buf, sizeof(why_buf), "status %#05x", st);
		why = why_buf;
	} else {
		memset(h->buf + HALF, 0, 8192);
		if (prp_rw(h, false, H_COPY_DST, HALF, 8192))
			why = "read-back failed";
		else if (memcmp(h->buf, h->buf + HALF, 8192))
			why = "copied data differs";
	}
	verdict(h, "copy2-data", why);
	expect(h, "copy2-hbs-disable", set_hbs_cdfe(h, 0), ST_OK);
	expect(h, "copy2-refused-again", copy2(h, 8192), ST_INVALID_FIELD);
}

/*
 * "dma": only the cases that make the controller reach unmapped memory,
 * named *-dma, for a run with nvme_epf's dma_min_len=1 (every transfer by
 * DMA, where the checking IOMMU's refusal is an error the function sees).
 * "windows": every case, for a function without DMA (those that expect
 * an unmapped transfer to fail print SKIP).
 */
void h_run_cases(struct hostile *h, bool dma_all, bool windows_only)
{
	h->dma_all = dma_all;
	h->windows_only = windows_only;
	h->suffix = dma_all ? "-dma" : "";
	if (h_setup(h)) {
		h->failed++;
		h_out(h, "FAIL: hostile-setup (enable, identify or queue creation)\n");
		return;
	}
	h_out(h, "# MDTS %u bytes, SGLS %#x, LBA %u bytes, %llu blocks, MQES %u\n",
	      h->max_xfer, h->sgls, 1U << h->lba_shift, h->nsze, h->mqes);
	verdict(h, "baseline-io", NULL);
	if (dma_all) {
		case_prp(h);
		case_write_unmapped(h);
		case_sgl(h);
		goto out;
	}
	case_bar0_size(h);
	case_ro_registers(h);
	case_reserved_registers(h);
	case_admin_opcode(h);
	case_io_fields(h);
	case_queue_create(h);
	case_queue_delete(h);
	case_prp(h);
	case_write_unmapped(h);
	case_mdts(h);
	case_sgl(h);
	case_sq_doorbell_past_size(h);
	case_cq_doorbell_past_size(h);
	case_doorbell_no_queue(h);
	case_msix_masked(h);
	case_disable_during_io(h);
	shutdown_during_io(h, "cc-shn-normal-during-io", NVME_CC_SHN_NORMAL);
	shutdown_during_io(h, "cc-shn-abrupt-during-io", NVME_CC_SHN_ABRUPT);
	case_copy_format2(h);
	case_enable_bad_cc(h);
out:
	h_out(h, "# hostile: %u passed, %u failed\n", h->passed, h->failed);
	h_disable(h);
}
