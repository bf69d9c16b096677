// SPDX-License-Identifier: GPL-2.0
/*
 * epf-glue.c - the "nvme_epf" PCI endpoint function driver.
 *
 * A function is brought up from our own configfs tree (configfs.c calls
 * nepf_function_start()): we create the pci_epf ourselves, so neither
 * CONFIG_PCI_ENDPOINT_CONFIGFS nor its pci_ep/ tree is needed.  The EPC
 * calls back into us under the epf's own mutex (bind/unbind and the event
 * ops), so those callbacks never take the function's start/stop lock: the
 * lock order is glue->lock -> epf->lock, never the reverse.
 *
 * BAR0 layout: NVMe registers (0x1000), doorbells for every queue pair
 * (stride 4), then the MSI-X table and PBA; rounded up by the EPC core to a
 * power of two or the BAR's fixed size.
 */
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "glue.h"

#define NEPF_REGS_SIZE		0x1000	/* registers up to the doorbells */
#define NEPF_MSIX_ENTRY_SIZE	16

/* ---- BAR and interrupts: done at bind, or at epc_init if the EPC is late ---- */

static void nepf_bar_layout(struct nepf_glue *g)
{
	/* As the core clamps it: at least one I/O queue pair. */
	u16 nq = clamp_t(u16, g->fn->cfg.max_io_queues, 1, NEPF_MAX_IO_QUEUES) + 1;
	size_t size;

	size = NEPF_REGS_SIZE + 2 * 4 * nq;
	g->regs_size = size;
	g->nr_vectors = 0;
	g->msix_table_off = 0;
	g->msix_pba_off = 0;
	if (g->features->msix_capable && g->fn->cfg.msix_vectors) {
		g->nr_vectors = min_t(u16, g->fn->cfg.msix_vectors, NEPF_MAX_VECTORS);
		g->msix_table_off = ALIGN(size, 8);
		g->msix_pba_off = g->msix_table_off +
				  NEPF_MSIX_ENTRY_SIZE * g->nr_vectors;
		size = g->msix_pba_off + ALIGN(DIV_ROUND_UP(g->nr_vectors, 8), 8);
	}
	g->bar_size = size;
}

static int nepf_bar_alloc(struct nepf_glue *g)
{
	struct pci_epf *epf = g->epf;
	u64 fixed = nepf_bar_fixed_size(g->features, BAR_0);

	if (nepf_bar_is_reserved(g->features, BAR_0)) {
		dev_err(&epf->dev, "BAR0 is reserved by the EPC: NVMe needs BAR0\n");
		return -EINVAL;
	}
	nepf_bar_layout(g);
	if (fixed && fixed < g->bar_size) {
		dev_err(&epf->dev, "BAR0 is fixed at %llu bytes, %zu needed: lower max_io_queues/msix_vectors\n",
			fixed, g->bar_size);
		return -ENOSPC;
	}
	g->bar = nepf_epf_alloc_space(epf, BAR_0, g->bar_size, g->features);
	if (!g->bar)
		return -ENOMEM;
	g->bar_no = BAR_0;
	/* NVMe's MLBAR/MUBAR: BAR0 is a 64-bit memory BAR. */
	epf->bar[BAR_0].flags |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	memset(g->bar, 0, epf->bar[BAR_0].size);
	return 0;
}

static void nepf_bar_free(struct nepf_glue *g)
{
	if (!g->bar)
		return;
	nepf_epf_free_space(g->epf, g->bar_no, g->bar);
	g->bar = NULL;
}

/* Program the EPC: header, BAR0, interrupt capabilities. */
static int nepf_epc_setup(struct nepf_glue *g)
{
	struct pci_epf *epf = g->epf;
	int ret;

	if (g->bound)
		return 0;
	ret = nepf_epc_write_header(epf, epf->header);
	if (ret) {
		dev_err(&epf->dev, "writing the configuration header failed: %d\n", ret);
		return ret;
	}
	ret = nepf_epc_set_bar(epf, &epf->bar[g->bar_no]);
	if (ret) {
		dev_err(&epf->dev, "setting BAR0 failed: %d\n", ret);
		return ret;
	}
	if (g->features->msi_capable && g->fn->cfg.msi_vectors) {
		ret = nepf_epc_set_msi(epf, min_t(u16, g->fn->cfg.msi_vectors, 32));
		if (ret)
			dev_warn(&epf->dev, "MSI setup failed (%d): using MSI-X/INTx\n", ret);
	}
	if (g->nr_vectors) {
		ret = nepf_epc_set_msix(epf, g->nr_vectors, g->bar_no,
					g->msix_table_off);
		if (ret)
			dev_warn(&epf->dev, "MSI-X setup failed (%d): using MSI/INTx\n", ret);
	}
	g->bound = true;
	return 0;
}

static void nepf_epc_teardown(struct nepf_glue *g)
{
	struct pci_epf *epf = g->epf;

	if (!g->bound)
		return;
	nepf_epc_clear_bar(epf, &epf->bar[g->bar_no]);
	g->bound = false;
}

/* ---- pci_epf driver callbacks (called with epf->lock held) ---- */

static int nepf_epf_bind(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);
	struct pci_epc *epc = epf->epc;
	int ret;

	if (!g) {
		dev_err(&epf->dev, "configure nvme_epf functions in /sys/kernel/config/nvme_epf/, not pci_ep/\n");
		return -EINVAL;
	}
	g->features = nepf_epc_get_features(epf);
	if (!g->features) {
		dev_err(&epf->dev, "EPC %s reports no features\n", dev_name(&epc->dev));
		return -EOPNOTSUPP;
	}
	ret = nepf_bar_alloc(g);
	if (ret)
		return ret;
	/* EPCs with a late (PERST#, core clock) init send epc_init later. */
	if (nepf_epc_init_done(epf, g->features)) {
		ret = nepf_epc_setup(g);
		if (ret) {
			nepf_bar_free(g);
			return ret;
		}
	} else {
		dev_info(&epf->dev, "waiting for %s to be initialized (PERST#)\n",
			 dev_name(&epc->dev));
	}
	return 0;
}

static void nepf_epf_unbind(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);

	if (!g)
		return;
	nepf_run_link_down(g);
	nepf_epc_teardown(g);
	nepf_bar_free(g);
}

static int nepf_epc_init_event(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);

	if (!g || !g->bar)
		return 0;	/* not bound yet: bind will set up */
	return nepf_epc_setup(g);
}

static int nepf_epc_deinit_event(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);

	if (!g)
		return 0;
	nepf_run_link_down(g);
	nepf_epc_teardown(g);
	return 0;
}

static int nepf_link_up_event(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);

	if (g)
		nepf_run_link_event(g, true);
	return 0;
}

static int nepf_link_down_event(struct pci_epf *epf)
{
	struct nepf_glue *g = epf_get_drvdata(epf);

	if (g)
		nepf_run_link_event(g, false);
	return 0;
}

NEPF_EPC_EVENT_OPS(nepf_event_ops, nepf_epc_init_event, nepf_epc_deinit_event,
		   nepf_link_up_event, nepf_link_down_event);

static NEPF_EPF_PROBE_DECL(nepf_epf_probe)
{
	return 0;
}

static const struct pci_epf_device_id nepf_epf_ids[] = {
	{ .name = "nvme_epf" },
	{},
};

/*
 * No add_cfs (which 5.10 lacks anyway): pci_ep/functions/nvme_epf/<x>
 * exists when PCI_ENDPOINT_CONFIGFS is on, but a controller needs a
 * subsystem and namespaces: those live in /sys/kernel/config/nvme_epf/.
 */
static NEPF_EPF_OPS_CONST struct pci_epf_ops nepf_epf_ops = {
	.bind = nepf_epf_bind,
	.unbind = nepf_epf_unbind,
};

static struct pci_epf_driver nepf_epf_driver = {
	.driver.name = "nvme_epf",
	.probe = nepf_epf_probe,	/* no .remove: the glue frees at stop */
	.id_table = nepf_epf_ids,
	.ops = &nepf_epf_ops,
	.owner = THIS_MODULE,
};

/* ---- start/stop from configfs ---- */

static void nepf_ctrl_config_fill(struct nepf_glue *g)
{
	struct nepf_function *fn = g->fn;
	struct nepf_subsys *ss = fn->subsys;
	struct nepf_ctrl_config *c = &g->ctrl.cfg;

	strscpy(c->model, ss->model, sizeof(c->model));
	strscpy(c->serial, ss->serial, sizeof(c->serial));
	strscpy(c->firmware, ss->firmware, sizeof(c->firmware));
	c->vid = ss->vendor_id;
	c->ssvid = ss->subsys_vendor_id;
	c->oncs_mask = ss->oncs_mask;
	c->vwc_mode = ss->vwc_mode;
	c->ieee_oui = ss->ieee_oui;
	c->max_io_queues = clamp_t(u16, fn->cfg.max_io_queues, 1, NEPF_MAX_IO_QUEUES);
	c->queue_depth = clamp_t(u16, fn->cfg.queue_depth, 2, NEPF_MAX_QUEUE_ENTRIES);
	c->mdts_kb = fn->cfg.mdts_kb;
	c->nr_vectors = max_t(u16, g->nr_vectors, 1);
	c->irq_type = NEPF_IRQ_INTX;
	c->sgl = fn->cfg.sgl;
	g->ctrl.inject = &fn->inject;
}

static void nepf_glue_free(struct nepf_glue *g)
{
	if (g->epf) {
		epf_set_drvdata(g->epf, NULL);
		pci_epf_destroy(g->epf);
	}
	if (g->epc)
		pci_epc_put(g->epc);
	kfree(g->ctrl.name);
	kvfree(g);
}

static void nepf_header_fill(struct nepf_glue *g, struct pci_epf_header *h)
{
	const struct nepf_function_config *c = &g->fn->cfg;

	memset(h, 0, sizeof(*h));
	h->vendorid = c->vendor_id;
	h->deviceid = c->device_id;
	h->baseclass_code = (c->class_code >> 16) & 0xff;
	h->subclass_code = (c->class_code >> 8) & 0xff;
	h->progif_code = c->class_code & 0xff;
	h->subsys_vendor_id = c->subsys_vendor_id;
	h->subsys_id = c->subsys_id;
	h->interrupt_pin = PCI_INTERRUPT_INTA;
}

int nepf_function_start(struct nepf_function *fn)
{
	struct nepf_glue *g;
	char *name;
	int ret;

	if (fn->glue)
		return 0;	/* already running */
	if (!fn->subsys) {
		pr_err("nvme_epf %s: no subsystem set\n", fn->name);
		return -EINVAL;
	}
	g = kvzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->fn = fn;
	mutex_init(&g->lock);
	g->ctrl.name = kstrdup(fn->name, GFP_KERNEL);
	if (!g->ctrl.name) {
		ret = -ENOMEM;
		goto err;
	}

	g->epc = pci_epc_get(fn->cfg.epc_name);
	if (IS_ERR(g->epc)) {
		ret = PTR_ERR(g->epc);
		g->epc = NULL;
		pr_err("nvme_epf %s: endpoint controller '%s' not found (%d): see /sys/class/pci_epc/ for the names; is its driver loaded?\n",
		       fn->name, fn->cfg.epc_name, ret);
		goto err;
	}

	name = kasprintf(GFP_KERNEL, "nvme_epf.%s", fn->name);
	if (!name) {
		ret = -ENOMEM;
		goto err;
	}
	g->epf = pci_epf_create(name);
	kfree(name);
	if (IS_ERR(g->epf)) {
		ret = PTR_ERR(g->epf);
		g->epf = NULL;
		pr_err("nvme_epf %s: creating the endpoint function failed: %d\n",
		       fn->name, ret);
		goto err;
	}
	if (!g->epf->driver) {
		ret = -ENODEV;
		pr_err("nvme_epf %s: endpoint function not bound to the nvme_epf driver\n",
		       fn->name);
		goto err;
	}
	epf_set_drvdata(g->epf, g);
	nepf_header_fill(g, &g->header);
	g->epf->header = &g->header;
	g->epf->msix_interrupts = fn->cfg.msix_vectors;
	g->epf->msi_interrupts = min_t(u16, fn->cfg.msi_vectors, 32);

	mutex_lock(&g->lock);
	ret = nepf_epc_add_epf(g->epc, g->epf);
	if (ret) {
		pr_err("nvme_epf %s: adding the function to %s failed: %d (function %u in use?)\n",
		       fn->name, fn->cfg.epc_name, ret, fn->cfg.func_no);
		goto err_unlock;
	}
	ret = nepf_epc_events_register(g->epf, &nepf_event_ops);
	if (ret)
		goto err_remove;
	ret = pci_epf_bind(g->epf);
	if (ret) {
		pr_err("nvme_epf %s: bind to %s failed: %d\n", fn->name,
		       fn->cfg.epc_name, ret);
		goto err_remove;
	}
	nepf_ctrl_config_fill(g);
	ret = nepf_run_init(g);
	if (ret)
		goto err_unbind;
	fn->glue = g;
	g->state = NEPF_GLUE_STARTED;
	ret = pci_epc_start(g->epc);
	if (ret) {
		pr_err("nvme_epf %s: starting the link on %s failed: %d\n",
		       fn->name, fn->cfg.epc_name, ret);
		fn->glue = NULL;
		goto err_run;
	}
	g->epc_started = true;
	/* EPCs that cannot tell us about the link: assume it is up. */
	if (!g->features->linkup_notifier)
		nepf_run_link_up(g);
	mutex_unlock(&g->lock);
	pr_info("nvme_epf %s: started on %s (BAR0 %zu bytes, %u I/O queues, %u MSI-X vectors)\n",
		fn->name, fn->cfg.epc_name, g->bar_size, g->ctrl.cfg.max_io_queues,
		g->nr_vectors);
	return 0;

err_run:
	nepf_run_exit(g);
err_unbind:
	pci_epf_unbind(g->epf);
err_remove:
	nepf_epc_events_unregister(g->epf);
	nepf_epc_remove_epf(g->epc, g->epf);
err_unlock:
	g->state = NEPF_GLUE_IDLE;
	mutex_unlock(&g->lock);
err:
	nepf_glue_free(g);
	return ret;
}

void nepf_function_stop(struct nepf_function *fn)
{
	struct nepf_glue *g = fn->glue;

	if (!g)
		return;
	mutex_lock(&g->lock);
	g->state = NEPF_GLUE_STOPPING;
	/* The host driver may still talk to us while its device goes away. */
	if (g->epc_started)
		pci_epc_stop(g->epc);
	g->epc_started = false;
	cancel_work_sync(&g->link_work);
	nepf_run_link_down(g);		/* no more fetching; commands drained */
	pci_epf_unbind(g->epf);
	nepf_epc_events_unregister(g->epf);
	nepf_epc_remove_epf(g->epc, g->epf);
	nepf_run_exit(g);
	fn->glue = NULL;
	mutex_unlock(&g->lock);
	nepf_glue_free(g);
	pr_info("nvme_epf %s: stopped\n", fn->name);
}

ssize_t nepf_function_status(struct nepf_function *fn, const char *what,
			     char *buf, size_t size)
{
	struct nepf_glue *g = fn->glue;

	if (!strcmp(what, "state")) {
		const char *s = "stopped";

		if (g)
			s = g->ctrl_live ? "live" : g->bound ? "ready" : "waiting";
		return scnprintf(buf, size, "%s\n", s);
	}
	if (!strcmp(what, "link"))
		return scnprintf(buf, size, "%s\n", g && g->link_up ? "up" : "down");
	if (!g)
		return scnprintf(buf, size, "0\n");
	if (!strcmp(what, "queues")) {
		int qid, n = 0;

		for (qid = 1; qid <= NEPF_MAX_IO_QUEUES; qid++)
			n += READ_ONCE(g->ctrl.sq[qid].valid);
		return scnprintf(buf, size, "%d\n", n);
	}
	if (!strcmp(what, "commands"))
		return scnprintf(buf, size, "%lld\n", atomic64_read(&g->nr_cmds));
	return -EINVAL;
}

void nepf_function_ns_changed(struct nepf_function *fn, u32 nsid,
			      struct nepf_ns *ns)
{
	struct nepf_glue *g = fn->glue;

	if (!g)
		return;
	if (ns)
		nepf_ctrl_attach_ns(&g->ctrl, ns);
	else
		nepf_run_detach_ns(g, nsid);
}

int nepf_glue_init(void)
{
	int ret;

	ret = nepf_run_module_init();
	if (ret)
		return ret;
	ret = pci_epf_register_driver(&nepf_epf_driver);
	if (ret)
		nepf_run_module_exit();
	return ret;
}

void nepf_glue_exit(void)
{
	pci_epf_unregister_driver(&nepf_epf_driver);
	nepf_run_module_exit();
}

static int __init nepf_module_init(void)
{
	int ret;

	ret = nepf_glue_init();
	if (ret)
		return ret;
	ret = nepf_configfs_init();
	if (ret)
		nepf_glue_exit();
	return ret;
}

static void __exit nepf_module_exit(void)
{
	nepf_configfs_exit();	/* stops every function first */
	nepf_glue_exit();
}

module_init(nepf_module_init);
module_exit(nepf_module_exit);
MODULE_DESCRIPTION("NVMe PCIe controller as a PCI endpoint function");
MODULE_VERSION(NEPF_VERSION);
MODULE_LICENSE("GPL");
