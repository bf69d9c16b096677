/* pci_epc_features has core_init_notifier: init waits for the CORE_INIT event when set (before 6.11) */
#include <linux/pci-epc.h>
bool nepf_probe(const struct pci_epc_features *f);
bool nepf_probe(const struct pci_epc_features *f)
{
	return f->core_init_notifier;
}
