// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test endpoint function "vepc_selftest" (protocol in vepc-selftest.h).
 * It uses the endpoint API the way a real function does: BAR from
 * pci_epf_alloc_space(), MSI/MSI-X setup, outbound windows through
 * pci_epc_mem_alloc_addr() + pci_epc_map_addr(), and dmaengine channels
 * found on the EPC's parent device. With selftest=1 vepc creates, binds
 * and starts it itself (Debian has no PCI_ENDPOINT_CONFIGFS).
 */
#define pr_fmt(fmt) "vepc-selftest: " fmt

#include <linux/crc32.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/slab.h>

#include "vepc.h"
#include "vepc-compat.h"
#include "vepc-selftest.h"

struct vst_ep {
	struct pci_epf		*epf;
	void			*bar;
	struct delayed_work	poll;
	u32			last_seq;
	struct dma_chan		*rx;	/* DMA_DEV_TO_MEM: host -> endpoint */
	struct dma_chan		*tx;	/* DMA_MEM_TO_DEV */
};

static struct pci_epf *vst_epf;

static struct pci_epf_header vst_header = {
	.vendorid = VST_VENDOR,
	.deviceid = VST_DEVICE,
	.baseclass_code = PCI_BASE_CLASS_MEMORY,
	.interrupt_pin = PCI_INTERRUPT_INTA,
};

static u32 vst_rd(struct vst_ep *st, int off)
{
	return READ_ONCE(*(u32 *)(st->bar + off));
}

static void vst_wr(struct vst_ep *st, int off, u32 val)
{
	WRITE_ONCE(*(u32 *)(st->bar + off), val);
}

static u64 vst_rd64(struct vst_ep *st, int off)
{
	return vst_rd(st, off) | (u64)vst_rd(st, off + 4) << 32;
}

struct vst_filter {
	struct device *dev;
	u32 dir;
};

static bool vst_dma_filter(struct dma_chan *chan, void *arg)
{
	struct vst_filter *f = arg;
	struct dma_slave_caps caps = { };

	return chan->device->dev == f->dev &&
	       !dma_get_slave_caps(chan, &caps) && (caps.directions & f->dir);
}

static struct dma_chan *vst_dma_chan(struct pci_epf *epf,
				     enum dma_transfer_direction dir)
{
	struct vst_filter f = { epf->epc->dev.parent, BIT(dir) };
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_SLAVE, mask);
	return dma_request_channel(mask, vst_dma_filter, &f);
}

static void vst_dma_done(void *arg)
{
	complete(arg);
}

/* One slave transfer between @buf and host address @host. */
static int vst_dma(struct vst_ep *st, void *buf, u64 host, size_t len,
		   bool to_host)
{
	struct device *dev = st->epf->epc->dev.parent;
	enum dma_data_direction ddir = to_host ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct dma_chan *chan = to_host ? st->tx : st->rx;
	struct dma_slave_config cfg = { };
	struct dma_async_tx_descriptor *desc;
	DECLARE_COMPLETION_ONSTACK(done);
	dma_addr_t local;
	dma_cookie_t cookie;
	int ret = -EIO;

	if (!chan)
		return -ENODEV;
	local = dma_map_single(dev, buf, len, ddir);
	if (dma_mapping_error(dev, local))
		return -ENOMEM;
	if (to_host)
		cfg.dst_addr = host;
	else
		cfg.src_addr = host;
	if (dmaengine_slave_config(chan, &cfg))
		goto out;
	desc = dmaengine_prep_slave_single(chan, local, len,
					   to_host ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM,
					   DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!desc)
		goto out;
	desc->callback = vst_dma_done;
	desc->callback_param = &done;
	cookie = dmaengine_submit(desc);
	dma_async_issue_pending(chan);
	if (!wait_for_completion_timeout(&done, 5 * HZ)) {
		dmaengine_terminate_sync(chan);
		ret = -ETIMEDOUT;
		goto out;
	}
	ret = dma_async_is_tx_complete(chan, cookie, NULL, NULL) == DMA_COMPLETE ?
	      0 : -EIO;
out:
	dma_unmap_single(dev, local, len, ddir);
	return ret;
}

/* The same through an outbound window. */
static int vst_window(struct vst_ep *st, void *buf, u64 host, size_t len,
		      bool to_host)
{
	struct pci_epc *epc = st->epf->epc;
	phys_addr_t phys;
	void __iomem *win;
	int ret;

	win = pci_epc_mem_alloc_addr(epc, &phys, len);
	if (!win)
		return -ENOMEM;
	ret = vepc_epf_call(pci_epc_map_addr, st->epf, phys, host, len);
	if (!ret) {
		if (to_host)
			memcpy_toio(win, buf, len);
		else
			memcpy_fromio(buf, win, len);
		vepc_epf_call(pci_epc_unmap_addr, st->epf, phys);
	}
	pci_epc_mem_free_addr(epc, phys, win, len);
	return ret;
}

static int vst_xfer(struct vst_ep *st, void *buf, u64 host, size_t len,
		    bool to_host)
{
	if (vst_rd(st, VST_FLAGS) & VST_FLAG_DMA)
		return vst_dma(st, buf, host, len, to_host);
	return vst_window(st, buf, host, len, to_host);
}

static int vst_do(struct vst_ep *st, u32 cmd, u32 *crc)
{
	size_t len = vst_rd(st, VST_SIZE), i;
	u32 seed = vst_rd(st, VST_SEED);
	void *buf;
	int ret = 0;

	if (cmd == VST_CMD_IRQ)
		return 0;
	if (cmd == VST_CMD_BAR) {
		*crc = crc32_le(~0, st->bar + VST_SCRATCH, VST_SCRATCH_LEN);
		return 0;
	}
	if (!len || len > SZ_4M)
		return -EINVAL;
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	switch (cmd) {
	case VST_CMD_READ:
	case VST_CMD_COPY:
		ret = vst_xfer(st, buf, vst_rd64(st, VST_SRC), len, false);
		if (!ret && cmd == VST_CMD_COPY)
			ret = vst_xfer(st, buf, vst_rd64(st, VST_DST), len, true);
		break;
	case VST_CMD_WRITE:
		for (i = 0; i < len; i++)
			((u8 *)buf)[i] = vst_pattern(seed, i);
		ret = vst_xfer(st, buf, vst_rd64(st, VST_DST), len, true);
		break;
	default:
		ret = -EINVAL;
	}
	*crc = crc32_le(~0, buf, len);
	kvfree(buf);
	return ret;
}

static void vst_poll(struct work_struct *work)
{
	struct vst_ep *st = container_of(to_delayed_work(work), struct vst_ep,
					 poll);
	struct pci_epf *epf = st->epf;
	u32 seq = vst_rd(st, VST_SEQ), crc = 0;
	int ret;

	if (seq != st->last_seq) {
		st->last_seq = seq;
		ret = vst_do(st, vst_rd(st, VST_CMD), &crc);
		vst_wr(st, VST_CRC, crc);
		vst_wr(st, VST_STATUS, ret ? VST_ST_ERROR : VST_ST_OK);
		vst_wr(st, VST_DONE_SEQ, seq);
		if (ret)
			pr_info("command %u failed: %d\n", vst_rd(st, VST_CMD), ret);
		ret = vepc_epf_call(pci_epc_raise_irq, epf,
				    vepc_irq_to_op(vst_rd(st, VST_IRQ_TYPE)),
				    vst_rd(st, VST_IRQ_NUM));
		if (ret)
			pr_info("raise_irq type %u num %u: %d\n",
				vst_rd(st, VST_IRQ_TYPE), vst_rd(st, VST_IRQ_NUM), ret);
	}
	schedule_delayed_work(&st->poll, 1);
}

static int vst_bind(struct pci_epf *epf)
{
	struct vst_ep *st = epf_get_drvdata(epf);
	const struct pci_epc_features *feat;
	int ret;

	feat = vepc_epf_call(pci_epc_get_features, epf);
	if (!feat)
		return -EOPNOTSUPP;
	st->bar = vepc_epf_alloc_space(epf, VST_BAR_SIZE, BAR_0, feat);
	if (!st->bar)
		return -ENOMEM;
	ret = vepc_epf_call(pci_epc_write_header, epf, &vst_header);
	if (!ret)
		ret = vepc_epf_call(pci_epc_set_bar, epf, &epf->bar[BAR_0]);
	if (!ret && feat->msi_capable)
		ret = vepc_epf_call(pci_epc_set_msi, epf, VST_MSI);
	if (!ret && feat->msix_capable)
		ret = vepc_epf_call(pci_epc_set_msix, epf, VST_MSIX, BAR_0,
				    VST_MSIX_OFF);
	if (ret) {
		vepc_epf_free_space(epf, st->bar, BAR_0);
		return ret;
	}
	/* no channels (dma_channels=0) only fails the DMA cases */
	st->rx = vst_dma_chan(epf, DMA_DEV_TO_MEM);
	st->tx = vst_dma_chan(epf, DMA_MEM_TO_DEV);
	vst_wr(st, VST_MAGIC, VST_MAGIC_VAL);
	schedule_delayed_work(&st->poll, 1);
	return 0;
}

static void vst_unbind(struct pci_epf *epf)
{
	struct vst_ep *st = epf_get_drvdata(epf);

	cancel_delayed_work_sync(&st->poll);
	if (st->rx)
		dma_release_channel(st->rx);
	if (st->tx)
		dma_release_channel(st->tx);
	vepc_epf_call(pci_epc_clear_bar, epf, &epf->bar[BAR_0]);
	vepc_epf_free_space(epf, st->bar, BAR_0);
}

static VEPC_EPF_OPS_QUAL struct pci_epf_ops vst_ops = {
	.bind = vst_bind,
	.unbind = vst_unbind,
};

static VEPC_EPF_PROBE_DECL(vst_probe)
{
	struct vst_ep *st = devm_kzalloc(&epf->dev, sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	st->epf = epf;
	INIT_DELAYED_WORK(&st->poll, vst_poll);
	epf->header = &vst_header;
	epf_set_drvdata(epf, st);
	return 0;
}

static const struct pci_epf_device_id vst_ids[] = {
	{ .name = "vepc_selftest" },
	{ }
};

static struct pci_epf_driver vst_driver = {
	.driver.name = "vepc_selftest",
	.probe = vst_probe,
	.id_table = vst_ids,
	.ops = &vst_ops,
	.owner = THIS_MODULE,
};

int vepc_selftest_ep_register(void)
{
	return pci_epf_register_driver(&vst_driver);
}

void vepc_selftest_ep_unregister(void)
{
	pci_epf_unregister_driver(&vst_driver);
}

bool vepc_selftest_ep_running(void)
{
	return vst_epf;
}

int vepc_selftest_ep_start(struct vepc *v)
{
	struct pci_epf *epf;
	int ret;

	if (vst_epf)
		return 0;
	epf = pci_epf_create("vepc_selftest");
	if (IS_ERR(epf))
		return PTR_ERR(epf);
	ret = vepc_epc_add_epf(v->epc, epf);
	if (ret)
		goto err_destroy;
	ret = pci_epf_bind(epf);
	if (ret)
		goto err_remove;
	ret = pci_epc_start(v->epc);
	if (ret)
		goto err_unbind;
	vst_epf = epf;
	return 0;

err_unbind:
	pci_epf_unbind(epf);
err_remove:
	vepc_epc_remove_epf(v->epc, epf);
err_destroy:
	pci_epf_destroy(epf);
	return ret;
}

void vepc_selftest_ep_stop(struct vepc *v)
{
	if (!vst_epf)
		return;
	pci_epc_stop(v->epc);
	flush_workqueue(v->link_wq);
	pci_epf_unbind(vst_epf);
	vepc_epc_remove_epf(v->epc, vst_epf);
	pci_epf_destroy(vst_epf);
	vst_epf = NULL;
}
