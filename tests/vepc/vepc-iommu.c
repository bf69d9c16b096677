// SPDX-License-Identifier: GPL-2.0
/*
 * A checking IOMMU for the host side. A bus notifier gives the virtual
 * pci_dev our dma_map_ops (1:1 addresses, like no IOMMU) that count live
 * mappings per host page; every endpoint access to host memory (DMA
 * channel or outbound window) must fall entirely in mapped pages, or it is
 * refused, logged and counted. This turns a function touching a buffer
 * the host already unmapped or never mapped into an immediate, clear error
 * instead of silent corruption.
 *
 * Host unmaps run in hardirq context (nvme completion), so the tracker is
 * an xarray under its irq-safe lock.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "vepc.h"
#include "vepc-compat.h"

static struct vepc *vepc_iommu_owner;	/* one instance; dma ops need it */

static void vepc_track(struct vepc *v, u64 addr, size_t len, int delta)
{
	unsigned long pfn, last = PHYS_PFN(addr + len - 1);
	unsigned long flags;
	void *ent;
	long n;

	if (!len)
		return;
	xa_lock_irqsave(&v->host_maps, flags);
	for (pfn = PHYS_PFN(addr); pfn <= last; pfn++) {
		ent = xa_load(&v->host_maps, pfn);
		n = (ent ? xa_to_value(ent) : 0) + delta;
		if (n < 0) {
			pr_err_ratelimited("host unmapped 0x%llx twice\n",
					   (u64)PFN_PHYS(pfn));
			n = 0;
		}
		if (n)
			__xa_store(&v->host_maps, pfn, xa_mk_value(n), GFP_ATOMIC);
		else
			__xa_erase(&v->host_maps, pfn);
		if (!ent && n)
			atomic_inc(&v->stats.host_pages);
		else if (ent && !n)
			atomic_dec(&v->stats.host_pages);
	}
	xa_unlock_irqrestore(&v->host_maps, flags);
}

bool vepc_host_mapped(struct vepc *v, u64 addr, size_t len)
{
	unsigned long pfn, last = PHYS_PFN(addr + len - 1);

	if (!len || addr + len < addr)
		return false;
	if (!vepc_iommu)
		return pfn_valid(PHYS_PFN(addr)) && pfn_valid(last);
	for (pfn = PHYS_PFN(addr); pfn <= last; pfn++)
		if (!xa_load(&v->host_maps, pfn))
			return false;
	return true;
}

/*
 * The link is down (surprise loss or the function's stop()): nothing the
 * function sends reaches the host.  Dropping is what a link does; after
 * the function stopped the link itself it is a function bug (some SoCs
 * take an external abort), counted and logged apart.
 */
bool vepc_link_cut_off(struct vepc *v, const char *what)
{
	if (!READ_ONCE(v->cut))
		return false;
	if (READ_ONCE(v->stopped)) {
		atomic_inc(&v->stats.after_stop);
		pr_err_ratelimited("EPF %s after the function stopped the link (dropped)\n",
				   what);
	} else {
		atomic_inc(&v->stats.link_drops);
	}
	return true;
}

/* Under host_lock: from now on nothing the function sends gets through. */
void vepc_link_cut_now(struct vepc *v)
{
	WRITE_ONCE(v->link_epoch, v->link_epoch + 1);
	WRITE_ONCE(v->cut, true);
}

/*
 * A transfer issued (or a window mapped) before the last link loss, due
 * now that the link is back: the loss aborted it on a real link, so it
 * is dropped.  Counted apart (stale_epoch) and logged: it means the
 * function still had it going when the link came back.
 */
bool vepc_link_epoch_gone(struct vepc *v, u32 epoch, const char *what)
{
	if (epoch == READ_ONCE(v->link_epoch) || READ_ONCE(v->cut))
		return false;
	atomic_inc(&v->stats.stale_epoch);
	pr_err_ratelimited("EPF %s issued before a link loss, due after it (%s)\n",
			   what, vepc_epoch_drop ? "dropped" : "let through");
	return READ_ONCE(vepc_epoch_drop);
}

static void *vepc_host_virt(struct vepc *v, u64 addr, size_t len,
			    const char *what, bool write)
{
	bool removing = READ_ONCE(v->removing);

	if (vepc_link_cut_off(v, what))
		return NULL;
	if (vepc_host_mapped(v, addr, len) && pfn_valid(PHYS_PFN(addr)))
		return phys_to_virt(addr);
	atomic_inc(&v->stats.refusals);
	if (removing)
		atomic_inc(&v->stats.refusals_removing);
	pr_err_ratelimited("EPF %s %s of host addr 0x%llx len %zu: not DMA-mapped by host driver (refused)%s\n",
			   what, write ? "write" : "read", addr, len,
			   removing ? " during the host's removal" : "");
	return NULL;
}

/* @what is "dma" or "window" (the log line names the path). */
int vepc_host_read(struct vepc *v, u64 addr, void *buf, size_t len,
		   const char *what)
{
	void *src = vepc_host_virt(v, addr, len, what, false);

	if (!src)
		return -EFAULT;
	memcpy(buf, src, len);
	return 0;
}

int vepc_host_write(struct vepc *v, u64 addr, const void *buf, size_t len,
		    const char *what)
{
	void *dst = vepc_host_virt(v, addr, len, what, true);

	if (!dst)
		return -EFAULT;
	memcpy(dst, buf, len);
	return 0;
}

/* The host driver's data segments (what it built per command). */
static void vepc_count_host_map(size_t len)
{
	atomic64_inc(&vepc_iommu_owner->stats.host_map_segs);
	atomic64_add(len, &vepc_iommu_owner->stats.host_map_bytes);
}

static void *vepc_hdma_alloc(struct device *dev, size_t size, dma_addr_t *dma,
			     gfp_t gfp, unsigned long attrs)
{
	void *p = alloc_pages_exact(size, (gfp & ~__GFP_HIGHMEM) | __GFP_ZERO);

	if (!p)
		return NULL;
	*dma = virt_to_phys(p);
	vepc_track(vepc_iommu_owner, *dma, size, 1);
	return p;
}

static void vepc_hdma_free(struct device *dev, size_t size, void *vaddr,
			   dma_addr_t dma, unsigned long attrs)
{
	vepc_track(vepc_iommu_owner, dma, size, -1);
	free_pages_exact(vaddr, size);
}

VEPC_DMA_MAP_DECL(vepc_hdma_map)
{
	dma_addr_t dma = VEPC_DMA_MAP_PHYS;

	vepc_count_host_map(size);
	vepc_track(vepc_iommu_owner, dma, size, 1);
	return dma;
}

static void vepc_hdma_unmap(struct device *dev, dma_addr_t dma, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	vepc_track(vepc_iommu_owner, dma, size, -1);
}

static int vepc_hdma_map_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir,
			    unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	vepc_map_sg_1to1(sgl, nents);
	for_each_sg(sgl, sg, nents, i) {
		vepc_count_host_map(sg->length);
		vepc_track(vepc_iommu_owner, sg->dma_address, sg->length, 1);
	}
	return nents;
}

static void vepc_hdma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			       int nents, enum dma_data_direction dir,
			       unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		vepc_track(vepc_iommu_owner, sg->dma_address, sg_dma_len(sg), -1);
}

static const struct dma_map_ops vepc_host_dma_ops = {
	.alloc = vepc_hdma_alloc,
	.free = vepc_hdma_free,
	VEPC_DMA_OPS_MAP(vepc_hdma_map, vepc_hdma_unmap),
	.map_sg = vepc_hdma_map_sg,
	.unmap_sg = vepc_hdma_unmap_sg,
};

static int vepc_bus_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct vepc *v = container_of(nb, struct vepc, bus_nb);
	struct device *dev = data;

	/*
	 * Again at every bind: 6.1's arm64 arch_teardown_dma_ops() clears the
	 * ops when a driver unbinds, and the next driver would bypass us.
	 */
	if ((action == BUS_NOTIFY_ADD_DEVICE || action == BUS_NOTIFY_BIND_DRIVER) &&
	    vepc_host_owns(v, to_pci_dev(dev)))
		set_dma_ops(dev, &vepc_host_dma_ops);
	return NOTIFY_DONE;
}

int vepc_iommu_init(struct vepc *v)
{
	vepc_iommu_owner = v;
	v->bus_nb.notifier_call = vepc_bus_notify;
	return bus_register_notifier(&pci_bus_type, &v->bus_nb);
}

void vepc_iommu_exit(struct vepc *v)
{
	bus_unregister_notifier(&pci_bus_type, &v->bus_nb);
	xa_destroy(&v->host_maps);
	vepc_iommu_owner = NULL;
}
