// SPDX-License-Identifier: GPL-2.0
/*
 * The endpoint controller side: pci_epc_ops for one function (func 0, no
 * VFs), BAR0 only, a 4 KiB outbound alignment like a DesignWare iATU.
 *
 * start/stop only record the wanted link state and kick an ordered work
 * item: the core calls them with epc->lock held, and bringing the host
 * device up or down runs the function's link callbacks and the host
 * driver, which both call back into pci_epc_*() and would deadlock here.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/log2.h>

#include "vepc.h"
#include "vepc-compat.h"

#define VEPC_OB_ALIGN	SZ_4K

static struct vepc *epc_to_vepc(struct pci_epc *epc)
{
	return epc_get_drvdata(epc);
}

static int vepc_write_header(struct pci_epc *epc, VEPC_FN_PARAMS,
			     struct pci_epf_header *hdr)
{
	vepc_count_op(epc_to_vepc(epc), VEPC_OP_SETUP);
	vepc_cfg_write_header(epc_to_vepc(epc), hdr);
	return 0;
}

static int vepc_set_bar(struct pci_epc *epc, VEPC_FN_PARAMS,
			struct pci_epf_bar *bar)
{
	struct vepc *v = epc_to_vepc(epc);

	vepc_count_op(v, VEPC_OP_SETUP);
	if (bar->barno != BAR_0)
		return -EINVAL;
	if (!is_power_of_2(bar->size) || bar->size < SZ_128 ||
	    !IS_ALIGNED(bar->phys_addr, bar->size) ||
	    !vepc_local_virt(v, bar->phys_addr, bar->size) ||
	    bar->phys_addr < v->hid_base)
		return -EINVAL;	/* not from our pool: the host cannot see it */
	if (v->linked && bar->phys_addr != v->bar_phys)
		return -EBUSY;
	v->bar_phys = bar->phys_addr;
	v->bar_virt = bar->addr;
	v->bar_size = bar->size;
	v->bar_flags = bar->flags;
	vepc_cfg_set_bar(v, true);
	return 0;
}

static void vepc_clear_bar(struct pci_epc *epc, VEPC_FN_PARAMS,
			   struct pci_epf_bar *bar)
{
	struct vepc *v = epc_to_vepc(epc);

	vepc_count_op(v, VEPC_OP_SETUP);
	if (bar->barno != BAR_0)
		return;
	vepc_cfg_set_bar(v, false);
	v->bar_virt = NULL;
	v->bar_size = 0;
	/*
	 * The function is going away (its MSI-X table was in this BAR): the
	 * next one starts without MSI/MSI-X until it sets them up, or a
	 * function that offers MSI only would show the last one's MSI-X.
	 */
	v->msi_count = 0;
	v->msix_count = 0;
	vepc_cfg_build_caps(v);
}

#ifdef VEPC_HAVE_ALIGN_ADDR
static u64 vepc_align_addr(struct pci_epc *epc, u64 pci_addr, size_t *size,
			   size_t *offset)
{
	u64 base = ALIGN_DOWN(pci_addr, VEPC_OB_ALIGN);

	vepc_count_op(epc_to_vepc(epc), VEPC_OP_ALIGN_ADDR);
	*offset = pci_addr - base;
	*size = ALIGN(*offset + *size, VEPC_OB_ALIGN);
	return base;
}
#endif

static int vepc_map_addr(struct pci_epc *epc, VEPC_FN_PARAMS,
			 phys_addr_t addr, u64 pci_addr, size_t size)
{
	vepc_count_op(epc_to_vepc(epc), VEPC_OP_MAP);
	return vepc_win_map(epc_to_vepc(epc), addr, pci_addr, size);
}

static void vepc_unmap_addr(struct pci_epc *epc, VEPC_FN_PARAMS,
			    phys_addr_t addr)
{
	vepc_count_op(epc_to_vepc(epc), VEPC_OP_UNMAP);
	vepc_win_unmap(epc_to_vepc(epc), addr);
}

static int vepc_set_msi(struct pci_epc *epc, VEPC_FN_PARAMS, u8 op)
{
	struct vepc *v = epc_to_vepc(epc);
	unsigned int n = vepc_msi_from_op(op);

	vepc_count_op(v, VEPC_OP_SETUP);
	if (!n || n > 32)
		return -EINVAL;
	/* 7.x passes any count; the capability can only offer powers of two */
	v->msi_count = roundup_pow_of_two(n);
	vepc_cfg_build_caps(v);
	return 0;
}

static int vepc_get_msi(struct pci_epc *epc, VEPC_FN_PARAMS)
{
	struct vepc *v = epc_to_vepc(epc);
	u64 addr;
	u16 data;
	unsigned int n;

	vepc_count_op(v, VEPC_OP_GET_MSI);
	if (!vepc_cfg_msi(v, &addr, &data, &n))
		return -EINVAL;
	return vepc_msi_to_op(n);
}

static int vepc_set_msix(struct pci_epc *epc, VEPC_FN_PARAMS, u16 nr_irqs,
			 enum pci_barno bir, u32 offset)
{
	struct vepc *v = epc_to_vepc(epc);

	vepc_count_op(v, VEPC_OP_SETUP);
	nr_irqs = vepc_msix_from_op(nr_irqs);
	if (!nr_irqs || nr_irqs > 2048 || bir != BAR_0 ||
	    !IS_ALIGNED(offset, 8))
		return -EINVAL;
	v->msix_count = nr_irqs;
	v->msix_bir = bir;
	v->msix_offset = offset;
	vepc_cfg_build_caps(v);
	return 0;
}

static int vepc_get_msix(struct pci_epc *epc, VEPC_FN_PARAMS)
{
	unsigned int n;
	bool masked;

	vepc_count_op(epc_to_vepc(epc), VEPC_OP_GET_MSIX);
	if (!vepc_cfg_msix(epc_to_vepc(epc), &n, &masked))
		return -EINVAL;
	return vepc_msix_to_op(n);
}

static int vepc_epc_raise_irq(struct pci_epc *epc, VEPC_FN_PARAMS,
			      unsigned int type, u16 num)
{
	return vepc_raise_irq(epc_to_vepc(epc), vepc_irq_from_op(type), num);
}

static void vepc_link_work(struct work_struct *work)
{
	struct vepc *v = container_of(work, struct vepc, link_work);
	bool want;

	mutex_lock(&v->host_lock);
	want = v->want_link;
	if (want && !v->linked) {
		WRITE_ONCE(v->cut, false);
		mutex_unlock(&v->host_lock);
		/* the function learns about the link before the host probes */
		pci_epc_linkup(v->epc);
		mutex_lock(&v->host_lock);
		/* set first: the host driver may probe and use it right away */
		v->linked = true;
		if (vepc_host_add(v))
			v->linked = false;
	} else if (!want && v->linked) {
		vepc_host_remove(v);
		v->linked = false;
	}
	mutex_unlock(&v->host_lock);
}

/*
 * Wanted link state; with @notify the function also gets a link-down event
 * (a surprise link loss, the "link" fault knob), which stop() never sends:
 * a controller stopped by its own function does not report link down.
 *
 * A surprise loss goes as on hardware: the link is cut first (nothing the
 * function sends reaches the host any more), the EPC's link-down interrupt
 * reaches the function, and the host's hotplug removal comes last.  With
 * link_cut=0 the host is removed first while the function's path to host
 * memory stays open, then the function hears of it.
 */
void vepc_link_set(struct vepc *v, bool up, bool notify)
{
	bool cut;

	mutex_lock(&v->host_lock);
	cut = !up && notify && v->linked;
	v->want_link = up;
	if (cut && vepc_link_cut)
		vepc_link_cut_now(v);
	mutex_unlock(&v->host_lock);
	if (cut && vepc_link_cut)
		vepc_epc_linkdown(v->epc);
	queue_work(v->link_wq, &v->link_work);
	if (!up)
		flush_work(&v->link_work);
	if (cut && !vepc_link_cut)
		vepc_epc_linkdown(v->epc);
}

static int vepc_start(struct pci_epc *epc)
{
	struct vepc *v = epc_to_vepc(epc);

	if (!v->hdr_set || !v->bar_size)
		return -EINVAL;
	mutex_lock(&v->host_lock);
	v->want_link = true;
	WRITE_ONCE(v->stopped, false);
	mutex_unlock(&v->host_lock);
	queue_work(v->link_wq, &v->link_work);
	return 0;
}

static void vepc_stop(struct pci_epc *epc)
{
	struct vepc *v = epc_to_vepc(epc);

	mutex_lock(&v->host_lock);
	v->want_link = false;
	/* the LTSSM is off: from now on nothing reaches the host */
	WRITE_ONCE(v->stopped, true);
	vepc_link_cut_now(v);
	mutex_unlock(&v->host_lock);
	queue_work(v->link_wq, &v->link_work);
}

static const struct pci_epc_features vepc_features = {
	.linkup_notifier = true,
	.msi_capable = true,
	.msix_capable = true,
#ifdef VEPC_HAVE_INTX_CAPABLE
	.intx_capable = true,
#endif
	VEPC_FEATURES_BARS,
	/* BARs must be size-aligned in the pool; 4 KiB is the minimum */
	.align = SZ_4K,
};

static const struct pci_epc_features *
vepc_get_features(struct pci_epc *epc, VEPC_FN_PARAMS)
{
	vepc_count_op(epc_to_vepc(epc), VEPC_OP_GET_FEATURES);
	return &vepc_features;
}

static const struct pci_epc_ops vepc_epc_ops = {
	.write_header = vepc_write_header,
	.set_bar = vepc_set_bar,
	.clear_bar = vepc_clear_bar,
#ifdef VEPC_HAVE_ALIGN_ADDR
	.align_addr = vepc_align_addr,
#endif
	.map_addr = vepc_map_addr,
	.unmap_addr = vepc_unmap_addr,
	.set_msi = vepc_set_msi,
	.get_msi = vepc_get_msi,
	.set_msix = vepc_set_msix,
	.get_msix = vepc_get_msix,
	.raise_irq = vepc_epc_raise_irq,
	.start = vepc_start,
	.stop = vepc_stop,
	.get_features = vepc_get_features,
	.owner = THIS_MODULE,
};

static void vepc_epc_dev_release(struct device *dev)
{
}

int vepc_epc_init(struct vepc *v)
{
	int ret;

	v->link_wq = alloc_ordered_workqueue("vepc-link", 0);
	if (!v->link_wq)
		return -ENOMEM;
	INIT_WORK(&v->link_work, vepc_link_work);
	vepc_cfg_reset(v);

	v->epc = devm_pci_epc_create(v->dev, &vepc_epc_ops);
	if (IS_ERR(v->epc)) {
		ret = PTR_ERR(v->epc);
		goto err;
	}
	/*
	 * 6.1's EPC core gives the EPC device no release() (pci_epc_destroy()
	 * kfree()s it right after device_unregister()), so the driver core
	 * warns at every unload; later cores have their own release.  A no-op
	 * keeps what 6.1 does, without the warning.
	 */
	if (!v->epc->dev.release)
		v->epc->dev.release = vepc_epc_dev_release;
	epc_set_drvdata(v->epc, v);
	v->epc->max_functions = 1;
	ret = pci_epc_mem_init(v->epc, v->win_base, v->win_size, PAGE_SIZE);
	if (ret)
		goto err;
	/*
	 * The controller is ready at once (no PERST#/core clock to wait for):
	 * say so, or functions that wait for epc_init (init_complete) never
	 * program their BARs.
	 */
	pci_epc_init_notify(v->epc);
	return 0;
err:
	destroy_workqueue(v->link_wq);
	return ret;
}
