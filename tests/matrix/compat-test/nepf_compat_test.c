// SPDX-License-Identifier: GPL-2.0
/*
 * Calls every wrapper of src/compat.h so that "make matrix" proves each one
 * compiles (and links against the kernel's exports) on every target.  Never
 * loaded: the calls run on objects nobody created.
 */
#include <linux/module.h>
#include "compat.h"

static int t_init(struct pci_epf *epf) { return 0; }
static int t_deinit(struct pci_epf *epf) { return 0; }
static int t_up(struct pci_epf *epf) { return 0; }
static int t_down(struct pci_epf *epf) { return 0; }
NEPF_EPC_EVENT_OPS(t_events, t_init, t_deinit, t_up, t_down);

static int t_probe(struct pci_epf *epf)
{
	return 0;
}

static void t_remove(struct pci_epf *epf)
{
}

NEPF_EPF_PROBE_WRAP(t_probe)
NEPF_EPF_REMOVE_WRAP(t_remove)

static const struct pci_epf_device_id t_ids[] = { { .name = "nepf_compat_test" }, {} };

static int t_bind(struct pci_epf *epf) { return 0; }
static void t_unbind(struct pci_epf *epf) { }
static NEPF_EPF_OPS_CONST struct pci_epf_ops t_ops = { .bind = t_bind, .unbind = t_unbind };

static struct pci_epf_driver t_driver = {
	.ops = &t_ops,
	.driver.name = "nepf_compat_test",
	.probe = t_probe_wrap,
	.remove = t_remove_wrap,
	.id_table = t_ids,
	.owner = THIS_MODULE,
};

static NEPF_KI_COMPLETE_DECL(t_complete)
{
}

static NEPF_CONFIGFS_CONST struct configfs_item_operations t_item_ops;
static const struct config_item_type t_type = { .ct_item_ops = &t_item_ops };

/* Exported so the compiler keeps every call. */
int nepf_compat_exercise(struct pci_epf *epf, struct kiocb *iocb, struct config_group *g);
int nepf_compat_exercise(struct pci_epf *epf, struct kiocb *iocb, struct config_group *g)
{
	const struct pci_epc_features *f = nepf_epc_get_features(epf);
	struct nepf_bdev_handle h;
	struct nepf_epc_map map;
	struct bio *bio;
	int ret = 0;
	void *p;

	ret |= nepf_epc_write_header(epf, epf->header);
	ret |= nepf_epc_set_bar(epf, &epf->bar[BAR_0]);
	nepf_epc_clear_bar(epf, &epf->bar[BAR_0]);
	ret |= nepf_epc_set_msi(epf, 4) | nepf_epc_get_msi(epf);
	ret |= nepf_epc_set_msix(epf, 8, BAR_0, 0x2000) | nepf_epc_get_msix(epf);
	ret |= nepf_epc_raise_irq(epf, 0 /* NEPF_IRQ_INTX */, 1);
	ret |= nepf_epc_raise_irq(epf, 2 /* NEPF_IRQ_MSIX */, 2);
	ret |= nepf_epc_map_addr(epf, 0, 0x1000, 4096);
	nepf_epc_unmap_addr(epf, 0);
	ret |= nepf_epc_mem_map(epf, 0x1234, 512, &map);
	if (!ret && map.pci_size && map.virt_addr && map.phys_addr)
		nepf_epc_mem_unmap(epf, &map);
	ret |= nepf_epc_add_epf(epf->epc, epf);
	nepf_epc_remove_epf(epf->epc, epf);
	ret |= nepf_epc_init_done(epf, f);
	p = nepf_epf_alloc_space(epf, BAR_0, SZ_16K, f);
	nepf_epf_free_space(epf, BAR_0, p);
	ret |= nepf_bar_is_reserved(f, BAR_2);
	ret |= (int)nepf_bar_fixed_size(f, BAR_4);
	ret |= nepf_epc_events_register(epf, &t_events);
	nepf_epc_events_unregister(epf);

	ret |= nepf_bdev_open("/dev/null", true, epf, &h);
	bio = nepf_bio_alloc(nepf_bdev(&h), 1, REQ_OP_WRITE | REQ_FUA, GFP_KERNEL);
	if (bio)
		bio_put(bio);
	ret |= (int)nepf_bdev_nr_sectors(nepf_bdev(&h));
	ret |= nepf_bdev_max_discard_sectors(nepf_bdev(&h));
	ret |= bdev_write_zeroes_sectors(nepf_bdev(&h)) + bdev_logical_block_size(nepf_bdev(&h));
	nepf_bdev_close(&h);

	iocb->ki_complete = t_complete;
	iocb->ki_flags |= IOCB_NOWAIT;
	ret |= ITER_DEST + ITER_SOURCE;
	config_group_init_type_name(g, "t", &t_type);
	return ret;
}
EXPORT_SYMBOL_GPL(nepf_compat_exercise);

static int __init t_mod_init(void)
{
	return pci_epf_register_driver(&t_driver);
}
module_init(t_mod_init);

static void __exit t_mod_exit(void)
{
	pci_epf_unregister_driver(&t_driver);
}
module_exit(t_mod_exit);

MODULE_DESCRIPTION("nvme-epf compat.h build test");
MODULE_LICENSE("GPL");
