/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simhost.h - a simulated host for the protocol core's unit tests.
 *
 * Host memory is an array addressed by PCI address (SIM_MEM_BASE + offset;
 * anything else fails like an unmapped address), BAR0 is a plain buffer,
 * and sim_run() plays the kernel glue: register poll, fetch, execute,
 * queued completions.  The RAM backend ends I/O synchronously unless a
 * test asks for asynchronous ends (s->async_io); deferred work runs
 * synchronously unless a test holds it (s->hold_defer, which makes the
 * ends asynchronous too) to look at commands in flight.
 */
#ifndef NEPF_SIMHOST_H
#define NEPF_SIMHOST_H

#include <pthread.h>
#include "../../src/ctrl.h"

#define SIM_MEM_BASE	0x100000000ULL	/* above 4 GiB: catches truncation */
#define SIM_MEM_SIZE	(8U << 20)
#define SIM_BAR_SIZE	0x4000
/* BAR0 offsets of the MSI-X table and PBA (sim_new() places them). */
#define SIM_MSIX_TABLE(s)	((s)->ctrl.cfg.msix_table_off)
#define SIM_MSIX_PBA(s)		((s)->ctrl.cfg.msix_pba_off)
#define SIM_PAGE	4096U
#define SIM_NO_CQE	0xffff		/* sim_cmd(): no completion arrived */

/* The host driver's view of one queue pair (SQ qid and its CQ). */
struct sim_queue {
	u64 sq_addr;
	u16 sq_size;
	u16 sq_tail;
	u64 cq_addr;
	u16 cq_size;
	u16 cq_head;
	u8 phase;
	u16 cqid;			/* CQ the SQ posts to */
};

struct sim_ns {
	struct nepf_ns ns;
	u8 *data;
	struct sim *sim;
	bool fail_writes;		/* writes and write zeroes fail */
	u64 read_bytes, written_bytes;	/* what the backend did */
};

/*
 * Every environment operation the core asked for (tests/unit/test-costs.c
 * budgets them per command); sizes of the last SIM_LEDGER_SIZES host
 * reads and writes, in order.
 */
#define SIM_LEDGER_SIZES	160
struct sim_ledger {
	u32 host_reads, host_writes;
	u64 host_read_bytes, host_write_bytes;
	u32 read_sizes[SIM_LEDGER_SIZES], write_sizes[SIM_LEDGER_SIZES];
	u32 alloc_bufs, free_bufs;
	u32 alloc_bigs;			/* of alloc_bufs: env->alloc_big */
	u64 alloc_buf_bytes;
	u32 irqs, defers, releases;
	u32 cq_writes;			/* CQEs through a kept CQ mapping */
	/*
	 * host_xfer_segs() calls (a command's data at once, with one wait
	 * in the glue), the segments they carried (bit buckets included;
	 * each other one is a host read or write above too), the most in
	 * one call.
	 */
	u32 xfer_calls, xfer_segs, xfer_segs_max;
};

struct sim {
	struct nepf_ctrl ctrl;
	struct nepf_costs costs;	/* ctrl.costs: what the core counted */
	struct sim_ledger ledger;	/* what the core asked the environment */
	u8 *mem;
	u64 mem_next;			/* bump allocator, offset into mem */
	u8 *bar;
	size_t bar_size;
	/*
	 * Where the host sees the CMB (cfg.cmb_size): sim_ptr() takes these
	 * addresses to BAR0 memory, the environment's host_read/host_write
	 * do not (a DMA of them would leave the function).
	 */
	u64 cmb_bus;
	struct sim_queue q[NEPF_MAX_IO_QUEUES + 1];
	u16 next_cid;
	/* what the controller did */
	u32 irqs[NEPF_MAX_VECTORS];
	u32 nr_irqs;
	u32 nr_fetched;
	/* I/O commands run on the poll thread (env->start_cmd @here), not */
	u32 nr_here, nr_handed;
	/* with a fake clock (uport_fake_ns), what each backend I/O takes */
	u64 io_ns;
	u32 nr_released;
	/* data buffers from env->alloc_buf() not freed, and their bytes */
	long bufs_out;
	long long buf_bytes_out;
	u32 nr_flush_all;		/* backend flush_all() calls (shutdown) */
	u32 nr_flush_closed;		/* ... of a closed namespace (a bug) */
	bool last_write_fua;		/* FUA of the last write the backend got */
	u32 nr_stack_xfer;		/* host_read/write buffers on the stack */
	int nr_cq_maps;			/* CQ mappings kept now */
	/* SQEs sim_run() reads at once, as the glue's fetch buffer */
	struct nvme_sqe fetch_buf[NEPF_FETCH_MAX];
	/* fault injection and deferred work */
	bool fail_host_write;
	u32 fail_host_reads;		/* so many next host reads fail */
	/* the next host read cuts the generation (a link loss meanwhile) */
	enum { SIM_CUT_NONE, SIM_CUT_READ_FAILS, SIM_CUT_READ_WORKS } cut_in_read;
	bool msix_refuse;		/* the EPC refuses MSI-X (Function Mask) */
	bool no_flush;			/* sim_run() skips nepf_ctrl_flush_waiting() */
	bool no_regs_poll;		/* sim_run() leaves CC to another thread */
	bool no_cq_map;			/* env->cq_created() keeps no mapping */
	/* host_xfer_segs(): fail the segment with this index (0: none) + 1 */
	u32 fail_xfer_seg;
	/*
	 * Host accesses (reads, writes, CQEs, interrupts) from a thread
	 * other than @owner, counted while @check_owner (set before the
	 * other threads start): the glue's poll thread and command workers
	 * are the only ones quiescing and resets wait for.
	 */
	bool check_owner;
	pthread_t owner;
	u32 nr_foreign;
	bool hold_defer;
	/*
	 * The RAM backend ends a command's I/O inside its submit (a
	 * synchronous backend: the core finishes the command in the thread
	 * that submitted it, no env->defer), unless async_io or hold_defer
	 * is set: then only after its submit returned, as an interrupt or a
	 * file backend's worker would, when sim_io_drain() runs (after each
	 * command the simulated glue starts, each finish it runs, each
	 * sim_run()); the core defers those.
	 */
	bool async_io;
	struct { struct nepf_io *io; enum nepf_io_result res; } io_ends[256];
	unsigned int nr_io_ends, io_ends_next;
	/* background operations: kicked (now, or after a delay), held */
	bool bg_kicked, bg_waiting, hold_bg;
	struct nepf_cmd *held[256];
	unsigned int nr_held;
	struct sim_ns ns[4];
};

struct sim *sim_new(const struct nepf_ctrl_config *cfg);
void sim_free(struct sim *s);
void sim_default_config(struct nepf_ctrl_config *cfg);

u64 sim_alloc(struct sim *s, size_t size, size_t align);	/* PCI address */
void *sim_ptr(struct sim *s, u64 pci_addr);

void sim_msix_unmask_all(struct sim *s);
/* An environment without host_xfer_segs: data one segment at a time. */
void sim_per_segment(struct sim *s);

u32 sim_rd32(struct sim *s, u32 off);
void sim_wr32(struct sim *s, u32 off, u32 val);
void sim_wr64(struct sim *s, u32 off, u64 val);

void sim_run(struct sim *s);
/* End the backend I/Os that async_io / hold_defer left pending. */
void sim_io_drain(struct sim *s);
void sim_release_held(struct sim *s);
/* Abort Format/Sanitize/self-test and run them to their end (bgop.c). */
void sim_bg_end(struct sim *s);

/* Admin queue of @entries entries each; CC from @cc_extra | EN | 6/4. */
int sim_enable_cc(struct sim *s, u16 sq_entries, u16 cq_entries, u32 cc);
int sim_enable(struct sim *s, u16 entries);	/* 0 if CSTS.RDY */
void sim_disable(struct sim *s);

void sim_sqe(struct nvme_sqe *sqe, u8 opcode);
/* Data of up to two pages in @sqe's PRP1/PRP2: its host address. */
u64 sim_data(struct sim *s, struct nvme_sqe *sqe, u32 len);
int sim_submit(struct sim *s, u16 sqid, struct nvme_sqe *sqe);
int sim_reap(struct sim *s, u16 sqid, struct nvme_cqe *cqe);
u16 sim_cmd(struct sim *s, u16 sqid, struct nvme_sqe *sqe, struct nvme_cqe *cqe);

/* Admin commands with a data buffer (<= 8 KiB: PRP1 + PRP2). */
u16 sim_admin_data(struct sim *s, struct nvme_sqe *sqe, void *buf, u32 len,
		   bool to_ctrl, u32 *result);
u16 sim_identify(struct sim *s, u8 cns, u32 nsid, u8 csi, void *buf);
u16 sim_get_log(struct sim *s, u8 lid, u32 len, u64 off, bool rae, void *buf);
u16 sim_get_feature(struct sim *s, u8 fid, u8 sel, u32 dw11, u32 *result);
u16 sim_set_feature(struct sim *s, u8 fid, u32 dw11, u32 *result);
u16 sim_create_cq(struct sim *s, u16 qid, u16 entries, bool ien, u16 iv);
u16 sim_create_sq(struct sim *s, u16 qid, u16 entries, u16 cqid);
/* The same with the ring at @addr (in the CMB, for instance). */
u16 sim_create_sq_at(struct sim *s, u16 qid, u16 entries, u16 cqid, u64 addr);
/* CMBMSC as Linux writes it: CRE, then CRE | CMSE | @cba, upper half first. */
void sim_cmb_enable(struct sim *s, u64 cba);
u16 sim_delete_q(struct sim *s, u8 opcode, u16 qid);
/* Enable with a 2-entry admin CQ, submit @n Get Features and run them. */
int sim_admin_cq_backlog(struct sim *s, unsigned int n);
/* Set Features Number of Queues, then CQ + SQ pairs 1..@n of @entries. */
int sim_create_io_queues(struct sim *s, u16 n, u16 entries);

/* A RAM namespace (@nsid 1..4) served by a synchronous test backend. */
struct nepf_ns *sim_add_ns(struct sim *s, u32 nsid, u64 nr_blocks, u8 lba_shift);
/* Close a detached one as nepf_ns_close() does: wait for references. */
void sim_ns_close(struct sim *s, u32 nsid);
/*
 * A capacity pool of RAM namespaces (Namespace Management, ns-mgmt.c).
 * @fail: the next create fails with it.  A removed namespace is freed by
 * sim_pool_free(), once nothing holds it (held deferred work may).
 */
struct sim_pool {
	struct nepf_pool pool;
	struct sim *sim;
	bool locked;
	int fail;
	u32 nr_create, nr_remove, nr_attached;
	bool last_on;			/* the last attachment change */
	struct nepf_ns *removed[64];
	unsigned int nr_removed;
};

struct sim_pool *sim_pool_new(struct sim *s, u64 capacity);
/* Delete what is left (sim_free() after it). */
void sim_pool_free(struct sim *s, struct sim_pool *sp);
/* Read/write through I/O queue @sqid: PRP1/PRP2 data of up to 8 KiB. */
u16 sim_rw(struct sim *s, u16 sqid, u8 opcode, u32 nsid, u64 slba, u16 nlb,
	   void *buf);

#endif /* NEPF_SIMHOST_H */
