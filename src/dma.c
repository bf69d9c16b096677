// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - reading and writing host memory from the endpoint.
 *
 * Two ways to reach host (PCI) memory:
 *  - the DMA engine of the endpoint controller (e.g. DesignWare eDMA),
 *    found as dmaengine slave channels whose device is the EPC's parent;
 *    one channel per direction, like the eDMA read and write channels;
 *  - outbound windows: a piece of the EPC's address space mapped onto a
 *    PCI address, accessed with memcpy_fromio/memcpy_toio.
 * Reads of host memory (SQEs, PRP lists, SGL segments, write data) go by
 * DMA whenever a read channel exists: a CPU load through a window is a
 * non-posted read that stalls the CPU on every 8-byte load (its measured
 * cost per SoC: bench/costs/).
 * Small writes (CQEs) go through a window: they are posted, and setting up
 * a DMA descriptor costs more than writing 16 bytes.
 * A command's data segments go as one batch (nepf_dma_xfer_segs()): all
 * their descriptors are submitted on one channel, then waited for once;
 * a batch of descriptors of up to NEPF_DMA_SPIN_MAX on average (what one
 * of them alone would have polled for) is polled for dma_spin_us before
 * its wait sleeps.  A dmaengine channel is locked only to submit (its slave
 * config is shared), not across the wait, so batches of other commands
 * queue on it meanwhile: several in flight per channel.  Our own eDMA
 * (edma.c) takes a batch as one linked list with one interrupt at its end,
 * queued on a channel behind the lists of other commands.
 * A failed DMA transfer or window mapping fails the copy (-EIO), which the
 * core reports to the host as a Data Transfer Error (retryable: no DNR).
 * A dmaengine transfer has failed if either its cookie's status or its
 * callback's result says so: dw-edma completes the cookie of an aborted
 * descriptor (tx_status DMA_COMPLETE) and reports DMA_TRANS_ABORTED only
 * to callback_result, so every descriptor of a batch has a callback (on
 * dw-edma each descriptor ends with an interrupt anyway; the waiter wakes
 * once, at the last) and the batch waits for all of them.
 * With no dmaengine channel for the EPC, the controller's own DesignWare
 * eDMA can be driven directly (edma.c), on the dma_engine parameter.
 * A failed DMA is not retried through a window: the usual cause is a host
 * address the host never mapped, and a window read of it returns all-ones
 * (an Unsupported Request) without any error the function can see, so the
 * command would complete successfully with wrong data.
 * Once the link is lost (nepf_dma_link_lost()), transfers fail at once and
 * those waiting for their DMA give up: an eDMA toward a dead link may
 * never complete, and waiting dma_timeout_ms for each one would keep the
 * controller from resetting for longer than the host waits (CAP.TO).
 */
#include <linux/module.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/io.h>
#include "glue.h"

static unsigned int dma_min_len = 512;
module_param(dma_min_len, uint, 0644);
MODULE_PARM_DESC(dma_min_len,
		 "writes to the host shorter than this use an outbound window, not DMA (bytes)");

static unsigned int dma_read_min_len;
module_param(dma_read_min_len, uint, 0644);
MODULE_PARM_DESC(dma_read_min_len,
		 "reads from the host shorter than this use an outbound window, not DMA (bytes; 0: never)");

static unsigned int dma_spin_us = 20;
module_param(dma_spin_us, uint, 0644);
MODULE_PARM_DESC(dma_spin_us,
		 "a DMA of descriptors of up to 4 KiB (on average) is polled this long before its wait sleeps (us)");

static unsigned int max_windows = 2;
module_param(max_windows, uint, 0444);
MODULE_PARM_DESC(max_windows,
		 "outbound windows one function maps at once (the EPC must have them)");

static unsigned int cq_windows = 4;
module_param(cq_windows, uint, 0644);
MODULE_PARM_DESC(cq_windows,
		 "I/O CQ rings one function keeps mapped in outbound windows (0: map per completion)");

static unsigned int dma_timeout_ms = 1000;
module_param(dma_timeout_ms, uint, 0644);
MODULE_PARM_DESC(dma_timeout_ms, "DMA transfer timeout (ms)");

static char dma_engine[16] = "dmaengine";
module_param_string(dma_engine, dma_engine, sizeof(dma_engine), 0644);
MODULE_PARM_DESC(dma_engine,
		 "auto (dmaengine, else our eDMA), dmaengine, edma (only ours) or off (windows), read at bind");

#define NEPF_WIN_CHUNK_MAX	(128 * 1024)
/* How long a transfer waits for an outbound window the EPC has no room for. */
#define NEPF_WIN_WAIT_MS	1000

/* ---- outbound windows ---- */

/* Map a window onto @pci_addr once, counted. */
static int nepf_win_map_once(struct nepf_dma *d, u64 pci_addr, size_t len,
			     struct nepf_epc_map *map)
{
	int ret = nepf_epc_mem_map(d->epf, pci_addr, len, map);

	if (!ret) {
		/*
		 * The EPC allocated window space (ioremap) and programmed
		 * the window (epc->lock); without pci_epc_mem_map()
		 * compat.h asked for the features (epc->lock) too.
		 */
		nepf_cost_inc(d->costs, WIN_MAPS);
		nepf_cost_add(d->costs, WIN_MAP_BYTES, map->map_size);
		nepf_cost_inc(d->costs, IOREMAPS);
		nepf_cost_inc(d->costs, EPC_MAP_ADDR);
		nepf_cost_add(d->costs, EPC_GET_FEATURES,
			      NEPF_EPC_MEM_MAP_GET_FEATURES);
		nepf_cost_add(d->costs, EPC_LOCKED,
			      1 + NEPF_EPC_MEM_MAP_GET_FEATURES);
	}
	return ret;
}

/*
 * Map a window onto @pci_addr.  The EPC may have fewer free windows than
 * max_windows (a smaller controller, other functions using some): -ENOMEM
 * then means "wait for one", for a bounded time (holders keep a window
 * for one memcpy only), rather than failing the command.
 */
static int nepf_win_map(struct nepf_dma *d, u64 pci_addr, size_t len,
			struct nepf_epc_map *map)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(NEPF_WIN_WAIT_MS);
	int ret;

	for (;;) {
		ret = nepf_win_map_once(d, pci_addr, len, map);
		if (ret != -ENOMEM || time_after(jiffies, deadline))
			return ret;
		if (READ_ONCE(d->link_lost))
			return -ENOLINK;
		nepf_cost_inc(d->costs, WIN_MAP_RETRIES);
		usleep_range(20, 100);
	}
}

static void nepf_win_unmap(struct nepf_dma *d, struct nepf_epc_map *map)
{
	nepf_epc_mem_unmap(d->epf, map);
	nepf_cost_inc(d->costs, WIN_UNMAPS);
	nepf_cost_inc(d->costs, EPC_UNMAP_ADDR);
	nepf_cost_inc(d->costs, EPC_LOCKED);
}

static int nepf_mmio_xfer(struct nepf_dma *d, u64 pci_addr, void *buf,
			  size_t len, bool to_host)
{
	struct nepf_epc_map map;
	size_t chunk;
	int ret = 0;

	if (to_host)
		nepf_cost_inc(d->costs, WIN_WRITE_OPS);
	else
		nepf_cost_inc(d->costs, WIN_READ_OPS);
	/*
	 * Bounded window use: at most max_windows mappings at once, each
	 * held for one memcpy.  Not interruptible: a signal pending on a
	 * caller's thread would fail the transfer, and a failed CQE write
	 * sets CSTS.CFS.
	 */
	down(&d->windows);
	while (len) {
		if (READ_ONCE(d->link_lost)) {
			ret = -ENOLINK;
			break;
		}
		chunk = min(len, d->win_chunk);
		/* The window may cover less than asked: map.pci_size. */
		ret = nepf_win_map(d, pci_addr, chunk, &map);
		if (ret)
			break;
		chunk = map.pci_size;
		if (to_host) {
			memcpy_toio(map.virt_addr, buf, chunk);
			nepf_cost_add(d->costs, WIN_WRITE_BYTES, chunk);
		} else {
			/* Non-posted reads: the CPU waits for each load. */
			memcpy_fromio(buf, map.virt_addr, chunk);
			nepf_cost_add(d->costs, WIN_READ_LOADS, DIV_ROUND_UP(chunk, 8));
			nepf_cost_add(d->costs, WIN_READ_BYTES, chunk);
		}
		nepf_win_unmap(d, &map);
		pci_addr += chunk;
		buf += chunk;
		len -= chunk;
	}
	up(&d->windows);
	if (ret) {
		atomic64_inc(&d->nr_errors);
		dev_warn_ratelimited(&d->epf->dev, "window %s host 0x%llx failed: %d\n",
				     to_host ? "write to" : "read from", pci_addr, ret);
		return -EIO;
	}
	atomic64_inc(&d->nr_mmio);
	return 0;
}

/*
 * Windows kept mapped (CQ rings, from their first completion to the CQ's
 * deletion): a completion is then one memcpy_toio, with no window
 * programming, no ioremap and no EPC lock.  Only while the EPC has
 * windows to spare: the transfers of this function (max_windows at once)
 * and the EPC's own interrupt raising (one window on DesignWare) must
 * still find theirs, so that many are mapped and released again as a
 * check; if the EPC cannot, the ring is not kept and its completions map
 * a window each time.
 *
 * The window is mapped at the first completion, not at Create I/O CQ: the
 * host may still initialise the ring after that command completes (Linux
 * zeroes it after Create I/O SQ), and vepc, the loopback EPC of the tests,
 * writes back to the host only the bytes that differ from what it read at
 * map time.  On a link it makes no difference.
 */
enum { NEPF_WIN_NEW, NEPF_WIN_MAPPED, NEPF_WIN_NONE };

struct nepf_win {
	struct nepf_epc_map map;
	u64 pci_addr;
	size_t size;
	struct mutex lock;		/* the first mapping */
	int state;			/* NEPF_WIN_* */
};

/* The probes map the ring again: host memory the host has mapped. */
static bool nepf_win_spare(struct nepf_dma *d, u64 pci_addr, size_t size)
{
	struct nepf_epc_map probe[8];
	unsigned int i, n = min_t(unsigned int, max(max_windows, 1U) + 1,
				  ARRAY_SIZE(probe));
	bool ok = true;

	for (i = 0; i < n && ok; i++)
		ok = !nepf_win_map_once(d, pci_addr, size, &probe[i]);
	if (!ok)
		i--;
	while (i--)
		nepf_win_unmap(d, &probe[i]);
	return ok;
}

/* Map @w for good, or give up on it (w->lock held). */
static void nepf_win_keep_map(struct nepf_dma *d, struct nepf_win *w)
{
	int state = NEPF_WIN_NONE;

	/* No waiting for a window here: the fallback is always there. */
	if (!nepf_win_map_once(d, w->pci_addr, w->size, &w->map)) {
		if (w->map.pci_size >= w->size &&
		    nepf_win_spare(d, w->pci_addr, w->size))
			state = NEPF_WIN_MAPPED;
		else
			nepf_win_unmap(d, &w->map);
	}
	/* Publishes w->map to the writers that see NEPF_WIN_MAPPED. */
	smp_store_release(&w->state, state);
}

struct nepf_win *nepf_dma_win_keep(struct nepf_dma *d, u64 pci_addr,
				   size_t size)
{
	struct nepf_win *w;

	if (!size || pci_addr + size < pci_addr ||
	    atomic_inc_return(&d->nr_kept) > cq_windows)
		goto none;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		goto none;
	mutex_init(&w->lock);
	w->pci_addr = pci_addr;
	w->size = size;
	w->state = NEPF_WIN_NEW;
	return w;
none:
	atomic_dec(&d->nr_kept);
	return NULL;
}

int nepf_dma_win_write(struct nepf_dma *d, struct nepf_win *w, u32 off,
		       const void *buf, size_t len)
{
	/* Pairs with nepf_win_keep_map(): w->map is set once this is seen. */
	int state = smp_load_acquire(&w->state);

	if (off > w->size || len > w->size - off)
		return -EINVAL;
	if (READ_ONCE(d->link_lost))
		return -ENOLINK;
	if (state == NEPF_WIN_NEW) {
		mutex_lock(&w->lock);
		if (w->state == NEPF_WIN_NEW)
			nepf_win_keep_map(d, w);
		state = w->state;
		mutex_unlock(&w->lock);
	}
	if (state != NEPF_WIN_MAPPED)
		return nepf_dma_to_host(d, w->pci_addr + off, buf, len);
	memcpy_toio(w->map.virt_addr + off, buf, len);
	nepf_cost_inc(d->costs, WIN_WRITE_OPS);
	nepf_cost_add(d->costs, WIN_WRITE_BYTES, len);
	atomic64_inc(&d->nr_mmio);
	return 0;
}

void nepf_dma_win_release(struct nepf_dma *d, struct nepf_win *w)
{
	if (w->state == NEPF_WIN_MAPPED)
		nepf_win_unmap(d, &w->map);
	mutex_destroy(&w->lock);
	kfree(w);
	atomic_dec(&d->nr_kept);
}

/* ---- DMA engine ---- */

struct nepf_dma_filter {
	struct device *dev;
	enum dma_transfer_direction dir;
};

static bool nepf_dma_chan_can(struct dma_chan *chan,
			      enum dma_transfer_direction dir)
{
	struct dma_slave_caps caps = { 0 };

	if (dma_get_slave_caps(chan, &caps))
		return false;
	return caps.directions & BIT(dir);
}

static bool nepf_dma_filter_fn(struct dma_chan *chan, void *arg)
{
	struct nepf_dma_filter *f = arg;

	return chan->device->dev == f->dev && nepf_dma_chan_can(chan, f->dir);
}

static struct dma_chan *nepf_dma_request(struct device *dev,
					 enum dma_transfer_direction dir)
{
	struct nepf_dma_filter f = { .dev = dev, .dir = dir };
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	return dma_request_channel(mask, nepf_dma_filter_fn, &f);
}

/*
 * A batch: the DMA part of one transfer (a command's data segments), all
 * its descriptors submitted on one channel before it is waited for, once.
 * It lives on its waiter's stack and sits on the channel's inflight list
 * until the wait is over, so that a stop of the channel or a lost link
 * can end its wait.  Every descriptor has a callback: dw-edma reports an
 * abort only there (see above), wherever in the batch it happens.
 */
struct nepf_dma_batch {
	struct list_head node;		/* dc->inflight */
	struct dma_chan *chan;
	struct completion done;		/* last callback, a stop or a lost link */
	atomic_t pending;		/* callbacks due, + 1 while submitting */
	int failed;			/* the first failed callback's result */
	bool stopped;			/* the channel was stopped under it */
};

/* What one descriptor of a batch mapped: a piece, or a scatter list. */
struct nepf_dma_piece {
	dma_addr_t addr;
	u32 len;
	dma_cookie_t cookie;
	struct sg_table *sgt;		/* pages of a vmalloc'ed buffer, or NULL */
};

/* Pieces a batch keeps on the stack; more are allocated. */
#define NEPF_DMA_INLINE		8

static void nepf_dma_batch_done(void *arg, const struct dmaengine_result *res)
{
	struct nepf_dma_batch *b = arg;

	if (res && res->result != DMA_TRANS_NOERROR) {
		cmpxchg(&b->failed, DMA_TRANS_NOERROR, res->result);
		/*
		 * dw-edma leaves the channel idle after an abort: what is
		 * queued behind (the rest of this batch, other batches)
		 * starts at the next issue_pending.
		 */
		dma_async_issue_pending(b->chan);
	}
	/* Fully ordered: the waiter sees ->failed once it sees the end. */
	if (atomic_dec_and_test(&b->pending))
		complete(&b->done);
}

/*
 * Stop @dc's transfers: its batches end, failed.  After
 * dmaengine_terminate_sync() no callback of theirs runs any more, so a
 * batch still waiting for one never gets it: it is completed here.
 */
static void nepf_dma_chan_stop(struct nepf_dma_chan *dc)
{
	struct nepf_dma_batch *b;
	unsigned long flags;

	mutex_lock(&dc->lock);
	dmaengine_terminate_sync(dc->chan);
	spin_lock_irqsave(&dc->inflight_lock, flags);
	list_for_each_entry(b, &dc->inflight, node) {
		if (atomic_read(&b->pending)) {
			b->stopped = true;
			complete(&b->done);
		}
	}
	spin_unlock_irqrestore(&dc->inflight_lock, flags);
	mutex_unlock(&dc->lock);
}

/*
 * Wait for batch @b on @dc: every callback, a stop or a lost link.  With
 * @spin (descriptors of up to NEPF_DMA_SPIN_MAX on average) it is polled
 * for dma_spin_us first: no wakeup.  The channel's lock is not held:
 * other transfers queue on the channel meanwhile.  completion_done()
 * waits for a complete() under way, so @b (on the stack) outlives its
 * last use.  A batch that does not end in time, or toward a dead link,
 * is stopped with everything else on its channel (a channel stops as a
 * whole).  Each wait counts once: a spin if it ended while polling,
 * else a sleep.
 */
static int nepf_dma_batch_wait(struct nepf_dma *d, struct nepf_dma_chan *dc,
			       struct nepf_dma_batch *b, bool spin)
{
	unsigned long left = msecs_to_jiffies(dma_timeout_ms);
	u64 end;

	if (spin && dma_spin_us) {
		end = ktime_get_ns() + (u64)dma_spin_us * NSEC_PER_USEC;
		do {
			if (READ_ONCE(d->link_lost))
				goto lost;
			if (completion_done(&b->done)) {
				nepf_cost_inc(d->costs, DMA_WAIT_SPIN);
				goto over;
			}
			cpu_relax();
		} while (ktime_get_ns() < end);
	}
	nepf_cost_inc(d->costs, DMA_WAIT_SLEEP);
	/*
	 * A wait that returns consumed the completion: completion_done()
	 * is false after it, so it must not be asked again (it was, and
	 * every batch that outlasted the spin then ran into the timeout).
	 */
	while (!READ_ONCE(d->link_lost) && !completion_done(&b->done)) {
		if (!left) {
			nepf_dma_chan_stop(dc);
			return -ETIMEDOUT;
		}
		left = wait_for_completion_timeout(&b->done, left);
		if (left)
			break;
	}
	if (READ_ONCE(d->link_lost))
		goto lost;
over:
	if (b->stopped)
		return -EIO;
	/* Woken by a link loss that is over already: callbacks are due. */
	if (atomic_read(&b->pending))
		goto lost;
	/* An abort shows as -ECONNABORTED in the log line of the failure. */
	if (READ_ONCE(b->failed) == DMA_TRANS_ABORTED)
		return -ECONNABORTED;
	return READ_ONCE(b->failed) != DMA_TRANS_NOERROR ? -EIO : 0;
lost:
	/* Toward a dead link it may never end: stop it. */
	nepf_dma_chan_stop(dc);
	return -ENOLINK;
}

/*
 * Map @len bytes of @buf for one descriptor: a kmalloc'ed buffer, or a
 * piece of a vmalloc'ed one within a page, as one range; more of a
 * vmalloc'ed buffer as a scatter list of its pages (one descriptor all
 * the same, where the provider has prep_slave_sg).
 */
static int nepf_dma_map_seg(struct device *dev, void *buf, size_t len,
			    enum dma_data_direction ddir, struct nepf_dma_piece *p)
{
	struct scatterlist *sg;
	unsigned int n, i;
	size_t chunk;
	int ret;

	p->sgt = NULL;
	p->len = len;
	if (!is_vmalloc_addr(buf) || offset_in_page(buf) + len <= PAGE_SIZE)
		return nepf_dma_map_piece(dev, buf, len, ddir, &p->addr, &chunk);
	n = DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
	p->sgt = kmalloc(sizeof(*p->sgt), GFP_KERNEL);
	if (!p->sgt)
		return -ENOMEM;
	if (sg_alloc_table(p->sgt, n, GFP_KERNEL)) {
		kfree(p->sgt);
		p->sgt = NULL;
		return -ENOMEM;
	}
	for_each_sg(p->sgt->sgl, sg, n, i) {
		chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(buf));
		sg_set_page(sg, vmalloc_to_page(buf), chunk, offset_in_page(buf));
		buf += chunk;
		len -= chunk;
	}
	ret = dma_map_sgtable(dev, p->sgt, ddir, 0);
	if (ret) {
		sg_free_table(p->sgt);
		kfree(p->sgt);
		p->sgt = NULL;
	}
	return ret;
}

static void nepf_dma_unmap_seg(struct device *dev, struct nepf_dma_piece *p,
			       enum dma_data_direction ddir)
{
	if (!p->sgt) {
		dma_unmap_page(dev, p->addr, p->len, ddir);
		return;
	}
	dma_unmap_sgtable(dev, p->sgt, ddir, 0);
	sg_free_table(p->sgt);
	kfree(p->sgt);
}

/*
 * Submit one descriptor of @b (channel locked): @p toward @pci_addr.  The
 * remote address goes through the channel's slave config, which dw-edma
 * (and vepc) read at prep: so descriptors of several batches, each with
 * its own address, can be queued on one channel.
 */
static int nepf_dma_submit(struct nepf_dma_chan *dc, struct nepf_dma_batch *b,
			   struct nepf_dma_piece *p, u64 pci_addr,
			   enum dma_transfer_direction dir)
{
	struct dma_slave_config cfg = { .direction = dir };
	struct dma_async_tx_descriptor *desc;
	unsigned long flags = DMA_CTRL_ACK | DMA_PREP_INTERRUPT;
	int ret;

	if (dir == DMA_DEV_TO_MEM)
		cfg.src_addr = pci_addr;
	else
		cfg.dst_addr = pci_addr;
	ret = dmaengine_slave_config(dc->chan, &cfg);
	if (ret)
		return ret;
	if (p->sgt)
		desc = dmaengine_prep_slave_sg(dc->chan, p->sgt->sgl,
					       p->sgt->nents, dir, flags);
	else
		desc = dmaengine_prep_slave_single(dc->chan, p->addr, p->len,
						   dir, flags);
	if (!desc)
		return -EIO;
	desc->callback_result = nepf_dma_batch_done;
	desc->callback_param = b;
	atomic_inc(&b->pending);
	p->cookie = dmaengine_submit(desc);
	ret = dma_submit_error(p->cookie);
	if (ret)
		atomic_dec(&b->pending);	/* never runs: no callback */
	return ret;
}

/* A segment of @x that goes by DMA (when there is a channel). */
bool nepf_dma_seg_by_dma(const struct nepf_xfer *x, const struct nepf_seg *s)
{
	return s->addr != NEPF_SEG_BITBUCKET && s->len && s->len >= x->min_len;
}

/* One descriptor: per direction, and per I/O command (dma_descs_max). */
void nepf_dma_count(struct nepf_dma *d, size_t len, bool to_host)
{
	struct nepf_cmd_ctx *ctx = nepf_epf_current_cmd(d);

	if (to_host) {
		nepf_cost_inc(d->costs, DMA_TX_DESCS);
		nepf_cost_add(d->costs, DMA_TX_BYTES, len);
	} else {
		nepf_cost_inc(d->costs, DMA_RX_DESCS);
		nepf_cost_add(d->costs, DMA_RX_BYTES, len);
	}
	if (ctx && ctx->dma_descs < U16_MAX)
		ctx->dma_descs++;
}

/*
 * One wait for a batch of descriptors issued together: per direction, per
 * I/O command (dma_waits_max), and whether the channel's next transfer
 * waits for a waiter to look (@held: our eDMA without interrupts) or
 * starts as soon as this one ends.
 */
void nepf_dma_count_wait(struct nepf_dma *d, bool to_host, bool held)
{
	struct nepf_cmd_ctx *ctx = nepf_epf_current_cmd(d);

	if (to_host)
		nepf_cost_inc(d->costs, DMA_TX_WAITS);
	else
		nepf_cost_inc(d->costs, DMA_RX_WAITS);
	if (held)
		nepf_cost_inc(d->costs, DMA_WAITS_HELD);
	if (ctx && ctx->dma_waits < U16_MAX)
		nepf_cost_max(d->costs, DMA_WAITS_MAX, ++ctx->dma_waits);
}

/* A free channel of @dir, or wait for one; returned locked. */
static struct nepf_dma_chan *nepf_dma_get(struct nepf_dma *d, bool to_host)
{
	struct nepf_dma_chan *c = to_host ? d->tx : d->rx;
	unsigned int nr = to_host ? d->nr_tx : d->nr_rx;
	unsigned int i, start = atomic_inc_return(&d->rr);

	for (i = 0; i < nr; i++) {
		if (mutex_trylock(&c[(start + i) % nr].lock))
			return &c[(start + i) % nr];
	}
	nepf_cost_inc(d->costs, DMA_CHAN_BUSY);
	mutex_lock(&c[start % nr].lock);
	return &c[start % nr];
}

/*
 * Map the first piece of @buf (@len bytes) for @dev: all of a kmalloc'ed
 * buffer (physically contiguous), up to the end of the page of a vmalloc'ed
 * one.  Always a page mapping, so that one unmap call fits both.
 */
int nepf_dma_map_piece(struct device *dev, void *buf, size_t len,
		       enum dma_data_direction ddir, dma_addr_t *addr,
		       size_t *chunk)
{
	struct page *page;

	if (is_vmalloc_addr(buf)) {
		*chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(buf));
		page = vmalloc_to_page(buf);
	} else {
		*chunk = len;
		page = virt_to_page(buf);
	}
	*addr = dma_map_page(dev, page, offset_in_page(buf), *chunk, ddir);
	return dma_mapping_error(dev, *addr) ? -ENOMEM : 0;
}

/*
 * The DMA segments of @x (nepf_dma_seg_by_dma()) as one batch on a
 * dmaengine channel of @dc (locked): each mapped and submitted, then one
 * issue_pending, the channel unlocked, and one wait.  A failure part way
 * still waits for what was submitted.
 */
static int nepf_dma_engine_segs(struct nepf_dma *d, struct nepf_dma_chan *dc,
				const struct nepf_xfer *x)
{
	enum dma_transfer_direction dir = x->to_host ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
	enum dma_data_direction ddir = x->to_host ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev = dc->chan->device->dev;
	struct nepf_dma_piece inl[NEPF_DMA_INLINE], *p = inl;
	struct nepf_dma_batch b = { .chan = dc->chan };
	const struct nepf_seg *s;
	unsigned long flags;
	unsigned int i, n = 0, sent = 0;
	u8 *buf = x->buf;
	int ret = 0, wret;

	if (x->nr_dma > ARRAY_SIZE(inl)) {
		p = kmalloc_array(x->nr_dma, sizeof(*p), GFP_KERNEL);
		if (!p) {
			mutex_unlock(&dc->lock);
			return -ENOMEM;
		}
	}
	init_completion(&b.done);
	atomic_set(&b.pending, 1);
	spin_lock_irqsave(&dc->inflight_lock, flags);
	list_add_tail(&b.node, &dc->inflight);
	spin_unlock_irqrestore(&dc->inflight_lock, flags);
	/* Pairs with nepf_dma_link_lost(): listed first, then the flag. */
	smp_mb();
	if (READ_ONCE(d->link_lost))
		ret = -ENOLINK;
	for (i = 0; i < x->nr && n < x->nr_dma && !ret; buf += s->len, i++) {
		s = &x->seg[i];
		if (!nepf_dma_seg_by_dma(x, s))
			continue;
		ret = nepf_dma_map_seg(dev, buf, s->len, ddir, &p[n]);
		if (ret)
			break;
		n++;
		nepf_dma_count(d, s->len, x->to_host);
		ret = nepf_dma_submit(dc, &b, &p[n - 1], s->addr, dir);
		if (!ret)
			sent++;
	}
	if (sent) {
		dma_async_issue_pending(dc->chan);
		nepf_dma_count_wait(d, x->to_host, false);
	}
	mutex_unlock(&dc->lock);
	if (atomic_dec_and_test(&b.pending))
		complete(&b.done);
	if (sent) {
		wret = nepf_dma_batch_wait(d, dc, &b,
					   x->len <= (size_t)NEPF_DMA_SPIN_MAX * sent);
		ret = ret ?: wret;
	}
	spin_lock_irqsave(&dc->inflight_lock, flags);
	list_del(&b.node);
	spin_unlock_irqrestore(&dc->inflight_lock, flags);
	/* Every callback has run: a cookie's status is final. */
	for (i = 0; i < n; i++) {
		if (!ret && i < sent &&
		    dmaengine_tx_status(dc->chan, p[i].cookie, NULL) == DMA_ERROR)
			ret = -EIO;
		nepf_dma_unmap_seg(dev, &p[i], ddir);
	}
	if (p != inl)
		kfree(p);
	return ret;
}

/*
 * The DMA segments of @x on one channel of their direction: a dmaengine
 * batch, or a list queued on a channel of our eDMA (edma.c: its channels
 * queue transfers themselves, they are taken in turn).
 */
static int nepf_dma_xfer(struct nepf_dma *d, const struct nepf_xfer *x)
{
	unsigned int nr_ch = x->to_host ? d->nr_tx : d->nr_rx;
	unsigned int ch;

	if (!d->edma)
		return nepf_dma_engine_segs(d, nepf_dma_get(d, x->to_host), x);
	ch = (unsigned int)atomic_inc_return(&d->rr) % nr_ch;
	return nepf_edma_copy_segs(d, ch, x, dma_spin_us, dma_timeout_ms);
}

/**
 * nepf_dma_xfer_segs() - copy between a buffer and host segments
 * @d: the function's host memory access
 * @seg: the segments, in buffer order (bit buckets skipped, with their
 *	 length of @buf)
 * @nr: how many
 * @buf: the local buffer: kmalloc'ed, or vmalloc'ed (never the stack)
 * @to_host: direction
 *
 * Segments shorter than the direction's DMA minimum (or all, without a
 * channel) go through windows first; the others go by DMA as one batch:
 * one wait, one list on our eDMA.  A failure anywhere fails it all.
 *
 * Context: process context; sleeps.
 * Return: 0, -EINVAL (a segment wraps), -ENOLINK, or -EIO.
 */
int nepf_dma_xfer_segs(struct nepf_dma *d, const struct nepf_seg *seg,
		       unsigned int nr, void *buf, bool to_host)
{
	struct nepf_xfer x = {
		.seg = seg, .nr = nr, .buf = buf, .to_host = to_host,
		/* Read once: the parameters may change meanwhile. */
		.min_len = to_host ? READ_ONCE(dma_min_len) : READ_ONCE(dma_read_min_len),
	};
	unsigned int nr_ch = to_host ? d->nr_tx : d->nr_rx;
	unsigned int i;
	size_t off = 0;
	int ret;

	for (i = 0; i < nr; i++) {
		if (seg[i].addr != NEPF_SEG_BITBUCKET &&
		    seg[i].addr + seg[i].len < seg[i].addr)
			return -EINVAL;	/* wraps around the PCI address space */
	}
	if (READ_ONCE(d->link_lost))
		return -ENOLINK;
	for (i = 0; i < nr; off += seg[i].len, i++) {
		if (seg[i].addr == NEPF_SEG_BITBUCKET || !seg[i].len)
			continue;
		if (nr_ch && nepf_dma_seg_by_dma(&x, &seg[i])) {
			x.nr_dma++;
			x.len += seg[i].len;
			continue;
		}
		ret = nepf_mmio_xfer(d, seg[i].addr, buf + off, seg[i].len,
				     to_host);
		if (ret)
			return ret;
	}
	if (!x.nr_dma)
		return 0;
	ret = nepf_dma_xfer(d, &x);
	if (!ret) {
		atomic64_inc(&d->nr_dma);
		return 0;
	}
	atomic64_inc(&d->nr_errors);
	dev_warn_ratelimited(&d->epf->dev, "DMA %s host 0x%llx (%u pieces, %zu bytes) failed (%d)\n",
			     to_host ? "to" : "from", seg[0].addr, x.nr_dma, x.len, ret);
	return -EIO;
}

static int nepf_host_xfer(struct nepf_dma *d, u64 pci_addr, void *buf,
			  size_t len, bool to_host)
{
	struct nepf_seg seg = { .addr = pci_addr, .len = len };

	if (!len)
		return 0;
	if (len > U32_MAX || pci_addr == NEPF_SEG_BITBUCKET)
		return -EINVAL;
	return nepf_dma_xfer_segs(d, &seg, 1, buf, to_host);
}

/* Wake every waiter of @dc: it looks at the link and stops the channel. */
static void nepf_dma_wake_all(struct nepf_dma_chan *dc)
{
	struct nepf_dma_batch *b;
	unsigned long flags;

	spin_lock_irqsave(&dc->inflight_lock, flags);
	list_for_each_entry(b, &dc->inflight, node)
		complete(&b->done);
	spin_unlock_irqrestore(&dc->inflight_lock, flags);
}

/*
 * The link is gone (@lost) or back.  Transfers waiting for their DMA are
 * woken (polled ones look at the flag): they see it, stop the channel
 * and fail.
 */
void nepf_dma_link_lost(struct nepf_dma *d, bool lost)
{
	unsigned int i;

	WRITE_ONCE(d->link_lost, lost);
	if (!lost)
		return;
	/* Pairs with nepf_dma_engine_segs() and nepf_edma_run(). */
	smp_mb();
	if (d->edma) {
		nepf_edma_link_lost(d->edma);
		return;
	}
	for (i = 0; i < d->nr_rx; i++)
		nepf_dma_wake_all(&d->rx[i]);
	for (i = 0; i < d->nr_tx; i++)
		nepf_dma_wake_all(&d->tx[i]);
}

/*
 * The controller is reset, nothing in flight: channels of our eDMA given
 * up on get their chance again (nepf_edma_recover()).
 */
void nepf_dma_recover(struct nepf_dma *d)
{
	if (d->edma)
		nepf_edma_recover(d->edma);
}

int nepf_dma_from_host(struct nepf_dma *d, u64 pci_addr, void *buf, size_t len)
{
	return nepf_host_xfer(d, pci_addr, buf, len, false);
}

int nepf_dma_to_host(struct nepf_dma *d, u64 pci_addr, const void *buf,
		     size_t len)
{
	/* The buffer is only read: DMA_TO_DEVICE mappings do not write it. */
	return nepf_host_xfer(d, pci_addr, (void *)buf, len, true);
}

/* Up to NEPF_DMA_CHANS channels of @dir on @parent; how many were found. */
static unsigned int nepf_dma_request_all(struct device *parent,
					 enum dma_transfer_direction dir,
					 struct nepf_dma_chan *c)
{
	unsigned int n;

	for (n = 0; n < NEPF_DMA_CHANS; n++) {
		c[n].chan = nepf_dma_request(parent, dir);
		if (!c[n].chan)
			break;
	}
	return n;
}

/* dmaengine channels of the EPC parent; a direction without uses windows. */
static void nepf_dma_chans_init(struct nepf_dma *d, struct device *parent)
{
	d->nr_rx = nepf_dma_request_all(parent, DMA_DEV_TO_MEM, d->rx);
	d->nr_tx = nepf_dma_request_all(parent, DMA_MEM_TO_DEV, d->tx);
	if (d->nr_rx || d->nr_tx) {
		d->engine = "dmaengine";
		d->why = dev_name(parent);
	} else {
		d->why = "no dmaengine channel on the EPC";
	}
	dev_info(&d->epf->dev, "%u read and %u write DMA channels on %s%s\n",
		 d->nr_rx, d->nr_tx, dev_name(parent),
		 d->nr_rx && d->nr_tx ? "" : ", outbound windows otherwise");
}

int nepf_dma_init(struct nepf_dma *d, struct pci_epf *epf, bool use_dma)
{
	struct pci_epc *epc = epf->epc;
	struct device *parent = epc->dev.parent;
	size_t win;
	int i;

	d->epf = epf;
	for (i = 0; i < NEPF_DMA_CHANS; i++) {
		mutex_init(&d->rx[i].lock);
		mutex_init(&d->tx[i].lock);
		spin_lock_init(&d->rx[i].inflight_lock);
		spin_lock_init(&d->tx[i].inflight_lock);
		INIT_LIST_HEAD(&d->rx[i].inflight);
		INIT_LIST_HEAD(&d->tx[i].inflight);
	}
	d->link_lost = false;
	atomic_set(&d->rr, 0);
	atomic_set(&d->nr_kept, 0);
	sema_init(&d->windows, max(max_windows, 1U));
	atomic64_set(&d->nr_dma, 0);
	atomic64_set(&d->nr_mmio, 0);
	atomic64_set(&d->nr_errors, 0);

	/* Share the first window's space among the mappings we allow. */
	win = NEPF_WIN_CHUNK_MAX;
	if (epc->mem && epc->mem->window.size) {
		win = min(win, epc->mem->window.size / max(max_windows, 1U));
		win = rounddown(win, max_t(size_t, epc->mem->window.page_size, 1));
	}
	d->win_chunk = max_t(size_t, win, SZ_4K);

	d->nr_rx = 0;
	d->nr_tx = 0;
	d->edma = NULL;
	d->engine = "window";
	d->why = "function's dma attribute is 0";
	if (!use_dma || !parent)
		return 0;
	d->why = "dma_engine=off";
	if (sysfs_streq(dma_engine, "off"))
		return 0;
	if (!sysfs_streq(dma_engine, "auto") && !sysfs_streq(dma_engine, "edma") &&
	    !sysfs_streq(dma_engine, "dmaengine"))
		dev_warn(&epf->dev, "unknown dma_engine '%s': dmaengine\n",
			 dma_engine);
	if (!sysfs_streq(dma_engine, "edma")) {
		nepf_dma_chans_init(d, parent);
		if (d->nr_rx && d->nr_tx)
			return 0;
		/* Never both: a direction's channels mean dw-edma owns it. */
		if (d->nr_rx || d->nr_tx || !sysfs_streq(dma_engine, "auto"))
			return 0;
	}
	if (!nepf_edma_attach(d, parent)) {
		d->engine = "edma";
		return 0;
	}
	dev_info(&epf->dev, "no eDMA: %s; outbound windows\n", d->why);
	return 0;
}

/* Callbacks of polled transfers may still be due: let them run first. */
static void nepf_dma_release(struct dma_chan *chan)
{
	dmaengine_synchronize(chan);
	dma_release_channel(chan);
}

void nepf_dma_exit(struct nepf_dma *d)
{
	if (d->edma) {
		nepf_edma_detach(d);
		return;
	}
	while (d->nr_rx)
		nepf_dma_release(d->rx[--d->nr_rx].chan);
	while (d->nr_tx)
		nepf_dma_release(d->tx[--d->nr_tx].chan);
}
