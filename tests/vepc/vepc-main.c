// SPDX-License-Identifier: GPL-2.0
/*
 * vepc module entry: parameters, the platform device "vepc.0" that parents
 * the EPC (and owns the dmaengine provider), probe/remove ordering.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "vepc.h"
#include "vepc-compat.h"

static unsigned long hidden_base = 0xa0000000;
module_param(hidden_base, ulong, 0444);
MODULE_PARM_DESC(hidden_base, "RAM above mem= used for BARs and windows (default 0xa0000000)");

static unsigned long hidden_size = 0x20000000;
module_param(hidden_size, ulong, 0444);
MODULE_PARM_DESC(hidden_size, "size of that RAM (default 512 MiB: -m 2G mem=1536M)");

static unsigned int windows = 16;
module_param(windows, uint, 0444);
MODULE_PARM_DESC(windows, "outbound windows: max concurrent map_addr() (default 16, max 64)");

static unsigned int window_mb = 32;
module_param(window_mb, uint, 0444);
MODULE_PARM_DESC(window_mb, "outbound address space in MiB shared by the windows (default 32)");

static unsigned int dma_channels = 2;
module_param(dma_channels, uint, 0444);
MODULE_PARM_DESC(dma_channels, "read and write dmaengine channels each (default 2, 0 = no DMA)");

static bool edma;
module_param(edma, bool, 0444);
MODULE_PARM_DESC(edma, "expose an emulated DesignWare eDMA block (reg \"dma\") instead of dmaengine channels");

bool vepc_no_msi;
module_param_named(no_msi, vepc_no_msi, bool, 0444);
MODULE_PARM_DESC(no_msi, "hide the MSI capability from the host");

bool vepc_no_msix;
module_param_named(no_msix, vepc_no_msix, bool, 0444);
MODULE_PARM_DESC(no_msix, "hide the MSI-X capability from the host");

bool vepc_iommu = true;
module_param_named(iommu, vepc_iommu, bool, 0444);
MODULE_PARM_DESC(iommu, "refuse endpoint access to host memory the host did not DMA-map (default 1)");

bool vepc_epoch_drop = true;
module_param_named(epoch_drop, vepc_epoch_drop, bool, 0644);
MODULE_PARM_DESC(epoch_drop, "drop a DMA transfer or window write issued before a link loss and due after the link came back, as the loss would have aborted it (default 1; 0: let it through, only counted in stale_epoch)");

bool vepc_link_cut = true;
module_param_named(link_cut, vepc_link_cut, bool, 0444);
MODULE_PARM_DESC(link_cut, "a surprise link down cuts the function off the host's memory first, as a real link does (default 1; 0: the host device is removed first with the function's path still open, the order before 2026-12-07)");

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "create, bind and start the built-in vepc_selftest function (stop it through debugfs vepc/selftest_fn before unloading)");

static struct platform_device *vepc_pdev;

static int vepc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vepc *v;
	int ret;

	v = devm_kzalloc(dev, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->dev = dev;
	v->hid_base = hidden_base;
	if (edma)	/* the start of the last MiB, below the MSI tag */
		v->edma_phys = hidden_base + hidden_size - SZ_1M;
	v->hid_size = hidden_size;
	v->win_size = (size_t)window_mb << 20;
	v->win_count = clamp(windows, 1U, (unsigned int)VEPC_MAX_WINDOWS);
	v->win_limit = v->win_count;
	mutex_init(&v->win_lock);
	mutex_init(&v->host_lock);
	spin_lock_init(&v->cfg_lock);
	spin_lock_init(&v->msi_lock);
	xa_init_flags(&v->host_maps, XA_FLAGS_LOCK_IRQ);
	platform_set_drvdata(pdev, v);

	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	ret = vepc_mem_init(v);
	if (ret)
		return ret;
	ret = vepc_irq_init(v);
	if (ret)
		goto err_mem;
	ret = vepc_iommu_init(v);
	if (ret)
		goto err_irq;
	ret = vepc_epc_init(v);
	if (ret)
		goto err_iommu;
	ret = v->edma_phys ? vepc_edma_init(v) : vepc_dma_init(v, dma_channels);
	if (ret)
		goto err_epc;
	vepc_debugfs_init(v);
	ret = vepc_selftest_host_register(v);
	if (ret)
		goto err_dbg;
	if (selftest) {
		ret = vepc_selftest_ep_start(v);
		if (ret)
			goto err_st;
	}
	dev_info(dev, "EPC %s: %u windows in %zu MiB, %u+%u DMA channels%s%s%s%s\n",
		 dev_name(&v->epc->dev), v->win_count, v->win_size >> 20,
		 v->dma ? dma_channels : 0, v->dma ? dma_channels : 0,
		 v->edma ? ", emulated eDMA" : "", vepc_no_msix ? ", no MSI-X" : "",
		 vepc_no_msi ? ", no MSI" : "", vepc_iommu ? "" : ", IOMMU off");
	return 0;

err_st:
	vepc_selftest_host_unregister();
err_dbg:
	vepc_debugfs_exit(v);
	vepc_dma_exit(v);
	vepc_edma_exit(v);
err_epc:
	vepc_link_set(v, false, false);
	destroy_workqueue(v->link_wq);
	pci_epc_mem_exit(v->epc);
err_iommu:
	vepc_iommu_exit(v);
err_irq:
	vepc_irq_exit(v);
err_mem:
	vepc_mem_exit(v);
	return ret;
}

static void vepc_remove(struct platform_device *pdev)
{
	struct vepc *v = platform_get_drvdata(pdev);

	vepc_selftest_ep_stop(v);
	vepc_selftest_host_unregister();
	/* host devices go before anything they might still touch */
	vepc_link_set(v, false, false);
	destroy_workqueue(v->link_wq);
	vepc_debugfs_exit(v);
	vepc_dma_exit(v);
	vepc_edma_exit(v);
	pci_epc_mem_exit(v->epc);
	vepc_iommu_exit(v);
	vepc_irq_exit(v);
	vepc_mem_exit(v);
}

VEPC_REMOVE_DEFINE(vepc_remove);

static struct platform_driver vepc_driver = {
	.probe = vepc_probe,
	VEPC_REMOVE_OP(vepc_remove),
	.driver = { .name = "vepc" },
};

static int __init vepc_init(void)
{
	/* An initializer: before 6.4 DEFINE_RES_NAMED() is no compound literal. */
	struct resource edma_res = DEFINE_RES_MEM_NAMED(hidden_base + hidden_size -
							SZ_1M, VEPC_EDMA_SIZE,
							"dma");
	int ret;

	ret = vepc_selftest_ep_register();
	if (ret)
		return ret;
	ret = platform_driver_register(&vepc_driver);
	if (ret)
		goto err_st;
	/* The emulated eDMA is found the way a DWC controller's is. */
	vepc_pdev = platform_device_register_simple("vepc", 0, &edma_res, edma);
	if (IS_ERR(vepc_pdev)) {
		ret = PTR_ERR(vepc_pdev);
		goto err_drv;
	}
	if (!platform_get_drvdata(vepc_pdev)) {
		pr_err("probe failed, see above\n");
		ret = -ENODEV;
		goto err_dev;
	}
	return 0;

err_dev:
	platform_device_unregister(vepc_pdev);
err_drv:
	platform_driver_unregister(&vepc_driver);
err_st:
	vepc_selftest_ep_unregister();
	return ret;
}

static void __exit vepc_exit(void)
{
	platform_device_unregister(vepc_pdev);
	platform_driver_unregister(&vepc_driver);
	vepc_selftest_ep_unregister();
}

module_init(vepc_init);
module_exit(vepc_exit);
MODULE_DESCRIPTION("test-only virtual PCI endpoint controller and host bridge");
MODULE_LICENSE("GPL");
