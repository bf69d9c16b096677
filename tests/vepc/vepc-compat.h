/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the guest kernels vepc supports (Debian
 * 6.12 and 7.x, and 6.1 and 5.10 built from Debian's source). The VEPC_*
 * flags come from header probes in Kbuild; this is the only file allowed to
 * look at them.
 */
#ifndef VEPC_COMPAT_H
#define VEPC_COMPAT_H

#include <linux/dma-map-ops.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/log2.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/platform_device.h>

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

/* 5.10 and 6.1 pass set_msix() the count minus one (6.12 the count) */
#ifdef VEPC_EPC_MSIX_ENCODED
#define vepc_msix_from_op(v)	((v) + 1)
#else
#define vepc_msix_from_op(v)	(v)
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

/* 6.6 added the attribute; without it the array is just unchecked */
#ifndef __counted_by
#define __counted_by(...)
#endif

/* 6.8 renamed PCI_IRQ_LEGACY */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * Until 6.8 the EPC core's raise_irq() took enum pci_epc_irq_type (LEGACY 1,
 * MSI 2, MSIX 3); since then the PCI_IRQ_* flags (INTX 1, MSI 2, MSIX 4).
 * vepc works in PCI_IRQ_* and converts at the core's boundary.
 */
#ifdef VEPC_EPC_IRQ_ENUM
static inline unsigned int vepc_irq_from_op(unsigned int type)
{
	switch (type) {
	case PCI_EPC_IRQ_LEGACY: return PCI_IRQ_INTX;
	case PCI_EPC_IRQ_MSI: return PCI_IRQ_MSI;
	case PCI_EPC_IRQ_MSIX: return PCI_IRQ_MSIX;
	default: return 0;
	}
}

static inline unsigned int vepc_irq_to_op(unsigned int type)
{
	switch (type) {
	case PCI_IRQ_INTX: return PCI_EPC_IRQ_LEGACY;
	case PCI_IRQ_MSI: return PCI_EPC_IRQ_MSI;
	case PCI_IRQ_MSIX: return PCI_EPC_IRQ_MSIX;
	default: return PCI_EPC_IRQ_UNKNOWN;
	}
}
#else
#define vepc_irq_from_op(type)	(type)
#define vepc_irq_to_op(type)	(type)
#endif

/* BAR0 programmable and 64-bit only, BAR1-5 unavailable */
#ifdef VEPC_HAVE_BAR_DESC
#define VEPC_FEATURES_BARS						\
	.bar = {							\
		[BAR_0] = { .type = BAR_PROGRAMMABLE, .only_64bit = true }, \
		[BAR_1] = { .type = BAR_RESERVED },			\
		[BAR_2] = { .type = BAR_RESERVED },			\
		[BAR_3] = { .type = BAR_RESERVED },			\
		[BAR_4] = { .type = BAR_RESERVED },			\
		[BAR_5] = { .type = BAR_RESERVED },			\
	}
#else
#define VEPC_FEATURES_BARS						\
	.reserved_bar = BIT(BAR_1) | BIT(BAR_2) | BIT(BAR_3) |		\
			BIT(BAR_4) | BIT(BAR_5),			\
	.bar_fixed_64bit = BIT(BAR_0)
#endif

/*
 * Before 6.9 the core has no link-down event: a surprise link loss
 * removes the host's device but the function is not told.
 */
#ifdef VEPC_HAVE_LINKDOWN
static inline void vepc_epc_linkdown(struct pci_epc *epc)
{
	pci_epc_linkdown(epc);
}
#else
static inline void vepc_epc_linkdown(struct pci_epc *epc)
{
}
#endif

/*
 * .remove returned int until 6.11; 6.1 has the void one as .remove_new,
 * 5.10 only the int one: there the void function gets an int wrapper.
 * VEPC_REMOVE_DEFINE(fn); defines what VEPC_REMOVE_OP(fn) names, and
 * checks on every kernel that fn is the void kind.
 */
#define VEPC_REMOVE_CHECK(fn)						\
	static_assert(__same_type(typeof(fn) *, void (*)(struct platform_device *)))
#if defined(VEPC_REMOVE_INT) && !defined(VEPC_HAVE_REMOVE_NEW)
#define VEPC_REMOVE_DEFINE(fn)						\
	static int fn##_int(struct platform_device *pdev)		\
	{								\
		fn(pdev);						\
		return 0;						\
	}								\
	static_assert(__same_type(typeof(fn) *, void (*)(struct platform_device *)))
#define VEPC_REMOVE_OP(fn)	.remove = fn##_int
#elif defined(VEPC_REMOVE_INT)
#define VEPC_REMOVE_DEFINE(fn)	VEPC_REMOVE_CHECK(fn)
#define VEPC_REMOVE_OP(fn)	.remove_new = (fn)
#else
#define VEPC_REMOVE_DEFINE(fn)	VEPC_REMOVE_CHECK(fn)
#define VEPC_REMOVE_OP(fn)	.remove = (fn)
#endif

/*
 * Virtual function numbers came in 5.14: since then every EPC op and
 * pci_epc_*() call takes the function and the virtual function number,
 * before only the function.  Ops are declared with VEPC_FN_PARAMS; a
 * function driver calls vepc_epf_call(pci_epc_xxx, epf, args...).
 */
#ifdef VEPC_HAVE_VFUNC_NO
#define VEPC_FN_PARAMS		u8 fn, u8 vfn
#define vepc_epf_call(call, epf, ...) ({				\
	struct pci_epf *__epf = (epf);					\
	call(__epf->epc, __epf->func_no, __epf->vfunc_no, ##__VA_ARGS__); })
#else
#define VEPC_FN_PARAMS		u8 fn
#define vepc_epf_call(call, epf, ...) ({				\
	struct pci_epf *__epf = (epf);					\
	call(__epf->epc, __epf->func_no, ##__VA_ARGS__); })
#endif

/* 5.12 added the secondary EPC interface: these calls name the primary one */
#ifdef VEPC_HAVE_EPC_INTERFACE
#define vepc_epc_add_epf(epc, epf)	pci_epc_add_epf(epc, epf, PRIMARY_INTERFACE)
#define vepc_epc_remove_epf(epc, epf)	pci_epc_remove_epf(epc, epf, PRIMARY_INTERFACE)
#define vepc_epf_free_space(epf, addr, bar)				\
	pci_epf_free_space(epf, addr, bar, PRIMARY_INTERFACE)
#else
#define vepc_epc_add_epf(epc, epf)	pci_epc_add_epf(epc, epf)
#define vepc_epc_remove_epf(epc, epf)	pci_epc_remove_epf(epc, epf)
#define vepc_epf_free_space(epf, addr, bar) pci_epf_free_space(epf, addr, bar)
#endif

/*
 * Scan and add the host bridge with the MSI domain d.  Since 5.13 the
 * bridge device carries it (and msi_domain says the bridge relies on one:
 * no domain means "no MSI" to the core rather than a WARN).  5.10 looks
 * for the root bus's domain in firmware only, so the domain goes on the
 * root bus and on its devices between the scan and the driver binding, as
 * pci_host_probe() would do it otherwise.
 */
#ifdef VEPC_HAVE_BRIDGE_MSI_DOMAIN
static inline int vepc_host_probe(struct pci_host_bridge *bridge,
				  struct irq_domain *d)
{
	bridge->msi_domain = true;
	dev_set_msi_domain(&bridge->dev, d);
	return pci_host_probe(bridge);
}
#else
static inline int vepc_host_probe(struct pci_host_bridge *bridge,
				  struct irq_domain *d)
{
	struct pci_dev *pdev;
	int ret;

	dev_set_msi_domain(&bridge->dev, d);
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret < 0)
		return ret;
	dev_set_msi_domain(&bridge->bus->dev, d);
	list_for_each_entry(pdev, &bridge->bus->devices, bus_list)
		dev_set_msi_domain(&pdev->dev, d);
	pci_bus_size_bridges(bridge->bus);
	pci_bus_assign_resources(bridge->bus);
	pci_bus_add_devices(bridge->bus);
	return 0;
}
#endif

/* generic_handle_domain_irq_safe() is 5.19+ */
#ifdef VEPC_HAVE_HANDLE_DOMAIN_IRQ_SAFE
#define vepc_handle_domain_irq_safe(d, hw) generic_handle_domain_irq_safe(d, hw)
#define vepc_handle_irq_safe(irq)	generic_handle_irq_safe(irq)
#else
static inline int vepc_handle_irq_safe(unsigned int irq)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = generic_handle_irq(irq);
	local_irq_restore(flags);
	return ret;
}

static inline int vepc_handle_domain_irq_safe(struct irq_domain *d,
					      unsigned int hwirq)
{
	unsigned int irq = irq_find_mapping(d, hwirq);

	return irq ? vepc_handle_irq_safe(irq) : -EINVAL;
}
#endif

/*
 * pci_epf_alloc_space() takes the EPC features (6.9+), an alignment and an
 * interface (5.11+), or only an alignment (5.10).
 */
#if defined(VEPC_ALLOC_SPACE_FEATURES)
#define vepc_epf_alloc_space(epf, size, bar, feat)			\
	pci_epf_alloc_space(epf, size, bar, feat, PRIMARY_INTERFACE)
#elif defined(VEPC_ALLOC_SPACE_ALIGN_IF)
#define vepc_epf_alloc_space(epf, size, bar, feat)			\
	pci_epf_alloc_space(epf, size, bar, (feat)->align, PRIMARY_INTERFACE)
#else
#define vepc_epf_alloc_space(epf, size, bar, feat)			\
	pci_epf_alloc_space(epf, size, bar, (feat)->align)
#endif

/* probe() got the matched id in 6.4; the ops became const in 6.4 too */
#ifdef VEPC_EPF_PROBE_NO_ID
#define VEPC_EPF_PROBE_DECL(fn)	int fn(struct pci_epf *epf)
#else
#define VEPC_EPF_PROBE_DECL(fn)						\
	int fn(struct pci_epf *epf, const struct pci_epf_device_id *id)
#endif
#ifdef VEPC_EPF_OPS_CONST
#define VEPC_EPF_OPS_QUAL	const
#else
#define VEPC_EPF_OPS_QUAL
#endif

#endif /* VEPC_COMPAT_H */
