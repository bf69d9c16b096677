// SPDX-License-Identifier: GPL-2.0
/* struct pci_epc_event_ops has bus_master_enable (6.11+) */
#include <linux/pci-epc.h>
const struct pci_epc_event_ops nepf_probe = { .bus_master_enable = NULL };
