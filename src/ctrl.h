/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctrl.h - the NVMe controller as the protocol core sees it.
 *
 * The core knows nothing about PCI endpoints, DMA engines or block devices.
 * It reads and writes the BAR0 register file in local memory, reaches host
 * memory and raises interrupts through struct nepf_env_ops, and hands I/O to
 * a namespace's struct nepf_backend_ops.  The kernel glue (epf-glue.c,
 * dma.c, irq.c, backend-*.c) provides those; the unit tests provide a
 * simulated host.
 *
 * Data flow of one command (see docs/design.md):
 *   poll pass (glue) -> nepf_ctrl_fetch(): arbitration, nepf_sq_read() +
 *     nepf_sq_take(), env->start_cmd() -> nepf_cmd_exec()
 *     admin: admin-cmd.c builds the reply, -> nepf_cmd_complete()
 *     I/O:   io-cmd.c validates, maps PRP/SGL (prp-sgl.c), reads write data
 *            from the host, submits to the backend; the backend ends it
 *            from any context (nepf_io_done()).  If that happened before
 *            its submit returned (a synchronous backend), the thread that
 *            submitted finishes it (nepf_cmd_finish()): no hand-off.
 *            Else the core asks the environment to finish in process
 *            context (env->defer, nepf_cmd_backend_done()).  Finishing
 *            writes read data to the host and posts the completion.
 *   nepf_cmd_complete(): CQE written to the host CQ, interrupt (irq.c
 *   coalescing rules), command freed.
 *
 * Locks come in two flavours.  A backend ends an I/O from any context (a
 * bio's end_io runs in interrupt context), and that path takes two core
 * locks: a background job's bg->lock (bg_io_done()) and a namespace's
 * uncor_lock (a write clears uncorrectable blocks).  Those two are taken
 * with spin_lock_irqsave() everywhere.  Every other lock of the core is
 * only ever taken in process context (the poll thread, the deferred
 * completions, configfs, the background steps), with plain spin_lock().
 * The unit tests run the simulated backend's completions in simulated
 * interrupt context (tests/shim/uport-sync.h), where a plain spin_lock()
 * aborts.  Functions that expect a lock held say so with
 * lockdep_assert_held().
 */
#ifndef NEPF_CTRL_H
#define NEPF_CTRL_H

#include "port.h"
#include "nvme-defs.h"
#include "backend.h"
#include "costs.h"

struct nepf_ctrl;
struct nepf_cmd;
struct nepf_cq;
struct nepf_ns;
struct nepf_cqe_wait;
struct nepf_inject;
struct nepf_pool;

/* Hard limits of this implementation (the configuration may use less). */
#define NEPF_MAX_IO_QUEUES	64	/* I/O SQs and CQs, each */
#define NEPF_MAX_QUEUE_ENTRIES	4096	/* CAP.MQES + 1 upper bound */
#define NEPF_MAX_NAMESPACES	32
#define NEPF_MAX_VECTORS	65	/* admin + one per I/O queue */
#define NEPF_MAX_XFER_KB	1024	/* largest MDTS advertised */
/*
 * PCI segments of one transfer: MDTS in 4 KiB pages (CAP.MPSMIN), plus one
 * because the first page may start at an offset (PRP1).
 */
#define NEPF_MAX_SEGS		(NEPF_MAX_XFER_KB / 4 + 1)
#define NEPF_AERL		3	/* Identify AERL: 4 outstanding AERs */
#define NEPF_ERR_LOG_ENTRIES	64	/* Identify ELPE + 1 */
#define NEPF_TEMP_SENSORS	2	/* Composite and Temperature Sensor 1 */
/*
 * Write Uncorrectable: at most this many uncorrectable blocks per
 * namespace, and per command 2^NEPF_WUSL * 4 KiB (Identify CNS 06h WUSL:
 * 1024 blocks of 512 bytes, 128 of 4 KiB).
 */
#define NEPF_UNCOR_MAX_BLOCKS	1024
#define NEPF_WUSL		7
/*
 * Copy: up to 128 source ranges (Identify Namespace MSRC, 0-based), and
 * MCL = MSSRL = MDTS in blocks: the data goes through one buffer.
 */
#define NEPF_COPY_MSRC		127
#define NEPF_MAX_CQ_WAIT	(2 * NEPF_MAX_QUEUE_ENTRIES)
/* CMBSZ.SZU 0: the CMB's offset and size are multiples of 4 KiB. */
#define NEPF_CMB_UNIT		4096U

struct nepf_seg;

/* What the environment (kernel glue or unit test) provides. */
struct nepf_env_ops {
	/* Copy between host (PCI) memory and local memory; may sleep. 0 or -errno. */
	int (*host_read)(struct nepf_ctrl *ctrl, u64 pci_addr, void *buf, size_t len);
	int (*host_write)(struct nepf_ctrl *ctrl, u64 pci_addr, const void *buf,
			  size_t len);
	/*
	 * Optional: copy between @buf and the @nr segments @seg (in order;
	 * a NEPF_SEG_BITBUCKET segment is skipped, and its length of @buf
	 * with it) in one go, so that all their transfers are issued before
	 * any is waited for.  0 or -errno: any segment failing fails all.
	 * May sleep.  NULL: host_read/host_write, one segment at a time.
	 */
	int (*host_xfer_segs)(struct nepf_ctrl *ctrl, const struct nepf_seg *seg,
			      unsigned int nr, void *buf, bool to_host);
	/* Raise interrupt vector @vector (0-based, as in the NVMe CQ IV field). */
	int (*raise_irq)(struct nepf_ctrl *ctrl, u16 vector);
	/* Run nepf_cmd_finish(cmd) later in process context. */
	void (*defer)(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd);
	/* Data buffers of commands (up to MDTS bytes). */
	void *(*alloc_buf)(struct nepf_ctrl *ctrl, size_t len);
	void (*free_buf)(struct nepf_ctrl *ctrl, void *buf, size_t len);
	/*
	 * Optional: one of the MDTS-sized buffers bufpool.c keeps for
	 * reuse, physically contiguous if at all possible (one DMA
	 * descriptor); freed with free_buf().  NULL: alloc_buf().
	 */
	void *(*alloc_big)(struct nepf_ctrl *ctrl, size_t len);
	/*
	 * The core is done with @cmd (from nepf_cmd_complete(), any thread):
	 * its CQE is posted or, when the CQ is full, queued inside the core,
	 * which then no longer needs the command.  May be NULL.
	 */
	void (*release_cmd)(struct nepf_cmd *cmd);
	/*
	 * Run nepf_cmd_exec(cmd) again later in process context (an I/O
	 * command error injection held back, inject.c).  May be NULL: the
	 * core then runs it at once, in the calling thread.
	 */
	void (*exec_later)(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd);
	/*
	 * Optional, all three or none.  An I/O CQ was created (@cq's fields
	 * are set; the host has set up its interrupt vector by now):
	 * cq_created() may map the ring for CPU writes and return a handle
	 * for cq_write(), or NULL to have its CQEs go through host_write().
	 * cq_deleted() ends it (Delete I/O CQ, reset), when no completion is
	 * being written to that CQ any more.  cq_write() may sleep.
	 */
	void *(*cq_created)(struct nepf_ctrl *ctrl, const struct nepf_cq *cq);
	void (*cq_deleted)(struct nepf_ctrl *ctrl, void *map);
	int (*cq_write)(struct nepf_ctrl *ctrl, void *map, u32 off,
			const void *buf, size_t len);
	/*
	 * For nepf_ctrl_fetch() (only).  alloc_cmd(): an object for one
	 * SQE (nepf_sq_take() fills all but env_priv), or NULL to fetch no
	 * more from this SQ in this pass (no memory, or quiescing);
	 * free_cmd() takes back one that a read did not fill.
	 * start_cmd(): run a fetched command (nepf_cmd_exec()); an admin
	 * command must have run when it returns.  @here (I/O commands): run
	 * it in this thread with nepf_cmd_exec_here() rather than handing it
	 * to another (the core's rule, nepf_ctrl_fetch()).
	 */
	struct nepf_cmd *(*alloc_cmd)(struct nepf_ctrl *ctrl);
	void (*free_cmd)(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd);
	void (*start_cmd)(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd,
			  bool here);
	/*
	 * Optional: run nepf_bg_run(ctrl) in process context (it may sleep)
	 * after @delay_ms, once even if asked several times meanwhile; the
	 * background operations (bgop.c: Format NVM, Sanitize, Device
	 * Self-test) step there.  Any context.  NULL: those commands are not
	 * offered.
	 */
	void (*bg_kick)(struct nepf_ctrl *ctrl, unsigned int delay_ms);
};

/*
 * Host accesses of the core: the environment's operations, refused with
 * -ESTALE unless @gen is still the controller's generation.
 */
int nepf_host_read(struct nepf_ctrl *ctrl, u32 gen, u64 pci_addr, void *buf,
		   size_t len);
int nepf_host_write(struct nepf_ctrl *ctrl, u32 gen, u64 pci_addr,
		    const void *buf, size_t len);
int nepf_host_xfer_segs(struct nepf_ctrl *ctrl, u32 gen,
			const struct nepf_seg *seg, unsigned int nr, void *buf,
			bool to_host);
int nepf_host_irq(struct nepf_ctrl *ctrl, u32 gen, u16 vector);

/* Identity and limits, set by configfs before the function starts. */
struct nepf_ctrl_config {
	char model[41];
	char serial[21];
	char firmware[9];
	u16 vid;		/* PCI vendor id (Identify VID) */
	u16 ssvid;		/* PCI subsystem vendor id */
	u32 ieee_oui;
	u16 max_io_queues;	/* I/O SQ/CQ pairs offered (1..NEPF_MAX_IO_QUEUES) */
	u16 queue_depth;	/* max entries per queue (CAP.MQES + 1) */
	u32 mdts_kb;		/* max data transfer size, KiB (0: the largest) */
	u32 buf_budget_kb;	/* data buffers of commands in flight, KiB (bufpool.c) */
	u16 nr_vectors;		/* interrupt vectors the function exposes */
	bool sgl;		/* advertise SGL support */
	u16 oncs_mask;		/* ONCS bits hidden from the host (identity knob) */
	u8 vwc_mode;		/* NEPF_VWC_AUTO / _ON / _OFF */
	u16 cntlid;		/* Identify CNTLID (0: reported as 1) */
	/* MSI-X table and PBA in the BAR (nr_msix 0: none), BAR offsets */
	u16 nr_msix;
	u32 msix_table_off;
	u32 msix_pba_off;
	/*
	 * Controller Memory Buffer for submission queues: BAR0 offset and
	 * size, both multiples of 4 KiB, after the MSI-X table (cmb_size 0:
	 * none, CAP.CMBS = 0).
	 */
	u32 cmb_off;
	u32 cmb_size;
};

enum { NEPF_IRQ_INTX, NEPF_IRQ_MSI, NEPF_IRQ_MSIX };
/*
 * Optional NVM commands (Identify ONCS) io-cmd.c implements; SAVE_FEAT:
 * Get Features SEL is honoured (nothing is saveable, though).  The
 * configuration may hide some (oncs_mask), never add any.
 */
#define NEPF_ONCS		(NVME_CTRL_ONCS_COMPARE | \
				 NVME_CTRL_ONCS_WRITE_UNCOR | NVME_CTRL_ONCS_DSM | \
				 NVME_CTRL_ONCS_WRITE_ZEROES | \
				 NVME_CTRL_ONCS_SAVE_FEAT | \
				 NVME_CTRL_ONCS_TIMESTAMP | NVME_CTRL_ONCS_VERIFY | \
				 NVME_CTRL_ONCS_COPY)
/* Volatile write cache: as the namespaces have it, always, never. */
enum { NEPF_VWC_AUTO, NEPF_VWC_ON, NEPF_VWC_OFF };

struct nepf_seg {
	u64 addr;		/* PCI address; NEPF_SEG_BITBUCKET: discard */
	u32 len;
};

#define NEPF_SEG_BITBUCKET	(~0ULL)

/*
 * The segments of one transfer, in storage its owner provides: a command's
 * inline room for small I/O (NEPF_SEGS_INLINE), or NEPF_MAX_SEGS entries.
 * A map that needs more than @max sets @overflow (prp-sgl.c), so that the
 * owner can retry with the full room.
 */
struct nepf_seglist {
	struct nepf_seg *seg;	/* room for @max */
	unsigned int nr;
	unsigned int max;
	bool overflow;		/* more segments than @max < NEPF_MAX_SEGS */
	u32 gen;		/* controller generation of the addresses */
};

/* Inline segments of a command: 12 KiB in 4 KiB pages, PRP1 at an offset. */
#define NEPF_SEGS_INLINE	4

static inline void nepf_seglist_setup(struct nepf_seglist *sl,
				      struct nepf_seg *room, unsigned int max)
{
	sl->seg = room;
	sl->max = max;
	sl->nr = 0;
	sl->overflow = false;
}

enum nepf_dir { NEPF_DIR_NONE, NEPF_DIR_TO_HOST, NEPF_DIR_FROM_HOST };

struct nepf_cq {
	spinlock_t lock;	/* several SQs may post to one CQ (plain) */
	bool valid;
	u16 qid;
	u16 size;		/* entries */
	u16 head;		/* last head the host wrote to its doorbell */
	u16 tail;		/* next entry we write */
	u8 phase;
	bool irq_enabled;
	u16 vector;
	u16 nr_sqs;		/* SQs completing here (deletion order) */
	u32 gen;		/* controller generation it was created in */
	u64 pci_addr;
	/* interrupt coalescing (core.c; pending is read without the lock) */
	u16 pending;		/* completions since the last interrupt */
	u64 first_pending_ns;
	/* completions waiting for room (the host has not consumed the CQ) */
	struct list_head wait;	/* struct nepf_cqe_wait, oldest first */
	u32 nr_wait;
	u32 stray_db;		/* head last reported while the CQ did not exist */
	void *map;		/* env->cq_created()'s handle, or NULL */
};

struct nepf_sq {
	bool valid;
	u16 qid;
	u16 size;		/* entries */
	u16 head;		/* next entry we fetch */
	u16 tail;		/* last tail the host wrote to its doorbell */
	u16 cqid;
	u32 gen;		/* controller generation it was created in */
	u64 pci_addr;
	const u8 *cmb_ring;	/* the ring in the CMB (BAR0), or NULL: host memory */
	/* fetched, not yet completed (ctrl->lock; read without: fetch room) */
	u32 inflight;
	u32 nr_cq_wait;		/* completions waiting for CQ room (ctrl->lock) */
	bool deleting;		/* Delete I/O SQ waits until both are 0 */
	u16 delete_cid;		/* ... and then completes this admin command */
	u32 stray_db;		/* tail last reported while the SQ did not exist */
	u8 fetch_errors;	/* SQE reads failed in a row */
};

#define NEPF_FETCH_TRIES	4	/* SQE reads that fail in a row: CFS */
#define NEPF_FETCH_MAX	16	/* SQEs one host read fetches at most */
/*
 * Run-to-completion on the poll thread (nepf_ctrl_fetch()): the default
 * bound on one such command (us); after one over it, or one that ended
 * after its submit, its namespace's commands are handed off again for
 * the next NEPF_EXEC_OFF_CMDS and at least NEPF_EXEC_OFF_NS.
 */
#define NEPF_EXEC_HERE_US	50
#define NEPF_EXEC_OFF_CMDS	64
#define NEPF_EXEC_OFF_NS	(100ULL * 1000 * 1000)

/* One command, from fetch to completion. */
struct nepf_cmd {
	struct nepf_ctrl *ctrl;
	u32 gen;		/* controller generation it was fetched in */
	u16 sqid;
	u16 cqid;
	struct nvme_sqe sqe;
	u16 status;		/* NVMe status: (SCT << 8 | SC) | NVME_STATUS_DNR/MORE */
	u64 result;		/* CQE DW0, DW1 (Fabrics Property Get only) */
	struct nvme_cqe cqe;	/* built here when posted (host_write source) */
	u64 err_lba;		/* error log LBA of a failed I/O; U64_MAX: SLBA */
	/* data transfer */
	enum nepf_dir dir;
	u32 data_len;
	struct nepf_seglist *segs;	/* NULL, or &sl (io-cmd.c) */
	struct nepf_seglist sl;
	struct nepf_seg sl_inline[NEPF_SEGS_INLINE];
	void *buf;
	u32 buf_resv;		/* bytes of the buffer budget it holds */
	/* I/O */
	struct nepf_ns *ns;
	struct nepf_io io;
	void *io_state;		/* io-cmd.c: a command of several steps (Copy) */
	int submit;		/* io-cmd.c: NEPF_SUBMIT_*, cmpxchg()/xchg() only */
	u64 start_ns;
	void *env_priv;		/* the environment's per-command state */
	/* error injection (inject.c): cleared by nepf_sq_take() */
	u8 inj_flags;
	u16 inj_status;		/* status to complete with after a hold */
	u64 held_until;		/* ns; U64_MAX: until Abort or reset */
	struct list_head held_node;	/* in ctrl->held, or empty */
};

/*
 * Lifetime of a command, as the environment sees it:
 *   nepf_sq_take(cmd)	fills everything but ctrl/env_priv (set those once
 *			when allocating); never touches env_priv.
 *   nepf_cmd_exec(cmd)	admin: runs to completion synchronously;
 *			I/O: io-cmd.c; finished in this call when the backend
 *			ended it inside its submit, else ends in
 *			nepf_cmd_backend_done() (env->defer).
 *   nepf_cmd_finish(cmd)	(process context: inline or deferred)
 *			nepf_io_finish() for I/O, then nepf_cmd_complete().
 *   nepf_cmd_complete(cmd) posts the CQE (or queues it in the core while the
 *			CQ is full) and calls env->release_cmd(cmd): after that
 *			the command belongs to the environment again.
 * Asynchronous Event Requests are released at once (the core keeps their
 * command ids) so they never keep a reset waiting.
 */

/*
 * A background operation on the media (bgop.c): Format NVM or Sanitize,
 * which own their namespaces, or a Device Self-test, which reads them.
 */
enum { NEPF_BG_NONE, NEPF_BG_FORMAT, NEPF_BG_SANITIZE, NEPF_BG_SELF_TEST };

struct nepf_bg {
	struct nepf_ctrl *ctrl;
	/* kind, abort, io_busy, done, total; irqsave: the backend's completion */
	spinlock_t lock;
	u8 kind;			/* NEPF_BG_*; NONE: idle */
	u8 abort;			/* 0, or why it stops (NVME_DST_RES_*) */
	u8 claim;			/* NEPF_NS_* its namespaces are in, or 0 */
	bool io_busy;			/* a chunk is with a backend */
	u64 done, total;		/* bytes, for the logs' progress */
	/* The rest belongs to the step (nepf_bg_run()) once kind is set. */
	struct nepf_ns *ns[NEPF_MAX_NAMESPACES];	/* referenced; NULL: let go */
	u32 nr_ns, cur;			/* ns[cur] is in progress */
	bool started;			/* ns[cur]: drained, geometry set */
	bool io_ended;			/* io holds a result to account */
	u64 pos, end;			/* bytes of ns[cur] */
	u64 step;			/* short self-test: bytes from chunk to chunk */
	u32 left;			/* ... and chunks still to read */
	void *buf;
	u32 buf_len;
	struct nepf_io io;
	u16 status;			/* NVMe status it ends with */
	u32 fail_nsid;
	u64 fail_lba;
	u8 lbaf, ses;			/* Format: LBA format index, SES */
	u8 stc;				/* Device Self-test code */
	u16 cid;			/* Format: completed when it ends */
	u32 gen;
};

/*
 * A capacity pool the host carves namespaces from (ns-mgmt.c: Namespace
 * Management and Attachment).  The environment provides the storage; the
 * core keeps the accounting and validates the commands.  Every field is
 * under ops->lock() (a sleeping lock: several controllers of a subsystem
 * may share the pool, and create/remove sleep).
 */
struct nepf_pool_ops {
	void (*lock)(struct nepf_pool *pool);
	void (*unlock)(struct nepf_pool *pool);
	/*
	 * Allocate @bytes of storage for @nsid and open it as a namespace of
	 * 2^@lba_shift-byte blocks; NULL and *err on failure (-ENOSPC: the
	 * storage behind the pool is full).  May sleep.
	 */
	struct nepf_ns *(*create)(struct nepf_pool *pool, u32 nsid, u64 bytes,
				  u8 lba_shift, int *err);
	/*
	 * Close @ns, detached from every controller by now (waits for the
	 * commands still holding it), and free its storage.  May sleep.
	 */
	void (*remove)(struct nepf_pool *pool, struct nepf_ns *ns);
	/* Optional: the attachment of @ns changed (kept across reboots). */
	void (*attached)(struct nepf_pool *pool, struct nepf_ns *ns, bool on);
};

struct nepf_pool {
	const struct nepf_pool_ops *ops;
	u64 capacity;				/* bytes: TNVMCAP */
	u64 used;				/* bytes allocated */
	/* Namespaces the host created, attached or not (nsid - 1). */
	struct nepf_ns *ns[NEPF_MAX_NAMESPACES];
	u64 bytes[NEPF_MAX_NAMESPACES];		/* each one's share of used */
	bool attached[NEPF_MAX_NAMESPACES];	/* to the controllers at start */
};

/* Controller state machine (CC/CSTS), see bar-regs.c. */
enum nepf_ctrl_state {
	NEPF_CTRL_DISABLED,	/* CC.EN = 0, CSTS.RDY = 0 */
	NEPF_CTRL_LIVE,		/* CC.EN = 1, CSTS.RDY = 1 */
	NEPF_CTRL_SHUTDOWN,	/* shutdown processed, SHST = complete */
	NEPF_CTRL_FATAL,	/* CSTS.CFS set */
};

/* What nepf_regs_poll() found the host asked for. */
enum nepf_regs_event {
	NEPF_REGS_NONE,
	NEPF_REGS_ENABLE,	/* CC.EN 0 -> 1: queues set up, RDY set */
	/* both: the environment quiesces, then nepf_ctrl_quiesced() */
	NEPF_REGS_DISABLE,	/* CC.EN 1 -> 0: reset, everything torn down */
	NEPF_REGS_SHUTDOWN,	/* CC.SHN set: flush backends, then SHST */
};

/*
 * Data buffers of I/O commands (bufpool.c): 4 KiB slots and a few
 * MDTS-sized buffers kept for reuse, env->alloc_buf() for the rest, and a
 * budget on the bytes the commands in flight may need, which the fetch
 * reserves before it takes an SQE (backpressure: what does not fit stays
 * in the host's SQ).
 */
#define NEPF_BUF_SLOT		4096	/* the small buffers' size */
#define NEPF_BUF_SLOTS		64	/* free slots kept */
#define NEPF_BUF_BIGS		4	/* MDTS-sized buffers kept */
#define NEPF_DEFAULT_BUF_BUDGET_KB	8192

struct nepf_bufpool {
	spinlock_t lock;		/* everything below but fetch_resv[] */
	u64 budget;			/* bytes, from cfg.buf_budget_kb */
	u64 reserved;			/* by the commands in flight */
	u32 nr_resv;			/* commands holding a reservation */
	u64 held;			/* bytes from env->alloc_buf(), not freed */
	unsigned int nr_slots;		/* free slots in slot[] */
	void *slot[NEPF_BUF_SLOTS];
	struct nepf_bigbuf {
		void *buf;		/* NULL: none here */
		u32 size;
		bool busy;
	} big[NEPF_BUF_BIGS];
	/* the fetching thread's: what each SQE of the last read reserved */
	u32 fetch_resv[NEPF_FETCH_MAX];
	/* statistics since the function started */
	u64 reserved_peak, held_peak;
	u64 hits;			/* buffers served from the kept ones */
	u64 misses;			/* ... allocated (env->alloc_buf()) */
	u64 waits;			/* SQ turns that left SQEs for the budget */
	u64 over;			/* commands admitted alone past the budget */
};

struct nepf_bufs_stats {
	u64 budget, reserved, held, reserved_peak, held_peak;
	u64 hits, misses, waits, over;
	u32 nr_resv, nr_slots, nr_bigs;
};

struct nepf_ctrl {
	const char *name;
	void *bar;			/* BAR0 register file in local memory */
	size_t bar_size;
	const struct nepf_env_ops *env;
	void *env_data;			/* the environment's controller state */
	/* cost counters (costs.h), set by the environment before init */
	struct nepf_costs __percpu *costs;
	struct nepf_ctrl_config cfg;

	enum nepf_ctrl_state state;
	u32 cc;				/* last CC value acted upon */
	u32 cc_seen;			/* CC as the last register poll read it */
	struct {			/* an enable refused with CSTS.CFS */
		bool valid;
		u32 cc, aqa;
		u64 asq, acq, msc;
	} rejected;
	u64 cap;
	u32 vs;
	/*
	 * Controller Memory Buffer (bar-regs.c): cmb points into BAR0 (NULL:
	 * none); cmbloc/cmbsz are what those registers read.  cmb_msc is
	 * CMBMSC as last accepted (CRE, CMSE, CBA; CMSE only with a valid
	 * CBA), written by nepf_regs_cmb_msc(), read by any thread.
	 */
	u8 *cmb;
	u32 cmbloc, cmbsz, cmbsts;
	u64 cmb_msc;
	u32 csts;			/* shadow: the BAR copy is rewritten */
	spinlock_t csts_lock;		/* csts and state (bar-regs.c) */
	u32 intms;			/* interrupt mask (INTMS/INTMC), INTx/MSI */
	u32 intm_pending;		/* masked messages that fired meanwhile */
	/* MSI-X messages held while masked (their PBA bits are set) */
	u64 msix_pending[DIV_ROUND_UP(NEPF_MAX_VECTORS, 64)];
	spinlock_t intm_lock;		/* intms (writes), *_pending, PBA */
	u32 page_size;			/* from CC.MPS */
	bool vwc;			/* Identify VWC, fixed at enable */
	spinlock_t lock;		/* SQ inflight/deleting, gen changes */
	/*
	 * Generation: a new one at every enable (CC.EN 0 -> 1) and whenever
	 * the host is lost or reset (nepf_ctrl_cut()).  Queues, commands and
	 * data pointers carry the generation they belong to; a host access
	 * (DMA or window read/write, CQE, interrupt) of an older generation
	 * fails at once, without touching the host: after a link loss,
	 * PERST#, CC.EN = 0 or a function stop, the host may already have
	 * freed or reused that memory.
	 */
	u32 gen;
	u64 nr_stale;			/* host accesses refused as stale */
	u64 nr_cut_during;		/* accesses that succeeded across a cut */

	struct nepf_sq sq[NEPF_MAX_IO_QUEUES + 1];	/* [0] = admin */
	struct nepf_bufpool bufs;	/* data buffers of I/O commands */
	unsigned int arb_rr;		/* nepf_ctrl_fetch(): next pass's first SQ */
	/*
	 * Run-to-completion on the poll thread (nepf_ctrl_fetch()): a lone
	 * I/O command runs there when its namespace's last ones run there
	 * ended inside their submit within exec_here_ns (0: never; set by
	 * the environment).  Per namespace, the poll thread's only: after a
	 * slow or asynchronous one, none runs there for the next
	 * NEPF_EXEC_OFF_CMDS commands of that namespace and until off_until.
	 */
	u64 exec_here_ns;
	struct nepf_exec_est {
		u32 off_left;
		u64 off_until;
	} exec_est[NEPF_MAX_NAMESPACES];
	struct nepf_cq cq[NEPF_MAX_IO_QUEUES + 1];
	u16 nr_io_sqs_granted;		/* Set Features Number of Queues */
	u16 nr_io_cqs_granted;

	struct nepf_ns *ns[NEPF_MAX_NAMESPACES];	/* index nsid - 1 */
	spinlock_t ns_lock;		/* ns[] changes, shutdown's lookups */
	/*
	 * Namespace Management and Attachment (ns-mgmt.c) over this pool;
	 * NULL: not offered (OACS bit 3 clear).  Set by the environment
	 * before the host enables the controller.
	 */
	struct nepf_pool *pool;

	/* Features (admin-cmd.c) */
	struct nepf_features {
		u32 arbitration;
		u32 power_mgmt;
		/* [0] Composite Temperature, [1] Temperature Sensor 1 */
		u16 temp_over[NEPF_TEMP_SENSORS];
		u16 temp_under[NEPF_TEMP_SENSORS];
		u32 err_recovery[NEPF_MAX_NAMESPACES];	/* per namespace */
		u32 write_atomic;	/* Write Atomicity Normal: DN */
		u32 vwc;
		u32 irq_coalesce;	/* THR (0-based) | TIME << 8 (100 us units) */
		u32 irq_config[NEPF_MAX_VECTORS];	/* CD bit per vector */
		u32 async_event_cfg;
		u64 timestamp_base_ms;	/* host-set timestamp ... */
		u64 timestamp_set_ns;	/* ... at this local time */
		/* Host Behavior Support: ACRE, CDFE (Copy formats enabled) */
		u8 hbs_acre;
		u16 hbs_cdfe;
	} feat;

	/* Asynchronous events (aer_lock) */
	spinlock_t aer_lock;
	DECLARE_KFIFO(aer_cids, u16, (NEPF_AERL + 1));	/* outstanding AERs */
	DECLARE_KFIFO(aen_queue, u32, 8);	/* events waiting (CQE DW0) */
	u32 aen_masked;			/* BIT(type): reported, log not read */
	u32 changed_ns[1024];		/* changed namespace list */
	u32 ns_id_gen[NEPF_MAX_NAMESPACES];	/* ns->id_gen the host was told */
	u16 nr_changed_ns;
	bool ns_event;			/* changed: the poll loop reports it */
	struct nepf_seglist admin_sl;	/* admin data: admin runs serially */
	struct nepf_seg admin_segs[NEPF_MAX_SEGS];	/* its room */

	/* Logs and counters (log_lock) */
	spinlock_t log_lock;
	struct nvme_error_log_entry err_log[NEPF_ERR_LOG_ENTRIES];	/* ring */
	u64 err_count;			/* total errors (error log ERRCNT) */
	struct nepf_smart {	/* SMART log data units come from the bytes */
		u64 host_reads;		/* Read, Compare, Verify commands */
		u64 host_writes;	/* Write, Write Zeroes/Uncorrectable, Copy */
		u64 bytes_read;		/* successful Reads */
		u64 bytes_written;	/* successful Writes */
		u64 media_errors;	/* completions with SCT 2 */
	} smart;
	u64 created_ns;			/* for power-on hours */
	/* LBA Status Information log (lba-status.c): content, generation */
	u64 lsi_hash;
	u16 lsigcn;
	/* Telemetry Host-Initiated snapshot (telemetry.c), until a reset */
	u8 *telemetry;
	u8 telemetry_gen;

	/* Statistics per SQ, kept across resets (under ctrl->lock). */
	struct nepf_io_stats sq_stats[NEPF_MAX_IO_QUEUES + 1];

	/*
	 * Background operations (bgop.c).  The self-test log is under
	 * bg_dst.lock, the sanitize status under bg_media.lock; both are
	 * kept across controller resets.
	 */
	struct nepf_bg bg_media;		/* Format NVM, Sanitize */
	struct nepf_bg bg_dst;			/* Device Self-test */
	struct nvme_dst_result dst_log[NVME_DST_LOG_ENTRIES];	/* newest first */
	u16 sstat;				/* Sanitize Status log SSTAT */
	u32 scdw10;

	/*
	 * Error injection: the rules (configured by the environment, never
	 * NULL after nepf_ctrl_init()) and the commands held back by them.
	 */
	struct nepf_inject *inject;
	spinlock_t held_lock;		/* held, nr_held, held_closed */
	struct list_head held;		/* by held_node, oldest first */
	u32 nr_held;
	bool held_closed;		/* quiescing: hold nothing more */
};

/*
 * core.c.  The environment's entry points (here, in bar-regs.c and
 * nepf_arb_burst_len()) are documented at their definitions (kernel-doc).
 */
int nepf_ctrl_init(struct nepf_ctrl *ctrl, void *bar, size_t bar_size,
		   const struct nepf_env_ops *env);
void nepf_ctrl_reset(struct nepf_ctrl *ctrl);
void nepf_ctrl_cut(struct nepf_ctrl *ctrl);

static inline bool nepf_gen_live(struct nepf_ctrl *ctrl, u32 gen)
{
	return READ_ONCE(ctrl->gen) == gen;
}

/* One poll pass: the environment's loop calls it (env->alloc_cmd etc.). */
u32 nepf_ctrl_fetch(struct nepf_ctrl *ctrl, struct nvme_sqe *buf);
/* Its steps, for a test that plays them one by one. */
u32 nepf_sq_readable(const struct nepf_sq *sq);
int nepf_sq_read(struct nepf_ctrl *ctrl, struct nepf_sq *sq,
		 struct nvme_sqe *buf, u32 max, u32 *gen);
void nepf_sq_take(struct nepf_ctrl *ctrl, struct nepf_sq *sq, u32 gen,
		  struct nepf_cmd *cmd, const struct nvme_sqe *sqe);
u32 nepf_sq_pending(struct nepf_ctrl *ctrl, struct nepf_sq *sq);
void nepf_cmd_exec(struct nepf_cmd *cmd);
void nepf_cmd_exec_here(struct nepf_cmd *cmd);
void nepf_cmd_backend_done(struct nepf_cmd *cmd, u16 status);
void nepf_cmd_finish(struct nepf_cmd *cmd);
void nepf_cmd_complete(struct nepf_cmd *cmd);
/* Account a completed command (lock of @s held). */
void nepf_stats_add(struct nepf_io_stats *s, const struct nepf_cmd *cmd,
		    u64 lat_ns);
void nepf_ctrl_fatal(struct nepf_ctrl *ctrl, const char *why);
/* Post a CQE without a command object (AER, deferred deletions). */
int nepf_cq_post(struct nepf_ctrl *ctrl, u32 gen, u16 cqid, u16 sqid, u16 cid,
		 u16 status, u64 result);
void nepf_ctrl_flush_waiting(struct nepf_ctrl *ctrl);
/* Report an asynchronous event (NVME_AER_TYPE_*, info, log page id). */
void nepf_ctrl_aen(struct nepf_ctrl *ctrl, u8 type, u8 info, u8 lid);
/* An invalid doorbell (NVME_AER_ERROR_INVALID_DB_*): event + error log. */
void nepf_ctrl_invalid_doorbell(struct nepf_ctrl *ctrl, u8 info);
/* Asynchronous Event Request: NEPF_STATUS_DEFERRED or a status. */
u16 nepf_ctrl_aer_submit(struct nepf_ctrl *ctrl, u16 cid);
/* Log page @lid read with RAE = 0: unmask its event type. */
void nepf_ctrl_aen_log_read(struct nepf_ctrl *ctrl, u8 lid);
/* Identify MDTS, and the transfer limit in bytes it means (0 = none). */
u8 nepf_ctrl_mdts(const struct nepf_ctrl *ctrl);
u32 nepf_ctrl_max_xfer(const struct nepf_ctrl *ctrl);
/* End of a poll pass: the interrupts held back and due go out now. */
u64 nepf_irq_coalesce_flush(struct nepf_ctrl *ctrl, u64 now);

/* bar-regs.c */
void nepf_regs_init(struct nepf_ctrl *ctrl);
enum nepf_regs_event nepf_regs_poll(struct nepf_ctrl *ctrl);
bool nepf_regs_changed(struct nepf_ctrl *ctrl);
bool nepf_regs_msix_held(struct nepf_ctrl *ctrl);
void nepf_regs_set_ready(struct nepf_ctrl *ctrl, bool ready);
void nepf_regs_set_shutdown_done(struct nepf_ctrl *ctrl);
void nepf_regs_set_fatal(struct nepf_ctrl *ctrl);	/* and state FATAL */
void nepf_regs_set_disabled(struct nepf_ctrl *ctrl);	/* CSTS 0, DISABLED */
void nepf_regs_stray_doorbells(struct nepf_ctrl *ctrl);
u32 nepf_regs_sq_tail(struct nepf_ctrl *ctrl, u16 qid);
u32 nepf_regs_cq_head(struct nepf_ctrl *ctrl, u16 qid);
u32 nepf_regs_irq_mask(struct nepf_ctrl *ctrl);	/* INTMS bits, INTx/MSI */
bool nepf_regs_irq_hold(struct nepf_ctrl *ctrl, u16 msg);
bool nepf_regs_msix_hold(struct nepf_ctrl *ctrl, u16 msg);
void nepf_regs_msix_pend(struct nepf_ctrl *ctrl, u16 msg);
void nepf_regs_clear_doorbell(struct nepf_ctrl *ctrl, u16 qid, bool cq);
/* CMBMSC read now (and CMBSTS set from it): the value accepted. */
u64 nepf_regs_cmb_msc(struct nepf_ctrl *ctrl);
enum nepf_cmb_where { NEPF_CMB_OUTSIDE, NEPF_CMB_INSIDE, NEPF_CMB_PARTLY };

/**
 * nepf_cmb_locate() - is a host address range in the CMB?
 * @ctrl: the controller
 * @msc: CMBMSC as nepf_regs_cmb_msc() accepted it
 * @addr: the bus address the host gave
 * @len: the range's length in bytes
 * @off: where the range starts in the CMB, when it is inside
 *
 * Context: any.
 * Return: NEPF_CMB_OUTSIDE (host memory; always while CMSE is 0),
 * NEPF_CMB_INSIDE, or NEPF_CMB_PARTLY (it straddles the CMB's edge).
 */
static inline enum nepf_cmb_where
nepf_cmb_locate(const struct nepf_ctrl *ctrl, u64 msc, u64 addr, u64 len,
		u32 *off)
{
	u64 base = msc & NVME_CMBMSC_CBA_MASK;
	u64 size = ctrl->cfg.cmb_size;

	if (!(msc & NVME_CMBMSC_CMSE) || !ctrl->cmb || !len)
		return NEPF_CMB_OUTSIDE;
	/* base + size <= U64_MAX: nepf_regs_cmb_msc() accepted no other */
	if (addr >= base + size || (addr < base && base - addr >= len))
		return NEPF_CMB_OUTSIDE;
	if (addr < base || len > size - (addr - base))
		return NEPF_CMB_PARTLY;
	*off = (u32)(addr - base);
	return NEPF_CMB_INSIDE;
}

/* queues.c: admin queue commands, return an NVMe status */
void nepf_queues_setup_admin(struct nepf_ctrl *ctrl, u32 aqa, u64 asq, u64 acq,
			     u64 cmb_msc);
void nepf_queues_teardown(struct nepf_ctrl *ctrl);
u16 nepf_queue_create_cq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe);
u16 nepf_queue_create_sq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe);
u16 nepf_queue_delete_cq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe);
/* Delete I/O SQ: NEPF_STATUS_DEFERRED while its commands still run. */
u16 nepf_queue_delete_sq(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe);
bool nepf_io_queues_exist(const struct nepf_ctrl *ctrl);
void nepf_cq_drop_waiting(struct nepf_ctrl *ctrl, struct nepf_cq *cq); /* core.c */
void nepf_features_reset(struct nepf_ctrl *ctrl);	/* admin-cmd.c */
void nepf_ctrl_vwc_latch(struct nepf_ctrl *ctrl);	/* admin-cmd.c */
#define NEPF_STATUS_DEFERRED	0xffff	/* no CQE now: the core posts it later */

/* Zeroed memory the core allocates for a command or a reply, counted. */
static inline void *nepf_ctrl_zalloc(struct nepf_ctrl *ctrl, size_t size)
{
	nepf_cost_inc(ctrl->costs, ALLOCS);
	nepf_cost_add(ctrl->costs, ALLOC_BYTES, size);
	nepf_cost_add(ctrl->costs, ALLOC_ZEROED_BYTES, size);
	return nepf_zalloc(size);
}

/*
 * bufpool.c: data buffers.  nepf_buf_get() never refuses for the budget
 * (the fetch reserved it, nepf_bufs_admit()); NULL only when memory ran
 * out.  nepf_buf_put() takes the length nepf_buf_get() was given.
 */
void nepf_bufs_init(struct nepf_ctrl *ctrl);
void nepf_bufs_drain(struct nepf_ctrl *ctrl);	/* free the kept ones */
void *nepf_buf_get(struct nepf_ctrl *ctrl, u32 len);
void nepf_buf_put(struct nepf_ctrl *ctrl, void *buf, u32 len);
/* Reserve for @n read SQEs of @sq; returns how many may be taken. */
u32 nepf_bufs_admit(struct nepf_ctrl *ctrl, const struct nepf_sq *sq,
		    const struct nvme_sqe *sqe, u32 n);
bool nepf_bufs_full(struct nepf_ctrl *ctrl);	/* an I/O SQ's turn ends */
void nepf_bufs_unreserve(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd);
void nepf_bufs_stats(struct nepf_ctrl *ctrl, struct nepf_bufs_stats *st);

/* Ring arithmetic: head == tail is empty, tail + 1 == head is full. */
static inline u16 nepf_ring_inc(u16 idx, u16 size)
{
	return idx + 1 >= size ? 0 : idx + 1;
}

static inline u16 nepf_ring_used(u16 head, u16 tail, u16 size)
{
	return tail >= head ? tail - head : size - head + tail;
}

static inline bool nepf_ring_full(u16 head, u16 tail, u16 size)
{
	return nepf_ring_inc(tail, size) == head;
}

/* queues.c: the Arbitration Burst of Feature 01h, in commands. */
unsigned int nepf_arb_burst_len(u32 arbitration);

/* prp-sgl.c */
struct nepf_xfer_limits {
	u32 page_size;		/* CC.MPS page size */
	u32 max_len;		/* MDTS in bytes, 0 = no limit */
	bool sgl;		/* SGLs accepted */
	u32 gen;		/* generation of the command (host accesses) */
};

u16 nepf_map_data(struct nepf_ctrl *ctrl, u32 gen, const struct nvme_sqe *sqe,
		  u32 len, struct nepf_seglist *out);

/* admin-cmd.c, io-cmd.c */
void nepf_admin_exec(struct nepf_cmd *cmd);
/*
 * True: the command ended in this call (invalid, done by the core, or its
 * backend ended it before its submit returned), and the caller finishes
 * it now with nepf_cmd_finish(), in this thread: no hand-off.  False: the
 * backend ends it later, through env->defer.
 */
bool nepf_io_exec(struct nepf_cmd *cmd);
/*
 * cmd->submit, while io-cmd.c hands cmd->io to its backend: RUNNING during
 * the backend's submit; nepf_io_done() turns it to ENDED if the I/O ends
 * before the submit returned (the submitting thread then finishes the
 * command), and defers the end otherwise.
 */
enum { NEPF_SUBMIT_IDLE, NEPF_SUBMIT_RUNNING, NEPF_SUBMIT_ENDED };
/* A reference to active namespace @nsid for I/O, or a status. */
u16 nepf_io_get_ns(struct nepf_ctrl *ctrl, u32 nsid, struct nepf_ns **nsp);
/* Copy's MCL and MSSRL in blocks of @ns (Identify Namespace). */
u32 nepf_io_copy_mcl(const struct nepf_ctrl *ctrl, const struct nepf_ns *ns);

/* namespaces (core.c) */
int nepf_ctrl_attach_ns(struct nepf_ctrl *ctrl, struct nepf_ns *ns);
void nepf_ctrl_detach_ns(struct nepf_ctrl *ctrl, u32 nsid);
void nepf_ctrl_flush_ns(struct nepf_ctrl *ctrl);
void nepf_ctrl_quiesced(struct nepf_ctrl *ctrl, enum nepf_regs_event ev);
/* Its Identify data changed (Format NVM): noted, like attach/detach. */
void nepf_ctrl_ns_changed(struct nepf_ctrl *ctrl, u32 nsid);
/*
 * Format NVM through @ctrl changed @ns: noted here at once, and by every
 * other controller @ns is attached to at its next register poll
 * (nepf_ctrl_ns_poll(), from nepf_regs_poll()).
 */
void nepf_ns_identity_changed(struct nepf_ctrl *ctrl, struct nepf_ns *ns);
void nepf_ctrl_ns_poll(struct nepf_ctrl *ctrl);
bool nepf_ctrl_ns_moved(struct nepf_ctrl *ctrl);
/* Power-on hours, as SMART reports them. */
u64 nepf_ctrl_poh(const struct nepf_ctrl *ctrl);

/*
 * bgop.c.  nepf_bg_init() from nepf_ctrl_init(); nepf_bg_reset() from a
 * controller reset (aborts a short self-test); nepf_bg_stop() aborts
 * everything (function stop): the environment then calls nepf_bg_run()
 * as kicked until nepf_bg_idle().  The admin commands return a status, or
 * NEPF_STATUS_DEFERRED (Format NVM completes when it is done).
 */
#define NEPF_MAX_LBAF		3	/* 512, 4096, and the backend's own */
void nepf_bg_init(struct nepf_ctrl *ctrl);
void nepf_bg_run(struct nepf_ctrl *ctrl);
void nepf_bg_reset(struct nepf_ctrl *ctrl);
void nepf_bg_stop(struct nepf_ctrl *ctrl);
bool nepf_bg_idle(struct nepf_ctrl *ctrl);
bool nepf_bg_offered(const struct nepf_ctrl *ctrl);
u16 nepf_admin_format(struct nepf_cmd *cmd);
u16 nepf_admin_self_test(struct nepf_cmd *cmd);
u16 nepf_admin_sanitize(struct nepf_cmd *cmd);
void nepf_bg_log_self_test(struct nepf_ctrl *ctrl, struct nvme_dst_log *log);
void nepf_bg_log_sanitize(struct nepf_ctrl *ctrl, struct nvme_sanitize_log *log);
/*
 * telemetry.c: the Telemetry Host-Initiated log, *log of *size bytes,
 * a new snapshot if @create or none yet; freed by a controller reset.
 */
u16 nepf_telemetry_host(struct nepf_ctrl *ctrl, bool create, const u8 **log,
			u32 *size);
void nepf_telemetry_free(struct nepf_ctrl *ctrl);
/*
 * lba-status.c: Get LBA Status, and the LBA Status Information log built
 * into *log (allocated, *size bytes; the caller frees it).
 */
u16 nepf_admin_get_lba_status(struct nepf_cmd *cmd);
u16 nepf_lba_status_log(struct nepf_ctrl *ctrl, u8 **log, u32 *size);
/* admin-cmd.c: the error log entries, newest first (NEPF_ERR_LOG_ENTRIES). */
void nepf_ctrl_error_log(struct nepf_ctrl *ctrl, struct nvme_error_log_entry *log);
/* Identify: LBA formats of @ns (count; ds[] log2 sizes), its FLBAS, EDSTT. */
unsigned int nepf_ns_lbafs(const struct nepf_ns *ns, u8 *ds);
u8 nepf_ns_flbas(const struct nepf_ns *ns);
u16 nepf_bg_edstt(struct nepf_ctrl *ctrl);
/* A background operation runs: the status others get meanwhile, or 0. */
u16 nepf_bg_busy(struct nepf_ctrl *ctrl);

/*
 * ns-mgmt.c: Namespace Management and Attachment, and their Identify
 * data (admin-cmd.c builds the structures, these fill in the pool's part).
 */
u16 nepf_admin_ns_mgmt(struct nepf_cmd *cmd);
u16 nepf_admin_ns_attach(struct nepf_cmd *cmd);
void nepf_pool_id_ctrl(struct nepf_ctrl *ctrl, struct nvme_id_ctrl *id);
/* The pool's lock, if there is a pool. */
void nepf_pool_lock(struct nepf_ctrl *ctrl);
void nepf_pool_unlock(struct nepf_ctrl *ctrl);
/* An allocated namespace (pool lock held): the host's or the board's. */
struct nepf_ns *nepf_pool_ns(struct nepf_ctrl *ctrl, u32 nsid);
/* CNS 10h: allocated NSIDs above @nsid (pool lock held). */
void nepf_pool_alloc_list(struct nepf_ctrl *ctrl, u32 nsid, __le32 *list);

#endif /* NEPF_CTRL_H */
