// SPDX-License-Identifier: GPL-2.0
/*
 * configfs-pci-ep.c - the standard pci_ep/ flow, on kernels with
 * CONFIG_PCI_ENDPOINT_CONFIGFS and pci_epf_ops.add_cfs:
 *
 *   mkdir pci_ep/functions/nvme_epf/<f>    the EPF core creates the epf (our
 *                                          probe gives it a header), add_cfs
 *                                          gives it <f>/nvme/
 *   <f>/vendorid deviceid ... msix_interrupts msi_interrupts   pci_ep/'s own
 *   <f>/nvme/subsystem max_io_queues queue_depth mdts_kb buf_budget_kb dma
 *   sgl cmb poll_cpu, status/,
 *   inject/: a function of ours (configfs.c, same attribute code)
 *   ln -s <f> pci_ep/controllers/<epc>/    bind: the controller is built
 *   echo 1 > pci_ep/controllers/<epc>/start
 *
 * Lifetime: the nvme/ group lives as long as the epf: our driver's remove
 * frees it.  pci_ep/ destroys the epf only after rmdir has detached the
 * group (and configfs calls no show/store of a detached item), and never
 * drops the group's initial reference, so there is no release callback to
 * wait for.  The attributes are our code, so the module is pinned from
 * add_cfs to remove.  The pin is dropped inside remove: our module exit
 * (driver_unregister) waits for the device lock that remove runs under.
 */
#include <linux/module.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include "compat.h"
#include "configfs-priv.h"

static const struct config_item_type nepf_pci_ep_type = {
	.ct_attrs = nepf_fn_pci_ep_attrs,
	.ct_owner = THIS_MODULE,
};

/* add_cfs: called by pci_ep/'s mkdir, epf->lock held. */
struct config_group *nepf_cfs_pci_ep_add(struct pci_epf *epf,
					 struct config_group *group)
{
	const char *name = config_item_name(&group->cg_item);
	struct nepf_cfs_fn *cfn;

	if (strlen(name) >= sizeof(cfn->fn.name)) {
		dev_err(&epf->dev, "pci_ep function name '%s' too long for nvme_epf (%zu bytes at most)\n",
			name, sizeof(cfn->fn.name) - 1);
		return ERR_PTR(-ENAMETOOLONG);
	}
	if (!try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);
	cfn = kzalloc(sizeof(*cfn), GFP_KERNEL);
	if (!cfn) {
		module_put(THIS_MODULE);
		return ERR_PTR(-ENOMEM);
	}
	nepf_cfs_fn_init(cfn, name, "nvme", &nepf_pci_ep_type);
	cfn->fn.pci_ep = true;
	/* Same vector defaults as nvme_epf/: one per queue and the admin queue. */
	epf->msix_interrupts = cfn->fn.cfg.msix_vectors;
	epf->msi_interrupts = cfn->fn.cfg.msi_vectors;
	epf_set_drvdata(epf, &cfn->fn);
	return &cfn->group;
}

/*
 * At bind (epf->lock and nepf_serve_lock held): refuse a function that is
 * not fully configured, else take pci_ep/'s attributes into fn->cfg, where
 * the glue reads everything from.
 */
int nepf_cfs_pci_ep_prepare(struct nepf_function *fn, struct pci_epf *epf)
{
	struct nepf_function_config *c = &fn->cfg;
	const struct pci_epf_header *h = epf->header;

	lockdep_assert_held(&nepf_serve_lock);
	if (!fn->subsys) {
		dev_err(&epf->dev, "write a subsystem name to nvme/subsystem before linking the function to a controller\n");
		return -EINVAL;
	}
	if (!h)
		return -EINVAL;
	/* 0xffff is what the host reads where there is no device. */
	if (h->vendorid == 0xffff || h->deviceid == 0xffff) {
		dev_err(&epf->dev, "vendorid/deviceid 0xffff: the host would see no device\n");
		return -EINVAL;
	}
	if (epf->msix_interrupts > NEPF_MAX_VECTORS ||
	    epf->msi_interrupts > NEPF_MAX_MSI_VECTORS) {
		dev_err(&epf->dev, "msix_interrupts must be 0..%u and msi_interrupts 0..%u (are %u, %u)\n",
			NEPF_MAX_VECTORS, NEPF_MAX_MSI_VECTORS,
			epf->msix_interrupts, epf->msi_interrupts);
		return -ERANGE;
	}
	c->vendor_id = h->vendorid;
	c->device_id = h->deviceid;
	c->subsys_vendor_id = h->subsys_vendor_id;
	c->subsys_id = h->subsys_id;
	c->class_code = h->baseclass_code << 16 | h->subclass_code << 8 |
			h->progif_code;
	c->msix_vectors = epf->msix_interrupts;
	c->msi_vectors = epf->msi_interrupts;
	c->func_no = epf->func_no;
	strscpy(c->epc_name, dev_name(&epf->epc->dev), sizeof(c->epc_name));
	return 0;
}

/* Our driver's remove: the epf goes away (pci_ep/ rmdir). */
void nepf_cfs_pci_ep_remove(struct nepf_function *fn)
{
	struct nepf_cfs_fn *cfn = container_of(fn, struct nepf_cfs_fn, fn);

	WARN_ON(fn->glue);	/* pci_ep/ refuses rmdir while linked */
	mutex_lock(&nepf_serve_lock);
	nepf_cfs_fn_put_subsys(cfn);
	mutex_unlock(&nepf_serve_lock);
	kfree(cfn);
	module_put(THIS_MODULE);
}
