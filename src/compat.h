/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - one stable API over the kernel interfaces that changed between
 * Linux 5.10 and 7.x.  The NEPF_HAVE_* flags come from the build-time probes
 * in probe/ (compat-generated.h, see probe/probe.sh); this is the only file
 * that looks at them.  Features are probed, never version-checked, because
 * distribution kernels backport (Debian 6.12 has pci_epc_mem_map()).
 */
#ifndef NEPF_COMPAT_H
#define NEPF_COMPAT_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/configfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include "compat-generated.h"

/* ---- endpoint controller calls, addressed by the function ---- */

/* Call a pci_epc_*() function with the function's EPC and (v)func numbers. */
#ifdef NEPF_HAVE_EPC_VFUNC_NO
#define nepf_epc_call(fn, epf, ...) \
	fn((epf)->epc, (epf)->func_no, (epf)->vfunc_no, ##__VA_ARGS__)
#else
#define nepf_epc_call(fn, epf, ...) fn((epf)->epc, (epf)->func_no, ##__VA_ARGS__)
#endif

/* Program the function's configuration space header. */
static inline int nepf_epc_write_header(struct pci_epf *epf, struct pci_epf_header *hdr)
{
	return nepf_epc_call(pci_epc_write_header, epf, hdr);
}

/* Expose / withdraw an inbound BAR (bar points into epf->bar[]). */
static inline int nepf_epc_set_bar(struct pci_epf *epf, struct pci_epf_bar *bar)
{
	return nepf_epc_call(pci_epc_set_bar, epf, bar);
}

static inline void nepf_epc_clear_bar(struct pci_epf *epf, struct pci_epf_bar *bar)
{
	nepf_epc_call(pci_epc_clear_bar, epf, bar);
}

/*
 * MSI/MSI-X vector counts: callers always pass and get plain counts; the
 * log2 / N-1 encodings (before the 2025 rework) stay inside the EPC core.
 */
static inline int nepf_epc_set_msi(struct pci_epf *epf, u8 nr_irqs)
{
	return nepf_epc_call(pci_epc_set_msi, epf, nr_irqs);
}

static inline int nepf_epc_get_msi(struct pci_epf *epf)
{
	return nepf_epc_call(pci_epc_get_msi, epf);
}

static inline int nepf_epc_set_msix(struct pci_epf *epf, u16 nr_irqs,
				    enum pci_barno bir, u32 offset)
{
	return nepf_epc_call(pci_epc_set_msix, epf, nr_irqs, bir, offset);
}

static inline int nepf_epc_get_msix(struct pci_epf *epf)
{
	return nepf_epc_call(pci_epc_get_msix, epf);
}

/*
 * Raise an interrupt: type is NEPF_IRQ_INTX (0), NEPF_IRQ_MSI (1) or
 * NEPF_IRQ_MSIX (2) from ctrl.h; irq_num is 1-based as the EPC API wants.
 */
static inline int nepf_epc_raise_irq(struct pci_epf *epf, unsigned int type, u16 irq_num)
{
#ifdef NEPF_HAVE_PCI_IRQ_INTX
	static const unsigned int map[] = { PCI_IRQ_INTX, PCI_IRQ_MSI, PCI_IRQ_MSIX };
#else
	static const enum pci_epc_irq_type map[] = {
		PCI_EPC_IRQ_LEGACY, PCI_EPC_IRQ_MSI, PCI_EPC_IRQ_MSIX };
#endif
	if (type >= ARRAY_SIZE(map))
		return -EINVAL;
	return nepf_epc_call(pci_epc_raise_irq, epf, map[type], irq_num);
}

/* Map / unmap an outbound window (phys from pci_epc_mem_alloc_addr()). */
static inline int nepf_epc_map_addr(struct pci_epf *epf, phys_addr_t phys,
				    u64 pci_addr, size_t size)
{
	return nepf_epc_call(pci_epc_map_addr, epf, phys, pci_addr, size);
}

static inline void nepf_epc_unmap_addr(struct pci_epf *epf, phys_addr_t phys)
{
	nepf_epc_call(pci_epc_unmap_addr, epf, phys);
}

/* The controller's features (BARs, alignment, notifiers). */
static inline const struct pci_epc_features *nepf_epc_get_features(struct pci_epf *epf)
{
	return nepf_epc_call(pci_epc_get_features, epf);
}

/*
 * nepf_epc_mem_map(): map host memory [pci_addr, pci_addr + size) for CPU
 * access.  May map less than asked (map->pci_size): callers loop.  The
 * fields are those of struct pci_epc_map (pci_addr, pci_size, phys_addr,
 * virt_addr are for the caller; the rest is bookkeeping).
 */
#ifdef NEPF_HAVE_EPC_MEM_MAP
#define nepf_epc_map pci_epc_map

static inline int nepf_epc_mem_map(struct pci_epf *epf, u64 pci_addr, size_t size,
				   struct nepf_epc_map *map)
{
	return nepf_epc_call(pci_epc_mem_map, epf, pci_addr, size, map);
}

static inline void nepf_epc_mem_unmap(struct pci_epf *epf, struct nepf_epc_map *map)
{
	nepf_epc_call(pci_epc_mem_unmap, epf, map);
}

/* pci_epc_get_features() calls inside one nepf_epc_mem_map() (cost counters). */
#define NEPF_EPC_MEM_MAP_GET_FEATURES	0
#else
struct nepf_epc_map {
	u64 pci_addr;
	size_t pci_size;
	u64 map_pci_addr;
	size_t map_size;
	phys_addr_t phys_base;
	phys_addr_t phys_addr;
	void __iomem *virt_base;
	void __iomem *virt_addr;
};

/* pci_epc_get_features() calls inside one nepf_epc_mem_map() (cost counters). */
#define NEPF_EPC_MEM_MAP_GET_FEATURES	1

/* Without align_addr, align to the larger of the window page and the EPC's align. */
static inline size_t nepf_epc_map_align(struct pci_epf *epf)
{
	const struct pci_epc_features *f = nepf_epc_get_features(epf);
	size_t align = epf->epc->mem ? epf->epc->mem->window.page_size : PAGE_SIZE;

	if (f && f->align > align)
		align = f->align;
	return align;
}

static inline int nepf_epc_mem_map(struct pci_epf *epf, u64 pci_addr, size_t size,
				   struct nepf_epc_map *map)
{
	size_t align = nepf_epc_map_align(epf);
	size_t offset = pci_addr & (align - 1);
	int ret;

	if (!size)
		return -EINVAL;
	memset(map, 0, sizeof(*map));
	map->pci_addr = pci_addr;
	map->pci_size = size;
	map->map_pci_addr = pci_addr - offset;
	map->map_size = ALIGN(offset + size, align);
	map->virt_base = pci_epc_mem_alloc_addr(epf->epc, &map->phys_base, map->map_size);
	if (!map->virt_base)
		return -ENOMEM;
	ret = nepf_epc_map_addr(epf, map->phys_base, map->map_pci_addr, map->map_size);
	if (ret) {
		pci_epc_mem_free_addr(epf->epc, map->phys_base, map->virt_base, map->map_size);
		map->virt_base = NULL;
		return ret;
	}
	map->phys_addr = map->phys_base + offset;
	map->virt_addr = map->virt_base + offset;
	return 0;
}

static inline void nepf_epc_mem_unmap(struct pci_epf *epf, struct nepf_epc_map *map)
{
	if (!map->virt_base)
		return;
	nepf_epc_unmap_addr(epf, map->phys_base);
	pci_epc_mem_free_addr(epf->epc, map->phys_base, map->virt_base, map->map_size);
	map->virt_base = NULL;
}
#endif

/* Attach / detach the function to a controller as its primary interface. */
static inline int nepf_epc_add_epf(struct pci_epc *epc, struct pci_epf *epf)
{
#ifdef NEPF_HAVE_EPC_ADD_EPF_TYPE
	return pci_epc_add_epf(epc, epf, PRIMARY_INTERFACE);
#else
	return pci_epc_add_epf(epc, epf);
#endif
}

static inline void nepf_epc_remove_epf(struct pci_epc *epc, struct pci_epf *epf)
{
#ifdef NEPF_HAVE_EPC_ADD_EPF_TYPE
	pci_epc_remove_epf(epc, epf, PRIMARY_INTERFACE);
#else
	pci_epc_remove_epf(epc, epf);
#endif
}

/*
 * True when the controller is initialized and the function may program its
 * header and BARs now; false when the init event will come later.
 */
static inline bool nepf_epc_init_done(struct pci_epf *epf, const struct pci_epc_features *f)
{
#ifdef NEPF_HAVE_EPC_INIT_COMPLETE
	return epf->epc->init_complete;
#elif defined(NEPF_HAVE_EPC_CORE_INIT_NOTIFIER)
	return !f->core_init_notifier;
#else
	return true;
#endif
}

/* ---- the function's BAR memory and the controller's BAR constraints ---- */

/* Allocate / free memory backing one of the function's BARs. */
static inline void *nepf_epf_alloc_space(struct pci_epf *epf, enum pci_barno bar, size_t size,
					 const struct pci_epc_features *features)
{
#if defined(NEPF_HAVE_EPF_ALLOC_SPACE_FEATURES)
	return pci_epf_alloc_space(epf, size, bar, features, PRIMARY_INTERFACE);
#elif defined(NEPF_HAVE_EPF_SPACE_TYPE)
	return pci_epf_alloc_space(epf, size, bar, features->align, PRIMARY_INTERFACE);
#else
	return pci_epf_alloc_space(epf, size, bar, features->align);
#endif
}

static inline void nepf_epf_free_space(struct pci_epf *epf, enum pci_barno bar, void *addr)
{
#ifdef NEPF_HAVE_EPF_SPACE_TYPE
	pci_epf_free_space(epf, addr, bar, PRIMARY_INTERFACE);
#else
	pci_epf_free_space(epf, addr, bar);
#endif
}

/* The BAR is not usable by the function (reserved, or absent). */
static inline bool nepf_bar_is_reserved(const struct pci_epc_features *f, enum pci_barno bar)
{
#ifdef NEPF_HAVE_EPC_BAR_DESC
#ifdef NEPF_HAVE_EPC_BAR_DISABLED
	if (f->bar[bar].type == BAR_DISABLED)
		return true;
#endif
	return f->bar[bar].type == BAR_RESERVED;
#else
	return f->reserved_bar & BIT(bar);
#endif
}

/* Size the controller imposes on the BAR, 0 when it is programmable. */
static inline u64 nepf_bar_fixed_size(const struct pci_epc_features *f, enum pci_barno bar)
{
#ifdef NEPF_HAVE_EPC_BAR_DESC
	return f->bar[bar].type == BAR_FIXED ? f->bar[bar].fixed_size : 0;
#else
	return f->bar_fixed_size[bar];
#endif
}

/* ---- controller events (init, deinit, link up, link down) ---- */

/*
 * NEPF_EPC_EVENT_OPS(name, init, deinit, link_up, link_down) defines the
 * table "name" from four handlers "int fn(struct pci_epf *epf)"; events a
 * kernel does not have are never delivered.  Register it with
 * nepf_epc_events_register(epf, &name) after nepf_epc_add_epf().
 */
#if defined(NEPF_HAVE_EVENT_EPC_INIT)
#define nepf_epc_events pci_epc_event_ops
#define NEPF_EPC_EVENT_OPS(name, init, deinit, up, down)			\
	static void name##_deinit(struct pci_epf *epf) { deinit(epf); }	\
	static const struct pci_epc_event_ops name = {				\
		.epc_init = init, .epc_deinit = name##_deinit,			\
		.link_up = up, .link_down = down,				\
	}
#elif defined(NEPF_HAVE_EPC_EVENT_OPS)
#define nepf_epc_events pci_epc_event_ops
#define NEPF_EPC_EVENT_OPS(name, init, deinit, up, down)			\
	static int name##_init(struct pci_epf *epf)				\
	{									\
		(void)deinit; (void)down;					\
		return init(epf);						\
	}									\
	static const struct pci_epc_event_ops name = {				\
		.core_init = name##_init, .link_up = up,			\
	}
#else
struct nepf_epc_events {
	notifier_fn_t call;
};

#define NEPF_EPC_EVENT_OPS(name, init, deinit, up, down)			\
	static int name##_call(struct notifier_block *nb, unsigned long ev,	\
			       void *data)					\
	{									\
		struct pci_epf *epf = container_of(nb, struct pci_epf, nb);	\
		int ret = 0;							\
										\
		(void)deinit; (void)down;					\
		if (ev == CORE_INIT)						\
			ret = init(epf);					\
		else if (ev == LINK_UP)						\
			ret = up(epf);						\
		return notifier_from_errno(ret);				\
	}									\
	static const struct nepf_epc_events name = { .call = name##_call }
#endif

static inline int nepf_epc_events_register(struct pci_epf *epf,
					   const struct nepf_epc_events *ev)
{
#ifdef NEPF_HAVE_EPC_EVENT_OPS
	epf->event_ops = ev;
	return 0;
#else
	epf->nb.notifier_call = ev->call;
	return pci_epc_register_notifier(epf->epc, &epf->nb);
#endif
}

static inline void nepf_epc_events_unregister(struct pci_epf *epf)
{
#ifdef NEPF_HAVE_EPC_EVENT_OPS
	epf->event_ops = NULL;
#else
	atomic_notifier_chain_unregister(&epf->epc->notifier, &epf->nb);
#endif
}

/* ---- pci_epf_driver callbacks ---- */

/* "static NEPF_EPF_OPS_CONST struct pci_epf_ops ..." (const where the driver takes it) */
#ifdef NEPF_HAVE_EPF_DRIVER_CONST_OPS
#define NEPF_EPF_OPS_CONST	const
#else
#define NEPF_EPF_OPS_CONST
#endif

/*
 * NEPF_EPF_OPS(name, bind, unbind, add_cfs) defines the driver's ops table.
 * add_cfs (where the kernel has it) makes the driver's group under
 * pci_ep/functions/<driver>/<f>/; without it a function made in pci_ep/
 * cannot be configured (bind refuses it; nepf_epf_has_add_cfs picks the
 * message), and add_cfs is only type-checked.
 */
#ifdef NEPF_HAVE_EPF_ADD_CFS
#define NEPF_EPF_OPS(name, bind_fn, unbind_fn, add_cfs_fn)			\
	static NEPF_EPF_OPS_CONST struct pci_epf_ops name = {			\
		.bind = bind_fn, .unbind = unbind_fn, .add_cfs = add_cfs_fn,	\
	}
#define nepf_epf_has_add_cfs	true
#else
#define NEPF_EPF_OPS(name, bind_fn, unbind_fn, add_cfs_fn)			\
	static_assert(__same_type(&(add_cfs_fn), struct config_group *(*)	\
				  (struct pci_epf *, struct config_group *)));	\
	static NEPF_EPF_OPS_CONST struct pci_epf_ops name = {			\
		.bind = bind_fn, .unbind = unbind_fn,				\
	}
#define nepf_epf_has_add_cfs	false
#endif

/*
 * Probe and remove are written as plain functions,
 *	static int fn(struct pci_epf *epf)	(probe)
 *	static void fn(struct pci_epf *epf)	(remove)
 * and NEPF_EPF_PROBE_WRAP(fn) / NEPF_EPF_REMOVE_WRAP(fn) define fn_wrap,
 * with the signature this kernel's pci_epf_driver wants, calling fn:
 * .probe = fn_wrap, .remove = fn_wrap.
 */
#ifdef NEPF_HAVE_EPF_PROBE_ID
#define NEPF_EPF_PROBE_WRAP(fn)						\
	static int fn##_wrap(struct pci_epf *epf, const struct pci_epf_device_id *id) \
	{								\
		return fn(epf);						\
	}
#else
#define NEPF_EPF_PROBE_WRAP(fn)						\
	static int fn##_wrap(struct pci_epf *epf)			\
	{								\
		return fn(epf);						\
	}
#endif

#ifdef NEPF_HAVE_EPF_REMOVE_VOID
#define NEPF_EPF_REMOVE_WRAP(fn)					\
	static void fn##_wrap(struct pci_epf *epf)			\
	{								\
		fn(epf);						\
	}
#else
#define NEPF_EPF_REMOVE_WRAP(fn)					\
	static int fn##_wrap(struct pci_epf *epf)			\
	{								\
		fn(epf);						\
		return 0;						\
	}
#endif

/* ---- block devices ---- */

/* An open block device, however this kernel represents it. */
struct nepf_bdev_handle {
#if defined(NEPF_HAVE_BDEV_FILE_OPEN)
	struct file *file;
#elif defined(NEPF_HAVE_BDEV_OPEN_BY_PATH)
	struct bdev_handle *handle;
#else
	struct block_device *bdev;
	void *holder;
	bool write;
#endif
};

/* Open path (exclusively when holder is set); 0 or -errno. */
static inline int nepf_bdev_open(const char *path, bool write, void *holder,
				 struct nepf_bdev_handle *h)
{
#if defined(NEPF_HAVE_BDEV_FILE_OPEN)
	h->file = bdev_file_open_by_path(path, BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0),
					 holder, NULL);
	return PTR_ERR_OR_ZERO(h->file);
#elif defined(NEPF_HAVE_BDEV_OPEN_BY_PATH)
	h->handle = bdev_open_by_path(path, BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0),
				      holder, NULL);
	return PTR_ERR_OR_ZERO(h->handle);
#elif defined(NEPF_HAVE_BLKDEV_GET_HOLDER_OPS)
	h->holder = holder;
	h->bdev = blkdev_get_by_path(path, BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0),
				     holder, NULL);
	return PTR_ERR_OR_ZERO(h->bdev);
#else
	h->holder = holder;
	h->write = write;
	h->bdev = blkdev_get_by_path(path, FMODE_READ | (write ? FMODE_WRITE : 0) |
				     (holder ? FMODE_EXCL : 0), holder);
	return PTR_ERR_OR_ZERO(h->bdev);
#endif
}

static inline void nepf_bdev_close(struct nepf_bdev_handle *h)
{
#if defined(NEPF_HAVE_BDEV_FILE_OPEN)
	fput(h->file);
#elif defined(NEPF_HAVE_BDEV_OPEN_BY_PATH)
	bdev_release(h->handle);
#elif defined(NEPF_HAVE_BLKDEV_GET_HOLDER_OPS)
	blkdev_put(h->bdev, h->holder);
#else
	blkdev_put(h->bdev, FMODE_READ | (h->write ? FMODE_WRITE : 0) |
		   (h->holder ? FMODE_EXCL : 0));
#endif
}

/* The block_device behind an open handle. */
static inline struct block_device *nepf_bdev(const struct nepf_bdev_handle *h)
{
#if defined(NEPF_HAVE_BDEV_FILE_OPEN)
	return file_bdev(h->file);
#elif defined(NEPF_HAVE_BDEV_OPEN_BY_PATH)
	return h->handle->bdev;
#else
	return h->bdev;
#endif
}

/* The type of bio operation and flags (a plain unsigned int before 6.0). */
#ifndef NEPF_HAVE_BLK_OPF_T
typedef unsigned int blk_opf_t;
#endif

/* bio_alloc() with the bdev/op set up front; NULL on failure. */
static inline struct bio *nepf_bio_alloc(struct block_device *bdev, unsigned short nr_vecs,
					 blk_opf_t opf, gfp_t gfp)
{
#ifdef NEPF_HAVE_BIO_ALLOC_BDEV
	return bio_alloc(bdev, nr_vecs, opf, gfp);
#else
	struct bio *bio = bio_alloc(gfp, nr_vecs);

	if (bio) {
		bio_set_dev(bio, bdev);
		bio->bi_opf = opf;
	}
	return bio;
#endif
}

/* Capacity in 512-byte sectors. */
static inline sector_t nepf_bdev_nr_sectors(struct block_device *bdev)
{
#ifdef NEPF_HAVE_BDEV_NR_SECTORS
	return bdev_nr_sectors(bdev);
#else
	return i_size_read(bdev->bd_inode) >> SECTOR_SHIFT;
#endif
}

/* Largest discard in sectors, 0 when the device cannot discard. */
static inline unsigned int nepf_bdev_max_discard_sectors(struct block_device *bdev)
{
#ifdef NEPF_HAVE_BDEV_MAX_DISCARD
	return bdev_max_discard_sectors(bdev);
#else
	struct request_queue *q = bdev_get_queue(bdev);

	return blk_queue_discard(q) ? q->limits.max_discard_sectors : 0;
#endif
}

/* The device has a volatile write cache (QUEUE_FLAG_WC before 5.19, gone in 6.11). */
static inline bool nepf_bdev_write_cache(struct block_device *bdev)
{
#ifdef NEPF_HAVE_BDEV_WRITE_CACHE
	return bdev_write_cache(bdev);
#else
	return test_bit(QUEUE_FLAG_WC, &bdev_get_queue(bdev)->queue_flags);
#endif
}

/* Flush the device's volatile cache and wait; 0 or -errno. */
static inline int nepf_blkdev_issue_flush(struct block_device *bdev)
{
#ifdef NEPF_HAVE_BLKDEV_ISSUE_FLUSH_1ARG
	return blkdev_issue_flush(bdev);
#else
	return blkdev_issue_flush(bdev, GFP_KERNEL);
#endif
}

/* Most bio_vecs one bio can hold. */
#ifdef NEPF_HAVE_BIO_MAX_VECS
#define NEPF_BIO_MAX_VECS	BIO_MAX_VECS
#else
#define NEPF_BIO_MAX_VECS	BIO_MAX_PAGES
#endif

/* ---- files, configfs, modules ---- */

/* static NEPF_KI_COMPLETE_DECL(fn) { ... }: kiocb completion with its res. */
#ifdef NEPF_HAVE_KI_COMPLETE_2ARGS
#define NEPF_KI_COMPLETE_DECL(fn)	void fn(struct kiocb *iocb, long res)
#else
#define NEPF_KI_COMPLETE_DECL(fn)	void fn(struct kiocb *iocb, long res, long res2)
#endif

/* iov_iter directions by their 6.1+ names (the values are READ/WRITE). */
#ifndef NEPF_HAVE_ITER_DEST
#define ITER_DEST	READ
#define ITER_SOURCE	WRITE
#endif

/*
 * Flag of a per-CPU workqueue.  Without WQ_UNBOUND a workqueue always was
 * per-CPU; kernels that have WQ_PERCPU warn when neither flag is given.
 */
#ifdef NEPF_HAVE_WQ_PERCPU
#define NEPF_WQ_PERCPU	WQ_PERCPU
#else
#define NEPF_WQ_PERCPU	0
#endif

/* "static NEPF_CONFIGFS_CONST struct configfs_item_operations ..." */
#ifdef NEPF_HAVE_CONFIGFS_CONST_OPS
#define NEPF_CONFIGFS_CONST	const
#else
#define NEPF_CONFIGFS_CONST
#endif

/*
 * The dw-edma driver may own the controller's eDMA (built in or as a
 * module that could load): then edma.c never touches the block.
 */
static inline bool nepf_kernel_has_dw_edma(void)
{
	return IS_ENABLED(CONFIG_DW_EDMA);
}

#endif /* NEPF_COMPAT_H */
