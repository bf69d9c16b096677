// SPDX-License-Identifier: GPL-2.0
/* pci_epf_alloc_space()/pci_epf_free_space() take an interface type (5.12+) */
#include <linux/pci-epc.h>
void nepf_probe(struct pci_epf *epf, void *addr);
void nepf_probe(struct pci_epf *epf, void *addr)
{
	pci_epf_free_space(epf, addr, BAR_0, PRIMARY_INTERFACE);
}
