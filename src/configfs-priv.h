/* SPDX-License-Identifier: GPL-2.0 */
/*
 * configfs-priv.h - the /sys/kernel/config/nvme_epf/ tree (configfs.c:
 * root and functions/, configfs-subsys.c: subsystems/ and namespaces/).
 *
 * Locking: nepf_cfs_mutex serializes every change of state made through
 * the tree (attribute stores, start/stop, namespace enable/disable, mkdir,
 * rmdir), so that the glue's nepf_function_start/stop/ns_changed are never
 * called concurrently.  nepf_serve_lock (nvme-epf.h) is taken inside it
 * wherever the state of functions that serve a subsystem is read or
 * changed, because pci_ep/ functions bind and unbind without
 * nepf_cfs_mutex.  subsys->lock is only held for the short updates of
 * subsys->ns[] and subsys->functions, never across a call into the glue,
 * so the glue may take it from any of its own contexts.
 */
#ifndef NEPF_CONFIGFS_PRIV_H
#define NEPF_CONFIGFS_PRIV_H

#include <linux/configfs.h>
#include "compat.h"
#include "nvme-epf.h"
#include "cfg-limits.h"

#define NEPF_DEFAULT_MODEL	"nvme-epf"
#define NEPF_DEFAULT_QUEUE_DEPTH	128
#define NEPF_DEFAULT_MDTS_KB	512

extern struct mutex nepf_cfs_mutex;
extern struct configfs_subsystem nepf_cfs_root;

struct nepf_cfs_subsys {
	struct config_group group;
	struct config_group ns_group;		/* namespaces/ */
	struct nepf_subsys subsys;
	struct nepf_cfs_ns *items[NEPF_MAX_NAMESPACES];	/* mkdir'ed, nsid - 1 */
	struct list_head entry;			/* in the list of subsystems */
};

struct nepf_cfs_ns {
	struct config_group group;
	struct nepf_cfs_subsys *cs;
	struct nepf_ns ns;
	bool enabled;
};

/* configfs-inject.c: functions/<fname>/inject/, a default group */
struct nepf_cfs_inject {
	struct config_group group;
	struct nepf_inject *inj;
	const char *fname;
};

/* A function: nvme_epf/functions/<fname>/, or pci_ep/.../<f>/nvme/. */
struct nepf_cfs_fn {
	struct config_group group;
	struct config_group status_group;
	struct nepf_cfs_inject inject;		/* inject/ */
	struct nepf_function fn;
	struct nepf_cfs_subsys *cs;	/* named subsystem, depended on */
	bool msix_auto;			/* msix_vectors follows max_io_queues */
	bool msi_auto;
};

static inline struct nepf_cfs_fn *to_cfs_fn(struct config_item *item)
{
	return container_of(to_config_group(item), struct nepf_cfs_fn, group);
}

void nepf_cfs_inject_init(struct nepf_cfs_inject *ci, struct nepf_inject *inj,
			  const char *fname);

/* configfs-subsys.c */
extern const struct config_item_type nepf_subsystems_type;
/* Find a subsystem by name (nepf_cfs_mutex held). */
struct nepf_cfs_subsys *nepf_cfs_subsys_find(const char *name);
/* Functions serving @subsys are started: its identity is frozen. */
bool nepf_cfs_subsys_busy(struct nepf_subsys *subsys, const char *what);

/* configfs.c: functions, shared with the pci_ep/ flow (configfs-pci-ep.c) */
extern struct configfs_attribute *nepf_fn_pci_ep_attrs[];
void nepf_cfs_fn_init(struct nepf_cfs_fn *cfn, const char *fname,
		      const char *gname, const struct config_item_type *type);
void nepf_cfs_fn_put_subsys(struct nepf_cfs_fn *cfn);

/* configfs.c: helpers for attribute stores */
int nepf_cfs_parse_string(const char *page, size_t count, char *out,
			  size_t size, bool printable);
int nepf_cfs_parse_u64(const char *page, u64 min, u64 max, u64 *out);
int nepf_cfs_parse_bool(const char *page, bool *out);

#endif /* NEPF_CONFIGFS_PRIV_H */
