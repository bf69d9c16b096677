// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_ops has add_cfs(): a driver group under pci_ep/functions/<drv>/<f>/ (5.12+) */
#include <linux/configfs.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct pci_epf_ops *)0)->add_cfs),
	struct config_group *(*)(struct pci_epf *, struct config_group *)), "");
