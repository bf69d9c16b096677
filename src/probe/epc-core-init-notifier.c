// SPDX-License-Identifier: GPL-2.0
/* pci_epc_features.core_init_notifier: wait for CORE_INIT when set (before 6.11) */
#include <linux/pci-epc.h>
bool nepf_probe(const struct pci_epc_features *f);
bool nepf_probe(const struct pci_epc_features *f)
{
	return f->core_init_notifier;
}
