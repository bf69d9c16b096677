// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_driver's remove() returns void (5.12+; was int) */
#include <linux/pci-epc.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct pci_epf_driver *)0)->remove),
	void (*)(struct pci_epf *)), "");
