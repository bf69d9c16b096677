// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - Get Features and Set Features.
 *
 * Nothing is saveable (Set with SV: Feature Identifier Not Saveable; Get
 * "saved" returns the default).  Values go back to their defaults on a
 * controller reset, except Number of Queues, which keeps its value as the
 * specification requires.
 */
#include "admin.h"

#define DNR		NVME_STATUS_DNR
#define ARB_DEFAULT	3	/* AB: bursts of 8 commands */

static void features_default(struct nepf_features *f)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->arbitration = ARB_DEFAULT;
	f->temp_thresh_over = NEPF_WCTEMP;
	f->temp_thresh_under = 0;
	f->vwc = NVME_VWC_WCE;
	for (i = 0; i < NEPF_MAX_VECTORS; i++)
		f->irq_config[i] = i;
}

void nepf_features_reset(struct nepf_ctrl *ctrl)
{
	features_default(&ctrl->feat);
	ctrl->feat.timestamp_set_ns = nepf_now_ns();
}

/* Supported features and their capabilities (Get Features SEL = 3). */
static bool feature_caps(struct nepf_ctrl *ctrl, u8 fid, u32 *caps)
{
	switch (fid) {
	case NVME_FEAT_VOLATILE_WC:
		if (!nepf_ctrl_has_vwc(ctrl))
			return false;
		fallthrough;
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_TEMP_THRESH:
	case NVME_FEAT_NUM_QUEUES:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_IRQ_CONFIG:
	case NVME_FEAT_ASYNC_EVENT:
	case NVME_FEAT_TIMESTAMP:
		*caps = NVME_FEAT_CAP_CHANGEABLE;
		return true;
	case NVME_FEAT_ERR_RECOVERY:
		*caps = NVME_FEAT_CAP_CHANGEABLE | NVME_FEAT_CAP_PER_NS;
		return true;
	}
	return false;
}

/* Temperature threshold: composite (0) and sensor 1, over and under. */
static u16 temp_select(u32 dw11, u32 *tmpsel, u32 *thsel, bool set)
{
	*tmpsel = (dw11 & NVME_TEMP_TMPSEL_MASK) >> NVME_TEMP_TMPSEL_SHIFT;
	*thsel = (dw11 & NVME_TEMP_THSEL_MASK) >> NVME_TEMP_THSEL_SHIFT;
	if (*tmpsel > 1 && !(set && *tmpsel == 0xf))
		return NVME_SC_INVALID_FIELD | DNR;
	if (*thsel > NVME_TEMP_THSEL_UNDER)
		return NVME_SC_INVALID_FIELD | DNR;
	return 0;
}

static u16 timestamp_get(struct nepf_cmd *cmd, const struct nepf_features *f)
{
	struct nvme_timestamp ts = { };
	u64 ms = f->timestamp_base_ms +
		 div_u64(nepf_now_ns() - f->timestamp_set_ns, 1000000);
	unsigned int i;

	for (i = 0; i < 6; i++)
		ts.timestamp[i] = ms >> (8 * i);
	ts.attr = f->timestamp_base_ms ? NVME_TIMESTAMP_ORIGIN_SET : 0;
	return nepf_admin_to_host(cmd, &ts, sizeof(ts));
}

static u16 timestamp_set(struct nepf_cmd *cmd, struct nepf_features *f)
{
	struct nvme_timestamp ts;
	unsigned int i;
	u64 ms = 0;
	u16 status;

	status = nepf_admin_from_host(cmd, &ts, sizeof(ts));
	if (status)
		return status;
	for (i = 0; i < 6; i++)
		ms |= (u64)ts.timestamp[i] << (8 * i);
	f->timestamp_base_ms = ms;
	f->timestamp_set_ns = nepf_now_ns();
	return NVME_SC_SUCCESS;
}

u16 nepf_get_features(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u8 fid = NVME_FEAT_FID(dw10);
	u8 sel = NVME_FEAT_SEL(dw10);
	const struct nepf_features *f = &ctrl->feat;
	struct nepf_features def;
	u32 caps, tmpsel, thsel, iv;
	u16 status;

	if (sel > NVME_FEAT_SEL_SUPPORTED || !feature_caps(ctrl, fid, &caps))
		return NVME_SC_INVALID_FIELD | DNR;
	if (sel == NVME_FEAT_SEL_SUPPORTED) {
		cmd->result = caps;
		return NVME_SC_SUCCESS;
	}
	if (sel != NVME_FEAT_SEL_CURRENT) {	/* default; saved = default */
		features_default(&def);
		f = &def;
	}

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		cmd->result = f->arbitration;
		break;
	case NVME_FEAT_POWER_MGMT:
		cmd->result = f->power_mgmt;
		break;
	case NVME_FEAT_TEMP_THRESH:
		status = temp_select(dw11, &tmpsel, &thsel, false);
		if (status)
			return status;
		cmd->result = (thsel == NVME_TEMP_THSEL_OVER ? f->temp_thresh_over :
			       f->temp_thresh_under) |
			      (tmpsel << NVME_TEMP_TMPSEL_SHIFT) |
			      (thsel << NVME_TEMP_THSEL_SHIFT);
		break;
	case NVME_FEAT_ERR_RECOVERY:
		cmd->result = f->err_recovery;
		break;
	case NVME_FEAT_VOLATILE_WC:
		cmd->result = f->vwc;
		break;
	case NVME_FEAT_NUM_QUEUES:
		cmd->result = (ctrl->nr_io_sqs_granted - 1) |
			      ((u32)(ctrl->nr_io_cqs_granted - 1) << 16);
		break;
	case NVME_FEAT_IRQ_COALESCE:
		cmd->result = f->irq_coalesce;
		break;
	case NVME_FEAT_IRQ_CONFIG:
		iv = NVME_IRQ_CONFIG_IV(dw11);
		if (iv >= ctrl->cfg.nr_vectors || iv >= NEPF_MAX_VECTORS)
			return NVME_SC_INVALID_FIELD | DNR;
		cmd->result = f->irq_config[iv];
		break;
	case NVME_FEAT_ASYNC_EVENT:
		cmd->result = f->async_event_cfg;
		break;
	case NVME_FEAT_TIMESTAMP:
		return timestamp_get(cmd, f);
	}
	return NVME_SC_SUCCESS;
}

/* Set Features Number of Queues: grant what we have, before any I/O queue. */
static u16 set_num_queues(struct nepf_cmd *cmd, u32 dw11)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 nsqr = dw11 & 0xffff, ncqr = dw11 >> 16;

	if (nsqr == 0xffff || ncqr == 0xffff)
		return NVME_SC_INVALID_FIELD | DNR;
	if (nepf_io_queues_exist(ctrl))
		return NVME_SC_CMD_SEQ_ERROR | DNR;
	ctrl->nr_io_sqs_granted = min_t(u32, nsqr + 1, ctrl->cfg.max_io_queues);
	ctrl->nr_io_cqs_granted = min_t(u32, ncqr + 1, ctrl->cfg.max_io_queues);
	cmd->result = (ctrl->nr_io_sqs_granted - 1) |
		      ((u32)(ctrl->nr_io_cqs_granted - 1) << 16);
	return NVME_SC_SUCCESS;
}

u16 nepf_set_features(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_features *f = &ctrl->feat;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u8 fid = NVME_FEAT_FID(dw10);
	u32 caps, tmpsel, thsel, iv;
	u16 status;

	if (!feature_caps(ctrl, fid, &caps))
		return NVME_SC_INVALID_FIELD | DNR;
	if (dw10 & NVME_FEAT_SAVE)
		return NVME_SC_FEATURE_NOT_SAVEABLE | DNR;

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		/* Weights are kept for Get; arbitration is round robin. */
		f->arbitration = dw11;
		break;
	case NVME_FEAT_POWER_MGMT:
		if (dw11)		/* PS0 only, no workload hint */
			return NVME_SC_INVALID_FIELD | DNR;
		f->power_mgmt = 0;
		break;
	case NVME_FEAT_TEMP_THRESH:
		status = temp_select(dw11, &tmpsel, &thsel, true);
		if (status)
			return status;
		if (thsel == NVME_TEMP_THSEL_OVER)
			f->temp_thresh_over = dw11 & NVME_TEMP_TMPTH_MASK;
		else
			f->temp_thresh_under = dw11 & NVME_TEMP_TMPTH_MASK;
		break;
	case NVME_FEAT_ERR_RECOVERY:
		if (dw11 & NVME_ERR_REC_DULBE)	/* no deallocated-block errors */
			return NVME_SC_INVALID_FIELD | DNR;
		f->err_recovery = dw11 & NVME_ERR_REC_TLER_MASK;
		break;
	case NVME_FEAT_VOLATILE_WC:
		f->vwc = dw11 & NVME_VWC_WCE;
		break;
	case NVME_FEAT_NUM_QUEUES:
		return set_num_queues(cmd, dw11);
	case NVME_FEAT_IRQ_COALESCE:
		WRITE_ONCE(f->irq_coalesce, dw11 & 0xffff);
		break;
	case NVME_FEAT_IRQ_CONFIG:
		iv = NVME_IRQ_CONFIG_IV(dw11);
		if (iv >= ctrl->cfg.nr_vectors || iv >= NEPF_MAX_VECTORS)
			return NVME_SC_INVALID_FIELD | DNR;
		f->irq_config[iv] = iv | (dw11 & NVME_IRQ_CONFIG_CD);
		break;
	case NVME_FEAT_ASYNC_EVENT:
		f->async_event_cfg = dw11 & (NVME_AEN_CFG_SMART_MASK |
					     NVME_AEN_CFG_NS_ATTR);
		break;
	case NVME_FEAT_TIMESTAMP:
		return timestamp_set(cmd, f);
	}
	return NVME_SC_SUCCESS;
}
