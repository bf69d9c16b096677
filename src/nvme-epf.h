/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme-epf.h - the kernel-side object model shared by configfs.c and
 * epf-glue.c: subsystems (identity + namespaces) and endpoint functions
 * (one NVMe controller each, bound to an endpoint controller).
 *
 * configfs.c owns the lifetime of these objects and their configuration;
 * epf-glue.c turns a started function into a running controller.
 */
#ifndef NEPF_NVME_EPF_H
#define NEPF_NVME_EPF_H

#include <linux/mutex.h>
#include <linux/list.h>
#include "ctrl.h"
#include "inject.h"
#include "cfg-limits.h"

/*
 * Identity defaults.  There is no registered PCI id for this driver: these
 * only make the device enumerate out of the box (the host's nvme driver
 * binds on the class code).  A product sets its own.
 */
#define NEPF_DEFAULT_VENDOR_ID	0x1d6b
#define NEPF_DEFAULT_DEVICE_ID	0x4e45
#define NEPF_DEFAULT_CLASS	0x010802	/* mass storage, NVM, NVMe */
struct nepf_function;
struct nepf_kpool;
struct pci_epf;
struct config_group;

/*
 * nepf_serve_lock: which functions serve which subsystem at run time
 * (subsys->functions, fn->started, fn->glue) and the configuration a
 * function starts with (fn->cfg, fn->subsys).  A function starts serving
 * in the endpoint driver's bind callback and stops in unbind, both called
 * with the epf's own lock held, from our tree (nvme_epf/, under
 * nepf_cfs_mutex) or from the kernel's pci_ep/ tree (no lock of ours).
 * Order: nepf_cfs_mutex -> epf->lock -> nepf_serve_lock.  It is never held
 * across a call that takes an epf's lock (pci_epf_bind/unbind,
 * pci_epc_start/stop: the EPC delivers events to every function under
 * their locks), and never while taking nepf_cfs_mutex.
 */
extern struct mutex nepf_serve_lock;

struct nepf_subsys {
	char name[NEPF_SUBSYS_NAME_SIZE];
	struct mutex lock;		/* namespaces and functions lists */
	/* identity reported by Identify Controller */
	char model[41];
	char serial[21];
	char firmware[9];
	u32 ieee_oui;
	u16 vendor_id;			/* Identify VID */
	u16 subsys_vendor_id;		/* Identify SSVID */
	u16 oncs_mask;			/* Identify ONCS bits hidden */
	u8 vwc_mode;			/* NEPF_VWC_* */
	struct nepf_ns *ns[NEPF_MAX_NAMESPACES];	/* enabled namespaces, nsid - 1 */
	struct list_head functions;	/* started functions serving it */
	/* Namespace Management: the capacity pool (pool.c), configfs */
	char pool_path[256];		/* directory; "": none */
	u64 pool_size;			/* bytes; 0: not offered */
	struct nepf_kpool *pool;	/* loaded from pool_path */
};

/* Endpoint function configuration (configfs functions/<name>/). */
struct nepf_function_config {
	char epc_name[64];
	u8 func_no;
	u16 vendor_id;			/* PCI config space */
	u16 device_id;
	u16 subsys_vendor_id;
	u16 subsys_id;
	u32 class_code;			/* 0x010802: NVM Express */
	u16 msix_vectors;
	u16 msi_vectors;
	u16 max_io_queues;
	u16 queue_depth;
	u32 mdts_kb;
	u32 buf_budget_kb;		/* data buffers in flight (bufpool.c) */
	bool dma;			/* use the EPC's DMA channels if any */
	bool sgl;			/* advertise SGL support */
	bool cmb;			/* offer a CMB for SQs (BAR0: 4 MiB) */
	int poll_cpu;			/* the poll thread's CPU, -1: any */
};

enum nepf_link_state { NEPF_LINK_DOWN, NEPF_LINK_UP };

struct nepf_function {
	char name[NEPF_FN_NAME_SIZE];
	struct nepf_function_config cfg;
	struct nepf_subsys *subsys;	/* set before start */
	struct list_head subsys_entry;	/* in subsys->functions while bound */
	bool started;			/* nvme_epf/: start is 1; pci_ep/: linked */
	bool pci_ep;			/* configured in pci_ep/functions/nvme_epf/ */
	void *glue;			/* epf-glue.c's running state, while bound */
	struct pci_epf *own_epf;	/* nvme_epf/ flow: the epf we created */
	struct nepf_inject inject;	/* error injection rules (inject/) */
};

/*
 * epf-glue.c, nvme_epf/ flow: start creates an epf, binds it to
 * cfg.epc_name and brings the link up; stop undoes it.  The controller is
 * built by the bind callback, as in the pci_ep/ flow.
 */
int nepf_function_start(struct nepf_function *fn);
void nepf_function_stop(struct nepf_function *fn);
/* The files of configfs status/, one each. */
enum nepf_status_item {
	NEPF_STATUS_STATE,
	NEPF_STATUS_LINK,
	NEPF_STATUS_QUEUES,
	NEPF_STATUS_COMMANDS,
};

/* Status for configfs (status/): snprintf into buf, returns length. */
ssize_t nepf_function_status(struct nepf_function *fn,
			     enum nepf_status_item what, char *buf, size_t size);
/* fn->cfg.poll_cpu changed: move a running poll thread (serve lock held). */
void nepf_function_poll_cpu_changed(struct nepf_function *fn);
/* A namespace of a subsystem was enabled or disabled (AEN to hosts). */
void nepf_function_ns_changed(struct nepf_function *fn, u32 nsid,
			      struct nepf_ns *ns);
int nepf_glue_init(void);	/* register the pci_epf driver */
void nepf_glue_exit(void);

/*
 * pool.c: a subsystem's capacity pool, a directory of sparse files.
 * Configured (nepf_cfs_mutex and nepf_serve_lock held) while no function
 * serving the subsystem is started; nepf_kpool_serve() when one starts.
 */
int nepf_kpool_configure(struct nepf_subsys *ss, const char *path);
void nepf_kpool_set_size(struct nepf_subsys *ss, u64 size);
void nepf_kpool_release(struct nepf_subsys *ss);
bool nepf_kpool_has(struct nepf_subsys *ss, u32 nsid);
void nepf_kpool_serve(struct nepf_subsys *ss, struct nepf_ctrl *ctrl);
void nepf_kpool_unserve(struct nepf_subsys *ss, struct nepf_ctrl *ctrl);

/* configfs.c */
int nepf_configfs_init(void);
void nepf_configfs_exit(void);

/*
 * configfs-pci-ep.c: the pci_ep/ flow.  add: the nvme/ group of a new
 * pci_ep/functions/nvme_epf/<name>/ (pins the module until remove);
 * prepare: at bind, nepf_serve_lock held: check and take the standard
 * pci_epf attributes (header, MSI/MSI-X counts) into fn->cfg; remove: the
 * epf goes away.
 */
struct config_group *nepf_cfs_pci_ep_add(struct pci_epf *epf,
					 struct config_group *group);
int nepf_cfs_pci_ep_prepare(struct nepf_function *fn, struct pci_epf *epf);
void nepf_cfs_pci_ep_remove(struct nepf_function *fn);

#endif /* NEPF_NVME_EPF_H */
