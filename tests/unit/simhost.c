// SPDX-License-Identifier: GPL-2.0
/*
 * simhost.c - simulated host and environment for the unit tests (see
 * simhost.h).  The host side behaves like a correct NVMe driver unless a
 * test pokes registers or memory directly.
 */
#define _GNU_SOURCE	/* pthread_getattr_np() */
#include <pthread.h>
#include <sched.h>
#include "simhost.h"
#include "../../src/inject.h"

static struct sim *ctrl_sim(struct nepf_ctrl *ctrl)
{
	return ctrl->env_data;
}

/* ---- environment ---- */

static u8 *sim_range(struct sim *s, u64 addr, size_t len)
{
	if (addr < SIM_MEM_BASE || addr - SIM_MEM_BASE > SIM_MEM_SIZE ||
	    len > SIM_MEM_SIZE - (addr - SIM_MEM_BASE))
		return NULL;
	return s->mem + (addr - SIM_MEM_BASE);
}

/*
 * Is @buf on the calling thread's stack?  The kernel may DMA into a
 * buffer of host_read/host_write: on a non-coherent SoC the cache
 * maintenance at unmap corrupts stack data around it, and a vmapped stack
 * cannot be DMA-mapped at all.
 */
static bool on_stack(const void *buf, size_t len)
{
	static __thread uintptr_t lo, hi;
	uintptr_t p = (uintptr_t)buf;

	if (!hi) {
		pthread_attr_t a;
		void *base;
		size_t size;

		if (pthread_getattr_np(pthread_self(), &a))
			abort();
		pthread_attr_getstack(&a, &base, &size);
		pthread_attr_destroy(&a);
		lo = (uintptr_t)base;
		hi = lo + size;
	}
	return p + len > lo && p < hi;
}

static void check_thread(struct sim *s)
{
	if (s->check_owner && !pthread_equal(pthread_self(), s->owner))
		__atomic_fetch_add(&s->nr_foreign, 1, __ATOMIC_RELAXED);
}

static void check_buf(struct sim *s, const void *buf, size_t len)
{
	check_thread(s);
	if (on_stack(buf, len))
		__atomic_fetch_add(&s->nr_stack_xfer, 1, __ATOMIC_RELAXED);
}

/* Ledger counters: completions may run on several threads. */
#define sim_count(s, field, n)	__atomic_fetch_add(&(s)->ledger.field, (n), __ATOMIC_RELAXED)

static void sim_count_size(u32 *sizes, u32 nr, size_t len)
{
	if (nr < SIM_LEDGER_SIZES)
		sizes[nr] = (u32)len;
}

static int env_host_read(struct nepf_ctrl *ctrl, u64 addr, void *buf, size_t len)
{
	struct sim *s = ctrl_sim(ctrl);
	u8 *p = sim_range(s, addr, len);

	check_buf(s, buf, len);
	sim_count_size(s->ledger.read_sizes, sim_count(s, host_reads, 1), len);
	sim_count(s, host_read_bytes, len);
	if (!p)
		return -EFAULT;
	if (s->cut_in_read != SIM_CUT_NONE) {
		bool fails = s->cut_in_read == SIM_CUT_READ_FAILS;

		s->cut_in_read = SIM_CUT_NONE;
		nepf_ctrl_cut(ctrl);
		if (fails)
			return -EIO;	/* the transfer was aborted */
	}
	if (s->fail_host_reads) {
		s->fail_host_reads--;
		return -EIO;
	}
	memcpy(buf, p, len);
	return 0;
}

static int env_host_write(struct nepf_ctrl *ctrl, u64 addr, const void *buf,
			  size_t len)
{
	struct sim *s = ctrl_sim(ctrl);
	u8 *p = sim_range(s, addr, len);

	check_buf(s, buf, len);
	sim_count_size(s->ledger.write_sizes, sim_count(s, host_writes, 1), len);
	sim_count(s, host_write_bytes, len);
	if (!p || s->fail_host_write)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/*
 * A command's segments at once (env->host_xfer_segs), as the glue's DMA
 * issues them: every segment is transferred (and counted as a host read
 * or write) even after one failed, and the first failure is returned.
 */
static int env_host_xfer_segs(struct nepf_ctrl *ctrl, const struct nepf_seg *seg,
			      unsigned int nr, void *buf, bool to_host)
{
	struct sim *s = ctrl_sim(ctrl);
	u8 *p = buf;
	unsigned int i;
	u32 max;
	int ret = 0, r;

	sim_count(s, xfer_calls, 1);
	sim_count(s, xfer_segs, nr);
	max = __atomic_load_n(&s->ledger.xfer_segs_max, __ATOMIC_RELAXED);
	while (nr > max &&
	       !__atomic_compare_exchange_n(&s->ledger.xfer_segs_max, &max, nr,
					    false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	for (i = 0; i < nr; p += seg[i].len, i++) {
		if (seg[i].addr == NEPF_SEG_BITBUCKET)
			continue;
		if (to_host)
			r = env_host_write(ctrl, seg[i].addr, p, seg[i].len);
		else
			r = env_host_read(ctrl, seg[i].addr, p, seg[i].len);
		if (!r && s->fail_xfer_seg == i + 1)
			r = -EIO;	/* aborted, after its data moved */
		if (r && !ret)
			ret = r;
	}
	return ret;
}

/* A CQ ring kept mapped (env->cq_created), as the kernel glue does. */
struct sim_cq_map {
	u64 addr;
	size_t size;
};

static void *env_cq_created(struct nepf_ctrl *ctrl, const struct nepf_cq *cq)
{
	struct sim *s = ctrl_sim(ctrl);
	struct sim_cq_map *m;

	if (s->no_cq_map)
		return NULL;
	m = malloc(sizeof(*m));
	if (!m)
		abort();
	m->addr = cq->pci_addr;
	m->size = (size_t)cq->size * NVME_CQE_SIZE;
	s->nr_cq_maps++;
	return m;
}

static void env_cq_deleted(struct nepf_ctrl *ctrl, void *map)
{
	ctrl_sim(ctrl)->nr_cq_maps--;
	free(map);
}

static int env_cq_write(struct nepf_ctrl *ctrl, void *map, u32 off,
			const void *buf, size_t len)
{
	struct sim *s = ctrl_sim(ctrl);
	struct sim_cq_map *m = map;
	u8 *p;

	if (off > m->size || len > m->size - off)
		abort();		/* the core wrote outside the ring */
	check_thread(s);
	sim_count(s, cq_writes, 1);
	p = sim_range(s, m->addr + off, len);
	if (!p || s->fail_host_write)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/* As irq.c does with MSI-X: a masked or refused message stays pending. */
static int env_raise_irq(struct nepf_ctrl *ctrl, u16 vector)
{
	struct sim *s = ctrl_sim(ctrl);

	sim_count(s, irqs, 1);
	check_thread(s);
	if (vector >= NEPF_MAX_VECTORS)
		return -EINVAL;
	if (vector < ctrl->cfg.nr_msix) {
		if (nepf_regs_msix_hold(ctrl, vector))
			return 0;
		if (s->msix_refuse) {
			nepf_regs_msix_pend(ctrl, vector);
			return 0;
		}
	}
	/* Completions may run on several threads (test-concurrency.c). */
	__atomic_fetch_add(&s->irqs[vector], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->nr_irqs, 1, __ATOMIC_RELAXED);
	return 0;
}

static void env_defer(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	struct sim *s = ctrl_sim(ctrl);
	unsigned int irq;

	sim_count(s, defers, 1);
	if (s->hold_defer && s->nr_held < ARRAY_SIZE(s->held)) {
		s->held[s->nr_held++] = cmd;
		return;
	}
	/* The kernel's runs it on a thread: out of interrupt context. */
	irq = uport_irq_leave();
	nepf_cmd_finish(cmd);
	sim_io_drain(s);		/* a Copy's next step */
	uport_irq_restore(irq);
}

static void *env_alloc_buf(struct nepf_ctrl *ctrl, size_t len)
{
	struct sim *s = ctrl_sim(ctrl);

	sim_count(s, alloc_bufs, 1);
	sim_count(s, alloc_buf_bytes, len);
	__atomic_fetch_add(&s->bufs_out, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->buf_bytes_out, len, __ATOMIC_RELAXED);
	return malloc(len ? len : 1);
}

/* The kernel's tries harder for one contiguous piece; here: counted. */
static void *env_alloc_big(struct nepf_ctrl *ctrl, size_t len)
{
	sim_count(ctrl_sim(ctrl), alloc_bigs, 1);
	return env_alloc_buf(ctrl, len);
}

static void env_free_buf(struct nepf_ctrl *ctrl, void *buf, size_t len)
{
	struct sim *s = ctrl_sim(ctrl);

	sim_count(s, free_bufs, 1);
	__atomic_fetch_sub(&s->bufs_out, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&s->buf_bytes_out, len, __ATOMIC_RELAXED);
	free(buf);
}

static void env_release_cmd(struct nepf_cmd *cmd)
{
	struct sim *s = ctrl_sim(cmd->ctrl);

	sim_count(s, releases, 1);
	__atomic_fetch_add(&s->nr_released, 1, __ATOMIC_RELAXED);
	free(cmd);
}

/* Fetching (nepf_ctrl_fetch()): every command runs at once. */
static struct nepf_cmd *env_alloc_cmd(struct nepf_ctrl *ctrl)
{
	return calloc(1, sizeof(struct nepf_cmd));
}

static void env_free_cmd(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	free(cmd);
}

/* Handed off or not (@here), it runs now; the choice is counted. */
static void env_start_cmd(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd,
			  bool here)
{
	struct sim *s = ctrl_sim(ctrl);

	s->nr_fetched++;
	if (here) {
		s->nr_here++;
		nepf_cmd_exec_here(cmd);
	} else {
		if (cmd->sqid)
			s->nr_handed++;
		nepf_cmd_exec(cmd);
	}
	sim_io_drain(s);
}

/* Background operations step in sim_run(), unless a test holds them. */
static void env_bg_kick(struct nepf_ctrl *ctrl, unsigned int delay_ms)
{
	struct sim *s = ctrl_sim(ctrl);

	if (delay_ms)
		s->bg_waiting = true;
	else
		s->bg_kicked = true;
}

static const struct nepf_env_ops sim_env_ops = {
	.host_read = env_host_read,
	.host_write = env_host_write,
	.host_xfer_segs = env_host_xfer_segs,
	.raise_irq = env_raise_irq,
	.defer = env_defer,
	.alloc_buf = env_alloc_buf,
	.free_buf = env_free_buf,
	.alloc_big = env_alloc_big,
	.release_cmd = env_release_cmd,
	.cq_created = env_cq_created,
	.cq_deleted = env_cq_deleted,
	.cq_write = env_cq_write,
	.bg_kick = env_bg_kick,
	.alloc_cmd = env_alloc_cmd,
	.free_cmd = env_free_cmd,
	.start_cmd = env_start_cmd,
};

void sim_per_segment(struct sim *s)
{
	static struct nepf_env_ops ops;

	ops = sim_env_ops;
	ops.host_xfer_segs = NULL;
	s->ctrl.env = &ops;
}

/* Abort the background operations and run them until they ended. */
void sim_bg_end(struct sim *s)
{
	unsigned int i;

	nepf_bg_stop(&s->ctrl);
	for (i = 0; i < 1000 && !nepf_bg_idle(&s->ctrl); i++)
		nepf_bg_run(&s->ctrl);
	if (!nepf_bg_idle(&s->ctrl))
		abort();		/* a background operation never ends */
}

void sim_release_held(struct sim *s)
{
	unsigned int i, n = s->nr_held;

	s->nr_held = 0;
	for (i = 0; i < n; i++) {
		nepf_cmd_finish(s->held[i]);
		sim_io_drain(s);
	}
}

/* ---- setup ---- */

void sim_default_config(struct nepf_ctrl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->model, sizeof(cfg->model), "nvme-epf virtual");
	snprintf(cfg->serial, sizeof(cfg->serial), "NEPF0001");
	snprintf(cfg->firmware, sizeof(cfg->firmware), "0.1");
	cfg->vid = 0x1b36;
	cfg->ssvid = 0x1af4;
	cfg->ieee_oui = 0x525400;
	cfg->max_io_queues = 4;
	cfg->queue_depth = 64;
	cfg->mdts_kb = 128;
	cfg->nr_vectors = 5;
	cfg->nr_msix = 5;
}

/* What a host does when it enables MSI-X and requests every vector. */
void sim_msix_unmask_all(struct sim *s)
{
	unsigned int i;

	for (i = 0; i < s->ctrl.cfg.nr_msix; i++)
		sim_wr32(s, SIM_MSIX_TABLE(s) + 16 * i + 12, 0);
}

struct sim *sim_new(const struct nepf_ctrl_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	if (cfg)
		s->ctrl.cfg = *cfg;
	else
		sim_default_config(&s->ctrl.cfg);
	/* BAR0 as large as the CMB needs (at its end, as the glue has it) */
	s->bar_size = max_t(size_t, SIM_BAR_SIZE, (size_t)s->ctrl.cfg.cmb_off +
			    s->ctrl.cfg.cmb_size);
	s->mem = calloc(1, SIM_MEM_SIZE);
	s->bar = aligned_alloc(SIM_PAGE, s->bar_size);
	if (!s->mem || !s->bar)
		abort();
	/*
	 * BAR0 as the glue lays it out: the MSI-X table and the PBA right
	 * after the doorbells of the queues offered.
	 */
	if (s->ctrl.cfg.nr_msix) {
		u16 nq = clamp_t(u16, s->ctrl.cfg.max_io_queues, 1,
				 NEPF_MAX_IO_QUEUES) + 1;

		s->ctrl.cfg.msix_table_off = ALIGN(NVME_BAR_SIZE(nq), 8);
		s->ctrl.cfg.msix_pba_off = s->ctrl.cfg.msix_table_off +
					   16 * s->ctrl.cfg.nr_msix;
	}
	s->ctrl.name = "sim";
	s->ctrl.env_data = s;
	s->ctrl.costs = &s->costs;
	s->mem_next = SIM_PAGE;		/* PCI address SIM_MEM_BASE stays unused */
	if (nepf_ctrl_init(&s->ctrl, s->bar, s->bar_size, &sim_env_ops))
		abort();
	sim_msix_unmask_all(s);
	return s;
}

void sim_free(struct sim *s)
{
	unsigned int i;

	sim_release_held(s);
	sim_bg_end(s);
	nepf_ctrl_reset(&s->ctrl);
	/*
	 * Every test checks this: the reset left no data buffer allocated
	 * (bufpool.c keeps some until then), each freed with its size.
	 */
	if (s->bufs_out || s->buf_bytes_out) {
		fprintf(stderr, "%ld data buffers (%lld bytes) left after the reset\n",
			s->bufs_out, s->buf_bytes_out);
		abort();
	}
	/* Every test checks this: host memory is never reached from the stack. */
	if (s->nr_stack_xfer) {
		fprintf(stderr, "%u host transfers used a stack buffer\n",
			s->nr_stack_xfer);
		abort();
	}
	for (i = 0; i < ARRAY_SIZE(s->ns); i++) {
		free(s->ns[i].data);
		nepf_ns_uncor_free(&s->ns[i].ns);
	}
	free(s->mem);
	free(s->bar);
	free(s);
}

u64 sim_alloc(struct sim *s, size_t size, size_t align)
{
	u64 off = ALIGN(s->mem_next, (u64)(align ? align : 8));

	if (off + size > SIM_MEM_SIZE)
		abort();
	s->mem_next = off + size;
	memset(s->mem + off, 0, size);
	return SIM_MEM_BASE + off;
}

void *sim_ptr(struct sim *s, u64 pci_addr)
{
	u32 size = s->ctrl.cfg.cmb_size;

	if (size && pci_addr >= s->cmb_bus && pci_addr - s->cmb_bus < size)
		return s->bar + s->ctrl.cfg.cmb_off + (pci_addr - s->cmb_bus);
	return sim_range(s, pci_addr, 1);
}

void sim_cmb_enable(struct sim *s, u64 cba)
{
	s->cmb_bus = cba;
	sim_wr32(s, NVME_REG_CMBMSC, NVME_CMBMSC_CRE);
	sim_wr32(s, NVME_REG_CMBMSC + 4, upper_32_bits(cba));
	sim_wr32(s, NVME_REG_CMBMSC, lower_32_bits(cba) | NVME_CMBMSC_CRE |
		 NVME_CMBMSC_CMSE);
}

u32 sim_rd32(struct sim *s, u32 off)
{
	__le32 v;

	memcpy(&v, s->bar + off, 4);
	return le32_to_cpu(v);
}

void sim_wr32(struct sim *s, u32 off, u32 val)
{
	__le32 v = cpu_to_le32(val);

	memcpy(s->bar + off, &v, 4);
}

void sim_wr64(struct sim *s, u32 off, u64 val)
{
	sim_wr32(s, off, lower_32_bits(val));
	sim_wr32(s, off + 4, upper_32_bits(val));
}

/* ---- the glue's part: registers, fetch and execute until idle ---- */

/* Poll passes, as the glue's thread runs them, until one fetches nothing. */
static bool sim_serve_queues(struct sim *s)
{
	bool progress = false;

	while (nepf_ctrl_fetch(&s->ctrl, s->fetch_buf))
		progress = true;
	return progress;
}

void sim_run(struct sim *s)
{
	struct nepf_ctrl *ctrl = &s->ctrl;
	enum nepf_regs_event ev;
	unsigned int iter;
	bool progress;

	for (iter = 0; iter < 1000; iter++) {
		progress = false;
		ev = s->no_regs_poll ? NEPF_REGS_NONE : nepf_regs_poll(ctrl);
		switch (ev) {
		case NEPF_REGS_ENABLE:
			progress = true;
			break;
		case NEPF_REGS_DISABLE:
		case NEPF_REGS_SHUTDOWN:
			/* poll.c's quiesce: what runs ends, held ones drop */
			sim_release_held(s);
			nepf_inject_drop_held(ctrl);
			nepf_ctrl_quiesced(ctrl, ev);
			progress = true;
			break;
		case NEPF_REGS_NONE:
			break;
		}
		if (READ_ONCE(ctrl->state) == NEPF_CTRL_LIVE && sim_serve_queues(s))
			progress = true;
		if (!s->no_regs_poll)	/* between admin commands, as the glue */
			nepf_regs_stray_doorbells(ctrl);
		if (!s->no_flush)
			nepf_ctrl_flush_waiting(ctrl);
		nepf_irq_coalesce_flush(ctrl, nepf_now_ns());
		/*
		 * A kick with a delay runs once per pass; progress is what
		 * kicks at once (the run may kick again).
		 */
		if ((s->bg_kicked || s->bg_waiting) && !s->hold_bg) {
			progress |= s->bg_kicked;
			s->bg_kicked = false;
			s->bg_waiting = false;
			nepf_bg_run(ctrl);
			progress |= s->bg_kicked;
		}
		sim_io_drain(s);
		if (!progress)
			return;
	}
}

/* ---- host driver side ---- */

int sim_enable_cc(struct sim *s, u16 sq_entries, u16 cq_entries, u32 cc)
{
	struct sim_queue *q = &s->q[0];
	u32 page = 1U << (12 + NVME_CC_MPS(cc));

	q->sq_size = sq_entries;
	q->cq_size = cq_entries;
	q->sq_addr = sim_alloc(s, (size_t)sq_entries * NVME_SQE_SIZE, page);
	q->cq_addr = sim_alloc(s, (size_t)cq_entries * NVME_CQE_SIZE, page);
	q->sq_tail = 0;
	q->cq_head = 0;
	q->phase = 1;
	q->cqid = 0;
	sim_wr32(s, NVME_REG_AQA, (u32)(sq_entries - 1) | ((u32)(cq_entries - 1) << 16));
	sim_wr64(s, NVME_REG_ASQ, q->sq_addr);
	sim_wr64(s, NVME_REG_ACQ, q->cq_addr);
	sim_wr32(s, NVME_REG_CC, cc | NVME_CC_ENABLE);
	sim_run(s);
	return (sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY) ? 0 : -EIO;
}

int sim_enable(struct sim *s, u16 entries)
{
	return sim_enable_cc(s, entries, entries,
			     (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
			     (NVME_CQES << NVME_CC_IOCQES_SHIFT));
}

void sim_disable(struct sim *s)
{
	sim_wr32(s, NVME_REG_CC, sim_rd32(s, NVME_REG_CC) & ~NVME_CC_ENABLE);
	sim_run(s);
	memset(s->q, 0, sizeof(s->q));
}

/*
 * One usable CQ slot while the host's head stays at 0: all but the first
 * completion wait in the core (cq[0].nr_wait).
 */
int sim_admin_cq_backlog(struct sim *s, unsigned int n)
{
	struct nvme_sqe sqe;
	unsigned int i;

	if (sim_enable_cc(s, 8, 2, (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
				   (NVME_CQES << NVME_CC_IOCQES_SHIFT)))
		return -EIO;
	for (i = 0; i < n; i++) {
		sim_sqe(&sqe, nvme_admin_get_features);
		sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
		if (sim_submit(s, 0, &sqe))
			return -EIO;
	}
	sim_run(s);
	return 0;
}

void sim_sqe(struct nvme_sqe *sqe, u8 opcode)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = opcode;
}

int sim_submit(struct sim *s, u16 sqid, struct nvme_sqe *sqe)
{
	struct sim_queue *q = &s->q[sqid];

	if (!q->sq_size)
		return -EINVAL;
	sqe->cid = ++s->next_cid;
	memcpy(sim_ptr(s, q->sq_addr + (u64)q->sq_tail * NVME_SQE_SIZE), sqe,
	       sizeof(*sqe));
	q->sq_tail = (q->sq_tail + 1) % q->sq_size;
	sim_wr32(s, NVME_REG_SQTDBL(sqid), q->sq_tail);
	return 0;
}

/* Take one CQE from the CQ that @sqid posts to, if its phase says new. */
int sim_reap(struct sim *s, u16 sqid, struct nvme_cqe *cqe)
{
	struct sim_queue *cq = &s->q[s->q[sqid].cqid];
	struct nvme_cqe e;

	if (!cq->cq_size)
		return -EINVAL;
	memcpy(&e, sim_ptr(s, cq->cq_addr + (u64)cq->cq_head * NVME_CQE_SIZE),
	       sizeof(e));
	if ((le16_to_cpu(e.status) & NVME_CQE_PHASE) != cq->phase)
		return -EAGAIN;
	if (cqe)
		*cqe = e;
	cq->cq_head = (cq->cq_head + 1) % cq->cq_size;
	if (!cq->cq_head)
		cq->phase ^= 1;
	sim_wr32(s, NVME_REG_CQHDBL(s->q[sqid].cqid), cq->cq_head);
	return 0;
}

u16 sim_cmd(struct sim *s, u16 sqid, struct nvme_sqe *sqe, struct nvme_cqe *cqe)
{
	struct nvme_cqe e;

	if (sim_submit(s, sqid, sqe))
		return SIM_NO_CQE;
	sim_run(s);
	if (sim_reap(s, sqid, &e))
		return SIM_NO_CQE;
	if (cqe)
		*cqe = e;
	return le16_to_cpu(e.status) >> 1;
}

/* Data buffers of up to two pages: PRP1 and PRP2, page aligned. */
u64 sim_data(struct sim *s, struct nvme_sqe *sqe, u32 len)
{
	u64 addr = sim_alloc(s, ALIGN(len, SIM_PAGE), SIM_PAGE);

	if (len > 2 * SIM_PAGE)
		abort();
	sqe->dptr.prp1 = cpu_to_le64(addr);
	if (len > SIM_PAGE)
		sqe->dptr.prp2 = cpu_to_le64(addr + SIM_PAGE);
	return addr;
}

u16 sim_admin_data(struct sim *s, struct nvme_sqe *sqe, void *buf, u32 len,
		   bool to_ctrl, u32 *result)
{
	struct nvme_cqe cqe = {};	/* no CQE (SIM_NO_CQE): result 0 */
	u64 addr = 0;
	u16 status;

	if (len) {
		addr = sim_data(s, sqe, len);
		if (to_ctrl)
			memcpy(sim_ptr(s, addr), buf, len);
	}
	status = sim_cmd(s, 0, sqe, &cqe);
	if (len && !to_ctrl && status == NVME_SC_SUCCESS)
		memcpy(buf, sim_ptr(s, addr), len);
	if (result)
		*result = le32_to_cpu(cqe.result);
	return status;
}

u16 sim_identify(struct sim *s, u8 cns, u32 nsid, u8 csi, void *buf)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_identify);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(cns);
	sqe.cdw11 = cpu_to_le32((u32)csi << 24);
	return sim_admin_data(s, &sqe, buf, NVME_IDENTIFY_DATA_SIZE, false, NULL);
}

u16 sim_get_log(struct sim *s, u8 lid, u32 len, u64 off, bool rae, void *buf)
{
	struct nvme_sqe sqe;
	u32 numd = len / 4 - 1;

	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.nsid = cpu_to_le32(NVME_NSID_ALL);
	sqe.cdw10 = cpu_to_le32(lid | (rae ? NVME_LOG_RAE : 0) | (numd << 16));
	sqe.cdw11 = cpu_to_le32(numd >> 16);
	sqe.cdw12 = cpu_to_le32(lower_32_bits(off));
	sqe.cdw13 = cpu_to_le32(upper_32_bits(off));
	return sim_admin_data(s, &sqe, buf, len, false, NULL);
}

u16 sim_get_feature(struct sim *s, u8 fid, u8 sel, u32 dw11, u32 *result)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(fid | ((u32)sel << 8));
	sqe.cdw11 = cpu_to_le32(dw11);
	return sim_admin_data(s, &sqe, NULL, 0, false, result);
}

u16 sim_set_feature(struct sim *s, u8 fid, u32 dw11, u32 *result)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.cdw10 = cpu_to_le32(fid);
	sqe.cdw11 = cpu_to_le32(dw11);
	return sim_admin_data(s, &sqe, NULL, 0, false, result);
}

u16 sim_create_cq(struct sim *s, u16 qid, u16 entries, bool ien, u16 iv)
{
	u64 addr = sim_alloc(s, (size_t)entries * NVME_CQE_SIZE, SIM_PAGE);
	struct nvme_sqe sqe;
	u16 status;

	sim_sqe(&sqe, nvme_admin_create_cq);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw10 = cpu_to_le32(qid | ((u32)(entries - 1) << 16));
	sqe.cdw11 = cpu_to_le32(NVME_QUEUE_PHYS_CONTIG |
				(ien ? NVME_CQ_IRQ_ENABLED : 0) | ((u32)iv << 16));
	status = sim_cmd(s, 0, &sqe, NULL);
	if (!status && qid <= NEPF_MAX_IO_QUEUES) {
		s->q[qid].cq_addr = addr;
		s->q[qid].cq_size = entries;
		s->q[qid].cq_head = 0;
		s->q[qid].phase = 1;
	}
	return status;
}

u16 sim_create_sq(struct sim *s, u16 qid, u16 entries, u16 cqid)
{
	return sim_create_sq_at(s, qid, entries, cqid,
				sim_alloc(s, (size_t)entries * NVME_SQE_SIZE,
					  SIM_PAGE));
}

u16 sim_create_sq_at(struct sim *s, u16 qid, u16 entries, u16 cqid, u64 addr)
{
	struct nvme_sqe sqe;
	u16 status;

	sim_sqe(&sqe, nvme_admin_create_sq);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw10 = cpu_to_le32(qid | ((u32)(entries - 1) << 16));
	sqe.cdw11 = cpu_to_le32(NVME_QUEUE_PHYS_CONTIG | ((u32)cqid << 16));
	status = sim_cmd(s, 0, &sqe, NULL);
	if (!status && qid <= NEPF_MAX_IO_QUEUES) {
		s->q[qid].sq_addr = addr;
		s->q[qid].sq_size = entries;
		s->q[qid].sq_tail = 0;
		s->q[qid].cqid = cqid;
	}
	return status;
}

u16 sim_delete_q(struct sim *s, u8 opcode, u16 qid)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, opcode);
	sqe.cdw10 = cpu_to_le32(qid);
	return sim_cmd(s, 0, &sqe, NULL);
}

int sim_create_io_queues(struct sim *s, u16 n, u16 entries)
{
	u16 qid;

	if (sim_set_feature(s, NVME_FEAT_NUM_QUEUES,
			    (u32)(n - 1) | ((u32)(n - 1) << 16), NULL))
		return -EIO;
	for (qid = 1; qid <= n; qid++)
		if (sim_create_cq(s, qid, entries, true, qid % s->ctrl.cfg.nr_vectors) ||
		    sim_create_sq(s, qid, entries, qid))
			return -EIO;
	return 0;
}

/* ---- a RAM namespace ---- */

/*
 * The end of an I/O, in simulated interrupt context, where a bio's end_io
 * runs in the kernel: the core may take only its irqsave locks there.
 */
static void ram_done(struct nepf_io *io, enum nepf_io_result res)
{
	uport_irq_enter();
	nepf_io_done(io, res);
	uport_irq_exit();
}

/*
 * The end of a command's I/O, now (inside its submit: a synchronous
 * backend) or, with async_io or hold_defer, by sim_io_drain() after the
 * submit returned.  Background operations' I/O (io->done) always ends now.
 */
static void ram_end(struct nepf_io *io, enum nepf_io_result res)
{
	struct sim *s = container_of(io->ns, struct sim_ns, ns)->sim;

	if (uport_fake_ns)
		uport_fake_ns += s->io_ns;
	if (io->done || !(s->async_io || s->hold_defer)) {
		ram_done(io, res);
		return;
	}
	if (s->nr_io_ends >= ARRAY_SIZE(s->io_ends))
		abort();
	s->io_ends[s->nr_io_ends].io = io;
	s->io_ends[s->nr_io_ends++].res = res;
}

void sim_io_drain(struct sim *s)
{
	unsigned int i;

	/*
	 * Nothing pending: no write either, as deferred work that other
	 * threads finish (test-concurrency.c, test-inline.c) drains too.
	 */
	if (!s->nr_io_ends)
		return;
	/* An end may submit (a Copy's next step) and drain in turn. */
	while (s->io_ends_next < s->nr_io_ends) {
		i = s->io_ends_next++;
		ram_done(s->io_ends[i].io, s->io_ends[i].res);
	}
	s->io_ends_next = 0;
	s->nr_io_ends = 0;
}

static void ram_submit(struct nepf_io *io)
{
	struct sim_ns *sn = container_of(io->ns, struct sim_ns, ns);
	u64 cap = io->ns->nr_blocks << io->ns->lba_shift;
	unsigned int i;

	if (io->op != NEPF_IO_FLUSH && io->op != NEPF_IO_DISCARD &&
	    (io->pos > cap || io->len > cap - io->pos)) {
		ram_end(io, NEPF_IO_ERR_RANGE);
		return;
	}
	if (sn->fail_writes && (io->op == NEPF_IO_WRITE ||
				io->op == NEPF_IO_WRITE_ZEROES)) {
		ram_end(io, NEPF_IO_ERR_WRITE);
		return;
	}
	if (io->op == NEPF_IO_WRITE || io->op == NEPF_IO_WRITE_ZEROES)
		sn->written_bytes += io->len;
	switch (io->op) {
	case NEPF_IO_READ:
		sn->read_bytes += io->len;
		memcpy(io->buf, sn->data + io->pos, io->len);
		break;
	case NEPF_IO_WRITE:
		sn->sim->last_write_fua = io->fua;
		memcpy(sn->data + io->pos, io->buf, io->len);
		break;
	case NEPF_IO_WRITE_ZEROES:
		memset(sn->data + io->pos, 0, io->len);
		break;
	case NEPF_IO_DISCARD:
		for (i = 0; i < io->nr_ranges; i++)
			if (io->ranges[i].pos <= cap &&
			    io->ranges[i].len <= cap - io->ranges[i].pos)
				memset(sn->data + io->ranges[i].pos, 0,
				       io->ranges[i].len);
		break;
	case NEPF_IO_FLUSH:
		break;
	}
	ram_end(io, NEPF_IO_OK);
}

static void ram_flush_all(struct nepf_ns *ns)
{
	struct sim_ns *sn = container_of(ns, struct sim_ns, ns);

	u8 *data = sn->data;

	/* A closed namespace's data is gone: flushing it is a bug. */
	if (!data) {
		__atomic_fetch_add(&sn->sim->nr_flush_closed, 1, __ATOMIC_RELAXED);
		return;
	}
	sched_yield();		/* a real flush takes a while (fsync) */
	(void)*(volatile u8 *)data;
	sn->sim->nr_flush_all++;
}

static const struct nepf_backend_ops ram_ops = {
	.name = "ram",
	.submit = ram_submit,
	.flush_all = ram_flush_all,
};

static void sim_ns_setup(struct sim *s, struct sim_ns *sn, u32 nsid,
			 u64 nr_blocks, u8 lba_shift)
{
	nepf_ns_uncor_free(&sn->ns);
	memset(&sn->ns, 0, sizeof(sn->ns));
	sn->fail_writes = false;
	sn->read_bytes = 0;
	sn->written_bytes = 0;
	free(sn->data);
	sn->data = calloc(1, nr_blocks << lba_shift);
	if (!sn->data)
		abort();
	nepf_ns_init(&sn->ns);
	sn->sim = s;
	sn->ns.nsid = nsid;
	sn->ns.ops = &ram_ops;
	sn->ns.nr_blocks = nr_blocks;
	sn->ns.lba_shift = lba_shift;
	sn->ns.lba_shift_min = 9;
	sn->ns.size = nr_blocks << lba_shift;
	sn->ns.can_discard = true;
	sn->ns.can_write_zeroes = true;
	snprintf(sn->ns.cfg.backend, sizeof(sn->ns.cfg.backend), "ram");
}

struct nepf_ns *sim_add_ns(struct sim *s, u32 nsid, u64 nr_blocks, u8 lba_shift)
{
	struct sim_ns *sn;

	if (!nsid || nsid > ARRAY_SIZE(s->ns))
		abort();
	sn = &s->ns[nsid - 1];
	sim_ns_setup(s, sn, nsid, nr_blocks, lba_shift);
	nepf_ctrl_attach_ns(&s->ctrl, &sn->ns);
	return &sn->ns;
}

static struct nepf_ns *sim_ram_ns_new(struct sim *s, u32 nsid, u64 nr_blocks,
				      u8 lba_shift)
{
	struct sim_ns *sn = calloc(1, sizeof(*sn));

	if (!sn)
		abort();
	sim_ns_setup(s, sn, nsid, nr_blocks, lba_shift);
	return &sn->ns;
}

static void sim_ns_drain(struct sim_ns *sn)
{
	nepf_ns_drain(&sn->ns);
	sn->ns.ops = NULL;
	free(sn->data);
	sn->data = NULL;
}

static void sim_ram_ns_free(struct nepf_ns *ns)
{
	struct sim_ns *sn = container_of(ns, struct sim_ns, ns);

	sim_ns_drain(sn);
	nepf_ns_uncor_free(ns);
	free(sn);
}

/* ---- a capacity pool of RAM namespaces ---- */

static struct sim_pool *to_sim_pool(struct nepf_pool *pool)
{
	return container_of(pool, struct sim_pool, pool);
}

static void sim_pool_lock(struct nepf_pool *pool)
{
	struct sim_pool *sp = to_sim_pool(pool);

	if (sp->locked)
		abort();	/* taken twice: a deadlock in the kernel */
	sp->locked = true;
}

static void sim_pool_unlock(struct nepf_pool *pool)
{
	struct sim_pool *sp = to_sim_pool(pool);

	if (!sp->locked)
		abort();
	sp->locked = false;
}

static struct nepf_ns *sim_pool_create(struct nepf_pool *pool, u32 nsid,
				       u64 bytes, u8 lba_shift, int *err)
{
	struct sim_pool *sp = to_sim_pool(pool);

	if (!sp->locked)
		abort();
	sp->nr_create++;
	if (sp->fail) {
		*err = sp->fail;
		sp->fail = 0;
		return NULL;
	}
	return sim_ram_ns_new(sp->sim, nsid, bytes >> lba_shift, lba_shift);
}

/*
 * As the kernel's: no new reference (dying), the data goes.  The memory
 * waits for sim_pool_free(): deferred work a test holds may still hold
 * the namespace, and this thread is the one that would release it.
 */
static void sim_pool_remove(struct nepf_pool *pool, struct nepf_ns *ns)
{
	struct sim_pool *sp = to_sim_pool(pool);

	if (!sp->locked || sp->nr_removed == ARRAY_SIZE(sp->removed))
		abort();
	sp->nr_remove++;
	nepf_ns_kill(ns);
	sp->removed[sp->nr_removed++] = ns;
}

static void sim_pool_attached(struct nepf_pool *pool, struct nepf_ns *ns,
			      bool on)
{
	struct sim_pool *sp = to_sim_pool(pool);

	sp->nr_attached++;
	sp->last_on = on;
}

static const struct nepf_pool_ops sim_pool_ops = {
	.lock = sim_pool_lock,
	.unlock = sim_pool_unlock,
	.create = sim_pool_create,
	.remove = sim_pool_remove,
	.attached = sim_pool_attached,
};

struct sim_pool *sim_pool_new(struct sim *s, u64 capacity)
{
	struct sim_pool *sp = calloc(1, sizeof(*sp));

	if (!sp)
		abort();
	sp->pool.ops = &sim_pool_ops;
	sp->pool.capacity = capacity;
	sp->sim = s;
	s->ctrl.pool = &sp->pool;
	return sp;
}

void sim_pool_free(struct sim *s, struct sim_pool *sp)
{
	unsigned int i;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		if (!sp->pool.ns[i])
			continue;
		if (s->ctrl.ns[i] == sp->pool.ns[i])
			nepf_ctrl_detach_ns(&s->ctrl, i + 1);
		sim_ram_ns_free(sp->pool.ns[i]);
	}
	for (i = 0; i < sp->nr_removed; i++)
		sim_ram_ns_free(sp->removed[i]);
	s->ctrl.pool = NULL;
	free(sp);
}

/*
 * What nepf_ns_close() (backend.c, kernel only) does once the namespace is
 * detached: no new references, wait for those held, then close (the data
 * is freed).
 */
void sim_ns_close(struct sim *s, u32 nsid)
{
	sim_ns_drain(&s->ns[nsid - 1]);
}

u16 sim_rw(struct sim *s, u16 sqid, u8 opcode, u32 nsid, u64 slba, u16 nlb,
	   void *buf)
{
	struct nepf_ns *ns = s->ctrl.ns[nsid - 1];
	u32 len = (u32)nlb << (ns ? ns->lba_shift : 9);
	struct nvme_sqe sqe;
	u64 addr;
	u16 status;

	sim_sqe(&sqe, opcode);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.rw.slba = cpu_to_le64(slba);
	sqe.rw.length = cpu_to_le16(nlb - 1);
	addr = sim_data(s, &sqe, len);
	if (opcode == nvme_cmd_write)
		memcpy(sim_ptr(s, addr), buf, len);
	status = sim_cmd(s, sqid, &sqe, NULL);
	if (opcode == nvme_cmd_read && !status)
		memcpy(buf, sim_ptr(s, addr), len);
	return status;
}
