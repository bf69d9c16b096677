/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vepc: test-only virtual PCI endpoint controller ("vepc.0") plus a virtual
 * PCI host bridge in the same kernel, so an endpoint function is driven by
 * the guest's stock host driver without hardware. One instance per module.
 */
#ifndef VEPC_H
#define VEPC_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/dmaengine.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#define VEPC_CFG_SIZE		256
#define VEPC_CAP_MSI		0x50
#define VEPC_CAP_MSIX		0x70
#define VEPC_MAX_WINDOWS	64
#define VEPC_MSI_HWIRQS		256

#define VEPC_EDMA_SIZE		SZ_8K	/* emulated eDMA registers */

struct gen_pool;
struct dentry;
struct seq_file;
struct vepc_dma_dev;
struct vepc_edma;
struct scatterlist;
struct seq_file;

/* One outbound (iATU-like) mapping, shadowed: see vepc-mem.c */
struct vepc_window {
	bool		used;
	bool		refused;
	phys_addr_t	phys;
	u64		pci_addr;
	size_t		size;
	u8		*snap;		/* window contents as last synced */
	u32		epoch;		/* vepc.link_epoch when mapped */
};

/*
 * What the function did to the EPC, whichever function it is: the EPC ops
 * and the dmaengine calls are the interface every function driver goes
 * through, so these count nvme_epf and the in-tree nvmet-pci-epf alike
 * (bench/: counts per I/O). Only ever incremented; readers diff them.
 */
enum vepc_op {
	VEPC_OP_MAP,		/* map_addr */
	VEPC_OP_UNMAP,		/* unmap_addr */
	VEPC_OP_RAISE_INTX,	/* raise_irq calls by type, whatever the result */
	VEPC_OP_RAISE_MSI,
	VEPC_OP_RAISE_MSIX,
	VEPC_OP_GET_MSI,
	VEPC_OP_GET_MSIX,
	VEPC_OP_GET_FEATURES,
	VEPC_OP_ALIGN_ADDR,
	VEPC_OP_SETUP,		/* write_header, set/clear_bar, set_msi(x) */
	VEPC_OP_NR
};

/* per DMA direction: 0 = read (DEV_TO_MEM), 1 = write (MEM_TO_DEV), 2 = memcpy */
#define VEPC_DMA_DIRS	3

struct vepc_stats {
	atomic_t	refusals;	/* checking-IOMMU refusals */
	atomic_t	dma_xfers;
	atomic_t	dma_errors;
	atomic_t	dma_aborts;	/* dma_abort: completed as aborted */
	atomic_t	win_maps;
	atomic_t	win_busy;	/* map_addr failed: no free window */
	atomic_t	irq_intx;
	atomic_t	irq_msi;
	atomic_t	irq_msix;
	atomic_t	irq_dropped;	/* raised while disabled or masked */
	atomic_t	host_pages;	/* host pages currently DMA-mapped */
	atomic64_t	ops[VEPC_OP_NR];
	atomic64_t	win_map_bytes;	/* sizes passed to map_addr */
	atomic64_t	win_write_bytes; /* bytes written back to the host */
	atomic64_t	dma_desc[VEPC_DMA_DIRS];	/* descriptors run */
	atomic64_t	dma_segs[VEPC_DMA_DIRS];	/* scatter elements */
	atomic64_t	dma_bytes[VEPC_DMA_DIRS];
	atomic64_t	dma_configs;	/* device_config (slave_config) */
	atomic64_t	dma_issues;	/* issue_pending */
	atomic64_t	dma_terminates;	/* terminate_all */
	atomic64_t	dma_irq_cb;	/* descriptors that asked for a callback */
	atomic64_t	host_map_segs;	/* host driver's streaming DMA maps: */
	atomic64_t	host_map_bytes;	/* segments (sg entries) and bytes */
	atomic_t	link_drops;	/* accesses while the link was down */
	atomic_t	after_stop;	/* accesses after the function's stop() */
	atomic_t	refusals_removing; /* refusals while the host was removed */
	atomic_t	stale_epoch;	/* issued before a link loss, due after it */
};

struct vepc {
	struct device		*dev;		/* EPC parent (platform dev) */
	struct pci_epc		*epc;

	/* RAM above mem= that the guest kernel does not manage */
	phys_addr_t		hid_base;
	size_t			hid_size;
	void			*hid_virt;
	struct gen_pool		*pool;		/* BAR + EPF coherent memory */
	phys_addr_t		win_base;	/* outbound address space */
	size_t			win_size;
	phys_addr_t		msi_tag;	/* MSI message address */

	struct mutex		win_lock;	/* win[], win_limit */
	struct delayed_work	win_flush;	/* posted writes land (vepc-mem.c) */
	struct vepc_window	win[VEPC_MAX_WINDOWS];
	u32			win_count;	/* module param, fixed */
	u32			win_limit;	/* fault knob, <= win_count */

	/* function view: config space the function programmed */
	spinlock_t		cfg_lock;
	u8			cfg[VEPC_CFG_SIZE];
	u8			wmask[VEPC_CFG_SIZE];
	bool			hdr_set;
	phys_addr_t		bar_phys;
	void			*bar_virt;
	size_t			bar_size;	/* power of two */
	int			bar_flags;
	u8			msi_count;	/* vectors the function asked for */
	u16			msix_count;
	u8			msix_bir;
	u32			msix_offset;

	/* host view */
	struct workqueue_struct	*link_wq;
	struct work_struct	link_work;
	struct mutex		host_lock;	/* want_link, linked, bridge */
	bool			want_link;
	bool			linked;
	bool			surprise;	/* config reads all-ones */
	/*
	 * The function's path to host memory (DMA, windows, interrupts) is
	 * down: a surprise link loss or the function's own stop().  Accesses
	 * are dropped (counted in link_drops, or after_stop once stopped).
	 */
	bool			cut;
	/*
	 * Link losses so far.  A transfer or window write issued before a
	 * loss never reaches the host after it: on a link, the loss aborts
	 * it (see vepc_link_epoch_gone()).
	 */
	u32			link_epoch;
	bool			stopped;	/* stop() called, no start() since */
	bool			removing;	/* vepc_host_remove() running */
	struct pci_host_bridge	*bridge;
	struct resource		bar_res;
	struct resource		busn_res;
	struct notifier_block	bus_nb;

	/* interrupts */
	struct fwnode_handle	*msi_fwnode;
	struct irq_domain	*msi_domain;	/* ours: delivery by hwirq */
	struct irq_domain	*bridge_msi_domain; /* what the bridge gets */
	spinlock_t		msi_lock;	/* msi_used */
	DECLARE_BITMAP(msi_used, VEPC_MSI_HWIRQS);
	struct fwnode_handle	*intx_fwnode;
	struct irq_domain	*intx_domain;
	unsigned int		intx_virq;

	/* checking IOMMU: host pfn -> number of live mappings */
	struct xarray		host_maps;

	/* dmaengine provider */
	struct workqueue_struct	*dma_wq;
	struct vepc_dma_dev	*dma;
	atomic_t		dma_fail;	/* fail the next N transfers */
	atomic_t		dma_abort;	/* abort the next N, dw-edma style */
	bool			dma_stall;	/* knob: cut-off DMA never completes */

	/* emulated DesignWare eDMA (edma=1), instead of the dmaengine */
	phys_addr_t		edma_phys;	/* 0: none */
	struct vepc_edma	*edma;

	struct vepc_stats	stats;
	struct dentry		*debugfs;
};

/* One more call of an EPC op (enum vepc_op). */
static inline void vepc_count_op(struct vepc *v, enum vepc_op op)
{
	atomic64_inc(&v->stats.ops[op]);
}

/* module parameters (vepc-main.c) */
extern bool vepc_no_msi, vepc_no_msix, vepc_iommu, vepc_link_cut, vepc_epoch_drop;

/* vepc-mem.c: hidden RAM, BAR pool, outbound windows */
int vepc_mem_init(struct vepc *v);
void vepc_mem_exit(struct vepc *v);
void *vepc_local_virt(struct vepc *v, phys_addr_t phys, size_t len);
int vepc_map_sg_1to1(struct scatterlist *sgl, int nents);
int vepc_win_map(struct vepc *v, phys_addr_t phys, u64 pci_addr, size_t size);
void vepc_win_unmap(struct vepc *v, phys_addr_t phys);
void vepc_win_flush_all(struct vepc *v);

/* vepc-epc.c */
int vepc_epc_init(struct vepc *v);
void vepc_link_set(struct vepc *v, bool up, bool notify);

/* vepc-cfg.c: emulated type-0 config space */
void vepc_cfg_reset(struct vepc *v);
void vepc_cfg_write_header(struct vepc *v, const struct pci_epf_header *hdr);
void vepc_cfg_set_bar(struct vepc *v, bool set);
void vepc_cfg_build_caps(struct vepc *v);
u32 vepc_cfg_read(struct vepc *v, int where, int size);
void vepc_cfg_write(struct vepc *v, int where, int size, u32 val);
u16 vepc_cfg_cmd(struct vepc *v);
bool vepc_cfg_msi(struct vepc *v, u64 *addr, u16 *data, unsigned int *nvec);
bool vepc_cfg_msix(struct vepc *v, unsigned int *nvec, bool *masked);
u8 vepc_cfg_msi_mme(struct vepc *v);

/* vepc-host.c: virtual host bridge */
int vepc_host_add(struct vepc *v);
void vepc_host_remove(struct vepc *v);
bool vepc_host_owns(struct vepc *v, struct pci_dev *pdev);

/* vepc-msi.c */
int vepc_irq_init(struct vepc *v);
void vepc_irq_exit(struct vepc *v);
int vepc_msi_alloc(struct irq_domain *d, unsigned int virq,
		   unsigned int nr_irqs, void *args);
void vepc_msi_free(struct irq_domain *d, unsigned int virq,
		   unsigned int nr_irqs);

/* vepc-msi-parent.c or vepc-msi-legacy.c (Kbuild picks one) */
int vepc_msi_domain_create(struct vepc *v);
void vepc_msi_domain_remove(struct vepc *v);
int vepc_raise_irq(struct vepc *v, unsigned int type, u16 num);

/* vepc-iommu.c: host-side DMA ops + access checks */
int vepc_iommu_init(struct vepc *v);
void vepc_iommu_exit(struct vepc *v);
int vepc_host_read(struct vepc *v, u64 addr, void *buf, size_t len,
		   const char *what);
int vepc_host_write(struct vepc *v, u64 addr, const void *buf, size_t len,
		    const char *what);
bool vepc_host_mapped(struct vepc *v, u64 addr, size_t len);
bool vepc_link_cut_off(struct vepc *v, const char *what);
bool vepc_link_epoch_gone(struct vepc *v, u32 epoch, const char *what);
void vepc_link_cut_now(struct vepc *v);

/* vepc-dma.c */
int vepc_dma_init(struct vepc *v, unsigned int nchan);
void vepc_dma_exit(struct vepc *v);
void vepc_dma_stats_show(struct seq_file *m, struct vepc *v);

/* vepc-edma.c */
int vepc_edma_init(struct vepc *v);
void vepc_edma_exit(struct vepc *v);
atomic_t *vepc_edma_stuck(struct vepc *v);
void vepc_edma_stats(struct vepc *v, struct seq_file *m);

/* vepc-fault.c */
void vepc_debugfs_init(struct vepc *v);
void vepc_debugfs_exit(struct vepc *v);

/* self-test function and its host driver */
int vepc_selftest_ep_register(void);
void vepc_selftest_ep_unregister(void);
int vepc_selftest_ep_start(struct vepc *v);
void vepc_selftest_ep_stop(struct vepc *v);
bool vepc_selftest_ep_running(void);
int vepc_selftest_host_register(struct vepc *v);
void vepc_selftest_host_unregister(void);

#endif /* VEPC_H */
