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

struct nepf_function;

struct nepf_subsys {
	char name[64];
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
	bool dma;			/* use the EPC's DMA channels if any */
	bool sgl;			/* advertise SGL support */
};

enum nepf_link_state { NEPF_LINK_DOWN, NEPF_LINK_UP };

struct nepf_function {
	char name[64];
	struct nepf_function_config cfg;
	struct nepf_subsys *subsys;	/* set before start */
	struct list_head subsys_entry;	/* in subsys->functions while started */
	bool started;
	void *glue;			/* epf-glue.c's running state */
	struct nepf_inject inject;	/* error injection rules (inject/) */
};

/* epf-glue.c: start binds to cfg.epc_name and brings the link up. */
int nepf_function_start(struct nepf_function *fn);
void nepf_function_stop(struct nepf_function *fn);
/* Status for configfs (status/): snprintf into buf, returns length. */
ssize_t nepf_function_status(struct nepf_function *fn, const char *what,
			     char *buf, size_t size);
/* A namespace of a subsystem was enabled or disabled (AEN to hosts). */
void nepf_function_ns_changed(struct nepf_function *fn, u32 nsid,
			      struct nepf_ns *ns);
int nepf_glue_init(void);	/* register the pci_epf driver */
void nepf_glue_exit(void);

/* configfs.c */
int nepf_configfs_init(void);
void nepf_configfs_exit(void);

#endif /* NEPF_NVME_EPF_H */
