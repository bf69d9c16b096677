/* SPDX-License-Identifier: GPL-2.0 */
/*
 * admin.h - the admin command set's files (admin-cmd.c, identify.c,
 * log-page.c, features.c) and what they share.
 */
#ifndef NEPF_ADMIN_H
#define NEPF_ADMIN_H

#include "ctrl.h"

/* Copy an admin command's data to or from the host (PRPs only). */
u16 nepf_admin_to_host(struct nepf_cmd *cmd, const void *buf, u32 len);
u16 nepf_admin_from_host(struct nepf_cmd *cmd, void *buf, u32 len);

u16 nepf_identify(struct nepf_cmd *cmd);	/* identify.c */
u16 nepf_get_log_page(struct nepf_cmd *cmd);	/* log-page.c */
u16 nepf_get_features(struct nepf_cmd *cmd);	/* features.c */
u16 nepf_set_features(struct nepf_cmd *cmd);

/* Identify Controller values other files report too. */
#define NEPF_WCTEMP		343	/* kelvin: 70 C warning threshold */
#define NEPF_CCTEMP		358	/* kelvin: 85 C critical */
#define NEPF_ONCS		(NVME_CTRL_ONCS_COMPARE | NVME_CTRL_ONCS_DSM | \
				 NVME_CTRL_ONCS_WRITE_ZEROES | \
				 NVME_CTRL_ONCS_TIMESTAMP | NVME_CTRL_ONCS_VERIFY)

/* Does any attached namespace have a volatile write cache? */
bool nepf_ctrl_has_vwc(const struct nepf_ctrl *ctrl);

/* 128-bit little-endian counters of logs and Identify (high half 0). */
static inline void nepf_put_le128(u8 *dst, u64 v)
{
	__le64 lo = cpu_to_le64(v);

	memset(dst, 0, 16);
	memcpy(dst, &lo, sizeof(lo));
}

/* Copy @src into a fixed-size, space-padded Identify string field. */
void nepf_strpad(char *dst, size_t size, const char *src);

#endif /* NEPF_ADMIN_H */
