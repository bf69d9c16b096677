// SPDX-License-Identifier: GPL-2.0
/* pci_epf_alloc_space(epf, size, bar, epc_features, type) (6.9+; before: align) */
#include <linux/pci-epc.h>
_Static_assert(__builtin_types_compatible_p(typeof(&pci_epf_alloc_space),
	void *(*)(struct pci_epf *, size_t, enum pci_barno,
		  const struct pci_epc_features *, enum pci_epc_interface_type)), "");
