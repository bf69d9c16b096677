// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_driver's probe() gets the matched pci_epf_device_id (6.4+) */
#include <linux/pci-epc.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct pci_epf_driver *)0)->probe),
	int (*)(struct pci_epf *, const struct pci_epf_device_id *)), "");
