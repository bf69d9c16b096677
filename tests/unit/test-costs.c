// SPDX-License-Identifier: GPL-2.0
/*
 * test-costs.c - the core's budget per command: every environment
 * operation (host reads and writes with their sizes, buffers, interrupts,
 * deferrals, releases) and what the core counts itself (src/costs.h:
 * completions, data segments, zeroed allocations, doorbell loads) for one
 * canonical command each, exactly.  The table holds today's counts: a
 * change that adds an operation fails here and must change the table, on
 * purpose, with the reason in its comment.
 *
 * Each row runs on a fresh controller and plays one SQ's part of the
 * fetch itself, as nepf_ctrl_fetch() does it: one nepf_sq_pending() (the
 * SQ tail doorbell), one nepf_sq_read() of the SQEs waiting,
 * nepf_sq_take() + nepf_cmd_exec() each (the simulated environment
 * finishes deferred commands at once).
 * The poll loop's idle passes read doorbells too: the kernel's poll
 * thread adds those, and the guest ledger (tests/vm/guest/67-costs.sh)
 * counts them.
 */
#include "unit.h"

#define PG		SIM_PAGE
#define NSID		1
#define NS_BLOCKS	4096		/* 2 MiB of 512-byte blocks */

/* Host data pages: contiguous, or every other page (a real host's are scattered). */
static u64 data_pages(struct sim *s, u32 len, bool scattered, u64 *page)
{
	u32 i, n = DIV_ROUND_UP(len, PG);
	u64 base = sim_alloc(s, (u64)n * PG * (scattered ? 2 : 1), PG);

	for (i = 0; i < n; i++)
		page[i] = base + (u64)i * PG * (scattered ? 2 : 1);
	return base;
}

/* PRP1 + PRP2 (second page or list) for @len bytes of @page[]. */
static void build_prp(struct sim *s, struct nvme_sqe *sqe, u32 len, bool scattered)
{
	static u64 page[256];
	u32 i, n = DIV_ROUND_UP(len, PG);
	u64 list;
	__le64 *ent;

	data_pages(s, len, scattered, page);
	sqe->dptr.prp1 = cpu_to_le64(page[0]);
	if (n == 2)
		sqe->dptr.prp2 = cpu_to_le64(page[1]);
	if (n <= 2)
		return;
	list = sim_alloc(s, PG, PG);
	ent = sim_ptr(s, list);
	for (i = 1; i < n; i++)
		ent[i - 1] = cpu_to_le64(page[i]);
	sqe->dptr.prp2 = cpu_to_le64(list);
}

/* SGL1: one Data Block, or a Last Segment of @n scattered 4 KiB blocks. */
static void build_sgl(struct sim *s, struct nvme_sqe *sqe, u32 len, u32 n)
{
	static u64 page[8];
	struct nvme_sgl_desc *d;
	u64 seg;
	u32 i;

	data_pages(s, len, true, page);
	sqe->flags |= NVME_CMD_PSDT_SGL_MPTR_CONTIG;
	if (n == 1) {
		sqe->dptr.sgl.addr = cpu_to_le64(page[0]);
		sqe->dptr.sgl.length = cpu_to_le32(len);
		sqe->dptr.sgl.type = NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK,
						 NVME_SGL_SUBTYPE_ADDRESS);
		return;
	}
	seg = sim_alloc(s, n * sizeof(*d), 16);
	d = sim_ptr(s, seg);
	for (i = 0; i < n; i++) {
		d[i].addr = cpu_to_le64(page[i]);
		d[i].length = cpu_to_le32(len / n);
		d[i].type = NVME_SGL_ID(NVME_SGL_TYPE_DATA_BLOCK, NVME_SGL_SUBTYPE_ADDRESS);
	}
	sqe->dptr.sgl.addr = cpu_to_le64(seg);
	sqe->dptr.sgl.length = cpu_to_le32(n * sizeof(*d));
	sqe->dptr.sgl.type = NVME_SGL_ID(NVME_SGL_TYPE_LAST_SEGMENT,
					 NVME_SGL_SUBTYPE_ADDRESS);
}

enum dptr { PRP, PRP_SCATTERED, SGL1, SGL_SEG2 };

/* What one command may cost; sizes "64 4096*32 16": in order, run-length. */
struct budget {
	const char *name;
	u8 opcode;
	u32 len;
	enum dptr dptr;
	/* asked of the environment (struct sim_ledger) */
	const char *reads;
	const char *writes;
	u32 bufs;		/* env->alloc_buf, each freed again */
	u64 buf_bytes;
	u32 hits;		/* buffers bufpool.c served from kept ones */
	/*
	 * defers: env->defer, an end after the backend's submit returned
	 * (a hand-off in the glue); the others end inside it (the RAM
	 * backend is synchronous) and are finished by the thread that ran
	 * the command: the core counts those (finish_inline).
	 */
	u32 irqs, defers, releases;
	u32 cq_writes;		/* env->cq_write: CQEs through a kept mapping */
	/*
	 * counted by the core itself (ctrl->costs).  reg_loads: the one
	 * interrupt is an MSI-X, whose Vector Control (BAR memory) is read
	 * before it is raised, so a masked vector stays pending.
	 */
	u64 cqes, segs, allocs, zeroed, db_loads, reg_loads;
	bool async;		/* the backend ends I/O after its submit */
};

/*
 * Every row is the second run of its command: the first made the buffers
 * that bufpool.c keeps (a 4 KiB slot, an MDTS-sized buffer), so the
 * environment allocates nothing.  A transfer of up to 12 KiB maps into the
 * command's inline segments; a longer one into a full list, zeroed: 257
 * segments (MDTS 1 MiB in 4 KiB pages + 1), 4112 B.
 */
#define SEGLIST	(NEPF_MAX_SEGS * sizeof(struct nepf_seg))

static const struct budget budgets[] = {
	{
		/*
		 * 4 KiB Read, PRP1: the SQE (64 B) is the only host read;
		 * the data (4 KiB) is written; the CQE (16 B) goes through
		 * the CQ ring's kept mapping (env->cq_write, in every row).
		 * One data buffer, a kept slot; one inline segment.  The
		 * backend ends the I/O inside its submit, so the data is
		 * written and the command finished by the thread that ran it:
		 * no deferral (issue 14: one hand-off per I/O in the glue).
		 * One interrupt, one release.  Doorbells: the SQ tail at
		 * fetch, the CQ head before posting.
		 */
		"read-4k-prp1", nvme_cmd_read, 4096, PRP,
		"64", "4096", 0, 0, 1, 1, 0, 1, 1,
		1, 1, 0, 0, 2, 1, false,
	}, {
		/* 4 KiB Write, PRP1: the data is read from the host before
		 * the backend runs; otherwise as the Read. */
		"write-4k-prp1", nvme_cmd_write, 4096, PRP,
		"64 4096", "", 0, 0, 1, 1, 0, 1, 1,
		1, 1, 0, 0, 2, 1, false,
	}, {
		/*
		 * 128 KiB Read, PRP list over 32 scattered pages: the list
		 * (31 entries, 248 B) is read at once into a 512-byte fetch
		 * buffer (a kept slot: the second hit); 32 segments, one
		 * host write each.
		 */
		"read-128k-prp-list", nvme_cmd_read, 128 * 1024, PRP_SCATTERED,
		"64 248", "4096*32", 0, 0, 2, 1, 0, 1, 1,
		1, 32, 1, SEGLIST, 2, 1, false,
	}, {
		/* 128 KiB Write, the same list: 32 host reads of data. */
		"write-128k-prp-list", nvme_cmd_write, 128 * 1024, PRP_SCATTERED,
		"64 248 4096*32", "", 0, 0, 2, 1, 0, 1, 1,
		1, 32, 1, SEGLIST, 2, 1, false,
	}, {
		/*
		 * 512 KiB Read, contiguous pages: the list's 127 entries are
		 * read 64 at a time (FETCH_BYTES 512: 512 B + 504 B); the
		 * pages merge into one segment, written at once.
		 */
		"read-512k-prp-contig", nvme_cmd_read, 512 * 1024, PRP,
		"64 512 504", "524288", 0, 0, 2, 1, 0, 1, 1,
		1, 1, 1, SEGLIST, 2, 1, false,
	}, {
		/* 512 KiB Read, 128 scattered pages: 128 host writes. */
		"read-512k-prp-scattered", nvme_cmd_read, 512 * 1024, PRP_SCATTERED,
		"64 512 504", "4096*128", 0, 0, 2, 1, 0, 1, 1,
		1, 128, 1, SEGLIST, 2, 1, false,
	}, {
		/* 4 KiB Write, SGL1 one Data Block: nothing to fetch. */
		"write-4k-sgl-data-block", nvme_cmd_write, 4096, SGL1,
		"64 4096", "", 0, 0, 1, 1, 0, 1, 1,
		1, 1, 0, 0, 2, 1, false,
	}, {
		/*
		 * 8 KiB Read, SGL1 a Last Segment of 2 Data Blocks: the
		 * segment (32 B) is read into a fetch buffer; 2 segments,
		 * inline.
		 */
		"read-8k-sgl-segment", nvme_cmd_read, 8192, SGL_SEG2,
		"64 32", "4096*2", 0, 0, 2, 1, 0, 1, 1,
		1, 2, 0, 0, 2, 1, false,
	}, {
		/*
		 * The 4 KiB Read and Write again, with a backend that ends
		 * the I/O after its submit returned (an interrupt, a file
		 * backend's worker): the end is deferred once, to finish in
		 * process context; nothing else changes.
		 */
		"read-4k-prp1-async", nvme_cmd_read, 4096, PRP,
		"64", "4096", 0, 0, 1, 1, 1, 1, 1,
		1, 1, 0, 0, 2, 1, true,
	}, {
		"write-4k-prp1-async", nvme_cmd_write, 4096, PRP,
		"64 4096", "", 0, 0, 1, 1, 1, 1, 1,
		1, 1, 0, 0, 2, 1, true,
	},
};

/* "64 4096*32 16" from the first @nr sizes. */
static void sizes_str(const u32 *sizes, u32 nr, char *out, size_t size)
{
	size_t n = 0;
	u32 i, run;

	out[0] = 0;
	if (nr > SIM_LEDGER_SIZES) {
		snprintf(out, size, "(more than %u)", SIM_LEDGER_SIZES);
		return;
	}
	for (i = 0; i < nr; i += run) {
		for (run = 1; i + run < nr && sizes[i + run] == sizes[i]; run++)
			;
		n += snprintf(out + n, size - n, "%s%u", i ? " " : "", sizes[i]);
		if (run > 1)
			n += snprintf(out + n, size - n, "*%u", run);
		if (n >= size)
			return;
	}
}

static struct sim *budget_sim(void)
{
	struct nepf_ctrl_config cfg;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.mdts_kb = 1024;
	cfg.sgl = true;
	s = sim_new(&cfg);
	if (sim_enable(s, 32))
		abort();
	sim_add_ns(s, NSID, NS_BLOCKS, 9);
	if (sim_create_io_queues(s, 1, 16))
		abort();
	return s;
}

/*
 * One SQ's part of nepf_ctrl_fetch(): the SQ tail, then the @n SQEs
 * waiting with one host read into the fetch buffer, each made a command
 * in @cmd[] (freed by the release); false if that is not what happened.
 */
static bool budget_fetch(struct sim *s, u32 n, struct nepf_cmd **cmd)
{
	struct nepf_ctrl *ctrl = &s->ctrl;
	struct nepf_sq *sq = &ctrl->sq[1];
	u32 i, gen;

	if (nepf_sq_pending(ctrl, sq) != n ||
	    nepf_sq_read(ctrl, sq, s->fetch_buf, n, &gen) != (int)n)
		return false;
	for (i = 0; i < n; i++) {
		cmd[i] = calloc(1, sizeof(*cmd[i]));
		if (!cmd[i])
			abort();
		cmd[i]->ctrl = ctrl;
		nepf_sq_take(ctrl, sq, gen, cmd[i], &s->fetch_buf[i]);
	}
	return true;
}

/* Run one command as the glue would; its status, or SIM_NO_CQE. */
static u16 budget_run(struct sim *s, const struct budget *b)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct nepf_cmd *cmd;

	sim_sqe(&sqe, b->opcode);
	sqe.nsid = cpu_to_le32(NSID);
	sqe.rw.slba = cpu_to_le64(8);
	sqe.rw.length = cpu_to_le16(b->len / 512 - 1);
	if (b->dptr == PRP || b->dptr == PRP_SCATTERED)
		build_prp(s, &sqe, b->len, b->dptr == PRP_SCATTERED);
	else
		build_sgl(s, &sqe, b->len, b->dptr == SGL1 ? 1 : 2);
	if (sim_submit(s, 1, &sqe))
		return SIM_NO_CQE;

	/* From here on, everything is this command's. */
	memset(&s->ledger, 0, sizeof(s->ledger));
	memset(&s->costs, 0, sizeof(s->costs));
	s->async_io = b->async;
	if (!budget_fetch(s, 1, &cmd))
		return SIM_NO_CQE;
	nepf_cmd_exec(cmd);
	sim_io_drain(s);		/* async: the end, its deferral at once */
	if (sim_reap(s, 1, &cqe))
		return SIM_NO_CQE;
	return le16_to_cpu(cqe.status) >> 1;
}

/* The row's command twice: the second, with buffers kept, is measured. */
static u16 budget_run2(struct sim *s, const struct budget *b)
{
	u16 status = budget_run(s, b);

	return status ? status : budget_run(s, b);
}

#define COST(s, NAME)	((s)->costs.v[NEPF_COST_##NAME])

/* Compare one row; print every difference, not only the first. */
static bool budget_check(struct sim *s, const struct budget *b)
{
	const struct sim_ledger *l = &s->ledger;
	char reads[256], writes[256];
	bool ok = true;

#define BUDGET_EQ(what, got, want)					\
	do {								\
		if ((u64)(got) != (u64)(want)) {			\
			fprintf(stderr, "%s: %s %llu, budget %llu\n",	\
				b->name, what, (unsigned long long)(got), \
				(unsigned long long)(want));		\
			ok = false;					\
		}							\
	} while (0)

	sizes_str(l->read_sizes, l->host_reads, reads, sizeof(reads));
	sizes_str(l->write_sizes, l->host_writes, writes, sizeof(writes));
	if (strcmp(reads, b->reads)) {
		fprintf(stderr, "%s: host reads \"%s\", budget \"%s\"\n",
			b->name, reads, b->reads);
		ok = false;
	}
	if (strcmp(writes, b->writes)) {
		fprintf(stderr, "%s: host writes \"%s\", budget \"%s\"\n",
			b->name, writes, b->writes);
		ok = false;
	}
	BUDGET_EQ("env alloc_buf", l->alloc_bufs, b->bufs);
	BUDGET_EQ("env alloc_buf bytes", l->alloc_buf_bytes, b->buf_bytes);
	BUDGET_EQ("env free_buf", l->free_bufs, b->bufs);
	BUDGET_EQ("buf_hits", COST(s, BUF_HITS), b->hits);
	BUDGET_EQ("buf_misses", COST(s, BUF_MISSES), b->bufs);
	BUDGET_EQ("buf_waits", COST(s, BUF_WAITS), 0);
	BUDGET_EQ("env raise_irq", l->irqs, b->irqs);
	BUDGET_EQ("env defer", l->defers, b->defers);
	BUDGET_EQ("env release_cmd", l->releases, b->releases);
	BUDGET_EQ("finish_inline", COST(s, FINISH_INLINE), b->releases - b->defers);
	BUDGET_EQ("env cq_write", l->cq_writes, b->cq_writes);
	BUDGET_EQ("cqes", COST(s, CQES), b->cqes);
	BUDGET_EQ("cmds_io", COST(s, CMDS_IO), 1);
	BUDGET_EQ("cmds_admin", COST(s, CMDS_ADMIN), 0);
	BUDGET_EQ("data_segs", COST(s, DATA_SEGS), b->segs);
	BUDGET_EQ("data_segs_max", COST(s, DATA_SEGS_MAX), b->segs);
	BUDGET_EQ("allocs", COST(s, ALLOCS), b->allocs);
	BUDGET_EQ("alloc_bytes", COST(s, ALLOC_BYTES), b->zeroed);
	BUDGET_EQ("alloc_zeroed_bytes", COST(s, ALLOC_ZEROED_BYTES), b->zeroed);
	BUDGET_EQ("bar_db_loads", COST(s, BAR_DB_LOADS), b->db_loads);
	BUDGET_EQ("bar_reg_loads", COST(s, BAR_REG_LOADS), b->reg_loads);
	/* The SQE: one host read of one entry (the SQ is in host memory). */
	BUDGET_EQ("sqe_host_reads", COST(s, SQE_HOST_READS), 1);
	BUDGET_EQ("sqes_host", COST(s, SQES_HOST), 1);
	BUDGET_EQ("sqes_cmb", COST(s, SQES_CMB), 0);
#undef BUDGET_EQ
	return ok;
}

UNIT_TEST(costs_budget_per_command)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(budgets); i++) {
		struct sim *s = budget_sim();
		u16 status = budget_run2(s, &budgets[i]);

		if (status) {
			fprintf(stderr, "%s: status %#x\n", budgets[i].name, status);
			ok = false;
		} else if (!budget_check(s, &budgets[i])) {
			ok = false;
		}
		sim_free(s);
	}
	CHECK(ok);
}

/*
 * Eight 4 KiB PRP1 Reads waiting at once (the default Arbitration Burst):
 * the glue reads their SQEs with one host read of 512 bytes, so per
 * command an eighth of a read (one DMA descriptor on the board); the SQ
 * tail is read once for all of them.  The rest is eight times the first
 * row: per command a data write, a CQE through the kept mapping (whose
 * CQ head is read before each post), an interrupt (its Vector Control
 * read), a release; each finished where it ran (no deferral).
 */
#define BATCH	8

/* @n 4 KiB PRP1 Reads waiting in SQ 1; the ledger and costs start over. */
static bool submit_reads(struct sim *s, unsigned int n)
{
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(NSID);
		sqe.rw.slba = cpu_to_le64(8 * i);
		sqe.rw.length = cpu_to_le16(4096 / 512 - 1);
		build_prp(s, &sqe, 4096, false);
		if (sim_submit(s, 1, &sqe))
			return false;
	}
	memset(&s->ledger, 0, sizeof(s->ledger));
	memset(&s->costs, 0, sizeof(s->costs));
	return true;
}

UNIT_TEST(costs_budget_sqe_batch)
{
	struct sim *s = budget_sim();
	struct nepf_cmd *cmd[BATCH];
	struct nvme_cqe cqe;
	char sizes[256];
	unsigned int i;

	CHECK(submit_reads(s, BATCH));
	CHECK(budget_fetch(s, BATCH, cmd));
	for (i = 0; i < BATCH; i++)
		nepf_cmd_exec(cmd[i]);
	for (i = 0; i < BATCH; i++) {
		CHECK_EQ(sim_reap(s, 1, &cqe), 0);
		CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	}
	sizes_str(s->ledger.read_sizes, s->ledger.host_reads, sizes, sizeof(sizes));
	CHECK(!strcmp(sizes, "512"));
	sizes_str(s->ledger.write_sizes, s->ledger.host_writes, sizes, sizeof(sizes));
	CHECK(!strcmp(sizes, "4096*8"));
	/*
	 * The function's first 4 KiB buffer: made and kept; each command
	 * completes before the next runs here, so the others reuse it.
	 */
	CHECK_EQ(s->ledger.alloc_bufs, 1);
	CHECK_EQ(COST(s, BUF_MISSES), 1);
	CHECK_EQ(COST(s, BUF_HITS), BATCH - 1);
	CHECK_EQ(s->ledger.free_bufs, 0);
	/* One interrupt per CQ and pass: the last completion sends it. */
	CHECK_EQ(s->ledger.irqs, 1);
	CHECK_EQ(s->ledger.defers, 0);
	CHECK_EQ(COST(s, FINISH_INLINE), BATCH);
	CHECK_EQ(s->ledger.releases, BATCH);
	CHECK_EQ(s->ledger.cq_writes, BATCH);
	CHECK_EQ(COST(s, CMDS_IO), BATCH);
	CHECK_EQ(COST(s, CQES), BATCH);
	CHECK_EQ(COST(s, DATA_SEGS), BATCH);
	CHECK_EQ(COST(s, ALLOCS), 0);		/* inline segments */
	CHECK_EQ(COST(s, ALLOC_ZEROED_BYTES), 0);
	CHECK_EQ(COST(s, BAR_DB_LOADS), 1 + BATCH);
	CHECK_EQ(COST(s, BAR_REG_LOADS), 1);	/* its MSI-X Vector Control */
	sim_free(s);
}

/*
 * The hand-offs of the rows above are the environment's: with
 * run-to-completion on (the glue's poll_exec_us, default
 * NEPF_EXEC_HERE_US), nepf_ctrl_fetch() has the poll thread run a lone
 * 4 KiB read itself (exec_poller, no handoff_exec: 0 hand-offs at QD1);
 * eight waiting at once are all handed off (8 handoff_exec, as before).
 * The clock is fake: the RAM backend takes no time.
 */
UNIT_TEST(costs_budget_handoffs_qd1_qd8)
{
	struct sim *s = budget_sim();
	struct nvme_cqe cqe;
	unsigned int i, n;

	uport_fake_ns = 1000000000ULL;
	s->ctrl.exec_here_ns = NEPF_EXEC_HERE_US * 1000ULL;
	for (n = 1; n <= BATCH; n += BATCH - 1) {
		CHECK(submit_reads(s, n));
		s->nr_here = 0;
		s->nr_handed = 0;
		sim_run(s);
		for (i = 0; i < n; i++) {
			CHECK_EQ(sim_reap(s, 1, &cqe), 0);
			CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
		}
		CHECK_EQ(s->nr_here, n == 1 ? 1 : 0);
		CHECK_EQ(s->nr_handed, n == 1 ? 0 : n);
		CHECK_EQ(COST(s, EXEC_POLLER), n == 1 ? 1 : 0);
		CHECK_EQ(COST(s, EXEC_POLLER_OFF), 0);
		CHECK_EQ(COST(s, FINISH_INLINE), n);
		CHECK_EQ(s->ledger.defers, 0);
	}
	uport_fake_ns = 0;
	sim_free(s);
}

/* The names table: unique, and "_max" exactly for the maximum counters. */
UNIT_TEST(costs_names)
{
	unsigned int i, j;

	for (i = 0; i < NEPF_COST_NR; i++) {
		const char *n = nepf_cost_name(i);
		size_t len = strlen(n);
		bool max_name = len > 4 && !strcmp(n + len - 4, "_max");

		CHECK(len > 0 && strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") == len);
		CHECK_EQ(max_name, nepf_cost_is_max(i));
		for (j = 0; j < i; j++)
			CHECK(strcmp(n, nepf_cost_name(j)));
	}
	CHECK(!strcmp(nepf_cost_name(NEPF_COST_NR), "?"));
}
