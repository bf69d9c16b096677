// SPDX-License-Identifier: GPL-2.0
/* pci_epc_event_ops has epc_init and epc_deinit (6.11+; was core_init) */
#include <linux/pci-epc.h>
const struct pci_epc_event_ops nepf_probe = { .epc_init = NULL, .epc_deinit = NULL };
