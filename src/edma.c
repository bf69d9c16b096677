// SPDX-License-Identifier: GPL-2.0
/*
 * edma.c - the endpoint controller's own DesignWare eDMA, driven by us
 * when the kernel offers no dmaengine channel for it (Debian's kernels
 * build the DWC endpoint drivers but not CONFIG_DW_EDMA).
 *
 * Never together with the dw-edma driver: a kernel built with DW_EDMA
 * may have bound the block, so there we never touch it.  The register
 * block belongs to the controller driver: it is ioremap()ed, not
 * requested.  Where it is (docs/edma.md): the edma_phys parameter, else
 * the parent's "dma" memory resource, else the DWC default of the
 * unrolled map, 0x80000 into a "atu" resource of at least 1 MiB, else
 * 0x20000 into Tegra's "atu_dma".  One function at a time owns a block.
 *
 * Completion by interrupt where the parent names the lines ("dma", or
 * "dma0".."dmaN"), else by polling the status registers.  A transfer that
 * does not finish within dma_timeout_ms is stopped; a channel that does
 * not confirm the stop is not used until the controller resets, and then
 * only if it has stopped since (nepf_edma_recover()).  An abort is a failed
 * transfer (-EIO): the host gets a Data Transfer Error.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/interrupt.h>
#include <linux/dma-mapping.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "glue.h"
#include "edma.h"

static unsigned long edma_phys;
module_param(edma_phys, ulong, 0444);
MODULE_PARM_DESC(edma_phys,
		 "physical address of the eDMA register block (0: from the devicetree)");

static bool edma_irq = true;
module_param(edma_irq, bool, 0444);
MODULE_PARM_DESC(edma_irq,
		 "eDMA completion by interrupt where the controller names the lines (0: poll)");

/*
 * Time a stopped channel has to report its abort.  Silicon takes
 * microseconds; an emulated engine (vepc's, a kthread) may not be
 * scheduled for tens of milliseconds on a loaded guest.  Only a channel
 * that really hangs waits this long.
 */
#define NEPF_EDMA_STOP_MS	200

/* Transfers one channel takes at once: one runs, the others queue. */
#define NEPF_EDMA_SLOTS		4

/* One transfer's place on a channel: its list memory and its pieces. */
struct nepf_edma_slot {
	struct nepf_edma_req req;
	struct nepf_edma_ll ll;
	struct nepf_edma_seg seg[NEPF_EDMA_LL_MAX];
	struct completion done;		/* req ended, or the link is lost */
	bool busy;			/* a transfer owns it */
};

struct nepf_edma_ch {
	spinlock_t lock;		/* q, the slots' busy, dead; any context */
	struct nepf_edma_q q;
	struct semaphore free;		/* slots not busy */
	bool dead;			/* did not stop: unused until recovered */
	struct nepf_edma_slot slot[NEPF_EDMA_SLOTS];
};

struct nepf_edma_dev {
	struct list_head node;		/* nepf_edma_owners */
	struct device *dev;		/* the EPC's parent */
	void __iomem *base;
	phys_addr_t phys;
	size_t size;
	const char *how;		/* where the block was found */
	struct nepf_edma core;
	spinlock_t irq_lock;		/* status collection in the handler */
	int irqs[2 * EDMA_MAX_CH];
	unsigned int nr_irqs;
	struct nepf_edma_ch ch[2][NEPF_DMA_CHANS];
};

static LIST_HEAD(nepf_edma_owners);
static DEFINE_MUTEX(nepf_edma_owners_lock);

static u32 nepf_edma_mmio_rd(void *ctx, u32 off)
{
	struct nepf_edma_dev *ed = ctx;

	return readl(ed->base + off);
}

static void nepf_edma_mmio_wr(void *ctx, u32 off, u32 val)
{
	struct nepf_edma_dev *ed = ctx;

	/* writel orders earlier stores (the list) before the register. */
	writel(val, ed->base + off);
}

static const struct nepf_edma_io nepf_edma_mmio = {
	.rd = nepf_edma_mmio_rd,
	.wr = nepf_edma_mmio_wr,
};

/* Where the block is; its size as far as the resource goes. */
static int nepf_edma_locate(struct device *parent, phys_addr_t *phys,
			    size_t *size, const char **how)
{
	struct platform_device *pdev;
	struct resource *r;

	*size = EDMA_REG_BLOCK_SIZE;
	if (edma_phys) {
		*phys = edma_phys;
		*how = "edma_phys parameter";
		return 0;
	}
	if (!dev_is_platform(parent))
		return -ENODEV;
	pdev = to_platform_device(parent);
	r = platform_get_resource_byname(pdev, IORESOURCE_MEM, "dma");
	if (r) {
		*phys = r->start;
		*size = min_t(size_t, resource_size(r), EDMA_REG_BLOCK_SIZE);
		*how = "reg \"dma\"";
		return 0;
	}
	/* The DWC core's rule: the unrolled map 0x80000 into the iATU space. */
	r = platform_get_resource_byname(pdev, IORESOURCE_MEM, "atu");
	if (r && resource_size(r) >= 2 * 0x80000) {
		*phys = r->start + 0x80000;
		*how = "reg \"atu\" + 0x80000";
		return 0;
	}
	r = platform_get_resource_byname(pdev, IORESOURCE_MEM, "atu_dma");
	if (r && resource_size(r) >= 0x20000 + EDMA_REG_BLOCK_SIZE) {
		*phys = r->start + 0x20000;
		*how = "reg \"atu_dma\" + 0x20000";
		return 0;
	}
	return -ENODEV;
}

static irqreturn_t nepf_edma_isr(int irq, void *arg)
{
	struct nepf_edma_dev *ed = arg;
	irqreturn_t ret = IRQ_NONE;
	enum nepf_edma_dir dir;
	unsigned long flags;
	u32 pend, err;

	spin_lock_irqsave(&ed->irq_lock, flags);
	for (dir = NEPF_EDMA_WRITE; dir <= NEPF_EDMA_READ; dir++) {
		pend = nepf_edma_pending(&ed->core, dir);
		while (pend) {
			unsigned int ch = __ffs(pend);
			struct nepf_edma_ch *c = &ed->ch[dir][ch];

			pend &= pend - 1;
			ret = IRQ_HANDLED;
			if (ch >= NEPF_DMA_CHANS) {
				/* not ours: cleared, ignored */
				nepf_edma_status(&ed->core, dir, ch, &err);
				continue;
			}
			/* The ended transfer's waiter wakes, the next starts. */
			spin_lock(&c->lock);
			nepf_edma_q_poll(&ed->core, &c->q);
			spin_unlock(&c->lock);
		}
	}
	spin_unlock_irqrestore(&ed->irq_lock, flags);
	return ret;
}

/* Request the lines the parent names; none (or a failure) means polling. */
static void nepf_edma_irqs(struct nepf_edma_dev *ed)
{
	unsigned int i, want;
	char name[8];
	int irq;

	ed->nr_irqs = 0;
	if (!edma_irq || !dev_is_platform(ed->dev))
		return;
	irq = platform_get_irq_byname_optional(to_platform_device(ed->dev),
					       "dma");
	if (irq > 0) {
		ed->irqs[ed->nr_irqs++] = irq;
	} else {
		want = ed->core.nr_ch[0] + ed->core.nr_ch[1];
		for (i = 0; i < want; i++) {
			snprintf(name, sizeof(name), "dma%u", i);
			irq = platform_get_irq_byname_optional(to_platform_device(ed->dev),
							       name);
			if (irq <= 0)
				break;
			ed->irqs[ed->nr_irqs++] = irq;
		}
	}
	for (i = 0; i < ed->nr_irqs; i++) {
		if (request_irq(ed->irqs[i], nepf_edma_isr, IRQF_SHARED,
				"nvme_epf-edma", ed)) {
			dev_warn(ed->dev, "nvme_epf: eDMA interrupt %d busy: polling\n",
				 ed->irqs[i]);
			while (i)
				free_irq(ed->irqs[--i], ed);
			ed->nr_irqs = 0;
			return;
		}
	}
}

static void nepf_edma_ll_free(struct nepf_edma_dev *ed, struct nepf_edma_ll *ll)
{
	if (ll->virt)
		dma_free_coherent(ed->dev, nepf_edma_ll_bytes(NEPF_EDMA_LL_MAX),
				  ll->virt, ll->bus);
}

static void nepf_edma_free(struct nepf_edma_dev *ed)
{
	unsigned int dir, i, k;

	while (ed->nr_irqs)
		free_irq(ed->irqs[--ed->nr_irqs], ed);
	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < NEPF_DMA_CHANS; i++)
			for (k = 0; k < NEPF_EDMA_SLOTS; k++)
				nepf_edma_ll_free(ed, &ed->ch[dir][i].slot[k].ll);
	if (ed->base)
		iounmap(ed->base);
	kvfree(ed);
}

/* A channel's queue and the list memory of its slots. */
static int nepf_edma_ch_setup(struct nepf_edma_dev *ed, struct nepf_edma_ch *c,
			      enum nepf_edma_dir dir, unsigned int ch)
{
	struct nepf_edma_slot *sl;
	dma_addr_t bus;
	unsigned int k;

	spin_lock_init(&c->lock);
	nepf_edma_q_init(&c->q, dir, ch);
	sema_init(&c->free, NEPF_EDMA_SLOTS);
	for (k = 0; k < NEPF_EDMA_SLOTS; k++) {
		sl = &c->slot[k];
		sl->ll.virt = dma_alloc_coherent(ed->dev,
						 nepf_edma_ll_bytes(NEPF_EDMA_LL_MAX),
						 &bus, GFP_KERNEL);
		if (!sl->ll.virt)
			return -ENOMEM;
		sl->ll.bus = bus;
		sl->ll.max = NEPF_EDMA_LL_MAX;
		init_completion(&sl->done);
	}
	return 0;
}

static int nepf_edma_setup(struct nepf_edma_dev *ed)
{
	unsigned int dir, i, top;
	int ret;

	ed->base = ioremap(ed->phys, ed->size);
	if (!ed->base)
		return -ENOMEM;
	if (nepf_edma_probe(&ed->core))
		return -ENODEV;
	top = max(ed->core.nr_ch[0], ed->core.nr_ch[1]);
	if (EDMA_CH_BASE(1, top - 1) + 0x100 > ed->size)
		return -ENODEV;		/* channels beyond the resource */
	for (dir = 0; dir < 2; dir++) {
		ed->core.nr_ch[dir] = min_t(unsigned int, ed->core.nr_ch[dir],
					    NEPF_DMA_CHANS);
		for (i = 0; i < ed->core.nr_ch[dir]; i++) {
			ret = nepf_edma_ch_setup(ed, &ed->ch[dir][i], dir, i);
			if (ret)
				return ret;
		}
	}
	nepf_edma_irqs(ed);
	nepf_edma_enable(&ed->core, ed->nr_irqs);
	return 0;
}

/* Find, map and start the parent's eDMA; 0 and d->edma set, or an error. */
int nepf_edma_attach(struct nepf_dma *d, struct device *parent)
{
	struct nepf_edma_dev *ed, *o;
	int ret;

	if (nepf_kernel_has_dw_edma()) {
		d->why = "kernel has DW_EDMA: its driver owns the eDMA";
		return -EBUSY;
	}
	ed = kvzalloc(sizeof(*ed), GFP_KERNEL);
	if (!ed)
		return -ENOMEM;
	ed->dev = parent;
	ed->core.io = &nepf_edma_mmio;
	ed->core.ctx = ed;
	spin_lock_init(&ed->irq_lock);
	ret = nepf_edma_locate(parent, &ed->phys, &ed->size, &ed->how);
	if (ret) {
		d->why = "no eDMA register block (no reg \"dma\", no 1 MiB \"atu\"; see edma_phys)";
		kvfree(ed);
		return ret;
	}
	mutex_lock(&nepf_edma_owners_lock);
	list_for_each_entry(o, &nepf_edma_owners, node) {
		if (o->phys == ed->phys) {
			mutex_unlock(&nepf_edma_owners_lock);
			d->why = "eDMA in use by another function";
			kvfree(ed);
			return -EBUSY;
		}
	}
	ret = nepf_edma_setup(ed);
	if (ret) {
		mutex_unlock(&nepf_edma_owners_lock);
		d->why = ret == -ENODEV ?
			 "eDMA block does not answer (CTRL: no channels)" :
			 "eDMA setup failed";
		nepf_edma_free(ed);
		return ret;
	}
	list_add(&ed->node, &nepf_edma_owners);
	mutex_unlock(&nepf_edma_owners_lock);
	d->edma = ed;
	d->nr_tx = ed->core.nr_ch[NEPF_EDMA_WRITE];
	d->nr_rx = ed->core.nr_ch[NEPF_EDMA_READ];
	d->why = ed->how;
	dev_info(&d->epf->dev,
		 "eDMA at %pa (%s): %u write, %u read channels, %s\n",
		 &ed->phys, ed->how, d->nr_tx, d->nr_rx,
		 ed->nr_irqs ? "interrupts" : "polling");
	return 0;
}

void nepf_edma_detach(struct nepf_dma *d)
{
	struct nepf_edma_dev *ed = d->edma;

	if (!ed)
		return;
	nepf_edma_disable(&ed->core);
	mutex_lock(&nepf_edma_owners_lock);
	list_del(&ed->node);
	mutex_unlock(&nepf_edma_owners_lock);
	nepf_edma_free(ed);
	d->edma = NULL;
	d->nr_rx = 0;
	d->nr_tx = 0;
}

/* How a wait went: the link may be lost meanwhile, it may have slept. */
struct nepf_edma_waiter {
	const bool *lost;		/* NULL: wait for the result anyway */
	unsigned int spin_us;		/* polled this long before any sleep */
	unsigned int ms;
	bool slept;
};

static bool nepf_edma_lost(const struct nepf_edma_waiter *w)
{
	return w->lost && READ_ONCE(*w->lost);
}

/*
 * The channel's view of @sl, looked at (and moved on) under its lock;
 * @running: @sl's list is the one on the channel.  Polling mode: a list
 * this look started has a waiter that now has to poll: it is woken.
 */
static bool nepf_edma_ended(struct nepf_edma_dev *ed, struct nepf_edma_ch *c,
			    struct nepf_edma_slot *sl, bool *running)
{
	struct nepf_edma_req *next = NULL;
	unsigned long flags;
	bool ended;

	spin_lock_irqsave(&c->lock, flags);
	if (!ed->nr_irqs)
		next = nepf_edma_q_poll(&ed->core, &c->q);
	if (next && next != &sl->req)
		complete(&container_of(next, struct nepf_edma_slot, req)->done);
	ended = sl->req.ended;
	*running = nepf_edma_q_running(&c->q, &sl->req);
	spin_unlock_irqrestore(&c->lock, flags);
	return ended;
}

/*
 * How often a polling-mode waiter whose list waits its turn looks at the
 * channel itself, whatever the running list's waiter does: progress never
 * depends on one waiter being scheduled.
 */
#define NEPF_EDMA_QUEUED_POLL	1	/* jiffies */

/*
 * Wait for @sl's transfer to end: false if it has not in time, or the
 * link is lost.  Polling mode: the waiter of the running list polls the
 * channel (small transfers spin first) and starts the next list when it
 * ends, waking that list's waiter; a waiter whose list waits its turn
 * sleeps, and looks at the channel every NEPF_EDMA_QUEUED_POLL anyway.
 * So one waiter per channel polls hard, not all of them: every poll
 * takes CPU from whatever runs the engine (vepc's kthread, at a lower
 * priority than our WQ_HIGHPRI workers).  Interrupt mode: the handler
 * moves the queue on, the waiter polls its completion @spin_us, then
 * sleeps.
 */
static bool nepf_edma_wait(struct nepf_edma_dev *ed, struct nepf_edma_ch *c,
			   struct nepf_edma_slot *sl, struct nepf_edma_waiter *w)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(w->ms);
	unsigned int spins = 0;
	bool running;
	long left;
	u64 end;

	if (!ed->nr_irqs) {
		while (!nepf_edma_ended(ed, c, sl, &running)) {
			left = (long)(deadline - jiffies);
			if (left < 0 || nepf_edma_lost(w))
				return false;
			if (!running) {
				w->slept = true;
				wait_for_completion_timeout(&sl->done,
							    NEPF_EDMA_QUEUED_POLL);
			} else if (++spins < 50) {
				/* Small transfers end in microseconds. */
				udelay(1);
			} else {
				w->slept = true;
				usleep_range(10, 50);
			}
		}
		return true;
	}
	if (w->spin_us) {
		end = ktime_get_ns() + (u64)w->spin_us * NSEC_PER_USEC;
		while (!completion_done(&sl->done) && !nepf_edma_lost(w) &&
		       ktime_get_ns() < end)
			cpu_relax();
	}
	if (!completion_done(&sl->done))
		w->slept = true;
	/* Completed by the handler, or by nepf_edma_link_lost(). */
	while (!nepf_edma_ended(ed, c, sl, &running)) {
		left = (long)(deadline - jiffies);
		if (nepf_edma_lost(w) || left <= 0)
			return false;
		wait_for_completion_timeout(&sl->done, left);
	}
	return true;
}

/* dma_wait_spin or dma_wait_sleep; a wait a link loss ended is neither. */
static void nepf_edma_count_wait(struct nepf_dma *d,
				 const struct nepf_edma_waiter *w)
{
	if (nepf_edma_lost(w))
		return;
	if (w->slept)
		nepf_cost_inc(d->costs, DMA_WAIT_SLEEP);
	else
		nepf_cost_inc(d->costs, DMA_WAIT_SPIN);
}

/* A request of the queue has ended (under the channel's lock). */
static void nepf_edma_req_end(struct nepf_edma_req *r)
{
	complete(&container_of(r, struct nepf_edma_slot, req)->done);
}

/* A free slot of @c (there are NEPF_EDMA_SLOTS: the channel's queue). */
static struct nepf_edma_slot *nepf_edma_slot_get(struct nepf_dma *d,
						 struct nepf_edma_ch *c)
{
	struct nepf_edma_slot *sl = NULL;
	unsigned long flags;
	unsigned int k;

	if (down_trylock(&c->free)) {
		nepf_cost_inc(d->costs, DMA_CHAN_BUSY);
		down(&c->free);
	}
	spin_lock_irqsave(&c->lock, flags);
	for (k = 0; k < NEPF_EDMA_SLOTS && !sl; k++) {
		if (!c->slot[k].busy) {
			sl = &c->slot[k];
			sl->busy = true;
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return sl;
}

static void nepf_edma_slot_put(struct nepf_edma_ch *c, struct nepf_edma_slot *sl)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	sl->busy = false;
	spin_unlock_irqrestore(&c->lock, flags);
	up(&c->free);
}

/*
 * @sl's transfer did not end in time, or the link is lost: take it out of
 * the queue if it has not started, else stop the channel and wait for the
 * stop whatever the link does (the next transfer then starts).  A channel
 * that does not stop is never used again: its queue fails.
 */
static void nepf_edma_give_up(struct nepf_edma_dev *ed, struct nepf_edma_ch *c,
			      struct nepf_edma_slot *sl)
{
	struct nepf_edma_waiter stop = { .ms = NEPF_EDMA_STOP_MS };
	unsigned long flags;
	bool queued;

	spin_lock_irqsave(&c->lock, flags);
	queued = nepf_edma_q_cancel(&c->q, &sl->req);
	if (!queued && !sl->req.ended)
		nepf_edma_stop(&ed->core, c->q.dir, c->q.ch);
	spin_unlock_irqrestore(&c->lock, flags);
	if (queued || nepf_edma_wait(ed, c, sl, &stop))
		return;
	spin_lock_irqsave(&c->lock, flags);
	c->dead = true;
	nepf_edma_q_fail(&c->q);
	spin_unlock_irqrestore(&c->lock, flags);
	dev_err(ed->dev, "nvme_epf: eDMA %s channel %u does not stop: not used until the controller resets\n",
		c->q.dir == NEPF_EDMA_WRITE ? "write" : "read", c->q.ch);
}

/*
 * Queue @nr pieces of @sl on channel @c and wait for them; 0 or an error.
 * The channel is not held meanwhile: other transfers queue behind this
 * one, and the next starts as soon as it ends (interrupt mode: from the
 * handler; polling mode: at the next look of any waiter, which the
 * ledger counts as a wait that held the channel).
 */
static int nepf_edma_run(struct nepf_dma *d, struct nepf_edma_ch *c,
			 struct nepf_edma_slot *sl, unsigned int nr,
			 struct nepf_edma_waiter *w)
{
	struct nepf_edma_dev *ed = d->edma;
	unsigned long flags;
	int ret = 0;

	sl->req.ll = &sl->ll;
	sl->req.seg = sl->seg;
	sl->req.nr = nr;
	sl->req.end = nepf_edma_req_end;
	sl->req.ended = false;
	reinit_completion(&sl->done);
	spin_lock_irqsave(&c->lock, flags);
	if (c->dead)
		ret = -EIO;
	else if (nepf_edma_lost(w))	/* no start toward a dead link */
		ret = -ENOLINK;
	else
		nepf_edma_q_submit(&ed->core, &c->q, &sl->req);
	spin_unlock_irqrestore(&c->lock, flags);
	if (ret)
		return ret;
	nepf_dma_count_wait(d, c->q.dir == NEPF_EDMA_WRITE, !ed->nr_irqs);
	if (!nepf_edma_wait(ed, c, sl, w)) {
		nepf_edma_count_wait(d, w);
		nepf_edma_give_up(ed, c, sl);
		return nepf_edma_lost(w) ? -ENOLINK : -ETIMEDOUT;
	}
	nepf_edma_count_wait(d, w);
	if (sl->req.ret)
		return sl->req.ret;
	if (sl->req.res == NEPF_EDMA_DONE)
		return 0;
	dev_warn_ratelimited(ed->dev, "nvme_epf: eDMA %s channel %u aborted: %s\n",
			     c->q.dir == NEPF_EDMA_WRITE ? "write" : "read", c->q.ch,
			     nepf_edma_err_str(sl->req.err));
	return -EIO;
}

/* Poll a list of @nr pieces, @len bytes, for @spin_us: small pieces. */
static unsigned int nepf_edma_spin(size_t len, unsigned int nr,
				   unsigned int spin_us)
{
	return len <= (size_t)NEPF_DMA_SPIN_MAX * nr ? spin_us : 0;
}

/* Unmap the @nr pieces of @sl's list. */
static void nepf_edma_unmap(struct nepf_edma_dev *ed, struct nepf_edma_slot *sl,
			    unsigned int nr, enum dma_data_direction ddir)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_page(ed->dev, sl->seg[i].local, sl->seg[i].len, ddir);
}

/*
 * Transfer between a kernel buffer and the DMA segments of @x
 * (nepf_dma_seg_by_dma(); bit buckets and the others skipped, with their
 * length of the buffer) on write (to host) or read channel @ch of d->edma.
 * All their pieces (a segment, or a page of a vmalloc'ed buffer) go into
 * one linked list with one interrupt at its end, NEPF_EDMA_LL_MAX pieces
 * at a time: one wait per list.  The list queues on the channel behind
 * those of other commands (up to NEPF_EDMA_SLOTS in all).  A list of
 * pieces of up to NEPF_DMA_SPIN_MAX on average is polled @spin_us before
 * its wait may sleep; a wait gives up at once when the link is lost
 * (d->link_lost).
 */
int nepf_edma_copy_segs(struct nepf_dma *d, unsigned int ch,
			const struct nepf_xfer *x, unsigned int spin_us,
			unsigned int ms)
{
	struct nepf_edma_dev *ed = d->edma;
	enum nepf_edma_dir dir = x->to_host ? NEPF_EDMA_WRITE : NEPF_EDMA_READ;
	enum dma_data_direction ddir = x->to_host ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct nepf_edma_ch *c = &ed->ch[dir][ch];
	struct nepf_edma_waiter w = { .lost = &d->link_lost, .ms = ms };
	const struct nepf_seg *s;
	struct nepf_edma_slot *sl;
	unsigned int n = 0, i;
	size_t list = 0, len, chunk;
	dma_addr_t addr;
	u8 *buf = x->buf, *p;
	u64 pci;
	int ret = 0;

	if (nepf_edma_lost(&w))
		return -ENOLINK;
	sl = nepf_edma_slot_get(d, c);
	for (i = 0; i < x->nr && !ret; buf += s->len, i++) {
		s = &x->seg[i];
		if (!nepf_dma_seg_by_dma(x, s))
			continue;
		nepf_dma_count(d, s->len, x->to_host);
		for (p = buf, pci = s->addr, len = s->len; len && !ret;
		     p += chunk, pci += chunk, len -= chunk) {
			if (n == NEPF_EDMA_LL_MAX) {
				w.slept = false;
				w.spin_us = nepf_edma_spin(list, n, spin_us);
				ret = nepf_edma_run(d, c, sl, n, &w);
				nepf_edma_unmap(ed, sl, n, ddir);
				n = 0;
				list = 0;
				if (ret)
					break;
			}
			ret = nepf_dma_map_piece(ed->dev, p, len, ddir, &addr,
						 &chunk);
			if (ret)
				break;
			sl->seg[n].local = addr;
			sl->seg[n].pci = pci;
			sl->seg[n].len = chunk;
			n++;
			list += chunk;
		}
	}
	if (!ret && n) {
		w.slept = false;
		w.spin_us = nepf_edma_spin(list, n, spin_us);
		ret = nepf_edma_run(d, c, sl, n, &w);
	}
	nepf_edma_unmap(ed, sl, n, ddir);
	nepf_edma_slot_put(c, sl);
	return ret;
}

/*
 * The controller is reset (no transfer in flight): a channel given up on
 * because it did not confirm a stop is used again if it has stopped
 * since; one that still runs stays unused (its transfers fail, the
 * controller goes fatal) and is asked to stop again at the next reset.
 */
void nepf_edma_recover(struct nepf_edma_dev *ed)
{
	struct nepf_edma_ch *c;
	unsigned long flags;
	unsigned int dir, i;
	bool dead, back;

	for (dir = 0; dir < 2; dir++) {
		for (i = 0; i < ed->core.nr_ch[dir]; i++) {
			c = &ed->ch[dir][i];
			spin_lock_irqsave(&c->lock, flags);
			dead = c->dead;
			back = dead && nepf_edma_q_revive(&ed->core, &c->q);
			if (back)
				c->dead = false;
			spin_unlock_irqrestore(&c->lock, flags);
			if (!dead)
				continue;
			dev_warn(ed->dev, "nvme_epf: eDMA %s channel %u %s\n",
				 dir == NEPF_EDMA_WRITE ? "write" : "read", i,
				 back ? "has stopped: used again" :
				 "still runs: not used");
		}
	}
}

/*
 * The link is lost: no waiting transfer starts any more (the link may be
 * back, to a host that reuses the addresses, by the time the running one
 * ends), and every waiter looks at the flag now.  Transfers queued after
 * this see d->link_lost (nepf_edma_run() reads it under the same lock).
 */
void nepf_edma_link_lost(struct nepf_edma_dev *ed)
{
	struct nepf_edma_ch *c;
	unsigned long flags;
	unsigned int dir, i, k;

	for (dir = 0; dir < 2; dir++) {
		for (i = 0; i < ed->core.nr_ch[dir]; i++) {
			c = &ed->ch[dir][i];
			spin_lock_irqsave(&c->lock, flags);
			nepf_edma_q_flush(&c->q);
			for (k = 0; k < NEPF_EDMA_SLOTS; k++)
				if (c->slot[k].busy)
					complete(&c->slot[k].done);
			spin_unlock_irqrestore(&c->lock, flags);
		}
	}
}
