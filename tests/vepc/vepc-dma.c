// SPDX-License-Identifier: GPL-2.0
/*
 * dmaengine provider shaped like DesignWare eDMA as endpoint functions see
 * it: one dma_device on the EPC parent with read channels (DMA_DEV_TO_MEM:
 * host PCI address in src_addr) and write channels (DMA_MEM_TO_DEV:
 * dst_addr), each reporting its own direction; all do local memcpy too.
 * Functions find them with chan->device->dev == epc->dev.parent and
 * dma_get_slave_caps(). Transfers run on a workqueue and complete
 * asynchronously with callbacks; host accesses go through the checking
 * IOMMU. drivers/dma/dmaengine.h is not in header packages, so the cookie
 * bookkeeping is done here.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/dmaengine.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vepc.h"
#include "vepc-compat.h"

struct vepc_dma_seg {
	phys_addr_t	local;
	u64		remote;		/* PCI address, or local for memcpy */
	size_t		len;
};

struct vepc_dma_desc {
	struct dma_async_tx_descriptor	tx;
	struct list_head		node;
	enum dma_transfer_direction	dir;
	u32				epoch;	/* vepc.link_epoch at submit */
	unsigned int			nseg;
	struct vepc_dma_seg		seg[] __counted_by(nseg);
};

struct vepc_dma_chan {
	struct dma_chan		chan;
	struct vepc		*v;
	enum dma_transfer_direction dir;
	struct dma_slave_config	cfg;
	spinlock_t		lock;		/* cfg, lists, cookies */
	struct list_head	submitted;
	struct list_head	issued;
	struct list_head	stalled;	/* dma_stall: never completed */
	dma_cookie_t		err_cookie;
	struct work_struct	work;
	atomic64_t		desc;		/* descriptors run, bytes moved */
	atomic64_t		bytes;
};

struct vepc_dma_dev {
	struct dma_device	dd;
	unsigned int		nchan;
	struct vepc_dma_chan	chans[] __counted_by(nchan);
};

static struct vepc_dma_chan *to_vchan(struct dma_chan *c)
{
	return container_of(c, struct vepc_dma_chan, chan);
}

static dma_cookie_t vepc_dma_submit(struct dma_async_tx_descriptor *tx)
{
	struct vepc_dma_chan *vc = to_vchan(tx->chan);
	struct vepc_dma_desc *d = container_of(tx, struct vepc_dma_desc, tx);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&vc->lock, flags);
	cookie = vc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	vc->chan.cookie = cookie;
	tx->cookie = cookie;
	d->epoch = READ_ONCE(vc->v->link_epoch);
	list_add_tail(&d->node, &vc->submitted);
	spin_unlock_irqrestore(&vc->lock, flags);
	return cookie;
}

static struct vepc_dma_desc *vepc_dma_desc_new(struct dma_chan *c,
					       unsigned int nseg,
					       enum dma_transfer_direction dir,
					       unsigned long flags)
{
	struct vepc_dma_desc *d;

	d = kzalloc(struct_size(d, seg, nseg), GFP_NOWAIT);
	if (!d)
		return NULL;
	d->nseg = nseg;
	d->dir = dir;
	dma_async_tx_descriptor_init(&d->tx, c);
	d->tx.tx_submit = vepc_dma_submit;
	d->tx.flags = flags;
	return d;
}

static struct dma_async_tx_descriptor *
vepc_prep_slave_sg(struct dma_chan *c, struct scatterlist *sgl,
		   unsigned int sg_len, enum dma_transfer_direction dir,
		   unsigned long flags, void *context)
{
	struct vepc_dma_chan *vc = to_vchan(c);
	struct vepc_dma_desc *d;
	struct scatterlist *sg;
	u64 remote;
	int i;

	if (dir != vc->dir || !sg_len)
		return NULL;
	remote = dir == DMA_DEV_TO_MEM ? vc->cfg.src_addr : vc->cfg.dst_addr;
	d = vepc_dma_desc_new(c, sg_len, dir, flags);
	if (!d)
		return NULL;
	/* like eDMA: the PCI address advances across the list */
	for_each_sg(sgl, sg, sg_len, i) {
		d->seg[i].local = sg_dma_address(sg);
		d->seg[i].remote = remote;
		d->seg[i].len = sg_dma_len(sg);
		remote += sg_dma_len(sg);
	}
	return &d->tx;
}

static struct dma_async_tx_descriptor *
vepc_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		 size_t len, unsigned long flags)
{
	struct vepc_dma_desc *d = vepc_dma_desc_new(c, 1, DMA_MEM_TO_MEM, flags);

	if (!d)
		return NULL;
	d->seg[0].local = dst;
	d->seg[0].remote = src;
	d->seg[0].len = len;
	return &d->tx;
}

static int vepc_dma_config(struct dma_chan *c, struct dma_slave_config *cfg)
{
	struct vepc_dma_chan *vc = to_vchan(c);
	unsigned long flags;

	spin_lock_irqsave(&vc->lock, flags);
	vc->cfg = *cfg;
	spin_unlock_irqrestore(&vc->lock, flags);
	atomic64_inc(&vc->v->stats.dma_configs);
	return 0;
}

static enum dma_status vepc_tx_status(struct dma_chan *c, dma_cookie_t cookie,
				      struct dma_tx_state *state)
{
	struct vepc_dma_chan *vc = to_vchan(c);
	dma_cookie_t used, done, err;
	enum dma_status st;
	unsigned long flags;

	spin_lock_irqsave(&vc->lock, flags);
	used = c->cookie;
	done = c->completed_cookie;
	err = vc->err_cookie;
	spin_unlock_irqrestore(&vc->lock, flags);
	dma_set_tx_state(state, done, used, 0);
	st = dma_async_is_complete(cookie, done, used);
	if (st == DMA_COMPLETE && cookie == err)
		st = DMA_ERROR;
	return st;
}

static void vepc_issue_pending(struct dma_chan *c)
{
	struct vepc_dma_chan *vc = to_vchan(c);
	unsigned long flags;

	spin_lock_irqsave(&vc->lock, flags);
	list_splice_tail_init(&vc->submitted, &vc->issued);
	spin_unlock_irqrestore(&vc->lock, flags);
	atomic64_inc(&vc->v->stats.dma_issues);
	queue_work(vc->v->dma_wq, &vc->work);
}

static int vepc_dma_seg_run(struct vepc *v, enum dma_transfer_direction dir,
			    struct vepc_dma_seg *s)
{
	void *local = vepc_local_virt(v, s->local, s->len);
	void *src;

	if (!local)
		return -EFAULT;
	switch (dir) {
	case DMA_DEV_TO_MEM:
		return vepc_host_read(v, s->remote, local, s->len, "dma");
	case DMA_MEM_TO_DEV:
		return vepc_host_write(v, s->remote, local, s->len, "dma");
	default:
		src = vepc_local_virt(v, s->remote, s->len);
		if (!src)
			return -EFAULT;
		memcpy(local, src, s->len);
		return 0;
	}
}

/*
 * dma_abort: what dw-edma does when the engine aborts a descriptor (an
 * error response from the host, a stopped channel): the first half of the
 * first segment has moved, nothing after it.  Its cookie completes
 * (tx_status says DMA_COMPLETE) and only callback_result says
 * DMA_TRANS_ABORTED.
 */
static void vepc_dma_abort_run(struct vepc *v, struct vepc_dma_desc *d)
{
	struct vepc_dma_seg half = d->seg[0];

	half.len /= 2;
	if (half.len)
		vepc_dma_seg_run(v, d->dir, &half);
}

/* Descriptor counts and bytes, by direction and by channel. */
static void vepc_dma_count(struct vepc_dma_chan *vc, struct vepc_dma_desc *d)
{
	struct vepc_stats *s = &vc->v->stats;
	int dir = d->dir == DMA_DEV_TO_MEM ? 0 : d->dir == DMA_MEM_TO_DEV ? 1 : 2;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < d->nseg; i++)
		len += d->seg[i].len;
	atomic64_inc(&s->dma_desc[dir]);
	atomic64_add(d->nseg, &s->dma_segs[dir]);
	atomic64_add(len, &s->dma_bytes[dir]);
	atomic64_inc(&vc->desc);
	atomic64_add(len, &vc->bytes);
	if (d->tx.callback || d->tx.callback_result)
		atomic64_inc(&s->dma_irq_cb);
}

static void vepc_dma_run(struct vepc_dma_chan *vc, struct vepc_dma_desc *d)
{
	struct dmaengine_result res = { .result = DMA_TRANS_NOERROR };
	struct dma_async_tx_descriptor *tx = &d->tx;
	struct vepc *v = vc->v;
	bool aborted = false;
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	/*
	 * dma_stall: a transfer toward a dead link never completes (some
	 * eDMA integrations hang rather than abort); only terminate_all
	 * ends it.
	 */
	if (READ_ONCE(v->dma_stall) && d->dir != DMA_MEM_TO_MEM &&
	    vepc_link_cut_off(v, "dma (stalled)")) {
		spin_lock_irqsave(&vc->lock, flags);
		list_add_tail(&d->node, &vc->stalled);
		spin_unlock_irqrestore(&vc->lock, flags);
		return;
	}
	if (atomic_add_unless(&v->dma_fail, -1, 0)) {
		ret = -EIO;	/* injected by the dma_fail knob */
	} else if (d->dir != DMA_MEM_TO_MEM &&
		   vepc_link_epoch_gone(v, d->epoch, "dma")) {
		ret = -EIO;
	} else if (d->dir != DMA_MEM_TO_MEM &&
		   atomic_add_unless(&v->dma_abort, -1, 0)) {
		vepc_dma_abort_run(v, d);
		aborted = true;
	}
	for (i = 0; i < d->nseg && !ret && !aborted; i++)
		ret = vepc_dma_seg_run(v, d->dir, &d->seg[i]);
	for (; i < d->nseg; i++)
		res.residue += d->seg[i].len;

	atomic_inc(&v->stats.dma_xfers);
	vepc_dma_count(vc, d);
	if (ret) {
		atomic_inc(&v->stats.dma_errors);
		res.result = d->dir == DMA_MEM_TO_DEV ? DMA_TRANS_WRITE_FAILED :
			     DMA_TRANS_READ_FAILED;
	}
	if (aborted) {
		atomic_inc(&v->stats.dma_aborts);
		res.result = DMA_TRANS_ABORTED;
	}
	/* An abort completes the cookie (tx_status: DMA_COMPLETE). */
	spin_lock_irqsave(&vc->lock, flags);
	vc->chan.completed_cookie = tx->cookie;
	if (ret)
		vc->err_cookie = tx->cookie;
	spin_unlock_irqrestore(&vc->lock, flags);

	if (tx->callback_result)
		tx->callback_result(tx->callback_param, &res);
	else if (tx->callback)
		tx->callback(tx->callback_param);
	kfree(d);
}

static void vepc_dma_work(struct work_struct *work)
{
	struct vepc_dma_chan *vc = container_of(work, struct vepc_dma_chan, work);
	struct vepc_dma_desc *d;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&vc->lock, flags);
		d = list_first_entry_or_null(&vc->issued, struct vepc_dma_desc,
					     node);
		if (d)
			list_del(&d->node);
		spin_unlock_irqrestore(&vc->lock, flags);
		if (!d)
			return;
		vepc_dma_run(vc, d);
	}
}

static int vepc_terminate_all(struct dma_chan *c)
{
	struct vepc_dma_chan *vc = to_vchan(c);
	struct vepc_dma_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(drop);

	atomic64_inc(&vc->v->stats.dma_terminates);
	spin_lock_irqsave(&vc->lock, flags);
	list_splice_tail_init(&vc->submitted, &drop);
	list_splice_tail_init(&vc->issued, &drop);
	list_splice_tail_init(&vc->stalled, &drop);
	spin_unlock_irqrestore(&vc->lock, flags);
	list_for_each_entry_safe(d, n, &drop, node)
		kfree(d);
	return 0;
}

static void vepc_synchronize(struct dma_chan *c)
{
	flush_work(&to_vchan(c)->work);
}

static int vepc_alloc_chan(struct dma_chan *c)
{
	c->cookie = DMA_MIN_COOKIE;
	c->completed_cookie = DMA_MIN_COOKIE;
	to_vchan(c)->err_cookie = 0;
	return 0;
}

static void vepc_free_chan(struct dma_chan *c)
{
	vepc_terminate_all(c);
	vepc_synchronize(c);
}

/* Like eDMA: one device, each channel moves data in one direction only. */
static void vepc_dma_caps(struct dma_chan *c, struct dma_slave_caps *caps)
{
	caps->directions = BIT(to_vchan(c)->dir);
}

int vepc_dma_init(struct vepc *v, unsigned int nchan)
{
	u32 widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) |
		     BIT(DMA_SLAVE_BUSWIDTH_4_BYTES) | BIT(DMA_SLAVE_BUSWIDTH_8_BYTES);
	struct vepc_dma_dev *vd;
	struct dma_device *dd;
	unsigned int i;
	int ret;

	if (!nchan)
		return 0;
	vd = kzalloc(struct_size(vd, chans, 2 * nchan), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	vd->nchan = 2 * nchan;
	v->dma_wq = alloc_workqueue("vepc-dma", WQ_UNBOUND, 0);
	if (!v->dma_wq) {
		kfree(vd);
		return -ENOMEM;
	}
	dd = &vd->dd;
	dd->dev = v->dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	dd->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dd->src_addr_widths = widths;
	dd->dst_addr_widths = widths;
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	dd->device_caps = vepc_dma_caps;
	dd->device_alloc_chan_resources = vepc_alloc_chan;
	dd->device_free_chan_resources = vepc_free_chan;
	dd->device_prep_slave_sg = vepc_prep_slave_sg;
	dd->device_prep_dma_memcpy = vepc_prep_memcpy;
	dd->device_config = vepc_dma_config;
	dd->device_tx_status = vepc_tx_status;
	dd->device_issue_pending = vepc_issue_pending;
	dd->device_terminate_all = vepc_terminate_all;
	dd->device_synchronize = vepc_synchronize;
	for (i = 0; i < vd->nchan; i++) {
		struct vepc_dma_chan *vc = &vd->chans[i];

		vc->v = v;
		/* read channels first, then write channels */
		vc->dir = i < nchan ? DMA_DEV_TO_MEM : DMA_MEM_TO_DEV;
		spin_lock_init(&vc->lock);
		INIT_LIST_HEAD(&vc->submitted);
		INIT_LIST_HEAD(&vc->issued);
		INIT_LIST_HEAD(&vc->stalled);
		INIT_WORK(&vc->work, vepc_dma_work);
		vc->chan.device = dd;
		list_add_tail(&vc->chan.device_node, &dd->channels);
	}
	ret = dma_async_device_register(dd);
	if (ret) {
		destroy_workqueue(v->dma_wq);
		v->dma_wq = NULL;
		kfree(vd);
		return ret;
	}
	v->dma = vd;
	return 0;
}

/* "dma_ch<i>_<read|write>_desc N" and "..._bytes N" per channel */
void vepc_dma_stats_show(struct seq_file *m, struct vepc *v)
{
	unsigned int i;

	if (!v->dma)
		return;
	for (i = 0; i < v->dma->nchan; i++) {
		struct vepc_dma_chan *vc = &v->dma->chans[i];
		const char *dir = vc->dir == DMA_DEV_TO_MEM ? "read" : "write";

		seq_printf(m, "dma_ch%u_%s_desc %lld\n", i, dir,
			   atomic64_read(&vc->desc));
		seq_printf(m, "dma_ch%u_%s_bytes %lld\n", i, dir,
			   atomic64_read(&vc->bytes));
	}
}

void vepc_dma_exit(struct vepc *v)
{
	if (!v->dma)
		return;
	dma_async_device_unregister(&v->dma->dd);
	destroy_workqueue(v->dma_wq);
	kfree(v->dma);
	v->dma = NULL;
}
