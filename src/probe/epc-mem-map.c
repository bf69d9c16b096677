// SPDX-License-Identifier: GPL-2.0
/* pci_epc_mem_map()/pci_epc_mem_unmap() and struct pci_epc_map (6.13+, 6.12.y) */
#include <linux/pci-epc.h>
int nepf_probe(struct pci_epc *epc, struct pci_epc_map *map);
int nepf_probe(struct pci_epc *epc, struct pci_epc_map *map)
{
	int ret = pci_epc_mem_map(epc, 0, 0, 0x1000, 4096, map);

	pci_epc_mem_unmap(epc, 0, 0, map);
	return ret + (int)map->pci_size + !!map->virt_addr;
}
