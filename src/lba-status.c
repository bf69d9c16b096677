// SPDX-License-Identifier: GPL-2.0
/*
 * lba-status.c - Get LBA Status (admin 86h, OACS bit 9) and the LBA Status
 * Information log page (0Eh).
 *
 * What a controller can know about potentially unrecoverable blocks: here,
 * the namespace's uncorrectable-LBA set (Write Uncorrectable, io-cmd.c),
 * whose reads fail with Unrecovered Read Error until the blocks are
 * written.  Those are "tracked" blocks; a scan (ATYPE 10h) finds nothing
 * more, because the backends (a file, a block device, RAM) report a media
 * error only when a read fails, never ahead of it.  Error injection rules
 * (inject.c) are not media state: they fail commands, per controller,
 * possibly only every Nth time, so they are not reported.
 *
 * The log is built when the host reads it: one element per attached
 * namespace with tracked blocks, its ranges, and Recommended Action Type
 * 11h.  Its generation counter moves when the content differs from the
 * last read.  There is no LBA Status Information Alert event (OAES bit
 * 12 clear) and hence no Feature 15h (report and poll intervals).
 */
#include "ctrl.h"
#include "prp-sgl.h"

#define DNR	NVME_STATUS_DNR

/*
 * The reply: the header and as many descriptors as fit in MNDW + 1
 * dwords and in MDTS; CMPC 1h when some did not fit, 2h when every
 * tracked block of the range is in it.
 */
static u16 lbas_build(struct nepf_ctrl *ctrl, struct nepf_ns *ns, u64 slba,
		      u64 end, u64 want, u8 **reply, u32 *len)
{
	u32 max_xfer = nepf_ctrl_max_xfer(ctrl);
	struct nvme_lba_status_desc *d;
	struct nvme_lba_status_hdr *h;
	struct nepf_blocks *r;
	u64 room = want;
	u32 i, n, fit;

	if (max_xfer && room > max_xfer)
		room = max_xfer;
	fit = room < sizeof(*h) ? 0 : (room - sizeof(*h)) / sizeof(*d);
	fit = min_t(u32, fit, NEPF_UNCOR_MAX_BLOCKS);
	r = nepf_ctrl_zalloc(ctrl, max_t(u32, fit, 1) * sizeof(*r));
	h = nepf_ctrl_zalloc(ctrl, sizeof(*h) + fit * sizeof(*d));
	if (!r || !h) {
		nepf_free(r);
		nepf_free(h);
		return NVME_SC_INTERNAL;
	}
	n = nepf_ns_uncor_ranges(ns, slba, end, r, fit);
	d = (struct nvme_lba_status_desc *)(h + 1);
	for (i = 0; i < min(n, fit); i++) {
		d[i].dslba = cpu_to_le64(r[i].start);
		d[i].nlb = cpu_to_le32(r[i].end - r[i].start);
	}
	h->nlsd = cpu_to_le32(min(n, fit));
	h->cmpc = n > fit ? NVME_LBAS_CMPC_MNDW : NVME_LBAS_CMPC_RL;
	nepf_free(r);
	*reply = (u8 *)h;
	*len = min_t(u64, want, sizeof(*h) + min(n, fit) * sizeof(*d));
	return NVME_SC_SUCCESS;
}

u16 nepf_admin_get_lba_status(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u64 slba = nvme_sqe_cdw(&cmd->sqe, 10) |
		   (u64)nvme_sqe_cdw(&cmd->sqe, 11) << 32;
	u64 want = ((u64)nvme_sqe_cdw(&cmd->sqe, 12) + 1) * 4;
	u32 dw13 = nvme_sqe_cdw(&cmd->sqe, 13);
	u32 rl = NVME_LBAS_RL(dw13);
	u8 atype = NVME_LBAS_ATYPE(dw13);
	struct nepf_ns *ns;
	u8 *reply = NULL;
	u64 end;
	u32 len = 0;
	u16 status;

	if (atype != NVME_LBAS_ATYPE_SCAN && atype != NVME_LBAS_ATYPE_TRACKED)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	status = nepf_io_get_ns(ctrl, nvme_sqe_nsid(&cmd->sqe), &ns);
	if (status)
		return status;
	if (slba >= ns->nr_blocks) {
		status = NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
		goto out;
	}
	/* RL 0: up to the end; a range past the end stops there. */
	end = !rl || rl > ns->nr_blocks - slba ? ns->nr_blocks : slba + rl;
	status = lbas_build(ctrl, ns, slba, end, want, &reply, &len);
	if (!status)
		status = nepf_map_admin_data(ctrl, cmd->gen, &cmd->sqe, len,
					     &ctrl->admin_sl);
	if (!status)
		status = nepf_seglist_to_host(ctrl, &ctrl->admin_sl, reply);
out:
	nepf_free(reply);
	nepf_ns_put(ns);
	return status;
}

/* ---- LBA Status Information log ---- */

/* FNV-1a over the log past its header: did the content change? */
static u64 lsi_hash(const u8 *p, u32 len)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/*
 * Build the log into *log (allocated, *size bytes).  The sets may change
 * meanwhile: each namespace reports at most the ranges it had when the
 * log was sized, the ones it has when it is filled.
 */
u16 nepf_lba_status_log(struct nepf_ctrl *ctrl, u8 **log, u32 *size)
{
	struct nepf_ns *ns[NEPF_MAX_NAMESPACES] = { };
	u32 nr[NEPF_MAX_NAMESPACES] = { };
	struct nvme_lba_status_ns_element *e;
	struct nvme_lba_status_log *h;
	struct nvme_lba_range_desc *d;
	struct nepf_blocks *r = NULL;
	u64 blocks = 0, hash;
	u32 got;
	u32 i, k, len = sizeof(*h), elems = 0, most = 0;
	u16 status = NVME_SC_SUCCESS;
	u8 *p;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		nepf_ns_lookup_begin();
		ns[i] = READ_ONCE(ctrl->ns[i]);
		if (ns[i] && !nepf_ns_get(ns[i]))
			ns[i] = NULL;
		nepf_ns_lookup_end();
		if (!ns[i])
			continue;
		nr[i] = nepf_ns_uncor_ranges(ns[i], 0, U64_MAX, NULL, 0);
		most = max(most, nr[i]);
		if (nr[i])
			len += sizeof(*e) + nr[i] * sizeof(*d);
	}
	h = nepf_ctrl_zalloc(ctrl, len);
	if (most)
		r = nepf_ctrl_zalloc(ctrl, most * sizeof(*r));
	if (!h || (most && !r)) {
		nepf_free(h);
		status = NVME_SC_INTERNAL;
		goto out;
	}
	p = (u8 *)(h + 1);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		if (!nr[i])
			continue;
		got = nepf_ns_uncor_ranges(ns[i], 0, U64_MAX, r, nr[i]);
		nr[i] = min(nr[i], got);
		if (!nr[i])
			continue;
		e = (struct nvme_lba_status_ns_element *)p;
		e->neid = cpu_to_le32(i + 1);
		e->nlrd = cpu_to_le32(nr[i]);
		e->ratype = NVME_LBAS_ATYPE_TRACKED;
		d = (struct nvme_lba_range_desc *)(e + 1);
		for (k = 0; k < nr[i]; k++) {
			d[k].rslba = cpu_to_le64(r[k].start);
			d[k].rnlb = cpu_to_le32(r[k].end - r[k].start);
			blocks += r[k].end - r[k].start;
		}
		p = (u8 *)(d + nr[i]);
		elems++;
	}
	len = p - (u8 *)h;
	h->lslplen = cpu_to_le32(len);
	h->nlslne = cpu_to_le32(elems);
	h->estulb = cpu_to_le32(min_t(u64, blocks, U32_MAX));
	hash = lsi_hash((u8 *)(h + 1), len - sizeof(*h));
	/* Admin commands run one at a time: no lock for these two. */
	if (hash != ctrl->lsi_hash) {
		ctrl->lsi_hash = hash;
		/* 0 means "never generated": it wraps to 1. */
		if (!++ctrl->lsigcn)
			ctrl->lsigcn = 1;
	}
	h->lsigcn = cpu_to_le16(ctrl->lsigcn);
	*log = (u8 *)h;
	*size = len;
out:
	nepf_free(r);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (ns[i])
			nepf_ns_put(ns[i]);
	return status;
}
