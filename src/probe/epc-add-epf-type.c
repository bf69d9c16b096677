// SPDX-License-Identifier: GPL-2.0
/* pci_epc_add_epf()/remove_epf() take an interface type (5.12+) */
#include <linux/pci-epc.h>
int nepf_probe(struct pci_epc *epc, struct pci_epf *epf);
int nepf_probe(struct pci_epc *epc, struct pci_epf *epf)
{
	pci_epc_remove_epf(epc, epf, PRIMARY_INTERFACE);
	return pci_epc_add_epf(epc, epf, PRIMARY_INTERFACE);
}
