/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the guest kernels vepc supports (Debian
 * 6.12 and 7.x). The VEPC_HAVE_* flags come from header probes in Kbuild;
 * this is the only file allowed to look at them.
 */
#ifndef VEPC_COMPAT_H
#define VEPC_COMPAT_H

#include <linux/dma-map-ops.h>
#include <linux/log2.h>
#include <linux/msi.h>

#ifdef VEPC_HAVE_MSI_LIB_H
#include <linux/irqchip/irq-msi-lib.h>
#else
/* 6.12 exports these but keeps the header in drivers/irqchip/ */
#define MATCH_PCI_MSI	BIT(DOMAIN_BUS_PCI_MSI)
int msi_lib_irq_domain_select(struct irq_domain *d, struct irq_fwspec *fwspec,
			      enum irq_domain_bus_token bus_token);
bool msi_lib_init_dev_msi_info(struct device *dev, struct irq_domain *domain,
			       struct irq_domain *real_parent,
			       struct msi_domain_info *info);
#endif

#ifdef VEPC_HAVE_MSI_NO_AFFINITY
#define VEPC_MSI_NO_AFFINITY	MSI_FLAG_NO_AFFINITY
#else
#define VEPC_MSI_NO_AFFINITY	0
#endif

/*
 * Until the 2025 rework the core passed set_msi() the log2-encoded
 * Multiple Message field and added 1 to what get_msix() returned; since
 * then both ops carry plain vector counts. The set_msi prototype changed
 * its parameter name in the same series, which is what Kbuild probes.
 */
#ifdef VEPC_EPC_MSI_ENCODED
#define vepc_msi_from_op(v)	(1U << (v))
static inline unsigned int vepc_msi_to_op(unsigned int n)
{
	return n ? ilog2(n) : 0;
}

static inline unsigned int vepc_msix_to_op(unsigned int n)
{
	return n ? n - 1 : 0;
}
#else
#define vepc_msi_from_op(v)	(v)
#define vepc_msi_to_op(n)	(n)
#define vepc_msix_to_op(n)	(n)
#endif

/* 7.x dma_map_ops map physical addresses instead of pages */
#ifdef VEPC_HAVE_MAP_PHYS
#define VEPC_DMA_MAP_DECL(fn)						\
	static dma_addr_t fn(struct device *dev, phys_addr_t phys,	\
			     size_t size, enum dma_data_direction dir,	\
			     unsigned long attrs)
#define VEPC_DMA_MAP_PHYS	phys
#define VEPC_DMA_OPS_MAP(map, unmap)	.map_phys = (map), .unmap_phys = (unmap)
#else
#define VEPC_DMA_MAP_DECL(fn)						\
	static dma_addr_t fn(struct device *dev, struct page *page,	\
			     unsigned long offset, size_t size,		\
			     enum dma_data_direction dir,		\
			     unsigned long attrs)
#define VEPC_DMA_MAP_PHYS	(page_to_phys(page) + offset)
#define VEPC_DMA_OPS_MAP(map, unmap)	.map_page = (map), .unmap_page = (unmap)
#endif

#endif /* VEPC_COMPAT_H */
