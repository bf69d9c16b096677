// SPDX-License-Identifier: GPL-2.0
/* CONFIGFS_ATTR()/CONFIGFS_ATTR_RO()/CONFIGFS_ATTR_WO() helpers */
#include <linux/configfs.h>
#if !defined(CONFIGFS_ATTR) || !defined(CONFIGFS_ATTR_RO) || !defined(CONFIGFS_ATTR_WO)
#error no CONFIGFS_ATTR
#endif
int nepf_probe;
