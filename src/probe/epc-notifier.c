// SPDX-License-Identifier: GPL-2.0
/* EPC events come through pci_epc_register_notifier() with CORE_INIT/LINK_UP (before 6.4) */
#include <linux/pci-epc.h>
int nepf_probe(struct pci_epc *epc, struct pci_epf *epf);
int nepf_probe(struct pci_epc *epc, struct pci_epf *epf)
{
	return pci_epc_register_notifier(epc, &epf->nb) + CORE_INIT + LINK_UP;
}
