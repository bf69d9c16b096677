// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI domain on kernels with MSI parent domains (6.12, 7.x): ours is
 * the bridge's parent domain and the PCI core makes a per-device domain
 * on top of it (msi_lib).
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>

#include "vepc.h"
#include "vepc-compat.h"

static const struct irq_domain_ops vepc_msi_domain_ops = {
	.select = msi_lib_irq_domain_select,
	.alloc = vepc_msi_alloc,
	.free = vepc_msi_free,
};

static const struct msi_parent_ops vepc_msi_parent_ops = {
	.required_flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS |
			  VEPC_MSI_NO_AFFINITY,
	.supported_flags = MSI_GENERIC_FLAGS_MASK | MSI_FLAG_MULTI_PCI_MSI |
			   MSI_FLAG_PCI_MSIX,
	.bus_select_token = DOMAIN_BUS_NEXUS,
	.bus_select_mask = MATCH_PCI_MSI,
	.prefix = "vepc-",
	.init_dev_msi_info = msi_lib_init_dev_msi_info,
};

int vepc_msi_domain_create(struct vepc *v)
{
	struct irq_domain_info info = {
		.fwnode = v->msi_fwnode,
		.size = VEPC_MSI_HWIRQS,
		.hwirq_max = VEPC_MSI_HWIRQS,
		.ops = &vepc_msi_domain_ops,
		.host_data = v,
	};
	struct irq_domain *d;

	/* what msi_create_parent_irq_domain() does on 7.x, open-coded for 6.12 */
	d = irq_domain_instantiate(&info);
	if (IS_ERR(d))
		return PTR_ERR(d);
	irq_domain_update_bus_token(d, DOMAIN_BUS_NEXUS);
	d->flags |= IRQ_DOMAIN_FLAG_MSI_PARENT;
	d->msi_parent_ops = &vepc_msi_parent_ops;
	v->msi_domain = d;
	v->bridge_msi_domain = d;
	return 0;
}

void vepc_msi_domain_remove(struct vepc *v)
{
	irq_domain_remove(v->msi_domain);
}
