// SPDX-License-Identifier: GPL-2.0
/*
 * telemetry.c - the Telemetry Host-Initiated log (07h): a snapshot of the
 * controller's own statistics and its recent errors, taken when the host
 * asks for one (Get Log Page LSP bit 0, "create") and kept, unchanged,
 * for the reads that follow, until the next create or controller reset.
 *
 * Layout, in 512-byte blocks (the spec's; the data is ours to define):
 *   block 0      header: LID, IEEE OUI, last block of data areas 1-3,
 *                generation number (one more per create)
 *   data area 1  text, "key value" lines: controller state, SMART
 *                counters, per-queue and per-namespace statistics, the
 *                background operations (bgop.c); zero-padded
 *   data area 2  the error log entries, newest first (64 bytes each)
 *   data area 3  empty: it ends where area 2 does
 * Admin commands run one at a time, so the snapshot needs no lock of its
 * own; what it reads of the rest of the controller is taken under theirs.
 */
#include "ctrl.h"

#define TL_BLOCK	512
#define TL_DA1_BLOCKS	16			/* text: 8 KiB */
#define TL_DA2_BLOCKS	(NEPF_ERR_LOG_ENTRIES * 64 / TL_BLOCK)
#define TL_SIZE		((1 + TL_DA1_BLOCKS + TL_DA2_BLOCKS) * TL_BLOCK)
/* u64 is unsigned long in some userspace builds: print it as %llu. */
#define TL_ULL(x)		((unsigned long long)(x))

struct tl_text {
	char *p;
	size_t left;
};

static __printf(2, 3) void tl_line(struct tl_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->left <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p, t->left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= t->left)	/* cut: the area is full */
		n = t->left - 1;
	t->p += n;
	t->left -= n;
}

static void tl_queues(struct nepf_ctrl *ctrl, struct tl_text *t)
{
	struct nepf_io_stats s;
	unsigned int qid;

	for (qid = 0; qid <= NEPF_MAX_IO_QUEUES; qid++) {
		spin_lock(&ctrl->lock);
		s = ctrl->sq_stats[qid];
		spin_unlock(&ctrl->lock);
		if (!s.cmds)
			continue;
		tl_line(t, "sq %u cmds %llu reads %llu writes %llu", qid,
			TL_ULL(s.cmds), TL_ULL(s.reads), TL_ULL(s.writes));
		tl_line(t, " bytes_read %llu bytes_written %llu errors %llu lat_max_ns %llu\n",
			TL_ULL(s.bytes_read), TL_ULL(s.bytes_written), TL_ULL(s.errors),
			TL_ULL(s.lat_max_ns));
	}
}

static void tl_namespaces(struct nepf_ctrl *ctrl, struct tl_text *t)
{
	unsigned int i;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);
		u64 reads, writes, errors;
		u8 busy;

		if (!ns)
			continue;
		spin_lock(&ns->ref_lock);
		reads = ns->stats.reads;
		writes = ns->stats.writes;
		errors = ns->stats.errors;
		busy = ns->busy;
		spin_unlock(&ns->ref_lock);
		tl_line(t, "ns %u backend %s blocks %llu block_size %u", ns->nsid,
			ns->cfg.backend, TL_ULL(READ_ONCE(ns->nr_blocks)),
			1U << READ_ONCE(ns->lba_shift));
		tl_line(t, " reads %llu writes %llu errors %llu busy %u uncorrectable %u\n",
			TL_ULL(reads), TL_ULL(writes), TL_ULL(errors), busy,
			READ_ONCE(ns->uncor_blocks));
	}
}

static void tl_bg(struct tl_text *t, const char *what, struct nepf_bg *job)
{
	unsigned long flags;
	u64 done, total;
	u8 kind;

	spin_lock_irqsave(&job->lock, flags);
	kind = job->kind;
	done = job->done;
	total = job->total;
	spin_unlock_irqrestore(&job->lock, flags);
	tl_line(t, "%s kind %u done_bytes %llu total_bytes %llu\n", what, kind,
		TL_ULL(done), TL_ULL(total));
}

/* Data area 1: what the controller counts, as text. */
static void tl_text(struct nepf_ctrl *ctrl, char *buf, size_t size)
{
	struct tl_text t = { .p = buf, .left = size };
	struct nepf_smart s;
	u64 err_count, stale;

	spin_lock(&ctrl->log_lock);
	s = ctrl->smart;
	err_count = ctrl->err_count;
	stale = ctrl->nr_stale;
	spin_unlock(&ctrl->log_lock);

	tl_line(&t, "nvme-epf telemetry 1\n");
	tl_line(&t, "controller %s cntlid %u generation %u state %u cc 0x%x csts 0x%x\n",
		ctrl->name ? ctrl->name : "?", ctrl->cfg.cntlid, READ_ONCE(ctrl->gen),
		READ_ONCE(ctrl->state), READ_ONCE(ctrl->cc), READ_ONCE(ctrl->csts));
	tl_line(&t, "uptime_s %llu power_on_hours %llu\n",
		TL_ULL(div_u64(nepf_now_ns() - ctrl->created_ns, 1000000000)),
		TL_ULL(nepf_ctrl_poh(ctrl)));
	tl_line(&t, "io_queues %u/%u queue_depth %u mdts_bytes %u\n",
		ctrl->nr_io_sqs_granted, ctrl->cfg.max_io_queues,
		ctrl->cfg.queue_depth, nepf_ctrl_max_xfer(ctrl));
	tl_line(&t, "errors %llu stale_host_accesses %llu held_commands %u\n",
		TL_ULL(err_count), TL_ULL(stale), READ_ONCE(ctrl->nr_held));
	tl_line(&t, "smart host_reads %llu host_writes %llu", TL_ULL(s.host_reads),
		TL_ULL(s.host_writes));
	tl_line(&t, " bytes_read %llu bytes_written %llu media_errors %llu\n",
		TL_ULL(s.bytes_read), TL_ULL(s.bytes_written), TL_ULL(s.media_errors));
	tl_queues(ctrl, &t);
	tl_namespaces(ctrl, &t);
	tl_bg(&t, "bg_media", &ctrl->bg_media);
	tl_bg(&t, "bg_self_test", &ctrl->bg_dst);
}

/* A new snapshot (LSP "create"), or the first one: 0 or -ENOMEM. */
static int tl_create(struct nepf_ctrl *ctrl)
{
	struct nvme_telemetry_log *h;
	u8 *buf;
	u16 da1 = TL_DA1_BLOCKS, da2 = TL_DA1_BLOCKS + TL_DA2_BLOCKS;

	BUILD_BUG_ON(sizeof(*h) != TL_BLOCK);
	buf = ctrl->telemetry;
	if (!buf) {
		buf = nepf_ctrl_zalloc(ctrl, TL_SIZE);
		if (!buf)
			return -ENOMEM;
		ctrl->telemetry = buf;
	}
	memset(buf, 0, TL_SIZE);
	h = (struct nvme_telemetry_log *)buf;
	h->lid = NVME_LOG_TELEMETRY_HOST;
	h->ieee[0] = ctrl->cfg.ieee_oui & 0xff;
	h->ieee[1] = (ctrl->cfg.ieee_oui >> 8) & 0xff;
	h->ieee[2] = (ctrl->cfg.ieee_oui >> 16) & 0xff;
	h->dalb1 = cpu_to_le16(da1);
	h->dalb2 = cpu_to_le16(da2);
	h->dalb3 = cpu_to_le16(da2);
	h->hostdgn = ++ctrl->telemetry_gen;
	tl_text(ctrl, (char *)buf + TL_BLOCK, TL_DA1_BLOCKS * TL_BLOCK);
	/* Data area 2: the error log, newest first. */
	nepf_ctrl_error_log(ctrl, (void *)(buf + (1 + TL_DA1_BLOCKS) * TL_BLOCK));
	return 0;
}

u16 nepf_telemetry_host(struct nepf_ctrl *ctrl, bool create, const u8 **log,
			u32 *size)
{
	if ((create || !ctrl->telemetry) && tl_create(ctrl))
		return NVME_SC_INTERNAL;
	*log = ctrl->telemetry;
	*size = TL_SIZE;
	return NVME_SC_SUCCESS;
}

void nepf_telemetry_free(struct nepf_ctrl *ctrl)
{
	nepf_free(ctrl->telemetry);
	ctrl->telemetry = NULL;
}
