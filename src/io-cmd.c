// SPDX-License-Identifier: GPL-2.0
/*
 * io-cmd.c - the NVM command set: validation, data movement between host
 * and local buffers, dispatch to the namespace's backend, and the mapping
 * of backend results to NVMe status.
 *
 * Life of an I/O command:
 *   nepf_io_exec()   validate; map PRP/SGL; for writes, copy the data from
 *                    the host; fill cmd->io and submit it to the backend
 *   nepf_io_done()   (backend, any context) result -> NVMe status, stats;
 *                    inside the backend's submit: marks the command
 *                    ended, and io_submit() returns true (its caller
 *                    finishes the command in the same thread: no
 *                    hand-off); after it: nepf_cmd_backend_done(), which
 *                    defers the finish to the environment (env->defer)
 *   nepf_io_finish() (core, process context, before the completion is
 *                    posted) reads: copy the data to the host; Compare:
 *                    compare; then free the buffers
 * Commands failing validation end at once, with their status, and are
 * finished like a synchronous backend's: one completion path for I/O.
 *
 * cmd->ns holds a namespace reference (nepf_ns_get()) from the lookup here
 * until the core's nepf_cmd_complete(), which uses it for the SMART
 * counters and then drops it with nepf_ns_put().  cmd->segs (the command's
 * inline segments, or a full list allocated here) and the data buffer
 * (bufpool.c) end in nepf_io_finish().
 *
 * The backend only ever sees LBA ranges inside the namespace and lengths
 * derived from NLB; every host-controlled value is checked here first.
 *
 * Limits the Identify data must advertise to match (admin-cmd.c):
 * - Flush with NSID FFFFFFFFh is rejected (VWC bits 2:1 = 10b).
 * - Verify and emulated Write Zeroes move data through a local buffer, so
 *   they are limited to MDTS like Read/Write (VSL and WZSL = MDTS).
 * - ONCS: Compare, Write Uncorrectable, Dataset Management, Write Zeroes,
 *   Verify; FUSES = 0.
 * - Write Uncorrectable: NLB up to WUSL (NEPF_WUSL), at most
 *   NEPF_UNCOR_MAX_BLOCKS marked blocks per namespace.
 * - Copy: descriptor format 0h only (OCFS bit 0), MSRC NEPF_COPY_MSRC,
 *   MCL = MSSRL = MDTS in blocks (nepf_io_copy_mcl()).
 * - SGLS (prp-sgl.c): byte-aligned data blocks, bit buckets, and SGLs
 *   longer than the transfer (bit 18: the excess is ignored).
 */
#include "ctrl.h"
#include "prp-sgl.h"
#include "io-cmd.h"

/* Compare reads the host's data in pieces of this size. */
#define COMPARE_CHUNK		4096

/*
 * ---- The uncorrectable-LBA set of a namespace (Write Uncorrectable).
 *
 * Sorted, disjoint, non-adjacent block ranges [start, end).  The host
 * decides what goes in, so the set is bounded: at most
 * NEPF_UNCOR_MAX_BLOCKS blocks, hence at most as many ranges, in one array
 * allocated at the first Write Uncorrectable.  A write that clears blocks
 * may split a range, but the blocks it clears pay for the new range: the
 * clearing side never fails and never allocates.  ns->uncor_blocks is read
 * without the lock only to skip the lookup while the set is empty;
 * everything else is under ns->uncor_lock.  The set lives with the
 * namespace (across controller resets), not across a namespace disable
 * or a reboot.
 */
struct nepf_uncor {
	struct {
		u64 start, end;
	} r[NEPF_UNCOR_MAX_BLOCKS];	/* 16 KiB; ns->uncor_nr in use */
};

static bool uncor_empty(const struct nepf_ns *ns)
{
	return !READ_ONCE(ns->uncor_blocks);
}

/* First range ending after @lba (@adjacent: at or after), or @nr. */
static u32 uncor_find(const struct nepf_uncor *u, u32 nr, u64 lba,
		      bool adjacent)
{
	u32 lo = 0, hi = nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (u->r[mid].end > lba || (adjacent && u->r[mid].end == lba))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Is a block of [slba, slba + nlb) uncorrectable?  *lba: the first. */
static bool uncor_hit(struct nepf_ns *ns, u64 slba, u64 nlb, u64 *lba)
{
	struct nepf_uncor *u;
	unsigned long flags;
	bool hit = false;
	u32 i;

	if (uncor_empty(ns))
		return false;
	spin_lock_irqsave(&ns->uncor_lock, flags);
	u = ns->uncor;
	i = u ? uncor_find(u, ns->uncor_nr, slba, false) : 0;
	if (u && i < ns->uncor_nr && u->r[i].start < slba + nlb) {
		*lba = max(u->r[i].start, slba);
		hit = true;
	}
	spin_unlock_irqrestore(&ns->uncor_lock, flags);
	return hit;
}

/* Replace ranges [i, j) by the @n ranges of @with (n <= j - i + 2). */
static void uncor_splice(struct nepf_ns *ns, u32 i, u32 j, u64 (*with)[2],
			 u32 n)
{
	struct nepf_uncor *u = ns->uncor;
	u32 k;

	memmove(&u->r[i + n], &u->r[j], (ns->uncor_nr - j) * sizeof(u->r[0]));
	for (k = 0; k < n; k++) {
		u->r[i + k].start = with[k][0];
		u->r[i + k].end = with[k][1];
	}
	ns->uncor_nr = ns->uncor_nr - (j - i) + n;
}

/* Mark [slba, slba + nlb): Internal Error if the set would overflow. */
static u16 uncor_mark(struct nepf_ns *ns, u64 slba, u64 nlb)
{
	struct nepf_uncor *u, *fresh = NULL;
	u64 start = slba, end = slba + nlb, blocks, merged[1][2];
	u16 status = NVME_SC_SUCCESS;
	unsigned long flags;
	u32 i, j;

	/* Allocate outside the lock; another controller may win the race. */
	if (!READ_ONCE(ns->uncor)) {
		fresh = nepf_zalloc(sizeof(*fresh));
		if (!fresh)
			return NVME_SC_INTERNAL;
	}
	spin_lock_irqsave(&ns->uncor_lock, flags);
	if (!ns->uncor) {
		ns->uncor = fresh;
		fresh = NULL;
	}
	u = ns->uncor;
	/* Ranges [i, j) overlap or touch the new one: they merge. */
	i = uncor_find(u, ns->uncor_nr, slba, true);
	blocks = ns->uncor_blocks + nlb;
	for (j = i; j < ns->uncor_nr && u->r[j].start <= slba + nlb; j++) {
		blocks -= min(u->r[j].end, slba + nlb) - max(u->r[j].start, slba);
		start = min(start, u->r[j].start);
		end = max(end, u->r[j].end);
	}
	if (blocks > NEPF_UNCOR_MAX_BLOCKS) {
		status = NVME_SC_INTERNAL | NVME_STATUS_DNR;
	} else {
		merged[0][0] = start;
		merged[0][1] = end;
		uncor_splice(ns, i, j, merged, 1);
		WRITE_ONCE(ns->uncor_blocks, blocks);
	}
	spin_unlock_irqrestore(&ns->uncor_lock, flags);
	nepf_free(fresh);
	return status;
}

/* Blocks [slba, slba + nlb) were written: they are readable again. */
static void uncor_clear(struct nepf_ns *ns, u64 slba, u64 nlb)
{
	u64 end = slba + nlb, left[2][2], blocks;
	struct nepf_uncor *u;
	unsigned long flags;
	u32 i, j, n = 0;

	if (uncor_empty(ns) || !nlb)
		return;
	spin_lock_irqsave(&ns->uncor_lock, flags);
	u = ns->uncor;
	blocks = ns->uncor_blocks;
	i = u ? uncor_find(u, ns->uncor_nr, slba, false) : 0;
	for (j = i; u && j < ns->uncor_nr && u->r[j].start < end; j++)
		blocks -= min(u->r[j].end, end) - max(u->r[j].start, slba);
	if (i < j && u->r[i].start < slba) {
		left[n][0] = u->r[i].start;
		left[n++][1] = slba;
	}
	if (i < j && u->r[j - 1].end > end) {
		left[n][0] = end;
		left[n++][1] = u->r[j - 1].end;
	}
	if (i < j) {
		uncor_splice(ns, i, j, left, n);
		WRITE_ONCE(ns->uncor_blocks, blocks);
	}
	spin_unlock_irqrestore(&ns->uncor_lock, flags);
}

/**
 * nepf_ns_kill() - give no new reference to a namespace being disabled
 * @ns: the namespace, detached from every controller by now
 *
 * Sets @ns->dying, so that nepf_ns_get() fails from now on, then drops
 * the reference the live namespace holds on itself: the last command or
 * job to put its own completes @ns->drained.  Again: nothing more.
 *
 * Context: process context.
 */
void nepf_ns_kill(struct nepf_ns *ns)
{
	bool was;

	spin_lock(&ns->ref_lock);
	was = ns->dying;
	ns->dying = true;
	spin_unlock(&ns->ref_lock);
	if (!was)
		nepf_ns_put(ns);
}

/**
 * nepf_ns_drain() - disable a namespace and wait for its last reference
 * @ns: the namespace, detached from every controller by now
 *
 * nepf_ns_kill(), then sleeps until the commands that looked @ns up
 * before it was detached have ended (the backends end every I/O): the
 * backend may be closed after this.
 *
 * Context: process context; sleeps.
 */
void nepf_ns_drain(struct nepf_ns *ns)
{
	nepf_ns_kill(ns);
	wait_for_completion(&ns->drained);
}

void nepf_ns_uncor_free(struct nepf_ns *ns)
{
	nepf_free(ns->uncor);
	ns->uncor = NULL;
	ns->uncor_blocks = 0;
	ns->uncor_nr = 0;
}

u32 nepf_ns_uncor_ranges(struct nepf_ns *ns, u64 from, u64 to,
			 struct nepf_blocks *out, u32 max)
{
	struct nepf_uncor *u;
	unsigned long flags;
	u32 i, n = 0;

	if (uncor_empty(ns) || from >= to)
		return 0;
	spin_lock_irqsave(&ns->uncor_lock, flags);
	u = ns->uncor;
	i = u ? uncor_find(u, ns->uncor_nr, from, false) : 0;
	for (; u && i < ns->uncor_nr && u->r[i].start < to; i++, n++) {
		if (n >= max)
			continue;
		out[n].start = max(u->r[i].start, from);
		out[n].end = min(u->r[i].end, to);
	}
	spin_unlock_irqrestore(&ns->uncor_lock, flags);
	return n;
}

bool nepf_ns_uncor_hit(struct nepf_ns *ns, u64 slba, u64 nlb, u64 *lba)
{
	return uncor_hit(ns, slba, nlb, lba);
}

void nepf_ns_uncor_clear_all(struct nepf_ns *ns)
{
	unsigned long flags;

	spin_lock_irqsave(&ns->uncor_lock, flags);
	ns->uncor_nr = 0;
	WRITE_ONCE(ns->uncor_blocks, 0);
	spin_unlock_irqrestore(&ns->uncor_lock, flags);
}

/*
 * The namespace of an I/O command, referenced in cmd->ns (Get LBA Status
 * too); Format NVM and Sanitize (bgop.c) keep I/O away while they own it.
 */
u16 nepf_io_get_ns(struct nepf_ctrl *ctrl, u32 nsid, struct nepf_ns **nsp)
{
	struct nepf_ns *ns;
	u8 busy = 0;
	bool got;

	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	nepf_ns_lookup_begin();
	ns = READ_ONCE(ctrl->ns[nsid - 1]);
	got = ns && nepf_ns_get_io(ns, &busy);
	nepf_ns_lookup_end();
	if (!ns)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	if (got) {
		*nsp = ns;
		return NVME_SC_SUCCESS;
	}
	switch (busy) {
	case NEPF_NS_FORMAT:
		return NVME_SC_FORMAT_IN_PROGRESS;
	case NEPF_NS_SANITIZE:
		return NVME_SC_SANITIZE_IN_PROGRESS;
	case NEPF_NS_SANITIZE_FAILED:
		return NVME_SC_SANITIZE_FAILED | NVME_STATUS_DNR;
	}
	return NVME_SC_INVALID_NS | NVME_STATUS_DNR;	/* going away */
}

static u16 io_lookup_ns(struct nepf_cmd *cmd, u32 nsid)
{
	return nepf_io_get_ns(cmd->ctrl, nsid, &cmd->ns);
}

/* Blocks [slba, slba + nlb) must lie inside the namespace. */
static u16 io_check_lba(const struct nepf_ns *ns, u64 slba, u64 nlb)
{
	if (slba >= ns->nr_blocks || nlb > ns->nr_blocks - slba)
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/* MDTS in bytes, as Identify advertises it; no limit: the u32 maximum. */
static u32 io_max_len(const struct nepf_ctrl *ctrl)
{
	u32 max = nepf_ctrl_max_xfer(ctrl);

	return max ? max : ~0U;
}

/* The command's data buffer (bufpool.c: the fetch reserved it). */
static u16 io_alloc_buf(struct nepf_cmd *cmd, u32 len)
{
	cmd->buf = nepf_buf_get(cmd->ctrl, len);
	if (!cmd->buf)
		return NVME_SC_INTERNAL;
	cmd->data_len = len;
	return NVME_SC_SUCCESS;
}

/* Room for a full segment list, instead of the command's inline one. */
static u16 io_segs_full(struct nepf_cmd *cmd)
{
	struct nepf_seg *room;

	room = nepf_ctrl_zalloc(cmd->ctrl, NEPF_MAX_SEGS * sizeof(*room));
	if (!room)
		return NVME_SC_INTERNAL;
	nepf_seglist_setup(&cmd->sl, room, NEPF_MAX_SEGS);
	return NVME_SC_SUCCESS;
}

static void io_segs_free(struct nepf_cmd *cmd)
{
	if (cmd->segs && cmd->sl.seg != cmd->sl_inline)
		nepf_free(cmd->sl.seg);
	cmd->segs = NULL;
}

/*
 * Map the command's data pointer for @len bytes into cmd->segs: the
 * command's inline segments when the transfer is small enough to fit in
 * them (in pages, plus PRP1's offset), else a full list.  SGLs may need
 * more segments than pages: a map that overflows the inline room is done
 * again with a full list.
 */
static u16 io_map(struct nepf_cmd *cmd, u32 len)
{
	u16 status;

	if (!cmd->segs) {
		cmd->segs = &cmd->sl;
		if (len <= (NEPF_SEGS_INLINE - 1) * 4096U)
			nepf_seglist_setup(&cmd->sl, cmd->sl_inline,
					   NEPF_SEGS_INLINE);
		else if (io_segs_full(cmd))
			return NVME_SC_INTERNAL;
	}
	switch (NVME_OPC_XFER(cmd->sqe.opcode)) {
	case 1:
		cmd->dir = NEPF_DIR_FROM_HOST;
		break;
	case 2:
		cmd->dir = NEPF_DIR_TO_HOST;
		break;
	default:
		cmd->dir = NEPF_DIR_NONE;
	}
	status = nepf_map_data(cmd->ctrl, cmd->gen, &cmd->sqe, len, cmd->segs);
	if (status && cmd->segs->overflow) {
		status = io_segs_full(cmd);
		if (!status)
			status = nepf_map_data(cmd->ctrl, cmd->gen, &cmd->sqe,
					       len, cmd->segs);
	}
	if (!status) {
		nepf_cost_add(cmd->ctrl->costs, DATA_SEGS, cmd->segs->nr);
		nepf_cost_max(cmd->ctrl->costs, DATA_SEGS_MAX, cmd->segs->nr);
	}
	return status;
}

/* A command's list (DSM ranges, Copy descriptors) into cmd->buf. */
static u16 io_fetch_list(struct nepf_cmd *cmd, u32 len)
{
	u16 status;

	status = io_map(cmd, len);
	if (!status)
		status = io_alloc_buf(cmd, len);
	if (!status)
		status = nepf_seglist_from_host(cmd->ctrl, cmd->segs, cmd->buf);
	return status;
}

static void io_setup(struct nepf_cmd *cmd, enum nepf_io_op op, u64 pos, u32 len)
{
	struct nepf_io *io = &cmd->io;

	memset(io, 0, sizeof(*io));
	io->ns = cmd->ns;
	io->cmd = cmd;
	io->op = op;
	io->pos = pos;
	io->len = len;
	io->buf = cmd->buf;
}

/* SLBA and NLB of Read/Write/Compare/Verify/Write Zeroes, checked. */
static u16 io_lba_len(struct nepf_cmd *cmd, u64 *pos, u32 *len)
{
	struct nepf_ns *ns = cmd->ns;
	u64 slba = nvme_sqe_slba(&cmd->sqe);
	u32 nlb = nvme_sqe_nlb(&cmd->sqe);
	u64 bytes;
	u16 status;

	status = io_check_lba(ns, slba, nlb);
	if (status)
		return status;
	/* In range, so slba << lba_shift fits; the length may not (> 4 GiB). */
	bytes = (u64)nlb << ns->lba_shift;
	if (bytes > ~0U)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	*pos = slba << ns->lba_shift;
	*len = (u32)bytes;
	return NVME_SC_SUCCESS;
}

/*
 * Writes go through a backend's volatile cache when the host cannot flush
 * it: Feature 06h WCE = 0, or Identify VWC = 0 (configured so, or no
 * cached namespace when the host enabled the controller).
 */
static bool io_write_through(const struct nepf_cmd *cmd)
{
	const struct nepf_ctrl *ctrl = cmd->ctrl;

	return cmd->ns->volatile_cache &&
	       (!READ_ONCE(ctrl->vwc) ||
		!(READ_ONCE(ctrl->feat.vwc) & NVME_VWC_WCE));
}

/* Reading an uncorrectable block: Unrecovered Read Error, LBA logged. */
static u16 io_check_uncor(struct nepf_cmd *cmd)
{
	u64 lba;

	if (!uncor_hit(cmd->ns, nvme_sqe_slba(&cmd->sqe),
		       nvme_sqe_nlb(&cmd->sqe), &lba))
		return NVME_SC_SUCCESS;
	cmd->err_lba = lba;
	return NVME_SC_READ_ERROR | NVME_STATUS_DNR;
}

static u16 io_rw(struct nepf_cmd *cmd, bool write)
{
	u16 control = le16_to_cpu(cmd->sqe.rw.control);
	u64 pos;
	u32 len;
	u16 status;

	/* Directives (streams) are not supported. */
	if (write && (control & NVME_RW_DTYPE_MASK))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (write && cmd->ns->cfg.readonly)
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	status = io_lba_len(cmd, &pos, &len);
	if (!status && !write)
		status = io_check_uncor(cmd);
	if (status)
		return status;
	status = io_map(cmd, len);
	if (status)
		return status;
	status = io_alloc_buf(cmd, len);
	if (status)
		return status;
	if (write) {
		status = nepf_seglist_from_host(cmd->ctrl, cmd->segs, cmd->buf);
		if (status)
			return status;
	}
	io_setup(cmd, write ? NEPF_IO_WRITE : NEPF_IO_READ, pos, len);
	/* PRINFO is ignored: namespaces are formatted without protection. */
	cmd->io.fua = write && ((control & NVME_RW_FUA) || io_write_through(cmd));
	return NVME_SC_SUCCESS;
}

/* Compare and Verify read from the backend; io_finish does the rest. */
static u16 io_compare_verify(struct nepf_cmd *cmd, bool compare)
{
	u64 pos;
	u32 len;
	u16 status;

	status = io_lba_len(cmd, &pos, &len);
	if (!status)
		status = io_check_uncor(cmd);
	if (status)
		return status;
	if (compare) {
		status = io_map(cmd, len);
		if (status)
			return status;
	} else if (len > io_max_len(cmd->ctrl)) {
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	status = io_alloc_buf(cmd, len);
	if (status)
		return status;
	io_setup(cmd, NEPF_IO_READ, pos, len);
	return NVME_SC_SUCCESS;
}

static u16 io_write_zeroes(struct nepf_cmd *cmd)
{
	u16 control = le16_to_cpu(cmd->sqe.rw.control);
	u64 pos;
	u32 len;
	u16 status;

	if (cmd->ns->cfg.readonly)
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	status = io_lba_len(cmd, &pos, &len);
	if (status)
		return status;
	if (cmd->ns->can_write_zeroes) {
		/* DEAC is a hint; the backend zeroes the fastest way it can. */
		io_setup(cmd, NEPF_IO_WRITE_ZEROES, pos, len);
	} else {
		if (len > io_max_len(cmd->ctrl))
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		status = io_alloc_buf(cmd, len);
		if (status)
			return status;
		memset(cmd->buf, 0, len);
		io_setup(cmd, NEPF_IO_WRITE, pos, len);
	}
	cmd->io.fua = (control & NVME_RW_FUA) || io_write_through(cmd);
	return NVME_SC_SUCCESS;
}

/* Write Uncorrectable: no data, no backend; the set is the medium. */
static u16 io_write_uncor(struct nepf_cmd *cmd, bool *done)
{
	struct nepf_ns *ns = cmd->ns;
	u64 slba = nvme_sqe_slba(&cmd->sqe);
	u32 nlb = nvme_sqe_nlb(&cmd->sqe);
	u16 control = le16_to_cpu(cmd->sqe.rw.control);
	u16 status;

	if (control & NVME_RW_DTYPE_MASK)	/* no directives */
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (ns->cfg.readonly)
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	status = io_check_lba(ns, slba, nlb);
	if (status)
		return status;
	if (((u64)nlb << ns->lba_shift) > (4096ULL << NEPF_WUSL))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	*done = true;
	return uncor_mark(ns, slba, nlb);
}

/*
 * ---- Copy (descriptor formats 0h and 2h): the source ranges are read one
 * by one into one buffer, then written to SDLBA in one go.  Each step is a
 * backend I/O; between steps the command comes back to nepf_io_finish()
 * (process context), which submits the next one.  Format 2h names each
 * range's namespace (cross-namespace copy, once the host enabled it in
 * Host Behavior Support): the command references every other namespace it
 * reads from until it ends, as it references its own (cmd->ns).
 */
struct io_copy_src {
	struct nepf_ns *ns;
	u64 pos, len;		/* bytes */
};

struct io_copy {
	u32 nr;			/* source ranges */
	u32 next;		/* the next one to read */
	u32 off;		/* where it goes in cmd->buf */
	bool written;
	u64 dst;		/* byte offset */
	u32 nr_held;
	struct nepf_ns *held[NEPF_MAX_NAMESPACES];	/* sources but cmd->ns */
	struct io_copy_src r[];
};

static void io_copy_free(struct nepf_cmd *cmd)
{
	struct io_copy *c = cmd->io_state;
	u32 i;

	for (i = 0; i < c->nr_held; i++)
		nepf_ns_put(c->held[i]);
	nepf_free(c);
	cmd->io_state = NULL;
}

/*
 * The source namespace of a format 2h range: active, and with the block
 * size of the destination (the data goes through unchanged).
 */
static u16 io_copy_src_ns(struct nepf_cmd *cmd, struct io_copy *c, u32 snsid,
			  struct nepf_ns **ns)
{
	u16 status;
	u32 i;

	if (snsid == nvme_sqe_nsid(&cmd->sqe)) {
		*ns = cmd->ns;
		return NVME_SC_SUCCESS;
	}
	for (i = 0; i < c->nr_held; i++) {
		if (c->held[i]->nsid == snsid) {
			*ns = c->held[i];
			return NVME_SC_SUCCESS;
		}
	}
	/* Distinct valid NSIDs: never more than NEPF_MAX_NAMESPACES. */
	status = nepf_io_get_ns(cmd->ctrl, snsid, ns);
	if (status)
		return status;
	c->held[c->nr_held++] = *ns;
	if ((*ns)->lba_shift != cmd->ns->lba_shift)
		return NVME_SC_INCOMPATIBLE_NS | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/* MCL and MSSRL, in blocks of @ns: what one MDTS buffer holds. */
u32 nepf_io_copy_mcl(const struct nepf_ctrl *ctrl, const struct nepf_ns *ns)
{
	return min_t(u32, nepf_ctrl_max_xfer(ctrl) >> ns->lba_shift, 0xffff);
}

/*
 * The source ranges, checked against the limits (the destination's) and
 * their namespace.  Both descriptor formats are 32 bytes, with SLBA and
 * NLB in the same place; 2h has the source NSID and options too.
 */
static u16 io_copy_ranges(struct nepf_cmd *cmd, const void *desc, bool fmt2,
			  struct io_copy *c, u64 *total)
{
	u32 mcl = nepf_io_copy_mcl(cmd->ctrl, cmd->ns);
	struct nepf_ns *ns = cmd->ns;
	u64 lba;
	u32 i;
	u16 status;

	BUILD_BUG_ON(sizeof(struct nvme_copy_range) !=
		     sizeof(struct nvme_copy_range_f2));
	*total = 0;
	for (i = 0; i < c->nr; i++) {
		const struct nvme_copy_range *d0 =
			(const struct nvme_copy_range *)desc + i;
		const struct nvme_copy_range_f2 *d2 =
			(const struct nvme_copy_range_f2 *)desc + i;
		u64 slba = le64_to_cpu(d0->slba);
		u32 nlb = le16_to_cpu(d0->nlb) + 1;

		if (fmt2) {
			/* Every copy is a read and a write: never "fast". */
			if (le16_to_cpu(d2->sopt) & NVME_COPY_SOPT_FCO)
				return NVME_SC_FAST_COPY_NOT_POSSIBLE |
				       NVME_STATUS_DNR;
			status = io_copy_src_ns(cmd, c, le32_to_cpu(d2->snsid),
						&ns);
			if (status)
				return status;
		}

		if (nlb > mcl)				/* MSSRL */
			return NVME_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR;
		*total += nlb;
		if (*total > mcl)
			return NVME_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR;
		status = io_check_lba(ns, slba, nlb);
		if (status)
			return status;
		if (uncor_hit(ns, slba, nlb, &lba)) {
			cmd->err_lba = lba;
			return NVME_SC_READ_ERROR | NVME_STATUS_DNR;
		}
		c->r[i].ns = ns;
		c->r[i].pos = slba << ns->lba_shift;
		c->r[i].len = (u64)nlb << ns->lba_shift;
	}
	return NVME_SC_SUCCESS;
}

/* The next step of a Copy into cmd->io: true if there is one. */
static bool io_copy_step(struct nepf_cmd *cmd)
{
	struct io_copy *c = cmd->io_state;
	u32 len;

	if (c->next < c->nr) {
		len = c->r[c->next].len;
		io_setup(cmd, NEPF_IO_READ, c->r[c->next].pos, len);
		cmd->io.ns = c->r[c->next].ns;
		cmd->io.buf = (u8 *)cmd->buf + c->off;
		c->off += len;
		c->next++;
		return true;
	}
	if (c->written)
		return false;
	c->written = true;
	io_setup(cmd, NEPF_IO_WRITE, c->dst, c->off);
	cmd->io.fua = !!(nvme_sqe_cdw(&cmd->sqe, 12) & NVME_COPY_FUA);
	return true;
}

static u16 io_copy(struct nepf_cmd *cmd)
{
	struct nepf_ns *ns = cmd->ns;
	u32 cdw12 = nvme_sqe_cdw(&cmd->sqe, 12);
	u32 nr = NVME_COPY_NR(cdw12) + 1;
	u64 sdlba = nvme_sqe_slba(&cmd->sqe), total;
	u8 fmt = NVME_COPY_DESFMT(cdw12);
	struct io_copy *c;
	u16 status;

	/* Format 2h only once the host enabled it (Feature 16h CDFE). */
	if ((fmt && (fmt != 2 || !(cmd->ctrl->feat.hbs_cdfe & BIT(2)))) ||
	    NVME_COPY_DTYPE(cdw12))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (ns->cfg.readonly)
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	if (nr > NEPF_COPY_MSRC + 1)
		return NVME_SC_CMD_SIZE_LIMIT | NVME_STATUS_DNR;
	status = io_fetch_list(cmd, nr * sizeof(struct nvme_copy_range));
	if (status)
		return status;
	c = nepf_zalloc(sizeof(*c) + nr * sizeof(c->r[0]));
	if (!c)
		return NVME_SC_INTERNAL;
	cmd->io_state = c;
	c->nr = nr;
	status = io_copy_ranges(cmd, cmd->buf, fmt == 2, c, &total);
	if (!status)
		status = io_check_lba(ns, sdlba, total);
	/* The descriptors are in c now; the buffer is for the data. */
	nepf_buf_put(cmd->ctrl, cmd->buf, cmd->data_len);
	cmd->buf = NULL;
	if (status)
		return status;
	c->dst = sdlba << ns->lba_shift;
	status = io_alloc_buf(cmd, total << ns->lba_shift);
	if (status)
		return status;
	io_copy_step(cmd);
	return NVME_SC_SUCCESS;
}

/*
 * Dataset Management: only Deallocate does anything.  The ranges are
 * converted in place (struct nvme_dsm_range and struct nepf_range have
 * the same size) and zero-length ranges dropped.
 */
static u16 io_dsm(struct nepf_cmd *cmd, bool *done)
{
	struct nepf_ns *ns = cmd->ns;
	u32 nr = (nvme_sqe_cdw(&cmd->sqe, 10) & 0xff) + 1;
	u32 attr = nvme_sqe_cdw(&cmd->sqe, 11);
	struct nepf_range *out;
	u32 i, n = 0;
	u16 status;

	BUILD_BUG_ON(sizeof(struct nvme_dsm_range) != sizeof(struct nepf_range));
	if (!(attr & NVME_DSMGMT_AD)) {
		/* IDR/IDW are hints we have no use for. */
		*done = true;
		return NVME_SC_SUCCESS;
	}
	if (ns->cfg.readonly)
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	status = io_fetch_list(cmd, nr * sizeof(struct nvme_dsm_range));
	if (status)
		return status;

	out = cmd->buf;
	for (i = 0; i < nr; i++) {
		const struct nvme_dsm_range *r =
			(const struct nvme_dsm_range *)cmd->buf + i;
		u64 slba = le64_to_cpu(r->slba);
		u32 nlb = le32_to_cpu(r->nlb);

		if (!nlb)
			continue;
		status = io_check_lba(ns, slba, nlb);
		if (status)
			return status;
		out[n].pos = slba << ns->lba_shift;
		out[n].len = (u64)nlb << ns->lba_shift;
		n++;
	}
	/* Deallocation is advisory: without support it is a no-op. */
	if (!n || !ns->can_discard) {
		*done = true;
		return NVME_SC_SUCCESS;
	}
	io_setup(cmd, NEPF_IO_DISCARD, 0, 0);
	cmd->io.ranges = out;
	cmd->io.nr_ranges = n;
	return NVME_SC_SUCCESS;
}

/*
 * Validate and prepare cmd->io.  Returns a status to fail the command with,
 * or success with *done set when there is nothing to submit.
 */
static u16 io_prepare(struct nepf_cmd *cmd, bool *done)
{
	const struct nvme_sqe *sqe = &cmd->sqe;
	u32 nsid = nvme_sqe_nsid(sqe);
	u16 status;

	switch (sqe->opcode) {
	case nvme_cmd_flush:
	case nvme_cmd_write:
	case nvme_cmd_read:
	case nvme_cmd_compare:
	case nvme_cmd_write_zeroes:
	case nvme_cmd_dsm:
	case nvme_cmd_verify:
	case nvme_cmd_write_uncor:
	case nvme_cmd_copy:
		break;
	default:
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
	/* No fused operations (Identify FUSES = 0). */
	if (sqe->flags & NVME_CMD_FUSE_MASK)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;

	/* Broadcast flush is not offered (Identify VWC bits 2:1 = 10b). */
	status = io_lookup_ns(cmd, nsid);
	if (status)
		return status;

	switch (sqe->opcode) {
	case nvme_cmd_flush:
		if (!cmd->ns->volatile_cache) {
			*done = true;
			return NVME_SC_SUCCESS;
		}
		io_setup(cmd, NEPF_IO_FLUSH, 0, 0);
		return NVME_SC_SUCCESS;
	case nvme_cmd_write:
		return io_rw(cmd, true);
	case nvme_cmd_read:
		return io_rw(cmd, false);
	case nvme_cmd_compare:
		return io_compare_verify(cmd, true);
	case nvme_cmd_verify:
		return io_compare_verify(cmd, false);
	case nvme_cmd_write_zeroes:
		return io_write_zeroes(cmd);
	case nvme_cmd_write_uncor:
		return io_write_uncor(cmd, done);
	case nvme_cmd_copy:
		return io_copy(cmd);
	default: /* nvme_cmd_dsm */
		return io_dsm(cmd, done);
	}
}

/*
 * Hand cmd->io to its backend (a Copy's read may be another namespace's).
 * True if the backend ended it before its submit returned: nepf_io_done()
 * ran meanwhile, on this thread (a synchronous backend) or on another one
 * (an interrupt that was quick), and saw RUNNING.  The caller then
 * finishes the command, in this thread.  False: nepf_io_done() comes, or
 * came, after the exchange below and defers the end (env->defer); @cmd may
 * be gone already.  Whoever changes cmd->submit first decides, so a
 * command is finished exactly once, and a backend's end that may not
 * sleep (a bio's end_io) never finishes one itself.
 */
static bool io_submit(struct nepf_cmd *cmd)
{
	WRITE_ONCE(cmd->submit, NEPF_SUBMIT_RUNNING);
	cmd->io.ns->ops->submit(&cmd->io);
	if (xchg(&cmd->submit, NEPF_SUBMIT_IDLE) != NEPF_SUBMIT_ENDED)
		return false;
	nepf_cost_inc(cmd->ctrl->costs, FINISH_INLINE);
	return true;
}

bool nepf_io_exec(struct nepf_cmd *cmd)
{
	bool done = false;
	u16 status;

	cmd->result = 0;
	status = io_prepare(cmd, &done);
	if (status || done) {
		if (status)
			cmd->status = status;
		nepf_cost_inc(cmd->ctrl->costs, FINISH_INLINE);
		return true;
	}
	return io_submit(cmd);
}

u16 nepf_io_result_status(enum nepf_io_result result, enum nepf_io_op op)
{
	switch (result) {
	case NEPF_IO_OK:
		return NVME_SC_SUCCESS;
	case NEPF_IO_ERR_READ:
		return NVME_SC_READ_ERROR;
	case NEPF_IO_ERR_WRITE:
		return NVME_SC_WRITE_FAULT;
	case NEPF_IO_ERR_NOSPC:
		return NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR;
	case NEPF_IO_ERR_NOTSUPP:
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	case NEPF_IO_ERR_RANGE:
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	case NEPF_IO_ERR_READONLY:
		return NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	case NEPF_IO_ERR_INTERNAL:
	default:
		/* A failed write-back is a write fault, not an internal error. */
		return op == NEPF_IO_FLUSH ? NVME_SC_WRITE_FAULT : NVME_SC_INTERNAL;
	}
}

/* What a write put on the medium is readable again. */
static void io_uncor_written(const struct nepf_io *io)
{
	struct nepf_ns *ns = io->ns;
	u8 shift = ns->lba_shift;
	unsigned int i;

	switch (io->op) {
	case NEPF_IO_WRITE:
	case NEPF_IO_WRITE_ZEROES:
		uncor_clear(ns, io->pos >> shift, io->len >> shift);
		break;
	case NEPF_IO_DISCARD:
		for (i = 0; i < io->nr_ranges; i++)
			uncor_clear(ns, io->ranges[i].pos >> shift,
				    io->ranges[i].len >> shift);
		break;
	default:
		break;
	}
}

void nepf_io_done(struct nepf_io *io, enum nepf_io_result result)
{
	struct nepf_cmd *cmd = io->cmd;
	u16 status = nepf_io_result_status(result, io->op);

	io->result = result;
	if (io->done) {
		io->done(io);
		return;
	}
	if (!status && !uncor_empty(io->ns))
		io_uncor_written(io);
	if (status)
		cmd->status = status;
	/* Inside the submit: io_submit() finishes it (see there). */
	if (cmpxchg(&cmd->submit, NEPF_SUBMIT_RUNNING,
		    NEPF_SUBMIT_ENDED) == NEPF_SUBMIT_RUNNING)
		return;
	nepf_cmd_backend_done(cmd, status);
}

/* Compare the backend's data (cmd->buf) with the host's, piece by piece. */
static u16 io_compare(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	const struct nepf_seglist *sl = cmd->segs;
	const u8 *ours = cmd->buf;
	u32 chunk = min_t(u32, cmd->data_len, COMPARE_CHUNK);
	u16 status = NVME_SC_SUCCESS;
	unsigned int i;
	u8 *theirs;

	theirs = nepf_buf_get(ctrl, chunk);
	if (!theirs)
		return NVME_SC_INTERNAL;
	for (i = 0; i < sl->nr && !status; i++) {
		u64 addr = sl->seg[i].addr;
		u32 left = sl->seg[i].len, n;

		for (; left && !status; left -= n, addr += n, ours += n) {
			n = min(left, chunk);
			if (nepf_host_read(ctrl, cmd->gen, addr, theirs, n))
				status = NVME_SC_DATA_XFER_ERROR;
			else if (memcmp(ours, theirs, n))
				status = NVME_SC_COMPARE_FAILED | NVME_STATUS_DNR;
		}
	}
	nepf_buf_put(ctrl, theirs, chunk);
	return status;
}

bool nepf_io_finish(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status = NVME_SC_SUCCESS;

	/*
	 * Write Zeroes with FUA: no backend zeroes with FUA (the block layer
	 * refuses REQ_FUA on REQ_OP_WRITE_ZEROES; fallocate has no such
	 * flag), so a volatile cache is flushed before the completion.  The
	 * Flush step replaces cmd->io: it runs once.
	 */
	if (cmd->io.op == NEPF_IO_WRITE_ZEROES && cmd->io.fua &&
	    cmd->io.ns->volatile_cache && !(cmd->status & ~NVME_STATUS_MORE)) {
		io_setup(cmd, NEPF_IO_FLUSH, 0, 0);
		if (!io_submit(cmd))
			return true;
	}
	if (cmd->io_state) {
		/*
		 * Copy: its next step, unless it failed or is over; a step
		 * that ends inside its submit goes on to the next one here.
		 */
		while (!(cmd->status & ~NVME_STATUS_MORE) && io_copy_step(cmd))
			if (!io_submit(cmd))
				return true;
		io_copy_free(cmd);
	}

	if (!(cmd->status & ~NVME_STATUS_MORE) && cmd->buf) {
		if (cmd->sqe.opcode == nvme_cmd_read)
			status = nepf_seglist_to_host(ctrl, cmd->segs, cmd->buf);
		else if (cmd->sqe.opcode == nvme_cmd_compare)
			status = io_compare(cmd);
		if (status)
			cmd->status = status;
	}
	if (cmd->buf) {
		nepf_buf_put(ctrl, cmd->buf, cmd->data_len);
		cmd->buf = NULL;
	}
	io_segs_free(cmd);
	return false;
}
