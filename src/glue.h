/* SPDX-License-Identifier: GPL-2.0 */
/*
 * glue.h - private state of a running endpoint function, shared by the
 * kernel-only files epf-glue.c (endpoint driver), poll.c (controller
 * runtime), dma.c (host memory access) and irq.c (interrupts).
 */
#ifndef NEPF_GLUE_H
#define NEPF_GLUE_H

#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/completion.h>
#include <linux/dmaengine.h>
#include <linux/dma-direction.h>
#include <linux/semaphore.h>
#include <linux/workqueue.h>
#include <linux/kthread.h>
#include <linux/wait.h>
#include <linux/atomic.h>
#include "compat.h"
#include "nvme-epf.h"

/* Host memory access (dma.c). */
#define NEPF_DMA_CHANS	4		/* per direction, used in parallel */

/* Transfers of up to this many bytes are polled before their wait sleeps. */
#define NEPF_DMA_SPIN_MAX	4096

struct nepf_dma_chan {
	struct dma_chan *chan;
	/*
	 * Slave config, prep and submit of one batch (the config is the
	 * channel's); not held while the batch is waited for, so that other
	 * batches queue behind it.  Not used with our eDMA (edma.c queues).
	 */
	struct mutex lock;
	spinlock_t inflight_lock;	/* inflight; taken in any context */
	struct list_head inflight;	/* dmaengine batches not yet waited out */
};

struct nepf_edma_dev;

struct nepf_dma {
	struct pci_epf *epf;
	struct nepf_edma_dev *edma;	/* our own eDMA (edma.c), or NULL */
	const char *engine;		/* "dmaengine", "edma" or "window" */
	const char *why;		/* how it was chosen, for status */
	struct nepf_dma_chan rx[NEPF_DMA_CHANS];	/* host -> local */
	struct nepf_dma_chan tx[NEPF_DMA_CHANS];	/* local -> host */
	unsigned int nr_rx, nr_tx;
	atomic_t rr;			/* next channel to try */
	struct semaphore windows;	/* outbound windows mapped at once */
	size_t win_chunk;		/* largest mapping one window takes */
	struct nepf_costs __percpu *costs;	/* the function's (costs.h) */
	atomic_t nr_kept;		/* windows kept mapped (CQ rings) */
	atomic64_t nr_dma;
	atomic64_t nr_mmio;
	atomic64_t nr_errors;
	bool link_lost;			/* fail at once, stop waiting */
};

int nepf_dma_init(struct nepf_dma *d, struct pci_epf *epf, bool use_dma);
void nepf_dma_exit(struct nepf_dma *d);
int nepf_dma_from_host(struct nepf_dma *d, u64 pci_addr, void *buf, size_t len);
int nepf_dma_to_host(struct nepf_dma *d, u64 pci_addr, const void *buf,
		     size_t len);
void nepf_dma_link_lost(struct nepf_dma *d, bool lost);	/* any context */
struct nepf_win;
struct nepf_win *nepf_dma_win_keep(struct nepf_dma *d, u64 pci_addr,
				   size_t size);
int nepf_dma_win_write(struct nepf_dma *d, struct nepf_win *w, u32 off,
		       const void *buf, size_t len);
void nepf_dma_win_release(struct nepf_dma *d, struct nepf_win *w);
int nepf_dma_map_piece(struct device *dev, void *buf, size_t len,
		       enum dma_data_direction ddir, dma_addr_t *addr,
		       size_t *chunk);
int nepf_dma_xfer_segs(struct nepf_dma *d, const struct nepf_seg *seg,
		       unsigned int nr, void *buf, bool to_host);

/* One transfer between a buffer and host segments (nepf_dma_xfer_segs()). */
struct nepf_xfer {
	const struct nepf_seg *seg;
	unsigned int nr;
	u8 *buf;
	bool to_host;
	u32 min_len;		/* segments this long go by DMA (read once) */
	unsigned int nr_dma;	/* how many do */
	size_t len;		/* their bytes */
};

bool nepf_dma_seg_by_dma(const struct nepf_xfer *x, const struct nepf_seg *s);
void nepf_dma_count(struct nepf_dma *d, size_t len, bool to_host);
void nepf_dma_count_wait(struct nepf_dma *d, bool to_host, bool held);

/* The controller's own DesignWare eDMA (edma.c), when no dmaengine. */
int nepf_edma_attach(struct nepf_dma *d, struct device *parent);
void nepf_edma_detach(struct nepf_dma *d);
int nepf_edma_copy_segs(struct nepf_dma *d, unsigned int ch,
			const struct nepf_xfer *x, unsigned int spin_us,
			unsigned int ms);
void nepf_edma_link_lost(struct nepf_edma_dev *ed);	/* any context */
void nepf_edma_recover(struct nepf_edma_dev *ed);
void nepf_dma_recover(struct nepf_dma *d);

/* Interrupts (irq.c). */
struct nepf_irq {
	struct pci_epf *epf;
	struct nepf_ctrl *ctrl;
	bool msix_capable;
	bool msi_capable;
	int nr_msix, nr_msi;		/* vectors the host enabled, last asked */
	atomic64_t nr_errors;		/* raises the EPC refused (stats) */
};

int nepf_irq_init(struct nepf_irq *irq, struct pci_epf *epf,
		  struct nepf_ctrl *ctrl,
		  const struct pci_epc_features *features);
void nepf_irq_exit(struct nepf_irq *irq);
int nepf_irq_raise(struct nepf_irq *irq, u16 vector);
void nepf_irq_refresh(struct nepf_irq *irq, bool cmd_path);

/* Per-command state of the runtime (poll.c). */
struct nepf_cmd_ctx {
	struct nepf_cmd cmd;
	struct work_struct work;
	struct nepf_epf_ctrl *ectrl;
	bool finishing;			/* work runs nepf_cmd_finish() */
	/* For dma_descs_max and dma_waits_max (saturating: fits in padding) */
	u16 dma_descs;			/* DMA descriptors */
	u16 dma_waits;			/* DMA waits */
};

/* One bound function (bind to unbind): the NVMe controller on its epf. */
struct nepf_epf_ctrl {
	struct nepf_function *fn;
	struct pci_epf *epf;
	const struct pci_epc_features *features;
	bool bound;			/* BAR and interrupts set up */

	/* BAR0: registers, doorbells, then the MSI-X table and PBA */
	enum pci_barno bar_no;
	void *bar;
	size_t bar_size;
	u32 msix_table_off;
	u32 msix_pba_off;
	u32 cmb_off, cmb_size;		/* the CMB in BAR0 (cfg.cmb), or 0 */
	u16 nr_vectors;

	struct nepf_ctrl ctrl;
	struct nepf_dma dma;
	struct nepf_irq irq;

	/* runtime (poll.c) */
	struct workqueue_struct *wq;	/* command work items */
	struct workqueue_struct *ctl_wq; /* cc_work, link_work: ordered */
	struct delayed_work cc_work;	/* CC/CSTS poll */
	struct delayed_work bg_work;	/* background operations (bgop.c) */
	u64 cc_active_ns;		/* cc_work: last register change */
	struct task_struct *poller;	/* doorbell poll thread */
	wait_queue_head_t poll_wait;	/* poller sleeps here when idle */
	struct mutex poll_lock;		/* held by the poller during a pass */
	struct mutex cpu_lock;		/* binding the poller to poll_cpu */
	struct mutex run_lock;		/* link up/down transitions */
	atomic_t poll_kick;		/* a command finished: look again */
	struct work_struct link_work;	/* applies link_want */
	bool link_want;			/* last link event */
	atomic_t link_losses;		/* link-down events link_work has not seen */
	bool stopping;			/* function stop: no link up any more */
	bool link_up;
	bool ctrl_live;			/* queues are served */
	bool polling;			/* cc_work may run */
	/* fetched, not yet released; per SQ: the core's sq->inflight */
	atomic_t inflight;
	wait_queue_head_t idle_wait;	/* inflight reached 0 */
	struct nvme_sqe *fetch_buf;	/* NEPF_FETCH_MAX SQEs, poll thread */
	struct nepf_cmd_ctx *poll_cmd;	/* the I/O command the poller runs */
	/* statistics for status/ */
	atomic64_t nr_cmds;		/* status/commands */
	struct dentry *debugfs;		/* stats.c */
	/* cost counters: g->ctrl.costs (per CPU), and what a reset saw */
	struct mutex costs_lock;	/* costs_base */
	u64 costs_base[NEPF_COST_NR];
};

/* poll.c: the controller's runtime on a bound function */
int nepf_epf_ctrl_module_init(void);
void nepf_epf_ctrl_module_exit(void);
int nepf_epf_ctrl_init(struct nepf_epf_ctrl *g);
void nepf_epf_ctrl_exit(struct nepf_epf_ctrl *g);
void nepf_epf_ctrl_link_event(struct nepf_epf_ctrl *g, bool up);	/* any context */
void nepf_epf_ctrl_link_lost(struct nepf_epf_ctrl *g);		/* any context */
void nepf_epf_ctrl_stop(struct nepf_epf_ctrl *g);
void nepf_epf_ctrl_link_up(struct nepf_epf_ctrl *g);
void nepf_epf_ctrl_link_down(struct nepf_epf_ctrl *g);		/* may sleep long */
void nepf_epf_ctrl_detach_ns(struct nepf_epf_ctrl *g, u32 nsid);
/* Bind the poll thread to fn->cfg.poll_cpu (nepf_serve_lock held). */
void nepf_epf_ctrl_poll_cpu(struct nepf_epf_ctrl *g);
struct nepf_cmd_ctx *nepf_epf_current_cmd(struct nepf_dma *d);

/* stats.c: debugfs nvme_epf/<function>/stats */
void nepf_stats_debugfs_add(struct nepf_epf_ctrl *g);
void nepf_stats_debugfs_remove(struct nepf_epf_ctrl *g);
void nepf_stats_module_exit(void);

#endif /* NEPF_GLUE_H */
