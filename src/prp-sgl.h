/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prp-sgl.h - turning an SQE's data pointer into PCI address segments.
 *
 * nepf_map_data() (declared in ctrl.h) applies the rules of I/O commands.
 * Admin commands must not use SGLs (NVMe over PCIe), so the admin path
 * calls nepf_map_admin_data() instead.  Both are thin wrappers around
 * nepf_map_data_lim(), which the unit tests and fuzzers drive directly.
 */
#ifndef NEPF_PRP_SGL_H
#define NEPF_PRP_SGL_H

#include "ctrl.h"

/*
 * Upper bound of SGL descriptors walked for one command, segment
 * descriptors and zero-length data blocks included: a host that builds
 * descriptor chains or loops longer than this gets Invalid Number of SGL
 * Descriptors instead of keeping us busy.
 */
#define NEPF_SGL_MAX_DESCS	(4 * NEPF_MAX_SEGS)

u16 nepf_map_data_lim(struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe,
		      u32 len, const struct nepf_xfer_limits *lim,
		      struct nepf_seglist *out);
u16 nepf_map_admin_data(struct nepf_ctrl *ctrl, u32 gen,
			const struct nvme_sqe *sqe, u32 len,
			struct nepf_seglist *out);

/*
 * Copy between a local buffer and the host memory a seglist describes
 * (bit-bucket segments are skipped), if its generation is still live.
 * Return an NVMe status: success or Data Transfer Error.
 */
u16 nepf_seglist_from_host(struct nepf_ctrl *ctrl,
			   const struct nepf_seglist *sl, void *buf);
u16 nepf_seglist_to_host(struct nepf_ctrl *ctrl,
			 const struct nepf_seglist *sl, const void *buf);

#endif /* NEPF_PRP_SGL_H */
