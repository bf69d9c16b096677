// SPDX-License-Identifier: GPL-2.0
/*
 * prp-sgl.c - PRP and SGL walkers: the data pointer of an SQE becomes a
 * bounded list of PCI address segments (struct nepf_seglist).
 *
 * Everything here comes from the host and is untrusted: PRP entries, PRP
 * list pages, SGL descriptors and segments.  Every walk is bounded by the
 * transfer length (PRP) or by NEPF_SGL_MAX_DESCS (SGL), so a list that
 * chains to itself ends with an error status, never with a hang.
 *
 * Choices where the specification leaves room (NVMe 2.0 base spec 4.1):
 * - A transfer needing more than NEPF_MAX_SEGS discontiguous segments is
 *   failed with Data Transfer Error (no bounce fallback).  NEPF_MAX_SEGS
 *   covers the largest MDTS in 4 KiB pages plus a first-page offset, so
 *   only an SGL of many small discontiguous blocks gets there.
 * - PRP list pointers must be qword aligned (entries are qwords); PRP
 *   entries inside a list, the list chain pointer included, must have a
 *   zero page offset.  Both answer PRP Offset Invalid.
 * - An SGL describing more data than the command transfers is accepted
 *   and the excess ignored (Identify SGLS bit 18).  Less data answers
 *   Data SGL Length Invalid.
 * - Bit Bucket descriptors are accepted for controller-to-host transfers
 *   only; in a host-to-controller transfer they answer SGL Descriptor Type
 *   Invalid.  Keyed and transport data blocks, offset subtypes and
 *   reserved types answer SGL Descriptor Type Invalid too.
 * - Zero-length Data Block and Bit Bucket descriptors transfer nothing.
 * - The Controller Memory Buffer holds submission queues only (CMBSZ):
 *   a PRP list, SGL segment or data range that touches it answers
 *   Invalid Use of Controller Memory Buffer.
 *
 * Cost: PRP1/PRP2-only commands read nothing from the host; lists and
 * segments are read FETCH_BYTES at a time into one buffer per command.
 */
#include "ctrl.h"
#include "prp-sgl.h"

#define PRP_ENTRY_SIZE		8
#define SGL_DESC_SIZE		16
/* PRP list entries and SGL descriptors are fetched this many bytes at once. */
#define FETCH_BYTES		512

static void seglist_init(struct nepf_seglist *out)
{
	out->nr = 0;
	out->overflow = false;
}

/* @b continues @a: both bit buckets, or @b starts where @a ends. */
static bool seg_continues(const struct nepf_seg *a, u64 addr, u32 len)
{
	if (a->len > U32_MAX - len)
		return false;
	if (a->addr == NEPF_SEG_BITBUCKET || addr == NEPF_SEG_BITBUCKET)
		return a->addr == addr;
	/* Never across the top of the address space. */
	return addr > a->addr && addr - a->addr == a->len;
}

/* Append (and merge when contiguous); false when the list is full. */
static bool seglist_add(struct nepf_seglist *out, u64 addr, u32 len)
{
	if (!len)
		return true;
	if (out->nr && seg_continues(&out->seg[out->nr - 1], addr, len)) {
		out->seg[out->nr - 1].len += len;
		return true;
	}
	if (out->nr >= out->max) {
		/* The owner may retry with the full room (io-cmd.c). */
		out->overflow = out->max < NEPF_MAX_SEGS;
		return false;
	}
	out->seg[out->nr].addr = addr;
	out->seg[out->nr].len = len;
	out->nr++;
	return true;
}

/* NVMe opcodes carry the data direction in bits 1:0. */
static bool sqe_writes_to_host(const struct nvme_sqe *sqe)
{
	return NVME_OPC_XFER(sqe->opcode) == 2;
}

/*
 * Lists and segments are read into a buffer from nepf_buf_get(), never
 * into the stack: the environment may DMA into it.  Allocated on first use
 * (most commands need no list) and freed by nepf_map_data_lim().
 */
struct fetch {
	struct nepf_ctrl *ctrl;
	u32 gen;
	void *buf;
	u64 cmb_msc;		/* CMBMSC as accepted when the walk began */
};

/* Does a range of host addresses touch the CMB? */
static bool in_cmb(struct fetch *f, u64 addr, u64 len)
{
	u32 off;

	return nepf_cmb_locate(f->ctrl, f->cmb_msc, addr, len, &off) !=
	       NEPF_CMB_OUTSIDE;
}

static u16 fetch(struct fetch *f, u64 addr, u32 len, void **data)
{
	if (in_cmb(f, addr, len))	/* CMBSZ.LISTS = 0 */
		return NVME_SC_CMB_INVALID_USE | NVME_STATUS_DNR;
	if (!f->buf) {
		f->buf = nepf_buf_get(f->ctrl, FETCH_BYTES);
		if (!f->buf)
			return NVME_SC_INTERNAL;
	}
	if (nepf_host_read(f->ctrl, f->gen, addr, f->buf, len))
		return NVME_SC_DATA_XFER_ERROR;
	*data = f->buf;
	return NVME_SC_SUCCESS;
}

/*
 * PRP entries after PRP1: the PRP2 data page, or the PRP list(s).
 * @rem bytes remain after the part PRP1 describes.
 */
static u16 map_prp_list(struct fetch *f, u64 list, u32 rem, u32 ps,
			struct nepf_seglist *out)
{
	u32 nents = (u32)(((u64)rem + ps - 1) / ps);
	u32 in_page, data_ents, n, i, j, l;
	__le64 *ent;
	u64 addr;
	u16 status;

	if (list & (PRP_ENTRY_SIZE - 1))
		return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;

	/*
	 * nents strictly decreases on every list page except possibly the
	 * first (a list starting in the last qword of a page holds only the
	 * chain pointer); chain pointers are page aligned, so later pages
	 * hold ps / 8 - 1 >= 1 data entries.
	 */
	while (nents) {
		in_page = (ps - (u32)(list & (ps - 1))) / PRP_ENTRY_SIZE;
		/* The last slot of a page chains on when more entries follow. */
		data_ents = nents <= in_page ? nents : in_page - 1;

		for (i = 0; i < data_ents; i += n) {
			n = min_t(u32, data_ents - i, FETCH_BYTES / PRP_ENTRY_SIZE);
			status = fetch(f, list + (u64)i * PRP_ENTRY_SIZE,
				       n * PRP_ENTRY_SIZE, (void **)&ent);
			if (status)
				return status;
			for (j = 0; j < n; j++) {
				l = min_t(u32, rem, ps);
				addr = le64_to_cpu(ent[j]);
				if (addr & (ps - 1))
					return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;
				if (!seglist_add(out, addr, l))
					return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
				rem -= l;
			}
		}
		nents -= data_ents;
		if (!nents)
			break;
		status = fetch(f, list + (u64)data_ents * PRP_ENTRY_SIZE,
			       PRP_ENTRY_SIZE, (void **)&ent);
		if (status)
			return status;
		list = le64_to_cpu(ent[0]);
		if (list & (ps - 1))
			return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;
	}
	return NVME_SC_SUCCESS;
}

static u16 map_prp(struct fetch *f, const struct nvme_sqe *sqe, u32 len,
		   u32 ps, struct nepf_seglist *out)
{
	u64 prp1 = nvme_sqe_prp1(sqe);
	u64 prp2 = nvme_sqe_prp2(sqe);
	u32 first, rem;

	if (prp1 & 3)
		return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;
	first = min_t(u32, len, ps - (u32)(prp1 & (ps - 1)));
	seglist_add(out, prp1, first);
	rem = len - first;
	if (!rem)
		return NVME_SC_SUCCESS;
	if (rem <= ps) {
		/* PRP2 is the second (and last) data page. */
		if (prp2 & (ps - 1))
			return NVME_SC_PRP_INVALID_OFFSET | NVME_STATUS_DNR;
		if (!seglist_add(out, prp2, rem))
			return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
		return NVME_SC_SUCCESS;
	}
	return map_prp_list(f, prp2, rem, ps, out);
}

struct sgl_walk {
	struct nepf_seglist *out;
	u32 rem;		/* bytes still to describe */
	u32 descs;		/* descriptors seen, bounded */
	bool to_host;		/* bit buckets allowed */
};

/* A Data Block or Bit Bucket descriptor. */
static u16 sgl_data(struct sgl_walk *w, u8 type, u64 addr, u32 dlen)
{
	u32 l = min_t(u32, dlen, w->rem);

	if (type == NVME_SGL_TYPE_BIT_BUCKET) {
		if (!w->to_host)
			return NVME_SC_SGL_INVALID_TYPE | NVME_STATUS_DNR;
		addr = NEPF_SEG_BITBUCKET;
	} else if (l && addr > U64_MAX - l) {
		/*
		 * The block would wrap around the 64-bit address space, or
		 * end at its top where NEPF_SEG_BITBUCKET would alias it.
		 */
		return NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	}
	if (!seglist_add(w->out, addr, l))
		return NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR;
	w->rem -= l;
	return NVME_SC_SUCCESS;
}

/*
 * Handle one descriptor of a segment.  @last_in_seg: it is the segment's
 * last descriptor; @in_last_seg: the segment is the SGL's last one.  On a
 * Segment/Last Segment descriptor, *next and *next_n are set to the
 * segment to walk next and *next_last to whether it is the last.
 */
static u16 sgl_desc(struct sgl_walk *w, const struct nvme_sgl_desc *d,
		    bool last_in_seg, bool in_last_seg,
		    u64 *next, u32 *next_n, bool *next_last)
{
	u8 type = NVME_SGL_ID_TYPE(d->type);
	u8 subtype = NVME_SGL_ID_SUBTYPE(d->type);
	u64 addr = le64_to_cpu(d->addr);
	u32 dlen = le32_to_cpu(d->length);

	if (++w->descs > NEPF_SGL_MAX_DESCS)
		return NVME_SC_SGL_INVALID_COUNT | NVME_STATUS_DNR;

	switch (type) {
	case NVME_SGL_TYPE_DATA_BLOCK:
	case NVME_SGL_TYPE_BIT_BUCKET:
		if (subtype != NVME_SGL_SUBTYPE_ADDRESS)
			return NVME_SC_SGL_INVALID_TYPE | NVME_STATUS_DNR;
		return sgl_data(w, type, addr, dlen);
	case NVME_SGL_TYPE_SEGMENT:
	case NVME_SGL_TYPE_LAST_SEGMENT:
		if (subtype != NVME_SGL_SUBTYPE_ADDRESS)
			return NVME_SC_SGL_INVALID_TYPE | NVME_STATUS_DNR;
		/*
		 * A segment pointer may only end a segment, never appear in
		 * the last segment, and must describe whole descriptors.
		 */
		if (!last_in_seg || in_last_seg || !dlen ||
		    (dlen & (SGL_DESC_SIZE - 1)) ||
		    addr > U64_MAX - dlen)
			return NVME_SC_SGL_INVALID_LAST | NVME_STATUS_DNR;
		*next = addr;
		*next_n = dlen / SGL_DESC_SIZE;
		*next_last = type == NVME_SGL_TYPE_LAST_SEGMENT;
		return NVME_SC_SUCCESS;
	default:
		/* Keyed/transport data blocks (fabrics), reserved, vendor. */
		return NVME_SC_SGL_INVALID_TYPE | NVME_STATUS_DNR;
	}
}

static u16 map_sgl(struct fetch *f, const struct nvme_sqe *sqe, u32 len,
		   struct nepf_seglist *out)
{
	struct sgl_walk w = {
		.out = out, .rem = len, .to_host = sqe_writes_to_host(sqe),
	};
	struct nvme_sgl_desc *d;
	u64 seg = 0, cur;
	u32 n = 0, cur_n, i, chunk, k;
	bool last = false, cur_last;
	u16 status;

	/* SGL1 in the command is a segment of one descriptor. */
	status = sgl_desc(&w, &sqe->dptr.sgl, true, false, &seg, &n, &last);
	while (!status && n && w.rem) {
		cur = seg;
		cur_n = n;
		cur_last = last;
		n = 0;
		for (i = 0; !status && i < cur_n && w.rem; i += chunk) {
			chunk = min_t(u32, cur_n - i, FETCH_BYTES / SGL_DESC_SIZE);
			status = fetch(f, cur + (u64)i * SGL_DESC_SIZE,
				       chunk * SGL_DESC_SIZE, (void **)&d);
			for (k = 0; !status && k < chunk && w.rem; k++)
				status = sgl_desc(&w, &d[k], i + k == cur_n - 1,
						  cur_last, &seg, &n, &last);
		}
	}
	if (!status && w.rem)
		status = NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
	return status;
}

u16 nepf_map_data_lim(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe,
		      u32 len, const struct nepf_xfer_limits *lim,
		      struct nepf_seglist *out)
{
	/*
	 * The register poll may change cmb_msc meanwhile (on a 32-bit CPU
	 * this load may even tear): a command that races the host's own
	 * CMBMSC write gets either answer, and a range taken for host
	 * memory only ever goes through host_read/host_write.
	 */
	struct fetch f = {
		.ctrl = ctrl, .gen = lim->gen, .cmb_msc = READ_ONCE(ctrl->cmb_msc),
	};
	u8 psdt = nvme_sqe_psdt(sqe);
	u32 ps = lim->page_size;
	unsigned int i;
	u16 status;

	seglist_init(out);
	out->gen = lim->gen;
	if (lim->max_len && len > lim->max_len)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	/* The core only runs with a power-of-two page of at least 4 KiB. */
	if (ps < 4096 || (ps & (ps - 1)))
		return NVME_SC_INTERNAL;

	switch (psdt) {
	case NVME_CMD_PSDT_PRP:
		if (!len)
			return NVME_SC_SUCCESS;
		status = map_prp(&f, sqe, len, ps, out);
		break;
	case NVME_CMD_PSDT_SGL_MPTR_CONTIG:
	case NVME_CMD_PSDT_SGL_MPTR_SGL:
		/* MPTR describes metadata, which we never transfer. */
		if (!lim->sgl)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		if (!len)
			return NVME_SC_SUCCESS;
		status = map_sgl(&f, sqe, len, out);
		break;
	default:
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	/* CMBSZ.RDS = WDS = 0: no data in the CMB. */
	for (i = 0; !status && (f.cmb_msc & NVME_CMBMSC_CMSE) && i < out->nr; i++)
		if (out->seg[i].addr != NEPF_SEG_BITBUCKET &&
		    in_cmb(&f, out->seg[i].addr, out->seg[i].len))
			status = NVME_SC_CMB_INVALID_USE | NVME_STATUS_DNR;
	if (f.buf)
		nepf_buf_put(ctrl, f.buf, FETCH_BYTES);
	return status;
}

static void xfer_limits(struct nepf_ctrl *ctrl, bool sgl,
			struct nepf_xfer_limits *lim)
{
	lim->page_size = ctrl->page_size;
	/* Exactly what Identify MDTS advertises (0: no limit). */
	lim->max_len = nepf_ctrl_max_xfer(ctrl);
	lim->sgl = sgl;
}

u16 nepf_map_data(struct nepf_ctrl *ctrl, u32 gen, const struct nvme_sqe *sqe,
		  u32 len, struct nepf_seglist *out)
{
	struct nepf_xfer_limits lim;

	xfer_limits(ctrl, ctrl->cfg.sgl, &lim);
	lim.gen = gen;
	return nepf_map_data_lim(ctrl, sqe, len, &lim, out);
}

u16 nepf_map_admin_data(struct nepf_ctrl *ctrl, u32 gen,
			const struct nvme_sqe *sqe, u32 len,
			struct nepf_seglist *out)
{
	struct nepf_xfer_limits lim;

	xfer_limits(ctrl, false, &lim);
	lim.gen = gen;
	return nepf_map_data_lim(ctrl, sqe, len, &lim, out);
}

/*
 * Copy between @buf and the segments, in order; bit buckets skipped.  All
 * at once where the environment can (its DMA then waits once for all of
 * them), else one segment after the other.
 */
static u16 seglist_copy(struct nepf_ctrl *ctrl, const struct nepf_seglist *sl,
			u8 *buf, bool to_host)
{
	const struct nepf_seg *s;
	unsigned int i;
	int ret;

	if (ctrl->env->host_xfer_segs) {
		if (!sl->nr)
			return NVME_SC_SUCCESS;
		ret = nepf_host_xfer_segs(ctrl, sl->gen, sl->seg, sl->nr, buf,
					  to_host);
		return ret ? NVME_SC_DATA_XFER_ERROR : NVME_SC_SUCCESS;
	}
	for (i = 0; i < sl->nr; buf += s->len, i++) {
		s = &sl->seg[i];
		if (s->addr == NEPF_SEG_BITBUCKET)
			continue;
		if (to_host)
			ret = nepf_host_write(ctrl, sl->gen, s->addr, buf, s->len);
		else
			ret = nepf_host_read(ctrl, sl->gen, s->addr, buf, s->len);
		if (ret)
			return NVME_SC_DATA_XFER_ERROR;
	}
	return NVME_SC_SUCCESS;
}

u16 nepf_seglist_from_host(struct nepf_ctrl *ctrl,
			   const struct nepf_seglist *sl, void *buf)
{
	return seglist_copy(ctrl, sl, buf, false);
}

/* seglist_copy() only reads @buf when writing to the host. */
u16 nepf_seglist_to_host(struct nepf_ctrl *ctrl,
			 const struct nepf_seglist *sl, const void *buf)
{
	return seglist_copy(ctrl, sl, (u8 *)buf, true);
}
