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
 * a DMA descriptor costs more than writing 16 bytes.  A DMA of up to
 * NEPF_DMA_SPIN_MAX is polled for dma_spin_us before its wait sleeps.
 * A failed DMA transfer or window mapping fails the copy (-EIO), which the
 * core reports to the host as a Data Transfer Error (retryable: no DNR).
 * A dmaengine transfer has failed if either its cookie's status or its
 * callback's result says so: dw-edma completes the cookie of an aborted
 * descriptor (tx_status DMA_COMPLETE) and reports DMA_TRANS_ABORTED only
 * to callback_result, so every transfer waits for its callback.
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
		 "a transfer of up to 4 KiB is polled this long before its wait sleeps (us)");

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
#define NEPF_DMA_SPIN_MAX	4096
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
 * The callback of the transfer in flight on the channel: its result
 * first, then that it ran, then the wakeup.
 */
static void nepf_dma_done(void *arg, const struct dmaengine_result *res)
{
	struct nepf_dma_chan *dc = arg;

	dc->result = res ? res->result : DMA_TRANS_NOERROR;
	/* Pairs with nepf_dma_wait(): the result is seen with the flag. */
	smp_store_release(&dc->called, true);
	complete(&dc->done);
}

static bool nepf_dma_called(struct nepf_dma_chan *dc)
{
	/* Pairs with nepf_dma_done(): dc->result is the callback's. */
	return smp_load_acquire(&dc->called);
}

/*
 * Wait for the callback of @cookie on @dc.  A transfer of up to
 * NEPF_DMA_SPIN_MAX is polled for dma_spin_us first: no wakeup.  The
 * channel's completion is completed by the callback or by a link loss.
 * A transfer is over when its callback has run (the cookie's status alone
 * misses an abort, see above), or it is stopped: dmaengine_terminate_sync()
 * returns once no callback of it can run any more, so the next transfer
 * never sees a late one.  Each wait counts once: a spin if it ended while
 * polling, else a sleep.
 */
static int nepf_dma_wait(struct nepf_dma *d, struct nepf_dma_chan *dc,
			 dma_cookie_t cookie, size_t len)
{
	unsigned long left = msecs_to_jiffies(dma_timeout_ms);
	u64 end;

	if (len <= NEPF_DMA_SPIN_MAX && dma_spin_us) {
		end = ktime_get_ns() + (u64)dma_spin_us * NSEC_PER_USEC;
		do {
			if (READ_ONCE(d->link_lost))
				goto lost;
			if (nepf_dma_called(dc)) {
				nepf_cost_inc(d->costs, DMA_WAIT_SPIN);
				goto over;
			}
			cpu_relax();
		} while (ktime_get_ns() < end);
	}
	nepf_cost_inc(d->costs, DMA_WAIT_SLEEP);
	for (;;) {
		left = wait_for_completion_timeout(&dc->done, left);
		if (READ_ONCE(d->link_lost))
			goto lost;
		if (nepf_dma_called(dc))
			goto over;
		if (!left) {
			dmaengine_terminate_sync(dc->chan);
			return -ETIMEDOUT;
		}
	}
over:
	/* An abort shows as -ECONNABORTED in the log line of the failure. */
	if (dc->result == DMA_TRANS_ABORTED)
		return -ECONNABORTED;
	/* The callback has run: the cookie is complete, or it failed. */
	if (dc->result != DMA_TRANS_NOERROR ||
	    dmaengine_tx_status(dc->chan, cookie, NULL) == DMA_ERROR)
		return -EIO;
	return 0;
lost:
	/* Toward a dead link it may never end: stop it. */
	dmaengine_terminate_sync(dc->chan);
	return -ENOLINK;
}

/*
 * One physically contiguous piece: @addr is mapped on the channel, whose
 * completion (reset here) is completed by a DMA callback or a link loss.
 */
static int nepf_dma_one(struct nepf_dma *d, struct nepf_dma_chan *dc,
			u64 pci_addr, dma_addr_t addr, size_t len,
			enum dma_transfer_direction dir)
{
	struct dma_slave_config cfg = { .direction = dir };
	struct dma_chan *chan = dc->chan;
	struct dma_async_tx_descriptor *desc;
	dma_cookie_t cookie;
	int ret;

	reinit_completion(&dc->done);
	WRITE_ONCE(dc->called, false);
	/* Pairs with nepf_dma_link_lost(): flag first, then complete(). */
	smp_mb();
	if (READ_ONCE(d->link_lost))
		return -ENOLINK;

	if (dir == DMA_DEV_TO_MEM)
		cfg.src_addr = pci_addr;
	else
		cfg.dst_addr = pci_addr;
	ret = dmaengine_slave_config(chan, &cfg);
	if (ret)
		return ret;
	desc = dmaengine_prep_slave_single(chan, addr, len, dir,
					   DMA_CTRL_ACK | DMA_PREP_INTERRUPT);
	if (!desc)
		return -EIO;
	desc->callback_result = nepf_dma_done;
	desc->callback_param = dc;
	cookie = dmaengine_submit(desc);
	ret = dma_submit_error(cookie);
	if (ret)
		return ret;
	dma_async_issue_pending(chan);
	return nepf_dma_wait(d, dc, cookie, len);
}

/* One descriptor: per direction, and per I/O command (dma_descs_max). */
static void nepf_dma_count(struct nepf_dma *d, size_t len, bool to_host)
{
	struct nepf_cmd_ctx *ctx = nepf_epf_current_cmd();

	if (to_host) {
		nepf_cost_inc(d->costs, DMA_TX_DESCS);
		nepf_cost_add(d->costs, DMA_TX_BYTES, len);
	} else {
		nepf_cost_inc(d->costs, DMA_RX_DESCS);
		nepf_cost_add(d->costs, DMA_RX_BYTES, len);
	}
	if (ctx)
		ctx->dma_descs++;
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

/* Transfer between @pci_addr and a kernel buffer (see nepf_dma_map_piece). */
static int nepf_dma_xfer(struct nepf_dma *d, u64 pci_addr, void *buf,
			 size_t len, bool to_host)
{
	struct nepf_dma_chan *dc = nepf_dma_get(d, to_host);
	enum dma_transfer_direction dir = to_host ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
	enum dma_data_direction ddir = to_host ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev;
	dma_addr_t addr;
	size_t chunk;
	int ret = 0;

	if (d->edma) {
		/* No wait on a lost link: see nepf_dma_link_lost(). */
		if (READ_ONCE(d->link_lost)) {
			ret = -ENOLINK;
			goto out;
		}
		nepf_dma_count(d, len, to_host);
		ret = nepf_edma_copy(d, dc - (to_host ? d->tx : d->rx),
				     pci_addr, buf, len, to_host,
				     len <= NEPF_DMA_SPIN_MAX ? dma_spin_us : 0,
				     dma_timeout_ms);
		goto out;
	}
	dev = dc->chan->device->dev;
	while (len && !ret) {
		ret = nepf_dma_map_piece(dev, buf, len, ddir, &addr, &chunk);
		if (ret)
			break;
		nepf_dma_count(d, chunk, to_host);
		ret = nepf_dma_one(d, dc, pci_addr, addr, chunk, dir);
		dma_unmap_page(dev, addr, chunk, ddir);
		pci_addr += chunk;
		buf += chunk;
		len -= chunk;
	}
out:
	mutex_unlock(&dc->lock);
	if (!ret)
		atomic64_inc(&d->nr_dma);
	return ret;
}

static int nepf_host_xfer(struct nepf_dma *d, u64 pci_addr, void *buf,
			  size_t len, bool to_host)
{
	unsigned int nr = to_host ? d->nr_tx : d->nr_rx;
	int ret;

	if (!len)
		return 0;
	if (pci_addr + len < pci_addr)
		return -EINVAL;	/* wraps around the PCI address space */
	if (READ_ONCE(d->link_lost))
		return -ENOLINK;
	if (nr && len >= (to_host ? dma_min_len : dma_read_min_len)) {
		ret = nepf_dma_xfer(d, pci_addr, buf, len, to_host);
		if (!ret)
			return 0;
		atomic64_inc(&d->nr_errors);
		dev_warn_ratelimited(&d->epf->dev, "DMA %s host 0x%llx len %zu failed (%d)\n",
				     to_host ? "to" : "from", pci_addr, len, ret);
		return -EIO;
	}
	return nepf_mmio_xfer(d, pci_addr, buf, len, to_host);
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
	smp_mb();	/* pairs with nepf_dma_one() and nepf_edma_run() */
	if (d->edma) {
		nepf_edma_link_lost(d->edma);
		return;
	}
	for (i = 0; i < d->nr_rx; i++)
		complete(&d->rx[i].done);
	for (i = 0; i < d->nr_tx; i++)
		complete(&d->tx[i].done);
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
		init_completion(&d->rx[i].done);
		init_completion(&d->tx[i].done);
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
