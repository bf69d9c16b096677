// SPDX-License-Identifier: GPL-2.0
/* struct pci_epf_header has interrupt_pin */
#include <linux/pci-epc.h>
void nepf_probe(struct pci_epf_header *h);
void nepf_probe(struct pci_epf_header *h)
{
	h->interrupt_pin = PCI_INTERRUPT_INTA;
}
