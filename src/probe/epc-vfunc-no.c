// SPDX-License-Identifier: GPL-2.0
/* pci_epc_*() take a virtual function number after func_no (5.14+) */
#include <linux/pci-epc.h>
int nepf_probe(struct pci_epc *epc, struct pci_epf_header *hdr);
int nepf_probe(struct pci_epc *epc, struct pci_epf_header *hdr)
{
	return pci_epc_write_header(epc, 0, 0, hdr);
}
