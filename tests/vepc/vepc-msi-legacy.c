// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI domain on kernels without MSI parent domains (5.10, 6.1): a
 * PCI/MSI domain (pci_msi_create_irq_domain) stacked on ours, as host
 * controller drivers of that time did (pcie-xilinx before 6.x).  The
 * bridge gets the PCI/MSI domain; interrupts are delivered to ours.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>

#include "vepc.h"
#include "vepc-compat.h"

static const struct irq_domain_ops vepc_msi_domain_ops = {
	.alloc = vepc_msi_alloc,
	.free = vepc_msi_free,
};

static struct irq_chip vepc_msi_top_chip = {
	.name = "vepc-pci-msi",
	.irq_mask = pci_msi_mask_irq,
	.irq_unmask = pci_msi_unmask_irq,
};

static struct msi_domain_info vepc_msi_info = {
	.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS |
		 MSI_FLAG_MULTI_PCI_MSI | MSI_FLAG_PCI_MSIX,
	.chip = &vepc_msi_top_chip,
};

int vepc_msi_domain_create(struct vepc *v)
{
	struct irq_domain *d, *top;

	d = irq_domain_create_linear(v->msi_fwnode, VEPC_MSI_HWIRQS,
				     &vepc_msi_domain_ops, v);
	if (!d)
		return -ENOMEM;
	top = pci_msi_create_irq_domain(v->msi_fwnode, &vepc_msi_info, d);
	if (!top) {
		irq_domain_remove(d);
		return -ENOMEM;
	}
	v->msi_domain = d;
	v->bridge_msi_domain = top;
	return 0;
}

void vepc_msi_domain_remove(struct vepc *v)
{
	irq_domain_remove(v->bridge_msi_domain);
	irq_domain_remove(v->msi_domain);
}
