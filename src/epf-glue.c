// SPDX-License-Identifier: GPL-2.0
/*
 * epf-glue.c - the "nvme_epf" PCI endpoint function driver.
 *
 * Two ways to get a function, one controller: from our own configfs tree
 * (configfs.c calls nepf_function_start(), which creates the pci_epf
 * itself, so neither CONFIG_PCI_ENDPOINT_CONFIGFS nor pci_ep/ is needed),
 * or from the kernel's pci_ep/ tree (mkdir in pci_ep/functions/nvme_epf/,
 * add_cfs gives it an nvme/ group, configfs-pci-ep.c; the link to a
 * controller binds it).  Either way the bind callback builds the
 * controller and unbind tears it down; the epf's drvdata is the
 * nepf_function.  The EPC calls bind/unbind and the event ops under the
 * epf's own mutex, so they take only nepf_serve_lock (see nvme-epf.h for
 * the order) and never nepf_cfs_mutex, which our start/stop hold across
 * EPC calls that lock other functions of the same EPC.
 *
 * BAR0 layout: NVMe registers (0x1000), doorbells for every queue pair
 * (stride 4), then the MSI-X table and PBA; at least 16 KiB (NVMe), rounded
 * up by the EPC core to a power of two or the BAR's fixed size.  With
 * cfg.cmb, a Controller Memory Buffer for SQs follows at the next 2 MiB
 * boundary, 2 MiB long (4 MiB in all): Linux maps a CMB with
 * devm_memremap_pages(), whose start and size must be multiples of the
 * memory section's subsection (2 MiB, memremap_compat_align()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "glue.h"

#define NEPF_REGS_SIZE		0x1000	/* registers up to the doorbells */
/* MLBAR bits 13:4 are reserved: a host sizes BAR0 as 16 KiB at least. */
#define NEPF_BAR0_MIN		SZ_16K
#define NEPF_MSIX_ENTRY_SIZE	16
#define NEPF_CMB_ALIGN		SZ_2M	/* Linux's memremap_compat_align() */
#define NEPF_CMB_SIZE		SZ_2M

/* ---- BAR and interrupts: done at bind, or at epc_init if the EPC is late ---- */

static void nepf_bar_layout(struct nepf_epf_ctrl *g)
{
	/* As the core clamps it: at least one I/O queue pair. */
	u16 nq = clamp_t(u16, g->fn->cfg.max_io_queues, 1, NEPF_MAX_IO_QUEUES) + 1;
	size_t size;

	size = NEPF_REGS_SIZE + 2 * 4 * nq;
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
	g->cmb_off = 0;
	g->cmb_size = 0;
	if (g->fn->cfg.cmb) {
		g->cmb_off = ALIGN(size, NEPF_CMB_ALIGN);
		g->cmb_size = NEPF_CMB_SIZE;
		size = roundup_pow_of_two(g->cmb_off + g->cmb_size);
	}
	g->bar_size = max_t(size_t, size, NEPF_BAR0_MIN);
}

/* MSI vectors the function offers (multi-message: up to 32). */
static u16 nepf_msi_vectors(struct nepf_epf_ctrl *g)
{
	return g->features->msi_capable ? min_t(u16, g->fn->cfg.msi_vectors, 32) : 0;
}

static int nepf_bar_alloc(struct nepf_epf_ctrl *g)
{
	struct pci_epf *epf = g->epf;
	u64 fixed = nepf_bar_fixed_size(g->features, BAR_0);

	if (nepf_bar_is_reserved(g->features, BAR_0)) {
		dev_err(&epf->dev, "BAR0 is reserved by the EPC: NVMe needs BAR0\n");
		return -EINVAL;
	}
	nepf_bar_layout(g);
	if (fixed && fixed < g->bar_size) {
		dev_err(&epf->dev, "BAR0 is fixed at %llu bytes, %zu needed: lower max_io_queues/msix_vectors%s\n",
			fixed, g->bar_size, g->cmb_size ? ", or set cmb to 0" : "");
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

static void nepf_bar_free(struct nepf_epf_ctrl *g)
{
	if (!g->bar)
		return;
	nepf_epf_free_space(g->epf, g->bar_no, g->bar);
	g->bar = NULL;
}

/* Program the EPC: header, BAR0, interrupt capabilities. */
static int nepf_epc_setup(struct nepf_epf_ctrl *g)
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
	if (nepf_msi_vectors(g)) {
		ret = nepf_epc_set_msi(epf, nepf_msi_vectors(g));
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

static void nepf_epc_teardown(struct nepf_epf_ctrl *g)
{
	struct pci_epf *epf = g->epf;

	if (!g->bound)
		return;
	nepf_epc_clear_bar(epf, &epf->bar[g->bar_no]);
	g->bound = false;
}

/* ---- the controller of a bound function (both flows) ---- */

static void nepf_ctrl_config_fill(struct nepf_epf_ctrl *g)
{
	struct nepf_function *fn = g->fn;
	struct nepf_subsys *ss = fn->subsys;
	struct nepf_ctrl_config *c = &g->ctrl.cfg;

	mutex_lock(&ss->lock);
	strscpy(c->model, ss->model, sizeof(c->model));
	strscpy(c->serial, ss->serial, sizeof(c->serial));
	strscpy(c->firmware, ss->firmware, sizeof(c->firmware));
	c->vid = ss->vendor_id;
	c->ssvid = ss->subsys_vendor_id;
	c->oncs_mask = ss->oncs_mask;
	c->vwc_mode = ss->vwc_mode;
	c->ieee_oui = ss->ieee_oui;
	mutex_unlock(&ss->lock);
	c->max_io_queues = clamp_t(u16, fn->cfg.max_io_queues, 1, NEPF_MAX_IO_QUEUES);
	c->queue_depth = clamp_t(u16, fn->cfg.queue_depth, 2, NEPF_MAX_QUEUE_ENTRIES);
	c->mdts_kb = fn->cfg.mdts_kb;
	c->buf_budget_kb = fn->cfg.buf_budget_kb;
	/*
	 * Create I/O CQ and Feature 09h accept the vectors of either type:
	 * a host without MSI-X (or a function without it) uses multi-MSI.
	 */
	c->nr_vectors = max_t(u16, max_t(u16, g->nr_vectors, nepf_msi_vectors(g)), 1);
	c->nr_msix = g->nr_vectors;		/* MSI-X table in BAR0 */
	c->msix_table_off = g->msix_table_off;
	c->msix_pba_off = g->msix_pba_off;
	c->cmb_off = g->cmb_off;
	c->cmb_size = g->cmb_size;
	c->sgl = fn->cfg.sgl;
	g->ctrl.inject = &fn->inject;
}

static void nepf_epf_ctrl_free(struct nepf_epf_ctrl *g)
{
	kfree(g->ctrl.name);
	kvfree(g);
}

/* ---- EPC events (epf->lock held where the kernel has event ops) ---- */

static struct nepf_epf_ctrl *to_nepf_epf_ctrl(struct pci_epf *epf)
{
	struct nepf_function *fn = epf_get_drvdata(epf);

	return fn ? READ_ONCE(fn->glue) : NULL;
}

static int nepf_epc_init_event(struct pci_epf *epf)
{
	struct nepf_epf_ctrl *g = to_nepf_epf_ctrl(epf);

	if (!g || !g->bar)
		return 0;	/* not bound yet: bind will set up */
	return nepf_epc_setup(g);
}

static int nepf_epc_deinit_event(struct pci_epf *epf)
{
	struct nepf_epf_ctrl *g = to_nepf_epf_ctrl(epf);

	if (!g)
		return 0;
	nepf_epf_ctrl_link_lost(g);		/* PERST#: the host is gone */
	nepf_epf_ctrl_link_down(g);
	nepf_epc_teardown(g);
	return 0;
}

static int nepf_link_up_event(struct pci_epf *epf)
{
	struct nepf_epf_ctrl *g = to_nepf_epf_ctrl(epf);

	if (g)
		nepf_epf_ctrl_link_event(g, true);
	return 0;
}

static int nepf_link_down_event(struct pci_epf *epf)
{
	struct nepf_epf_ctrl *g = to_nepf_epf_ctrl(epf);

	if (g)
		nepf_epf_ctrl_link_event(g, false);
	return 0;
}

NEPF_EPC_EVENT_OPS(nepf_event_ops, nepf_epc_init_event, nepf_epc_deinit_event,
		   nepf_link_up_event, nepf_link_down_event);

/*
 * Build the controller of @fn on @epf, which its EPC is binding: BAR0, the
 * runtime, then the EPC's header, BAR and interrupts (now, or at the EPC's
 * init event).  The function then serves its subsystem.  epf->lock and
 * nepf_serve_lock held.
 */
static int nepf_glue_bind(struct nepf_function *fn, struct pci_epf *epf)
{
	struct pci_epc *epc = epf->epc;
	struct nepf_epf_ctrl *g;
	int ret;

	lockdep_assert_held(&nepf_serve_lock);
	if (!fn->subsys)
		return -EINVAL;		/* both flows check first */
	g = kvzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->fn = fn;
	g->epf = epf;
	g->ctrl.name = kstrdup(fn->name, GFP_KERNEL);
	if (!g->ctrl.name) {
		ret = -ENOMEM;
		goto err_free;
	}
	g->features = nepf_epc_get_features(epf);
	if (!g->features) {
		dev_err(&epf->dev, "EPC %s reports no features\n", dev_name(&epc->dev));
		ret = -EOPNOTSUPP;
		goto err_free;
	}
	ret = nepf_bar_alloc(g);
	if (ret)
		goto err_free;
	nepf_ctrl_config_fill(g);
	ret = nepf_epf_ctrl_init(g);
	if (ret)
		goto err_bar;
	/* The event handlers find the glue through the function. */
	WRITE_ONCE(fn->glue, g);
	ret = nepf_epc_events_register(epf, &nepf_event_ops);
	if (ret)
		goto err_run;
	/* EPCs with a late (PERST#, core clock) init send epc_init later. */
	if (nepf_epc_init_done(epf, g->features)) {
		ret = nepf_epc_setup(g);
		if (ret)
			goto err_events;
	} else {
		dev_info(&epf->dev, "waiting for %s to be initialized (PERST#)\n",
			 dev_name(&epc->dev));
	}
	mutex_lock(&fn->subsys->lock);
	list_add_tail(&fn->subsys_entry, &fn->subsys->functions);
	mutex_unlock(&fn->subsys->lock);
	if (fn->pci_ep) {
		fn->started = true;
		/* pci_ep/'s start gives no event without a link notifier. */
		if (!g->features->linkup_notifier)
			nepf_epf_ctrl_link_up(g);
	}
	dev_info(&epf->dev, "bound to %s function %u (BAR0 %zu bytes, %u I/O queues, %u MSI-X vectors, CMB %u KiB)\n",
		 dev_name(&epc->dev), epf->func_no, g->bar_size,
		 g->ctrl.cfg.max_io_queues, g->nr_vectors, g->cmb_size / SZ_1K);
	return 0;

err_events:
	nepf_epc_events_unregister(epf);
err_run:
	WRITE_ONCE(fn->glue, NULL);
	nepf_epf_ctrl_exit(g);
err_bar:
	nepf_bar_free(g);
err_free:
	nepf_epf_ctrl_free(g);
	return ret;
}

/* The EPC unbinds @fn: stop serving, tear the controller down. */
static void nepf_glue_unbind(struct nepf_function *fn)
{
	struct nepf_epf_ctrl *g = fn->glue;

	lockdep_assert_held(&nepf_serve_lock);
	if (!g)
		return;
	/* No namespace notifications from now on. */
	mutex_lock(&fn->subsys->lock);
	list_del_init(&fn->subsys_entry);
	mutex_unlock(&fn->subsys->lock);
	if (fn->pci_ep)
		fn->started = false;
	nepf_epc_events_unregister(g->epf);
	nepf_epf_ctrl_exit(g);		/* link down: commands drained */
	nepf_epc_teardown(g);
	nepf_bar_free(g);
	WRITE_ONCE(fn->glue, NULL);
	nepf_epf_ctrl_free(g);
}

/* ---- pci_epf driver callbacks (called with epf->lock held) ---- */

static int nepf_epf_bind(struct pci_epf *epf)
{
	struct nepf_function *fn = epf_get_drvdata(epf);
	int ret;

	if (!fn) {
		if (nepf_epf_has_add_cfs)
			dev_err(&epf->dev, "no nvme/ group (function made before nvme_epf was loaded?): rmdir and mkdir it again\n");
		else
			dev_err(&epf->dev, "this kernel's pci_ep/ cannot configure nvme_epf functions: use /sys/kernel/config/nvme_epf/\n");
		return -EINVAL;
	}
	mutex_lock(&nepf_serve_lock);
	ret = fn->pci_ep ? nepf_cfs_pci_ep_prepare(fn, epf) : 0;
	if (!ret)
		ret = nepf_glue_bind(fn, epf);
	mutex_unlock(&nepf_serve_lock);
	return ret;
}

static void nepf_epf_unbind(struct pci_epf *epf)
{
	struct nepf_function *fn = epf_get_drvdata(epf);

	if (!fn)
		return;
	mutex_lock(&nepf_serve_lock);
	nepf_glue_unbind(fn);
	mutex_unlock(&nepf_serve_lock);
}

/* The PCI ids and class the EPC writes into config space. */
static void nepf_header_fill(const struct nepf_function_config *c,
			     struct pci_epf_header *h)
{
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

/* What pci_ep/ shows before its attributes are written. */
static const struct nepf_function_config nepf_default_ids = {
	.vendor_id = NEPF_DEFAULT_VENDOR_ID,
	.device_id = NEPF_DEFAULT_DEVICE_ID,
	.subsys_vendor_id = NEPF_DEFAULT_VENDOR_ID,
	.subsys_id = NEPF_DEFAULT_DEVICE_ID,
	.class_code = NEPF_DEFAULT_CLASS,
};

/* Every epf gets a header of its own: pci_ep/'s attributes write into it. */
static int nepf_epf_probe(struct pci_epf *epf)
{
	struct pci_epf_header *h;

	h = devm_kzalloc(&epf->dev, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	nepf_header_fill(&nepf_default_ids, h);
	epf->header = h;
	return 0;
}

static void nepf_epf_remove(struct pci_epf *epf)
{
	struct nepf_function *fn = epf_get_drvdata(epf);

	epf->header = NULL;	/* devres frees it after us */
	epf_set_drvdata(epf, NULL);
	if (fn && fn->pci_ep)
		nepf_cfs_pci_ep_remove(fn);
}

NEPF_EPF_PROBE_WRAP(nepf_epf_probe)
NEPF_EPF_REMOVE_WRAP(nepf_epf_remove)

static const struct pci_epf_device_id nepf_epf_ids[] = {
	{ .name = "nvme_epf" },
	{},
};

/*
 * add_cfs (where the kernel has it) gives pci_ep/functions/nvme_epf/<x>/
 * its nvme/ group: the standard pci_ep/ flow then works too.
 */
NEPF_EPF_OPS(nepf_epf_ops, nepf_epf_bind, nepf_epf_unbind, nepf_cfs_pci_ep_add);

static struct pci_epf_driver nepf_epf_driver = {
	.driver.name = "nvme_epf",
	.probe = nepf_epf_probe_wrap,		/* NEPF_EPF_PROBE_WRAP() */
	.remove = nepf_epf_remove_wrap,
	.id_table = nepf_epf_ids,
	.ops = &nepf_epf_ops,
	.owner = THIS_MODULE,
};

/* ---- the nvme_epf/ flow: we create the epf and start the link ---- */

static void nepf_own_epf_destroy(struct pci_epf *epf, struct pci_epc *epc)
{
	epf_set_drvdata(epf, NULL);
	pci_epf_destroy(epf);
	pci_epc_put(epc);
}

int nepf_function_start(struct nepf_function *fn)
{
	struct pci_epc *epc;
	struct pci_epf *epf;
	struct nepf_epf_ctrl *g;
	char *name;
	int ret;

	if (fn->own_epf)
		return 0;	/* already running */
	if (!fn->subsys) {
		pr_err("%s: no subsystem set\n", fn->name);
		return -EINVAL;
	}
	epc = pci_epc_get(fn->cfg.epc_name);
	if (IS_ERR(epc)) {
		ret = PTR_ERR(epc);
		pr_err("%s: endpoint controller '%s' not found (%d): see /sys/class/pci_epc/ for the names; is its driver loaded?\n",
		       fn->name, fn->cfg.epc_name, ret);
		return ret;
	}
	name = kasprintf(GFP_KERNEL, "nvme_epf.%s", fn->name);
	if (!name) {
		pci_epc_put(epc);
		return -ENOMEM;
	}
	epf = pci_epf_create(name);
	kfree(name);
	if (IS_ERR(epf)) {
		pci_epc_put(epc);
		pr_err("%s: creating the endpoint function failed: %ld\n",
		       fn->name, PTR_ERR(epf));
		return PTR_ERR(epf);
	}
	if (!epf->driver || !epf->header) {
		ret = -ENODEV;
		dev_err(&epf->dev, "endpoint function not bound to the nvme_epf driver\n");
		goto err_destroy;
	}
	epf_set_drvdata(epf, fn);
	nepf_header_fill(&fn->cfg, epf->header);
	epf->msix_interrupts = fn->cfg.msix_vectors;
	epf->msi_interrupts = min_t(u16, fn->cfg.msi_vectors, 32);

	ret = nepf_epc_add_epf(epc, epf);
	if (ret) {
		dev_err(&epf->dev, "adding the function to %s failed: %d (function %u in use?)\n",
			fn->cfg.epc_name, ret, fn->cfg.func_no);
		goto err_destroy;
	}
	ret = pci_epf_bind(epf);	/* nepf_epf_bind() builds the controller */
	if (ret) {
		dev_err(&epf->dev, "bind to %s failed: %d\n", fn->cfg.epc_name, ret);
		goto err_remove;
	}
	ret = pci_epc_start(epc);
	if (ret) {
		dev_err(&epf->dev, "starting the link on %s failed: %d\n",
			fn->cfg.epc_name, ret);
		goto err_unbind;
	}
	/* Only we unbind this epf: the glue stays while we run. */
	g = fn->glue;
	/* EPCs that cannot tell us about the link: assume it is up. */
	if (!g->features->linkup_notifier)
		nepf_epf_ctrl_link_up(g);
	fn->own_epf = epf;
	dev_info(&epf->dev, "started on %s\n", fn->cfg.epc_name);
	return 0;

err_unbind:
	pci_epf_unbind(epf);
err_remove:
	nepf_epc_remove_epf(epc, epf);
err_destroy:
	nepf_own_epf_destroy(epf, epc);
	return ret;
}

void nepf_function_stop(struct nepf_function *fn)
{
	struct pci_epf *epf = fn->own_epf;
	struct pci_epc *epc;

	if (!epf)
		return;
	epc = epf->epc;
	/*
	 * Quiesce first, while the link is still up (nepf_epf_ctrl_stop()); the
	 * host then sees its device go away, and the controller is torn
	 * down.  Only we unbind this epf: the glue stays while we run.
	 */
	if (fn->glue)
		nepf_epf_ctrl_stop(fn->glue);
	pci_epc_stop(epc);
	pci_epf_unbind(epf);		/* nepf_epf_unbind(): teardown */
	nepf_epc_remove_epf(epc, epf);
	dev_info(&epf->dev, "stopped\n");
	nepf_own_epf_destroy(epf, epc);
	fn->own_epf = NULL;
}

ssize_t nepf_function_status(struct nepf_function *fn,
			     enum nepf_status_item what, char *buf, size_t size)
{
	struct nepf_epf_ctrl *g = fn->glue;
	const char *s = "stopped";
	int qid, n = 0;

	switch (what) {
	case NEPF_STATUS_STATE:
		if (g)
			s = g->ctrl_live ? "live" : g->bound ? "ready" : "waiting";
		return scnprintf(buf, size, "%s\n", s);
	case NEPF_STATUS_LINK:
		return scnprintf(buf, size, "%s\n", g && g->link_up ? "up" : "down");
	case NEPF_STATUS_QUEUES:
		if (g)
			for (qid = 1; qid <= NEPF_MAX_IO_QUEUES; qid++)
				n += READ_ONCE(g->ctrl.sq[qid].valid);
		return scnprintf(buf, size, "%d\n", n);
	case NEPF_STATUS_COMMANDS:
		return scnprintf(buf, size, "%lld\n", g ? atomic64_read(&g->nr_cmds) : 0);
	}
	return -EINVAL;
}

void nepf_function_ns_changed(struct nepf_function *fn, u32 nsid,
			      struct nepf_ns *ns)
{
	struct nepf_epf_ctrl *g = fn->glue;

	if (!g)
		return;
	if (ns)
		nepf_ctrl_attach_ns(&g->ctrl, ns);
	else
		nepf_epf_ctrl_detach_ns(g, nsid);
}

void nepf_function_poll_cpu_changed(struct nepf_function *fn)
{
	lockdep_assert_held(&nepf_serve_lock);
	if (fn->glue)
		nepf_epf_ctrl_poll_cpu(fn->glue);
}

int nepf_glue_init(void)
{
	int ret;

	ret = nepf_epf_ctrl_module_init();
	if (ret)
		return ret;
	ret = pci_epf_register_driver(&nepf_epf_driver);
	if (ret)
		nepf_epf_ctrl_module_exit();
	return ret;
}

void nepf_glue_exit(void)
{
	pci_epf_unregister_driver(&nepf_epf_driver);
	nepf_epf_ctrl_module_exit();
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
