// SPDX-License-Identifier: GPL-2.0
/*
 * bgop.c - the controller's operations on the media that take long:
 * Format NVM, Sanitize (block erase) and Device Self-test.
 *
 * None of them runs inside its admin command: the command validates,
 * references its namespaces and kicks the environment (env->bg_kick),
 * which calls nepf_bg_run() in process context.  A run takes a few steps
 * and hands one chunk at a time to the backend, whose completion kicks
 * again; the admin queue and the poll thread never wait for the media.
 *
 * Two jobs per controller.  bg_media runs a Format NVM or a Sanitize:
 * they own their namespaces (ns->busy) from the command on, so I/O
 * commands fail with Format In Progress or Sanitize In Progress (io-cmd.c)
 * on every controller of the namespace; before changing a namespace the
 * step waits until the I/O commands that held it are over.  bg_dst runs a
 * self-test, which only reads, and gives way: a Format or Sanitize of a
 * namespace it reads aborts it (results 4h and 9h), as the spec has it.
 * A namespace being disabled is let go at once (result 3h for a test).
 *
 * Format NVM completes its command when it is done (the completion is
 * dropped if the controller was reset meanwhile); Sanitize and Device
 * Self-test complete at once and report through logs 81h and 06h.  The
 * logs and the sanitize state live as long as the controller object, so
 * across controller resets but not across a function restart.
 */
#include "ctrl.h"
#include "io-cmd.h"

#define BG_ZERO_CHUNK		(64U << 20)	/* write zeroes per backend I/O */
#define BG_STEPS		32		/* steps per run, then requeue */
#define BG_DRAIN_MS		1		/* wait for I/O commands to end */
#define DST_SHORT_CHUNKS	64		/* reads per namespace, short test */
/* EDSTT: an estimate, at this read rate (MB/s), never below 1 minute. */
#define DST_RATE_MBS		50

static const char *const bg_name[] = {
	[NEPF_BG_NONE] = "none", [NEPF_BG_FORMAT] = "format",
	[NEPF_BG_SANITIZE] = "sanitize", [NEPF_BG_SELF_TEST] = "self-test",
};

bool nepf_bg_offered(const struct nepf_ctrl *ctrl)
{
	return ctrl->env->bg_kick;
}

static void bg_kick(struct nepf_bg *job, unsigned int ms)
{
	job->ctrl->env->bg_kick(job->ctrl, ms);
}

static void bg_job_init(struct nepf_ctrl *ctrl, struct nepf_bg *job)
{
	memset(job, 0, sizeof(*job));
	job->ctrl = ctrl;
	spin_lock_init(&job->lock);
}

void nepf_bg_init(struct nepf_ctrl *ctrl)
{
	unsigned int i;

	bg_job_init(ctrl, &ctrl->bg_media);
	bg_job_init(ctrl, &ctrl->bg_dst);
	for (i = 0; i < NVME_DST_LOG_ENTRIES; i++)
		ctrl->dst_log[i].result = NVME_DST_RES_UNUSED;
	ctrl->sstat = NVME_SSTAT_NEVER;
}

static u8 bg_kind(struct nepf_bg *job)
{
	unsigned long flags;
	u8 kind;

	spin_lock_irqsave(&job->lock, flags);
	kind = job->kind;
	spin_unlock_irqrestore(&job->lock, flags);
	return kind;
}

static void bg_abort(struct nepf_bg *job, u8 why)
{
	unsigned long flags;

	spin_lock_irqsave(&job->lock, flags);
	if (job->kind && !job->abort)
		job->abort = why;
	spin_unlock_irqrestore(&job->lock, flags);
}

/* A controller reset aborts a short self-test; the rest goes on. */
void nepf_bg_reset(struct nepf_ctrl *ctrl)
{
	struct nepf_bg *job = &ctrl->bg_dst;

	if (bg_kind(job) && job->stc == NVME_DST_SHORT)
		bg_abort(job, NVME_DST_RES_ABORT_RESET);
}

void nepf_bg_stop(struct nepf_ctrl *ctrl)
{
	bg_abort(&ctrl->bg_media, NVME_DST_RES_ABORT_UNKNOWN);
	bg_abort(&ctrl->bg_dst, NVME_DST_RES_ABORT_UNKNOWN);
}

bool nepf_bg_idle(struct nepf_ctrl *ctrl)
{
	return !bg_kind(&ctrl->bg_media) && !bg_kind(&ctrl->bg_dst);
}

/*
 * ---- LBA formats: 0 = 512 bytes, 1 = 4096, and 2 = the backend's own
 * block size when it is neither (a device with 1 or 2 KiB blocks); the
 * same list whatever the namespace is formatted in.
 */

unsigned int nepf_ns_lbafs(const struct nepf_ns *ns, u8 *ds)
{
	u8 own = ns->lba_shift_min ? ns->lba_shift_min : READ_ONCE(ns->lba_shift);

	ds[0] = 9;
	ds[1] = 12;
	if (own == 9 || own == 12)
		return 2;
	ds[2] = own;
	return 3;
}

u8 nepf_ns_flbas(const struct nepf_ns *ns)
{
	u8 shift = READ_ONCE(ns->lba_shift);

	return shift == 9 ? 0 : shift == 12 ? 1 : 2;
}

/* The block size of format @lbaf for @ns; 0: none it can serve. */
static u8 bg_lbaf_shift(const struct nepf_ns *ns, u8 lbaf)
{
	u8 ds[NEPF_MAX_LBAF];

	if (lbaf >= nepf_ns_lbafs(ns, ds) || ds[lbaf] < ns->lba_shift_min)
		return 0;
	return ds[lbaf];
}

/* ---- taking and letting go of namespaces ---- */

/*
 * Reference the namespaces of @nsid (FFFFFFFFh: all active ones) into
 * @job; @busy: claim them too (NEPF_NS_FORMAT/SANITIZE), which fails if
 * another operation owns one.  A status, and nothing held, on failure.
 */
static void bg_release(struct nepf_bg *job, u8 left);

static u16 bg_take(struct nepf_ctrl *ctrl, struct nepf_bg *job, u32 nsid,
		   u8 busy)
{
	unsigned int i;
	u16 status = NVME_SC_SUCCESS;
	u8 was;

	job->nr_ns = 0;
	job->cur = 0;
	job->claim = busy;
	for (i = 0; i < NEPF_MAX_NAMESPACES && !status; i++) {
		struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

		if (!ns || (nsid != NVME_NSID_ALL && nsid != i + 1))
			continue;
		if (!nepf_ns_get(ns))
			continue;	/* going away: not active any more */
		spin_lock(&ns->ref_lock);
		was = ns->busy;
		if (busy && (was == NEPF_NS_FREE ||
			     (busy == NEPF_NS_SANITIZE &&
			      was == NEPF_NS_SANITIZE_FAILED)))
			ns->busy = busy;
		else if (busy)
			status = was == NEPF_NS_FORMAT ?
				 NVME_SC_FORMAT_IN_PROGRESS :
				 NVME_SC_SANITIZE_IN_PROGRESS;
		spin_unlock(&ns->ref_lock);
		if (status)
			nepf_ns_put(ns);
		else
			job->ns[job->nr_ns++] = ns;
	}
	if (status)
		bg_release(job, NEPF_NS_FREE);
	return status;
}

/* Let go of ns[i]; a claimed one becomes @left (FREE or SANITIZE_FAILED). */
static void bg_release_one(struct nepf_bg *job, unsigned int i, u8 left)
{
	struct nepf_ns *ns = job->ns[i];

	if (!ns)
		return;
	if (job->claim) {
		spin_lock(&ns->ref_lock);
		ns->busy = left;
		spin_unlock(&ns->ref_lock);
	}
	nepf_ns_put(ns);
	job->ns[i] = NULL;
}

static void bg_release(struct nepf_bg *job, u8 left)
{
	unsigned int i;

	for (i = 0; i < job->nr_ns; i++)
		bg_release_one(job, i, left);
	job->nr_ns = 0;
}

/* Commands other than ours still hold @ns. */
static bool bg_ns_in_use(struct nepf_ns *ns)
{
	return nepf_ns_users(ns) > 1;
}

static bool bg_ns_dying(struct nepf_ns *ns)
{
	bool dying;

	spin_lock(&ns->ref_lock);
	dying = ns->dying;
	spin_unlock(&ns->ref_lock);
	return dying;
}

/* ---- the end of an operation ---- */

static void dst_log_add(struct nepf_ctrl *ctrl, struct nepf_bg *job, u8 res)
{
	struct nvme_dst_result e = {};
	unsigned long flags;

	e.result = (job->stc << 4) | res;
	e.poh = cpu_to_le64(nepf_ctrl_poh(ctrl));
	if (res == NVME_DST_RES_FAIL_SEGMENT) {
		e.segnum = 1;		/* the one segment: reading the media */
		e.valid = NVME_DST_VALID_NSID | NVME_DST_VALID_FLBA |
			  NVME_DST_VALID_SCT | NVME_DST_VALID_SC;
		e.nsid = cpu_to_le32(job->fail_nsid);
		e.flba = cpu_to_le64(job->fail_lba);
		e.sct = NVME_SCT(job->status);
		e.sc = job->status & NVME_SC_MASK;
	}
	spin_lock_irqsave(&job->lock, flags);
	memmove(&ctrl->dst_log[1], &ctrl->dst_log[0],
		(NVME_DST_LOG_ENTRIES - 1) * sizeof(e));
	ctrl->dst_log[0] = e;
	spin_unlock_irqrestore(&job->lock, flags);
}

static void bg_end(struct nepf_bg *job, u8 abort)
{
	struct nepf_ctrl *ctrl = job->ctrl;
	u16 status = job->status;
	unsigned long flags;
	u8 res;

	if (abort && !status)
		status = NVME_SC_ABORT_REQ;
	if (job->buf)
		ctrl->env->free_buf(ctrl, job->buf, job->buf_len);
	job->buf = NULL;
	switch (job->kind) {
	case NEPF_BG_FORMAT:
		bg_release(job, NEPF_NS_FREE);
		nepf_cq_post(ctrl, job->gen, 0, 0, job->cid, status, 0);
		break;
	case NEPF_BG_SANITIZE:
		/* Failed: I/O fails with Sanitize Failed until a new one. */
		bg_release(job, status ? NEPF_NS_SANITIZE_FAILED : NEPF_NS_FREE);
		spin_lock_irqsave(&job->lock, flags);
		ctrl->sstat = (ctrl->sstat & ~NVME_SSTAT_STATUS_MASK) |
			      (status ? NVME_SSTAT_FAILED : NVME_SSTAT_DONE);
		spin_unlock_irqrestore(&job->lock, flags);
		break;
	case NEPF_BG_SELF_TEST:
		bg_release(job, NEPF_NS_FREE);
		res = abort ? abort : status ? NVME_DST_RES_FAIL_SEGMENT :
					       NVME_DST_RES_OK;
		dst_log_add(ctrl, job, res);
		break;
	}
	if (status)
		nepf_info(ctrl, "%s ended with status %#x\n", bg_name[job->kind],
			  status);
	spin_lock_irqsave(&job->lock, flags);
	job->kind = NEPF_BG_NONE;
	job->abort = 0;
	spin_unlock_irqrestore(&job->lock, flags);
}

/* ---- the steps ---- */

static void bg_io_done(struct nepf_io *io)
{
	struct nepf_bg *job = container_of(io, struct nepf_bg, io);
	unsigned long flags;

	spin_lock_irqsave(&job->lock, flags);
	job->io_busy = false;
	spin_unlock_irqrestore(&job->lock, flags);
	bg_kick(job, 0);
}

static void bg_progress(struct nepf_bg *job, u64 bytes)
{
	unsigned long flags;

	spin_lock_irqsave(&job->lock, flags);
	job->done += bytes;
	spin_unlock_irqrestore(&job->lock, flags);
}

/* The chunk the backend finished: on to the next one, or failed. */
static void bg_account(struct nepf_bg *job)
{
	struct nepf_io *io = &job->io;
	struct nepf_ns *ns = io->ns;

	if (io->result != NEPF_IO_OK) {
		job->status = nepf_io_result_status(io->result, io->op);
		job->fail_nsid = ns->nsid;
		job->fail_lba = io->pos >> ns->lba_shift;
		return;
	}
	bg_progress(job, io->len);
	if (job->step) {
		job->pos += job->step;
		if (!--job->left)
			job->pos = job->end;
	} else {
		job->pos += io->len;
	}
}

/* A local buffer of one MDTS, zeroed (erase without Write Zeroes). */
static bool bg_buf(struct nepf_bg *job)
{
	struct nepf_ctrl *ctrl = job->ctrl;

	if (job->buf)
		return true;
	job->buf_len = nepf_ctrl_max_xfer(ctrl);
	job->buf = ctrl->env->alloc_buf(ctrl, job->buf_len);
	if (!job->buf) {
		job->status = NVME_SC_INTERNAL;
		return false;
	}
	memset(job->buf, 0, job->buf_len);
	return true;
}

/* Start on @ns: false while I/O commands still hold it. */
static bool bg_ns_start(struct nepf_bg *job, struct nepf_ns *ns)
{
	u32 chunk = nepf_ctrl_max_xfer(job->ctrl);
	u8 shift;

	job->pos = 0;
	job->step = 0;
	job->end = ns->nr_blocks << ns->lba_shift;
	switch (job->kind) {
	case NEPF_BG_FORMAT:
		if (bg_ns_in_use(ns))
			return false;
		/* Checked by the command; the backend cannot have changed. */
		shift = bg_lbaf_shift(ns, job->lbaf);
		WRITE_ONCE(ns->lba_shift, shift);
		WRITE_ONCE(ns->nr_blocks, ns->size >> shift);
		/*
		 * What a restart or `nvme-epf save` takes (configfs, which
		 * knows 512 and 4096): a backend's own odd size is what it
		 * gets with 512, the smallest it can serve.
		 */
		WRITE_ONCE(ns->cfg.block_size, shift == 12 ? 4096 : 512);
		nepf_ns_uncor_clear_all(ns);
		job->end = job->ses ? ns->nr_blocks << shift : 0;
		break;
	case NEPF_BG_SANITIZE:
		if (bg_ns_in_use(ns))
			return false;
		nepf_ns_uncor_clear_all(ns);
		break;
	case NEPF_BG_SELF_TEST:
		/* Short: chunks spread evenly, the first and the last among them. */
		if (job->stc == NVME_DST_SHORT &&
		    job->end > (u64)chunk * DST_SHORT_CHUNKS) {
			job->step = div_u64(job->end - chunk, DST_SHORT_CHUNKS - 1);
			job->step &= ~((1ULL << ns->lba_shift) - 1);
			job->left = DST_SHORT_CHUNKS;
		}
		break;
	}
	job->started = true;
	return true;
}

/* Bytes a self-test reads of @ns (for the progress). */
static u64 dst_bytes(const struct nepf_ctrl *ctrl, u8 stc,
		     const struct nepf_ns *ns)
{
	u64 all = ns->nr_blocks << ns->lba_shift;
	u64 chunk = nepf_ctrl_max_xfer(ctrl);

	if (stc == NVME_DST_SHORT && all > chunk * DST_SHORT_CHUNKS)
		return chunk * DST_SHORT_CHUNKS;
	return all;
}

/* Submit the next chunk of ns[cur]; false if there is nothing to submit. */
static bool bg_submit(struct nepf_bg *job, struct nepf_ns *ns)
{
	struct nepf_io *io = &job->io;
	u64 left = job->end - job->pos, lba;
	enum nepf_io_op op;
	unsigned long flags;
	u32 len;

	if (job->kind == NEPF_BG_SELF_TEST) {
		if (!bg_buf(job))
			return false;
		op = NEPF_IO_READ;
		len = min_t(u64, left, job->buf_len);
		/* Blocks the host made uncorrectable fail the test. */
		if (nepf_ns_uncor_hit(ns, job->pos >> ns->lba_shift,
				      len >> ns->lba_shift, &lba)) {
			job->status = NVME_SC_READ_ERROR;
			job->fail_nsid = ns->nsid;
			job->fail_lba = lba;
			return false;
		}
	} else if (ns->can_write_zeroes) {
		op = NEPF_IO_WRITE_ZEROES;
		len = min_t(u64, left, BG_ZERO_CHUNK);
	} else {
		if (!bg_buf(job))
			return false;
		op = NEPF_IO_WRITE;
		len = min_t(u64, left, job->buf_len);
	}
	memset(io, 0, sizeof(*io));
	io->ns = ns;
	io->op = op;
	io->pos = job->pos;
	io->len = len;
	io->buf = op == NEPF_IO_WRITE_ZEROES ? NULL : job->buf;
	io->fua = op != NEPF_IO_READ;	/* an erase is for good */
	io->done = bg_io_done;
	job->io_ended = true;
	spin_lock_irqsave(&job->lock, flags);
	job->io_busy = true;
	spin_unlock_irqrestore(&job->lock, flags);
	ns->ops->submit(io);
	return true;
}

/* ns[cur] is done: a format tells the host its Identify data changed. */
static void bg_ns_end(struct nepf_bg *job)
{
	struct nepf_ns *ns = job->ns[job->cur];

	if (ns && job->kind == NEPF_BG_FORMAT)
		nepf_ns_identity_changed(job->ctrl, ns);
	job->cur++;
	job->started = false;
}

/* One step; false when it waits for the backend or a drain, or ended. */
static bool bg_step(struct nepf_bg *job)
{
	struct nepf_ns *ns;
	unsigned long flags;
	u8 abort, busy;

	if (job->io_ended) {
		job->io_ended = false;
		bg_account(job);
	}
	spin_lock_irqsave(&job->lock, flags);
	abort = job->abort;
	spin_unlock_irqrestore(&job->lock, flags);
	if (abort || job->status || job->cur >= job->nr_ns) {
		bg_end(job, abort);
		return false;
	}
	ns = job->ns[job->cur];
	if (!ns || bg_ns_dying(ns)) {
		/* Being disabled: let it go, its close waits for us. */
		bg_release_one(job, job->cur, NEPF_NS_FREE);
		if (job->kind == NEPF_BG_SELF_TEST) {
			bg_end(job, NVME_DST_RES_ABORT_NS);
			return false;
		}
		bg_ns_end(job);
		return true;
	}
	if (job->kind == NEPF_BG_SELF_TEST) {
		busy = READ_ONCE(ns->busy);
		if (busy) {
			bg_end(job, busy == NEPF_NS_FORMAT ?
				    NVME_DST_RES_ABORT_FORMAT :
				    NVME_DST_RES_ABORT_SANITIZE);
			return false;
		}
	}
	if (!job->started) {
		if (!bg_ns_start(job, ns)) {
			bg_kick(job, BG_DRAIN_MS);
			return false;
		}
		return true;
	}
	if (job->pos >= job->end) {
		bg_ns_end(job);
		return true;
	}
	if (!bg_submit(job, ns))
		return true;	/* failed before the backend: ends next step */
	return false;
}

static void bg_run_job(struct nepf_bg *job)
{
	unsigned long flags;
	unsigned int n;
	bool idle;

	for (n = 0; n < BG_STEPS; n++) {
		spin_lock_irqsave(&job->lock, flags);
		idle = !job->kind || job->io_busy;
		spin_unlock_irqrestore(&job->lock, flags);
		if (idle || !bg_step(job))
			return;
	}
	bg_kick(job, 0);	/* more to do: let other work run first */
}

void nepf_bg_run(struct nepf_ctrl *ctrl)
{
	bg_run_job(&ctrl->bg_media);
	bg_run_job(&ctrl->bg_dst);
}

/* Start @job as @kind (its namespaces taken); the command is done. */
static void bg_start(struct nepf_bg *job, u8 kind, u64 total)
{
	unsigned long flags;

	job->started = false;
	job->io_ended = false;
	job->status = NVME_SC_SUCCESS;
	spin_lock_irqsave(&job->lock, flags);
	job->done = 0;
	job->total = total;
	job->abort = 0;
	job->kind = kind;
	spin_unlock_irqrestore(&job->lock, flags);
	bg_kick(job, 0);
}

/* ---- the admin commands ---- */

/* A media job runs: the status commands get meanwhile. */
static u16 bg_media_busy(struct nepf_ctrl *ctrl)
{
	switch (bg_kind(&ctrl->bg_media)) {
	case NEPF_BG_FORMAT:
		return NVME_SC_FORMAT_IN_PROGRESS;
	case NEPF_BG_SANITIZE:
		return NVME_SC_SANITIZE_IN_PROGRESS;
	}
	return NVME_SC_SUCCESS;
}

/*
 * Namespace Management and Attachment wait for every background
 * operation: they hold namespaces a deletion would wait for.  A self-test
 * ends on its own (or is aborted): Namespace Not Ready, retry.
 */
u16 nepf_bg_busy(struct nepf_ctrl *ctrl)
{
	u16 status = bg_media_busy(ctrl);

	if (!status && bg_kind(&ctrl->bg_dst))
		status = NVME_SC_NS_NOT_READY;
	return status;
}

/* NSID of Format NVM and Device Self-test: active, or FFFFFFFFh. */
static u16 bg_nsid(struct nepf_ctrl *ctrl, u32 nsid)
{
	if (nsid == NVME_NSID_ALL)
		return NVME_SC_SUCCESS;
	if (!nsid || nsid > NEPF_MAX_NAMESPACES || !READ_ONCE(ctrl->ns[nsid - 1]))
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/*
 * Format NVM: LBA format 0 (512 bytes) or 1 (4096), 2 where the backend
 * has another block size; no metadata, no protection information; SES
 * 0 or 1 (user data erase: write zeroes).  One namespace or all of them.
 */
u16 nepf_admin_format(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_bg *job = &ctrl->bg_media;
	u32 dw10 = nvme_sqe_cdw(&cmd->sqe, 10);
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u8 lbaf = NVME_FMT_LBAFU(dw10) << 4 | NVME_FMT_LBAFL(dw10);
	unsigned int i;
	u16 status;

	if (NVME_FMT_SES(dw10) > NVME_FMT_SES_USER)	/* FNA: no crypto erase */
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	/* MSET and PIL only matter with metadata, which no format has. */
	if (NVME_FMT_PI(dw10))
		return NVME_SC_INVALID_FORMAT | NVME_STATUS_DNR;
	status = bg_nsid(ctrl, nsid);
	if (!status)
		status = bg_media_busy(ctrl);
	if (status)
		return status;
	status = bg_take(ctrl, job, nsid, NEPF_NS_FORMAT);
	if (status)
		return status;
	for (i = 0; i < job->nr_ns && !status; i++) {
		/* A backend that cannot serve that block size: Invalid Format. */
		if (!bg_lbaf_shift(job->ns[i], lbaf))
			status = NVME_SC_INVALID_FORMAT | NVME_STATUS_DNR;
		else if (job->ns[i]->cfg.readonly)
			status = NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
	}
	if (!status && !job->nr_ns)
		status = NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	if (status) {
		bg_release(job, NEPF_NS_FREE);
		return status;
	}
	job->lbaf = lbaf;
	job->ses = NVME_FMT_SES(dw10);
	job->cid = cmd->sqe.cid;
	job->gen = cmd->gen;
	bg_start(job, NEPF_BG_FORMAT, 0);
	return NEPF_STATUS_DEFERRED;
}

/*
 * Device Self-test: short (a sample of each namespace) or extended (all
 * of it), NSID 0 (no namespace), one or FFFFFFFFh (all); STC Fh aborts.
 */
u16 nepf_admin_self_test(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_bg *job = &ctrl->bg_dst;
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u8 stc = NVME_DST_STC(nvme_sqe_cdw(&cmd->sqe, 10));
	unsigned int i;
	u64 total = 0;
	u16 status;

	if (stc == NVME_DST_ABORT) {
		bg_abort(job, NVME_DST_RES_ABORT_CMD);
		return NVME_SC_SUCCESS;
	}
	if (stc != NVME_DST_SHORT && stc != NVME_DST_EXTENDED)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	status = nsid ? bg_nsid(ctrl, nsid) : NVME_SC_SUCCESS;
	if (status)
		return status;
	if (bg_kind(&ctrl->bg_media) == NEPF_BG_SANITIZE)
		return NVME_SC_SANITIZE_IN_PROGRESS;
	if (bg_kind(job))
		return NVME_SC_SELF_TEST_IN_PROGRESS;
	job->nr_ns = 0;
	if (nsid) {
		status = bg_take(ctrl, job, nsid, 0);
		if (status)
			return status;
	}
	for (i = 0; i < job->nr_ns; i++)
		total += dst_bytes(ctrl, stc, job->ns[i]);
	job->stc = stc;
	bg_start(job, NEPF_BG_SELF_TEST, total);
	return NVME_SC_SUCCESS;
}

/* Exit Failure Mode: I/O goes through again. */
static void sanitize_exit_failure(struct nepf_ctrl *ctrl)
{
	unsigned int i;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

		if (!ns)
			continue;
		spin_lock(&ns->ref_lock);
		if (ns->busy == NEPF_NS_SANITIZE_FAILED)
			ns->busy = NEPF_NS_FREE;
		spin_unlock(&ns->ref_lock);
	}
}

/*
 * Sanitize: Block Erase of every namespace of the controller (SANICAP
 * BES), by write zeroes; Exit Failure Mode.  Overwrite and Crypto Erase
 * are not offered.  NDAS is accepted: the erase writes, it does not
 * deallocate (the backend may, where zeroes read back).
 */
u16 nepf_admin_sanitize(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_bg *job = &ctrl->bg_media;
	u32 dw10 = nvme_sqe_cdw(&cmd->sqe, 10);
	unsigned long flags;
	unsigned int i;
	u64 total = 0;
	u16 status;

	switch (NVME_SANACT(dw10)) {
	case NVME_SANACT_EXIT_FAILURE:
		status = bg_media_busy(ctrl);
		if (!status)
			sanitize_exit_failure(ctrl);
		return status;
	case NVME_SANACT_BLOCK_ERASE:
		break;
	default:	/* overwrite, crypto erase: SANICAP says no; reserved */
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	status = bg_media_busy(ctrl);
	if (status)
		return status;
	status = bg_take(ctrl, job, NVME_NSID_ALL, NEPF_NS_SANITIZE);
	if (status)
		return status;
	for (i = 0; i < job->nr_ns; i++) {
		if (job->ns[i]->cfg.readonly)
			status = NVME_SC_NS_WRITE_PROTECTED | NVME_STATUS_DNR;
		total += job->ns[i]->nr_blocks << job->ns[i]->lba_shift;
	}
	if (status) {
		bg_release(job, NEPF_NS_FREE);
		return status;
	}
	spin_lock_irqsave(&job->lock, flags);
	ctrl->sstat = NVME_SSTAT_IN_PROGRESS;
	ctrl->scdw10 = dw10;
	spin_unlock_irqrestore(&job->lock, flags);
	bg_start(job, NEPF_BG_SANITIZE, total);
	return NVME_SC_SUCCESS;
}

/* ---- logs and Identify ---- */

/* done / total in units of 1 / @scale (job->lock held). */
static u64 bg_fraction(const struct nepf_bg *job, u32 scale)
{
	u64 done = job->done, total = job->total;

	lockdep_assert_held(&job->lock);

	/* A 32-bit divisor, and done * scale without overflow. */
	while (total > U32_MAX) {
		total >>= 1;
		done >>= 1;
	}
	return total ? div_u64(done * scale, (u32)total) : 0;
}

void nepf_bg_log_self_test(struct nepf_ctrl *ctrl, struct nvme_dst_log *log)
{
	struct nepf_bg *job = &ctrl->bg_dst;
	unsigned long flags;

	spin_lock_irqsave(&job->lock, flags);
	if (job->kind) {
		log->current_op = job->stc;
		log->completion = min_t(u64, bg_fraction(job, 100), 99);
	}
	memcpy(log->result, ctrl->dst_log, sizeof(log->result));
	spin_unlock_irqrestore(&job->lock, flags);
}

void nepf_bg_log_sanitize(struct nepf_ctrl *ctrl, struct nvme_sanitize_log *log)
{
	struct nepf_bg *job = &ctrl->bg_media;
	unsigned long flags;
	u16 sprog = 0xffff;	/* not sanitizing */

	spin_lock_irqsave(&job->lock, flags);
	if (job->kind == NEPF_BG_SANITIZE)
		sprog = min_t(u64, bg_fraction(job, 65536), 65535);
	log->sprog = cpu_to_le16(sprog);
	log->sstat = cpu_to_le16(ctrl->sstat);
	log->scdw10 = cpu_to_le32(ctrl->scdw10);
	spin_unlock_irqrestore(&job->lock, flags);
	/* No estimates: the backends' speed is not known in advance. */
	log->eto = cpu_to_le32(U32_MAX);
	log->etbe = cpu_to_le32(U32_MAX);
	log->etce = cpu_to_le32(U32_MAX);
	log->etond = cpu_to_le32(U32_MAX);
	log->etbend = cpu_to_le32(U32_MAX);
	log->etcend = cpu_to_le32(U32_MAX);
}

/* EDSTT, minutes: all namespaces read at DST_RATE_MBS, rounded up. */
u16 nepf_bg_edstt(struct nepf_ctrl *ctrl)
{
	u32 per_min = DST_RATE_MBS * 1000000U * 60;
	unsigned int i;
	u64 bytes = 0;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		const struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

		if (ns)
			bytes += READ_ONCE(ns->nr_blocks) << READ_ONCE(ns->lba_shift);
	}
	return clamp_t(u64, div_u64(bytes + per_min - 1, per_min), 1, U16_MAX);
}
