// SPDX-License-Identifier: GPL-2.0
/* struct pci_epc_mem has a window with its page_size (5.7+) */
#include <linux/pci-epc.h>
size_t nepf_probe(struct pci_epc *epc);
size_t nepf_probe(struct pci_epc *epc)
{
	return epc->mem->window.page_size;
}
