// SPDX-License-Identifier: GPL-2.0
/* EPC events reach the function through epf->event_ops (6.4+), not a notifier chain */
#include <linux/pci-epc.h>
void nepf_probe(struct pci_epf *epf, const struct pci_epc_event_ops *ops);
void nepf_probe(struct pci_epf *epf, const struct pci_epc_event_ops *ops)
{
	epf->event_ops = ops;
}
