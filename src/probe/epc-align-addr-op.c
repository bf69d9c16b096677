// SPDX-License-Identifier: GPL-2.0
/* struct pci_epc_ops has the align_addr op (6.13+, 6.12.y) */
#include <linux/pci-epc.h>
const struct pci_epc_ops nepf_probe = { .align_addr = NULL };
