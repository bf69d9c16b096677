// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_ops has add_cfs (function-specific configfs attributes) */
#include <linux/pci-epc.h>
const struct pci_epf_ops nepf_probe = { .add_cfs = NULL };
