// SPDX-License-Identifier: GPL-2.0
/*
 * Memory the host can reach: the guest boots with mem= below its real RAM
 * size, so the RAM above is outside the kernel's map and both sides can map
 * it. Layout: [BAR/coherent pool][outbound window space][MSI tag word].
 *
 * BAR pool: pci_epf_alloc_space() calls dma_alloc_coherent() on the EPC
 * parent, so that device gets dma_map_ops serving this pool (1:1 DMA
 * addresses; streaming maps of ordinary RAM are 1:1 too).
 *
 * Outbound windows are shadows: map_addr() copies host memory into the
 * window and keeps a snapshot; unmap_addr() and every raised interrupt
 * write back only the bytes the function changed, so posted writes land
 * before the interrupt that follows them, as on a real link.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/genalloc.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vepc.h"
#include "vepc-compat.h"

#define VEPC_POISON	0xa5

static inline struct vepc *dev_to_vepc(struct device *dev)
{
	return dev_get_drvdata(dev);
}

void *vepc_local_virt(struct vepc *v, phys_addr_t phys, size_t len)
{
	if (phys >= v->hid_base && phys + len <= v->hid_base + v->hid_size)
		return v->hid_virt + (phys - v->hid_base);
	if (pfn_valid(PHYS_PFN(phys)) && pfn_valid(PHYS_PFN(phys + len - 1)))
		return phys_to_virt(phys);
	return NULL;
}

static void *vepc_pool_alloc(struct device *dev, size_t size,
			     dma_addr_t *dma, gfp_t gfp, unsigned long attrs)
{
	struct vepc *v = dev_to_vepc(dev);
	/* size-aligned, so a BAR can sit in a bridge window of its size */
	struct genpool_data_align align = {
		.align = roundup_pow_of_two(max_t(size_t, size, PAGE_SIZE)),
	};
	unsigned long va;

	va = gen_pool_alloc_algo(v->pool, size, gen_pool_first_fit_align, &align);
	if (!va)
		return NULL;
	memset((void *)va, 0, size);
	*dma = gen_pool_virt_to_phys(v->pool, va);
	return (void *)va;
}

static void vepc_pool_free(struct device *dev, size_t size, void *vaddr,
			   dma_addr_t dma, unsigned long attrs)
{
	struct vepc *v = dev_to_vepc(dev);

	/* the host may still be tearing down a device on this BAR */
	if (dma == v->bar_phys)
		flush_workqueue(v->link_wq);
	gen_pool_free(v->pool, (unsigned long)vaddr, size);
}

VEPC_DMA_MAP_DECL(vepc_pool_map)
{
	return VEPC_DMA_MAP_PHYS;
}

static void vepc_pool_unmap(struct device *dev, dma_addr_t dma, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
}

/* Both sides of the harness use 1:1 DMA addresses, as without an IOMMU. */
int vepc_map_sg_1to1(struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static int vepc_pool_map_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir,
			    unsigned long attrs)
{
	return vepc_map_sg_1to1(sgl, nents);
}

static void vepc_pool_unmap_sg(struct device *dev, struct scatterlist *sgl,
			       int nents, enum dma_data_direction dir,
			       unsigned long attrs)
{
}

static const struct dma_map_ops vepc_pool_ops = {
	.alloc = vepc_pool_alloc,
	.free = vepc_pool_free,
	VEPC_DMA_OPS_MAP(vepc_pool_map, vepc_pool_unmap),
	.map_sg = vepc_pool_map_sg,
	.unmap_sg = vepc_pool_unmap_sg,
};

static void vepc_win_flush_fn(struct work_struct *work);

int vepc_mem_init(struct vepc *v)
{
	size_t pool_size;
	int ret;

	if (pfn_valid(PHYS_PFN(v->hid_base)) ||
	    pfn_valid(PHYS_PFN(v->hid_base + v->hid_size - 1))) {
		dev_err(v->dev, "0x%llx+0x%zx is kernel RAM: boot with mem= below it\n",
			(u64)v->hid_base, v->hid_size);
		return -EINVAL;
	}
	if (v->win_size + SZ_4M > v->hid_size)
		return -EINVAL;
	v->hid_virt = memremap(v->hid_base, v->hid_size, MEMREMAP_WB);
	if (!v->hid_virt)
		return -ENOMEM;

	pool_size = v->hid_size - v->win_size - SZ_1M;
	v->win_base = v->hid_base + pool_size;
	v->msi_tag = v->hid_base + v->hid_size - SZ_4K;

	v->pool = gen_pool_create(PAGE_SHIFT, -1);
	if (!v->pool) {
		ret = -ENOMEM;
		goto err;
	}
	ret = gen_pool_add_virt(v->pool, (unsigned long)v->hid_virt, v->hid_base,
				pool_size, -1);
	if (ret)
		goto err_pool;
	set_dma_ops(v->dev, &vepc_pool_ops);
	INIT_DELAYED_WORK(&v->win_flush, vepc_win_flush_fn);
	return 0;

err_pool:
	gen_pool_destroy(v->pool);
err:
	memunmap(v->hid_virt);
	return ret;
}

void vepc_mem_exit(struct vepc *v)
{
	int i;

	cancel_delayed_work_sync(&v->win_flush);
	for (i = 0; i < VEPC_MAX_WINDOWS; i++)
		kvfree(v->win[i].snap);
	set_dma_ops(v->dev, NULL);
	/* gen_pool_destroy() BUG()s on leaks: report them instead */
	if (gen_pool_avail(v->pool) != gen_pool_size(v->pool))
		dev_err(v->dev, "%zu bytes of BAR pool leaked by the function\n",
			gen_pool_size(v->pool) - gen_pool_avail(v->pool));
	else
		gen_pool_destroy(v->pool);
	memunmap(v->hid_virt);
}

static struct vepc_window *vepc_win_find(struct vepc *v, phys_addr_t phys)
{
	int i;

	for (i = 0; i < v->win_count; i++)
		if (v->win[i].used && v->win[i].phys == phys)
			return &v->win[i];
	return NULL;
}

int vepc_win_map(struct vepc *v, phys_addr_t phys, u64 pci_addr, size_t size)
{
	struct vepc_window *w = NULL;
	unsigned int i, busy = 0;
	void *virt;

	if (phys < v->win_base || phys + size > v->win_base + v->win_size)
		return -EINVAL;
	virt = v->hid_virt + (phys - v->hid_base);

	mutex_lock(&v->win_lock);
	for (i = 0; i < v->win_count; i++) {
		if (v->win[i].used)
			busy++;
		else if (!w)
			w = &v->win[i];
	}
	if (!w || busy >= v->win_limit) {
		mutex_unlock(&v->win_lock);
		atomic_inc(&v->stats.win_busy);
		return -ENOMEM;
	}
	w->snap = kvmalloc(size, GFP_KERNEL);
	if (!w->snap) {
		mutex_unlock(&v->win_lock);
		return -ENOMEM;
	}
	w->used = true;
	w->phys = phys;
	w->pci_addr = pci_addr;
	w->size = size;
	w->epoch = READ_ONCE(v->link_epoch);
	w->refused = vepc_host_read(v, pci_addr, virt, size, "window") != 0;
	if (w->refused)
		memset(virt, 0xff, size);	/* what a faulting read returns */
	memcpy(w->snap, virt, size);
	mutex_unlock(&v->win_lock);
	schedule_delayed_work(&v->win_flush, 1);
	atomic_inc(&v->stats.win_maps);
	atomic64_add(size, &v->stats.win_map_bytes);
	return 0;
}

/*
 * Write back the byte runs the function changed since the last sync.
 * Every raised interrupt syncs every mapped window, a tick syncs windows
 * that stay mapped (vepc_win_flush_fn), and a function may keep windows
 * mapped (nvme_epf: its CQ rings, 16 KiB each): unchanged 64-byte blocks
 * are skipped with one memcmp.
 *
 * The function may be writing while we look (another CPU completing into
 * the same ring).  On a link its posted writes land in order; here a
 * block is copied from its end to its start, so that a byte seen new (a
 * CQE's phase bit, in its last dword) implies the bytes the function
 * wrote before it (the rest of the CQE) are seen new too, and the host
 * never gets a torn entry.  The host copy is then written start first.
 */
#define VEPC_SYNC_BLOCK	64

static void vepc_block_read_backwards(u8 *dst, const u8 *src, size_t n)
{
	while (n % 8) {
		n--;
		dst[n] = READ_ONCE(src[n]);
	}
	while (n) {
		n -= 8;
		*(u64 *)(dst + n) = READ_ONCE(*(const u64 *)(src + n));
	}
}

static void vepc_win_sync(struct vepc *v, struct vepc_window *w)
{
	u8 *cur = v->hid_virt + (w->phys - v->hid_base);
	u8 blk[VEPC_SYNC_BLOCK], *old;
	size_t off, n, i, start;

	for (off = 0; off < w->size; off += n) {
		n = min_t(size_t, VEPC_SYNC_BLOCK, w->size - off);
		vepc_block_read_backwards(blk, cur + off, n);
		old = w->snap + off;
		if (!memcmp(blk, old, n))
			continue;
		if (vepc_link_epoch_gone(v, w->epoch, "window write")) {
			memcpy(old, blk, n);
			continue;
		}
		for (i = 0; i < n; ) {
			if (blk[i] == old[i]) {
				i++;
				continue;
			}
			start = i;
			while (i < n && blk[i] != old[i])
				i++;
			vepc_host_write(v, w->pci_addr + off + start, blk + start,
					i - start, "window");
			atomic64_add(i - start, &v->stats.win_write_bytes);
		}
		memcpy(old, blk, n);
	}
}

void vepc_win_unmap(struct vepc *v, phys_addr_t phys)
{
	struct vepc_window *w;

	mutex_lock(&v->win_lock);
	w = vepc_win_find(v, phys);
	if (w) {
		vepc_win_sync(v, w);
		/* stale reads through an unmapped window must not look valid */
		memset(v->hid_virt + (w->phys - v->hid_base), VEPC_POISON, w->size);
		kvfree(w->snap);
		w->snap = NULL;
		w->used = false;
	}
	mutex_unlock(&v->win_lock);
}

void vepc_win_flush_all(struct vepc *v)
{
	int i;

	mutex_lock(&v->win_lock);
	for (i = 0; i < v->win_count; i++)
		if (v->win[i].used)
			vepc_win_sync(v, &v->win[i]);
	mutex_unlock(&v->win_lock);
}

/*
 * Posted writes through a window reach the host on their own on a link,
 * also when no interrupt follows (a masked MSI-X vector, a polled CQ): a
 * window that stays mapped is synced every tick while one is mapped.
 */
static void vepc_win_flush_fn(struct work_struct *work)
{
	struct vepc *v = container_of(work, struct vepc, win_flush.work);
	bool any = false;
	int i;

	mutex_lock(&v->win_lock);
	for (i = 0; i < v->win_count; i++) {
		if (!v->win[i].used)
			continue;
		vepc_win_sync(v, &v->win[i]);
		any = true;
	}
	mutex_unlock(&v->win_lock);
	if (any)
		schedule_delayed_work(&v->win_flush, 1);
}
