// SPDX-License-Identifier: GPL-2.0
/* pci_epc_features.bar[] are pci_epc_bar_desc (6.9+), not reserved_bar/bar_fixed_* */
#include <linux/pci-epc.h>
int nepf_probe(const struct pci_epc_features *f);
int nepf_probe(const struct pci_epc_features *f)
{
	return f->bar[0].type == BAR_RESERVED || f->bar[0].only_64bit || f->bar[0].fixed_size;
}
