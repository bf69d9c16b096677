// SPDX-License-Identifier: GPL-2.0
/* enum pci_epc_bar_type has BAR_DISABLED (7.x): a BAR that does not exist */
#include <linux/pci-epc.h>
int nepf_probe(const struct pci_epc_features *f);
int nepf_probe(const struct pci_epc_features *f)
{
	return f->bar[0].type == BAR_DISABLED;
}
