// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_driver points to const struct pci_epf_ops */
#include <linux/pci-epc.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct pci_epf_driver *)0)->ops),
	const struct pci_epf_ops *), "");
