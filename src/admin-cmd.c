// SPDX-License-Identifier: GPL-2.0
/*
 * admin-cmd.c - admin command dispatch, queue management commands, Abort
 * and Asynchronous Event Request.  Identify, Get Log Page and Get/Set
 * Features live in identify.c, log-page.c and features.c.
 *
 * Admin commands run one at a time on the environment's poll thread, so
 * they share ctrl->admin_sl for their data transfers.
 */
#include "admin.h"
#include "prp-sgl.h"

#define DNR	NVME_STATUS_DNR

u16 nepf_admin_to_host(struct nepf_cmd *cmd, const void *buf, u32 len)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status;

	status = nepf_map_admin_data(ctrl, &cmd->sqe, len, &ctrl->admin_sl);
	if (status)
		return status;
	return nepf_seglist_to_host(ctrl, &ctrl->admin_sl, buf);
}

u16 nepf_admin_from_host(struct nepf_cmd *cmd, void *buf, u32 len)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status;

	status = nepf_map_admin_data(ctrl, &cmd->sqe, len, &ctrl->admin_sl);
	if (status)
		return status;
	return nepf_seglist_from_host(ctrl, &ctrl->admin_sl, buf);
}

void nepf_strpad(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size);

	memcpy(dst, src, n);
	memset(dst + n, ' ', size - n);
}

bool nepf_ctrl_has_vwc(const struct nepf_ctrl *ctrl)
{
	unsigned int i;

	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		const struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

		if (ns && ns->volatile_cache)
			return true;
	}
	return false;
}

/*
 * Abort: a command we fetched is already running (backends cannot be
 * interrupted) and one we did not fetch is not ours to drop, so the answer
 * is always "not aborted" (DW0 bit 0), which the specification allows.
 */
static u16 admin_abort(struct nepf_cmd *cmd)
{
	cmd->result = NVME_ABORT_NOT_ABORTED;
	return NVME_SC_SUCCESS;
}

static u16 admin_dispatch(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	const struct nvme_sqe *sqe = &cmd->sqe;

	/* No fused admin commands; PCIe admin commands use PRPs only. */
	if (sqe->flags & (NVME_CMD_FUSE_MASK | NVME_CMD_FLAGS_RESERVED))
		return NVME_SC_INVALID_FIELD | DNR;
	if (nvme_sqe_psdt(sqe) != NVME_CMD_PSDT_PRP)
		return NVME_SC_INVALID_FIELD | DNR;

	switch (sqe->opcode) {
	case nvme_admin_delete_sq:
		return nepf_queue_delete_sq(ctrl, sqe);
	case nvme_admin_create_sq:
		return nepf_queue_create_sq(ctrl, sqe);
	case nvme_admin_delete_cq:
		return nepf_queue_delete_cq(ctrl, sqe);
	case nvme_admin_create_cq:
		return nepf_queue_create_cq(ctrl, sqe);
	case nvme_admin_get_log_page:
		return nepf_get_log_page(cmd);
	case nvme_admin_identify:
		return nepf_identify(cmd);
	case nvme_admin_abort_cmd:
		return admin_abort(cmd);
	case nvme_admin_set_features:
		return nepf_set_features(cmd);
	case nvme_admin_get_features:
		return nepf_get_features(cmd);
	case nvme_admin_async_event:
		return nepf_ctrl_aer_submit(ctrl, sqe->cid);
	default:
		/* Keep Alive too: CAP/KAS say we do not need it on PCIe. */
		return NVME_SC_INVALID_OPCODE | DNR;
	}
}

void nepf_admin_exec(struct nepf_cmd *cmd)
{
	cmd->status = admin_dispatch(cmd);
	nepf_cmd_complete(cmd);
}
