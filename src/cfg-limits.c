// SPDX-License-Identifier: GPL-2.0
/*
 * cfg-limits.c - the ranges configfs.c enforces, and their published text
 * (nvme_epf/limits).  See cfg-limits.h.
 */
#include "cfg-limits.h"

const struct nepf_fn_limit nepf_fn_limits[NEPF_FN_NR_NUMS] = {
	[NEPF_FN_FUNC_NO] = { "func_no", 0, 255 },
	/* 0xffff reads as "no device" on the host. */
	[NEPF_FN_VENDOR_ID] = { "vendor_id", 0, 0xfffe },
	[NEPF_FN_DEVICE_ID] = { "device_id", 0, 0xfffe },
	[NEPF_FN_SUBSYS_VENDOR_ID] = { "subsys_vendor_id", 0, 0xffff },
	[NEPF_FN_SUBSYS_ID] = { "subsys_id", 0, 0xffff },
	[NEPF_FN_CLASS_CODE] = { "class_code", 0, 0xffffff },
	[NEPF_FN_MSIX_VECTORS] = { "msix_vectors", 0, NEPF_MAX_VECTORS },
	[NEPF_FN_MSI_VECTORS] = { "msi_vectors", 0, NEPF_MAX_MSI_VECTORS },
	[NEPF_FN_MAX_IO_QUEUES] = { "max_io_queues", 1, NEPF_MAX_IO_QUEUES },
	[NEPF_FN_QUEUE_DEPTH] = { "queue_depth", 2, NEPF_MAX_QUEUE_ENTRIES },
	/* MDTS is a power of two of the 4 KiB minimum page. */
	[NEPF_FN_MDTS_KB] = { "mdts_kb", 4, NEPF_MAX_MDTS_KB, true },
	[NEPF_FN_BUF_BUDGET_KB] = { "buf_budget_kb", NEPF_MIN_BUF_BUDGET_KB,
				    NEPF_MAX_BUF_BUDGET_KB },
};

/* One line at @n; the text stops short of @size (never overflows). */
static size_t nepf_limits_line(char *buf, size_t size, size_t n,
			       const char *obj, const char *attr,
			       u64 min, u64 max, bool pow2)
{
	int len;

	if (n + 1 >= size)
		return n;
	len = snprintf(buf + n, size - n, "%s.%s %llu %llu%s\n", obj, attr,
		       (unsigned long long)min, (unsigned long long)max,
		       pow2 ? " pow2" : "");
	if (len < 0)
		return n;
	return n + len < size ? n + len : size - 1;
}

size_t nepf_limits_text(char *buf, size_t size)
{
	const struct nepf_fn_limit *l;
	size_t n = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	for (l = nepf_fn_limits; l < nepf_fn_limits + NEPF_FN_NR_NUMS; l++)
		n = nepf_limits_line(buf, size, n, "function", l->name,
				     l->min, l->max, l->pow2);
	n = nepf_limits_line(buf, size, n, "function", "name", 1,
			     NEPF_FN_NAME_SIZE - 1, false);
	n = nepf_limits_line(buf, size, n, "subsystem", "name", 1,
			     NEPF_SUBSYS_NAME_SIZE - 1, false);
	n = nepf_limits_line(buf, size, n, "namespace", "nsid", 1,
			     NEPF_MAX_NAMESPACES, false);
	n = nepf_limits_line(buf, size, n, "rule", "name", 1,
			     NEPF_RULE_NAME_SIZE - 1, false);
	return n;
}
