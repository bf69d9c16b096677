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
 *   doorbell poll (glue) -> nepf_sq_fetch() -> nepf_cmd_exec()
 *     admin: admin-cmd.c builds the reply, -> nepf_cmd_complete()
 *     I/O:   io-cmd.c validates, maps PRP/SGL (prp-sgl.c), reads write data
 *            from the host, submits to the backend; the backend calls
 *            nepf_cmd_backend_done() from any context; the core asks the
 *            environment to finish in process context (env->defer), which
 *            writes read data to the host and posts the completion.
 *   nepf_cmd_complete(): CQE written to the host CQ, interrupt (irq.c
 *   coalescing rules), command freed.
 */
#ifndef NEPF_CTRL_H
#define NEPF_CTRL_H

#include "port.h"
#include "nvme-defs.h"
#include "backend.h"

struct nepf_ctrl;
struct nepf_cmd;
struct nepf_ns;

/* Hard limits of this implementation (the configuration may use less). */
#define NEPF_MAX_IO_QUEUES	64	/* I/O SQs and CQs, each */
#define NEPF_MAX_QUEUE_ENTRIES	4096	/* CAP.MQES + 1 upper bound */
#define NEPF_MAX_NAMESPACES	32
#define NEPF_MAX_VECTORS	65	/* admin + one per I/O queue */
#define NEPF_MAX_SEGS		256	/* PCI segments of one transfer */

/* What the environment (kernel glue or unit test) provides. */
struct nepf_env_ops {
	/* Copy between host (PCI) memory and local memory; may sleep. 0 or -errno. */
	int (*host_read)(struct nepf_ctrl *ctrl, u64 pci_addr, void *buf, size_t len);
	int (*host_write)(struct nepf_ctrl *ctrl, u64 pci_addr, const void *buf,
			  size_t len);
	/* Raise interrupt vector @vector (0-based, as in the NVMe CQ IV field). */
	int (*raise_irq)(struct nepf_ctrl *ctrl, u16 vector);
	/* Run nepf_cmd_finish(cmd) later in process context. */
	void (*defer)(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd);
	/* Data buffers of commands (up to MDTS bytes). */
	void *(*alloc_buf)(struct nepf_ctrl *ctrl, size_t len);
	void (*free_buf)(struct nepf_ctrl *ctrl, void *buf, size_t len);
};

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
	u32 mdts_kb;		/* max data transfer size, KiB (0 = no limit) */
	u16 nr_vectors;		/* interrupt vectors the function exposes */
	u8 irq_type;		/* NEPF_IRQ_* actually in use */
	bool sgl;		/* advertise SGL support */
};

enum { NEPF_IRQ_INTX, NEPF_IRQ_MSI, NEPF_IRQ_MSIX };

struct nepf_seg {
	u64 addr;		/* PCI address; NEPF_SEG_BITBUCKET: discard */
	u32 len;
};
#define NEPF_SEG_BITBUCKET	(~0ULL)

struct nepf_seglist {
	struct nepf_seg seg[NEPF_MAX_SEGS];
	unsigned int nr;
	u32 total;
};

enum nepf_dir { NEPF_DIR_NONE, NEPF_DIR_TO_HOST, NEPF_DIR_FROM_HOST };

struct nepf_cq {
	nepf_lock_t lock;	/* several SQs may post to one CQ */
	bool valid;
	u16 qid;
	u16 size;		/* entries */
	u16 head;		/* last head the host wrote to its doorbell */
	u16 tail;		/* next entry we write */
	u8 phase;
	bool irq_enabled;
	u16 vector;
	u16 nr_sqs;		/* SQs completing here (deletion order) */
	u64 pci_addr;
	/* interrupt coalescing state (irq.c) */
	u16 pending;		/* completions since the last interrupt */
	u64 first_pending_ns;
};

struct nepf_sq {
	bool valid;
	u16 qid;
	u16 size;		/* entries */
	u16 head;		/* next entry we fetch */
	u16 tail;		/* last tail the host wrote to its doorbell */
	u16 cqid;
	u8 prio;
	u64 pci_addr;
	u64 nr_cmds;		/* commands fetched, for status/stats */
	u32 inflight;		/* fetched and not yet completed */
};

/* One command, from fetch to completion. */
struct nepf_cmd {
	struct nepf_ctrl *ctrl;
	u16 sqid;
	u16 cqid;
	struct nvme_sqe sqe;
	u16 status;		/* NVMe status: (SCT << 8 | SC) | NVME_STATUS_DNR/MORE */
	u32 result;		/* CQE DW0 */
	/* data transfer */
	enum nepf_dir dir;
	u32 data_len;
	struct nepf_seglist *segs;
	void *buf;
	/* I/O */
	struct nepf_ns *ns;
	struct nepf_io io;
	u64 start_ns;
	void *env_priv;		/* the environment's per-command state */
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
	NEPF_REGS_DISABLE,	/* CC.EN 1 -> 0: reset, everything torn down */
	NEPF_REGS_SHUTDOWN,	/* CC.SHN set: flush backends, then SHST */
};

struct nepf_ctrl {
	const char *name;
	void *bar;			/* BAR0 register file in local memory */
	size_t bar_size;
	const struct nepf_env_ops *env;
	void *env_data;			/* the environment's controller state */
	struct nepf_ctrl_config cfg;

	enum nepf_ctrl_state state;
	u32 cc;				/* last CC value acted upon */
	u64 cap;
	u32 page_size;			/* from CC.MPS */

	struct nepf_sq sq[NEPF_MAX_IO_QUEUES + 1];	/* [0] = admin */
	struct nepf_cq cq[NEPF_MAX_IO_QUEUES + 1];
	u16 nr_io_sqs_granted;		/* Set Features Number of Queues */
	u16 nr_io_cqs_granted;

	struct nepf_ns *ns[NEPF_MAX_NAMESPACES];	/* index nsid - 1 */

	/* Features (admin-cmd.c) */
	struct nepf_features {
		u32 arbitration;
		u32 power_mgmt;
		u32 temp_thresh_over;
		u32 temp_thresh_under;
		u32 err_recovery;
		u32 vwc;
		u32 irq_coalesce;	/* THR (0-based) | TIME << 8 (100 us units) */
		u32 irq_config[NEPF_MAX_VECTORS];	/* CD bit per vector */
		u32 async_event_cfg;
		u64 timestamp_base_ms;	/* host-set timestamp ... */
		u64 timestamp_set_ns;	/* ... at this local time */
	} feat;

	/* Asynchronous events */
	nepf_lock_t aer_lock;
	u16 aer_cids[4];		/* outstanding AER command ids (AERL + 1) */
	u8 nr_aer;
	u32 aen_pending;		/* events waiting for an AER */
	u32 aen_masked;			/* event types reported, awaiting log read */
	u32 changed_ns[1024];		/* changed namespace list */
	u16 nr_changed_ns;

	/* Logs and counters */
	nepf_lock_t log_lock;
	struct nvme_error_log_entry err_log[64];
	u64 err_count;			/* total errors (error log ERRCNT) */
	struct nepf_smart {
		u64 data_units_read;	/* thousands of 512-byte units, rounded up */
		u64 data_units_written;
		u64 host_reads;
		u64 host_writes;
		u64 bytes_read;
		u64 bytes_written;
		u64 media_errors;
		u64 power_on_ns_base;
	} smart;
	u64 created_ns;			/* for power-on hours */
};

/* core.c */
int nepf_ctrl_init(struct nepf_ctrl *ctrl, void *bar, size_t bar_size,
		   const struct nepf_env_ops *env);
void nepf_ctrl_reset(struct nepf_ctrl *ctrl);	/* tear down all queues */
int nepf_sq_fetch(struct nepf_ctrl *ctrl, struct nepf_sq *sq, struct nepf_cmd *cmd);
void nepf_cmd_exec(struct nepf_cmd *cmd);
void nepf_cmd_backend_done(struct nepf_cmd *cmd, u16 status);
void nepf_cmd_finish(struct nepf_cmd *cmd);
void nepf_cmd_complete(struct nepf_cmd *cmd);
void nepf_ctrl_fatal(struct nepf_ctrl *ctrl, const char *why);

/* bar-regs.c */
void nepf_regs_init(struct nepf_ctrl *ctrl);
enum nepf_regs_event nepf_regs_poll(struct nepf_ctrl *ctrl);
void nepf_regs_set_ready(struct nepf_ctrl *ctrl, bool ready);
void nepf_regs_set_shutdown_done(struct nepf_ctrl *ctrl);
void nepf_regs_set_fatal(struct nepf_ctrl *ctrl);
u32 nepf_regs_sq_tail(struct nepf_ctrl *ctrl, u16 qid);
u32 nepf_regs_cq_head(struct nepf_ctrl *ctrl, u16 qid);

/* prp-sgl.c */
struct nepf_xfer_limits {
	u32 page_size;		/* CC.MPS page size */
	u32 max_len;		/* MDTS in bytes, 0 = no limit */
	bool sgl;		/* SGLs accepted */
};
u16 nepf_map_data(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe, u32 len,
		  struct nepf_seglist *out);

/* admin-cmd.c, io-cmd.c */
void nepf_admin_exec(struct nepf_cmd *cmd);
void nepf_io_exec(struct nepf_cmd *cmd);

/* namespaces (core.c): attach/detach raise the namespace-changed event */
int nepf_ctrl_attach_ns(struct nepf_ctrl *ctrl, struct nepf_ns *ns);
void nepf_ctrl_detach_ns(struct nepf_ctrl *ctrl, u32 nsid);

#endif /* NEPF_CTRL_H */
