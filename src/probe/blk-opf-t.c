// SPDX-License-Identifier: GPL-2.0
/* blk_opf_t, the type of bio operation and flags (6.0+) */
#include <linux/blk_types.h>
blk_opf_t nepf_probe = REQ_OP_WRITE;
