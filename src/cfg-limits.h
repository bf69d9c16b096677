/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfg-limits.h - what the configuration tree accepts: the range of each
 * numeric attribute of a function and the lengths of names.  configfs.c
 * enforces them and publishes them as nvme_epf/limits (nepf_limits_text()),
 * which the nvme-epf tool checks values against.  Protocol-core code, so
 * that the unit tests compare the published text with the copy the tool
 * tests' fake module enforces (tests/pkg/kernel-limits).
 */
#ifndef NEPF_CFG_LIMITS_H
#define NEPF_CFG_LIMITS_H

#include "ctrl.h"

/* Object names, with their terminating NUL. */
#define NEPF_FN_NAME_SIZE	64
#define NEPF_SUBSYS_NAME_SIZE	64
#define NEPF_RULE_NAME_SIZE	32

#define NEPF_MAX_MDTS_KB	NEPF_MAX_XFER_KB
#define NEPF_MAX_MSI_VECTORS	32
/* Data buffers of the commands in flight (bufpool.c): 64 KiB to 1 GiB. */
#define NEPF_MIN_BUF_BUDGET_KB	64
#define NEPF_MAX_BUF_BUDGET_KB	(1024 * 1024)

/* The numeric attributes of a function (functions/<fname>/). */
enum nepf_fn_field {
	NEPF_FN_FUNC_NO, NEPF_FN_VENDOR_ID, NEPF_FN_DEVICE_ID,
	NEPF_FN_SUBSYS_VENDOR_ID, NEPF_FN_SUBSYS_ID, NEPF_FN_CLASS_CODE,
	NEPF_FN_MSIX_VECTORS, NEPF_FN_MSI_VECTORS, NEPF_FN_MAX_IO_QUEUES,
	NEPF_FN_QUEUE_DEPTH, NEPF_FN_MDTS_KB, NEPF_FN_BUF_BUDGET_KB,
	NEPF_FN_NR_NUMS
};

struct nepf_fn_limit {
	const char *name;	/* the attribute */
	u64 min, max;
	bool pow2;		/* also a power of two */
};

extern const struct nepf_fn_limit nepf_fn_limits[NEPF_FN_NR_NUMS];

/*
 * The text of nvme_epf/limits, one "object.attribute MIN MAX [pow2]" line
 * per limit, into @buf (NUL-terminated); returns its length.
 */
size_t nepf_limits_text(char *buf, size_t size);

#endif /* NEPF_CFG_LIMITS_H */
