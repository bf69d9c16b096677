// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: drivers/pci/endpoint/pci-ep-cfs.c as a loadable module, for
 * kernels built without CONFIG_PCI_ENDPOINT_CONFIGFS (Debian's arm64).
 *
 * The kernel's file is compiled unchanged except for two lines
 * (tests/intree/build.sh): its module_init()/module_exit() are removed and
 * its exit function loses __exit (our init calls it on failure).  This file
 * includes it and provides the module's entry points.
 *
 * Why more than the kernel's init: in such a kernel the EPF and EPC cores
 * call the static inline stubs of <linux/pci-ep-cfs.h>, so nobody creates
 * the functions/<driver>/ group of a registered EPF driver or the
 * controllers/<epc>/ group of a registered EPC.  This module creates them
 * from two parameters:
 *   functions=nvmet_pci_epf,nvme_epf    EPF driver names (pci_epf_device_id)
 *   controllers=vepc.0                  EPC names (/sys/class/pci_epc/)
 * An EPF group whose driver is not loaded yet still works: mkdir in it
 * creates the pci_epf device, which binds when the driver registers (but
 * the driver's own configfs sub-group only appears if it was bound at mkdir
 * time, as with the built-in configfs).
 */
#include "pci-ep-cfs-kernel.c"

#include <linux/string.h>

static char *functions = "nvmet_pci_epf,nvme_epf,vepc_selftest";
module_param(functions, charp, 0444);
MODULE_PARM_DESC(functions, "EPF driver names to create functions/<name>/ groups for (comma separated)");

static char *controllers = "";
module_param(controllers, charp, 0444);
MODULE_PARM_DESC(controllers, "EPC names to create controllers/<name>/ groups for (comma separated)");

#define NEPF_CFS_MAX_EPC 16

static LIST_HEAD(nepf_cfs_epf_groups);
static struct config_group *nepf_cfs_epc_groups[NEPF_CFS_MAX_EPC];

static void nepf_cfs_remove_groups(void)
{
	struct config_group *group, *tmp;
	int i;

	for (i = 0; i < NEPF_CFS_MAX_EPC; i++) {
		pci_ep_cfs_remove_epc_group(nepf_cfs_epc_groups[i]);
		nepf_cfs_epc_groups[i] = NULL;
	}
	/* pci_ep_cfs_remove_epf_group() unlinks group_entry itself. */
	list_for_each_entry_safe(group, tmp, &nepf_cfs_epf_groups, group_entry)
		pci_ep_cfs_remove_epf_group(group);
}

/* Call @add for each name of the comma separated @list. */
static int nepf_cfs_for_each(const char *list, int (*add)(const char *name, int idx))
{
	char *copy, *cur, *name;
	int ret = 0, idx = 0;

	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while ((name = strsep(&cur, ",")) != NULL) {
		name = strim(name);
		if (!*name)
			continue;
		ret = add(name, idx++);
		if (ret)
			break;
	}
	kfree(copy);
	return ret;
}

static int nepf_cfs_add_epf(const char *name, int idx)
{
	struct config_group *group = pci_ep_cfs_add_epf_group(name);

	if (IS_ERR(group))
		return PTR_ERR(group);
	list_add_tail(&group->group_entry, &nepf_cfs_epf_groups);
	return 0;
}

static int nepf_cfs_add_epc(const char *name, int idx)
{
	struct config_group *group;

	if (idx >= NEPF_CFS_MAX_EPC)
		return -E2BIG;
	group = pci_ep_cfs_add_epc_group(name);
	if (IS_ERR(group)) {
		pr_err("pci_ep_cfs: no endpoint controller %s (%pe)\n", name, group);
		return PTR_ERR(group);
	}
	nepf_cfs_epc_groups[idx] = group;
	return 0;
}

static int __init nepf_cfs_init(void)
{
	int ret;

	ret = pci_ep_cfs_init();
	if (ret)
		return ret;
	ret = nepf_cfs_for_each(functions, nepf_cfs_add_epf);
	if (!ret)
		ret = nepf_cfs_for_each(controllers, nepf_cfs_add_epc);
	if (ret) {
		nepf_cfs_remove_groups();
		pci_ep_cfs_exit();
	}
	return ret;
}
module_init(nepf_cfs_init);

static void __exit nepf_cfs_exit(void)
{
	nepf_cfs_remove_groups();
	pci_ep_cfs_exit();
}
module_exit(nepf_cfs_exit);

MODULE_LICENSE("GPL");
