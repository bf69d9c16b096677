// SPDX-License-Identifier: GPL-2.0
/* pci_epc_raise_irq() takes PCI_IRQ_INTX/MSI/MSIX (6.8+), not enum pci_epc_irq_type */
#include <linux/pci.h>
#include <linux/pci-epc.h>
_Static_assert(__builtin_types_compatible_p(typeof(&pci_epc_raise_irq),
	int (*)(struct pci_epc *, u8, u8, unsigned int, u16)), "");
unsigned int nepf_probe = PCI_IRQ_INTX;
