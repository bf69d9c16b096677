// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual PCI host bridge: its own PCI domain with one bus, one device
 * (devfn 0) whose config space is vepc-cfg.c, and a memory window exactly
 * the size of BAR0 at BAR0's physical address, so the PCI core has no
 * choice but to put the BAR on the memory the function polls.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/irqdomain.h>
#include <linux/pm_runtime.h>

#include "vepc.h"
#include "vepc-compat.h"

static bool vepc_cfg_target(struct pci_bus *bus, unsigned int devfn)
{
	return pci_is_root_bus(bus) && devfn == 0;
}

static int vepc_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 *val)
{
	struct vepc *v = bus->sysdata;

	if (!vepc_cfg_target(bus, devfn) || where + size > VEPC_CFG_SIZE ||
	    READ_ONCE(v->surprise)) {
		*val = 0xffffffff;
		return vepc_cfg_target(bus, devfn) ? PCIBIOS_SUCCESSFUL :
		       PCIBIOS_DEVICE_NOT_FOUND;
	}
	*val = vepc_cfg_read(v, where, size);
	return PCIBIOS_SUCCESSFUL;
}

static int vepc_pci_write(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 val)
{
	struct vepc *v = bus->sysdata;

	if (!vepc_cfg_target(bus, devfn))
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (where + size <= VEPC_CFG_SIZE)
		vepc_cfg_write(v, where, size, val);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops vepc_pci_ops = {
	.read = vepc_pci_read,
	.write = vepc_pci_write,
};

static int vepc_map_irq(const struct pci_dev *pdev, u8 slot, u8 pin)
{
	struct vepc *v = pdev->bus->sysdata;

	return pin ? v->intx_virq : 0;
}

bool vepc_host_owns(struct vepc *v, struct pci_dev *pdev)
{
	struct pci_bus *root = pdev->bus;

	/* the root bus by hand: 5.10 does not export pci_find_host_bridge() */
	while (!pci_is_root_bus(root))
		root = root->parent;
	return v->bridge && pdev->bus->sysdata == v && root == v->bridge->bus;
}

/* Called with host_lock held. */
int vepc_host_add(struct vepc *v)
{
	struct pci_host_bridge *bridge;
	int ret;

	if (v->bridge)
		return 0;
	bridge = pci_alloc_host_bridge(0);
	if (!bridge)
		return -ENOMEM;

	memset(&v->bar_res, 0, sizeof(v->bar_res));
	v->bar_res.name = "vepc BAR0";
	v->bar_res.start = v->bar_phys;
	v->bar_res.end = v->bar_phys + v->bar_size - 1;
	v->bar_res.flags = IORESOURCE_MEM;
	if (v->bar_flags & PCI_BASE_ADDRESS_MEM_PREFETCH)
		v->bar_res.flags |= IORESOURCE_PREFETCH | IORESOURCE_MEM_64;
	memset(&v->busn_res, 0, sizeof(v->busn_res));
	v->busn_res.name = "vepc bus";
	v->busn_res.end = 0;
	v->busn_res.flags = IORESOURCE_BUS;
	/* for /proc/iomem only: the hidden RAM is in nobody's tree */
	if (request_resource(&iomem_resource, &v->bar_res))
		dev_warn(v->dev, "BAR0 window not in /proc/iomem\n");
	pci_add_resource(&bridge->windows, &v->bar_res);
	pci_add_resource(&bridge->windows, &v->busn_res);

	WRITE_ONCE(v->surprise, false);
	bridge->dev.parent = v->dev;
	bridge->sysdata = v;
	bridge->busnr = 0;
	bridge->ops = &vepc_pci_ops;
	bridge->map_irq = vepc_map_irq;
	bridge->swizzle_irq = pci_common_swizzle;

	v->bridge = bridge;
	ret = vepc_host_probe(bridge, v->bridge_msi_domain);
	if (ret) {
		v->bridge = NULL;
		release_resource(&v->bar_res);
		pci_free_host_bridge(bridge);
		return ret;
	}
	/*
	 * 7.x enables runtime PM on the bridge in pci_host_probe(); nothing
	 * resumes it, so a later rescan would refuse to activate children.
	 */
	pm_runtime_get_noresume(&bridge->dev);
	dev_info(v->dev, "host: domain %04x, BAR0 at 0x%llx size 0x%zx\n",
		 pci_domain_nr(bridge->bus), (u64)v->bar_phys, v->bar_size);
	return 0;
}

/*
 * Called with host_lock held: removes the host devices and the bridge. The
 * link is gone, as on hardware: config reads return all-ones, so the host
 * driver sees a surprise removal and does not wait for a shutdown the
 * function may no longer be running to answer.
 */
void vepc_host_remove(struct vepc *v)
{
	struct pci_host_bridge *bridge = v->bridge;

	if (!bridge)
		return;
	WRITE_ONCE(v->surprise, true);
	WRITE_ONCE(v->removing, true);
	pci_lock_rescan_remove();
	pci_stop_root_bus(bridge->bus);
	pci_remove_root_bus(bridge->bus);
	pci_unlock_rescan_remove();
	WRITE_ONCE(v->removing, false);
	v->bridge = NULL;
	if (v->bar_res.parent)
		release_resource(&v->bar_res);
	dev_info(v->dev, "host: removed (%d host pages still DMA-mapped)\n",
		 atomic_read(&v->stats.host_pages));
}
