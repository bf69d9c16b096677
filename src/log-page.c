// SPDX-License-Identifier: GPL-2.0
/*
 * log-page.c - Get Log Page: supported logs, error information, SMART /
 * health, firmware slot, changed namespace list, commands supported and
 * effects.  Logs are built whole in a local buffer, then the requested
 * window (offset, NUMD) is sent; bytes past the end of a log read as zero.
 */
#include "admin.h"

#define DNR		NVME_STATUS_DNR
#define LOG_MAX_LEN	(1U << 20)	/* without MDTS: bound our buffer */
#define SMART_TEMP_K	313		/* no sensor: a fixed, plausible 40 C */

static const u8 nepf_admin_opcodes[] = {
	nvme_admin_delete_sq, nvme_admin_create_sq, nvme_admin_get_log_page,
	nvme_admin_delete_cq, nvme_admin_create_cq, nvme_admin_identify,
	nvme_admin_abort_cmd, nvme_admin_set_features, nvme_admin_get_features,
	nvme_admin_async_event,
};

/* I/O commands io-cmd.c implements, with their effects. */
static const struct {
	u8 opcode;
	u32 effects;
} nepf_io_effects[] = {
	{ nvme_cmd_flush, NVME_CMD_EFFECTS_CSUPP },
	{ nvme_cmd_write, NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC },
	{ nvme_cmd_read, NVME_CMD_EFFECTS_CSUPP },
	{ nvme_cmd_compare, NVME_CMD_EFFECTS_CSUPP },
	{ nvme_cmd_write_zeroes, NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC },
	{ nvme_cmd_dsm, NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC },
	{ nvme_cmd_verify, NVME_CMD_EFFECTS_CSUPP },
};

static const u8 nepf_log_ids[] = {
	NVME_LOG_SUPPORTED, NVME_LOG_ERROR, NVME_LOG_SMART, NVME_LOG_FW_SLOT,
	NVME_LOG_CHANGED_NS, NVME_LOG_CMD_EFFECTS,
};

static void log_supported(struct nvme_supported_log *log)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nepf_log_ids); i++)
		log->lids[nepf_log_ids[i]] = cpu_to_le32(NVME_LID_SUPPORTED);
}

/* Newest entry first, as many as we keep. */
static void log_error(struct nepf_ctrl *ctrl, struct nvme_error_log_entry *log)
{
	unsigned long flags;
	unsigned int i, n;

	nepf_lock(&ctrl->log_lock, flags);
	n = min_t(u64, ctrl->err_count, NEPF_ERR_LOG_ENTRIES);
	for (i = 0; i < n; i++)
		log[i] = ctrl->err_log[(ctrl->err_count - 1 - i) % NEPF_ERR_LOG_ENTRIES];
	nepf_unlock(&ctrl->log_lock, flags);
}

/* Data units: thousands of 512-byte units, rounded up. */
static u64 data_units(u64 bytes)
{
	return div_u64(div_u64(bytes + 511, 512) + 999, 1000);
}

static void log_smart(struct nepf_ctrl *ctrl, struct nvme_smart_log *log)
{
	struct nepf_smart s;
	unsigned long flags;
	u64 hours, err_count;

	nepf_lock(&ctrl->log_lock, flags);
	s = ctrl->smart;
	err_count = ctrl->err_count;
	nepf_unlock(&ctrl->log_lock, flags);
	hours = div_u64(div_u64(nepf_now_ns() - ctrl->created_ns, 1000000000), 3600);

	log->temperature[0] = SMART_TEMP_K & 0xff;
	log->temperature[1] = SMART_TEMP_K >> 8;
	log->avail_spare = 100;
	log->spare_thresh = 10;
	log->percent_used = 0;
	nepf_put_le128(log->data_units_read, data_units(s.bytes_read));
	nepf_put_le128(log->data_units_written, data_units(s.bytes_written));
	nepf_put_le128(log->host_reads, s.host_reads);
	nepf_put_le128(log->host_writes, s.host_writes);
	nepf_put_le128(log->power_cycles, 1);
	nepf_put_le128(log->power_on_hours, hours);
	nepf_put_le128(log->media_errors, s.media_errors);
	nepf_put_le128(log->num_err_log_entries, err_count);
	log->temp_sensor[0] = cpu_to_le16(SMART_TEMP_K);
}

static void log_fw_slot(struct nepf_ctrl *ctrl, struct nvme_fw_slot_info_log *log)
{
	const char *fr = ctrl->cfg.firmware[0] ? ctrl->cfg.firmware : "1.0";

	log->afi = 1;				/* slot 1 active */
	nepf_strpad(log->frs[0], sizeof(log->frs[0]), fr);
}

static void log_changed_ns(struct nepf_ctrl *ctrl, struct nvme_changed_ns_log *log)
{
	unsigned long flags;
	unsigned int i;

	nepf_lock(&ctrl->aer_lock, flags);
	for (i = 0; i < ctrl->nr_changed_ns; i++)
		log->nsid[i] = cpu_to_le32(ctrl->changed_ns[i]);
	nepf_unlock(&ctrl->aer_lock, flags);
}

static void log_effects(struct nvme_effects_log *log)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nepf_admin_opcodes); i++)
		log->acs[nepf_admin_opcodes[i]] = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
	/* Set Features (Number of Queues) changes what the controller offers. */
	log->acs[nvme_admin_set_features] |= cpu_to_le32(NVME_CMD_EFFECTS_CCC);
	for (i = 0; i < ARRAY_SIZE(nepf_io_effects); i++)
		log->iocs[nepf_io_effects[i].opcode] =
			cpu_to_le32(nepf_io_effects[i].effects);
}

/* Build log @lid into @buf (4096 bytes, zeroed); its size, or 0. */
static u32 log_build(struct nepf_ctrl *ctrl, u8 lid, u8 csi, void *buf)
{
	switch (lid) {
	case NVME_LOG_SUPPORTED:
		log_supported(buf);
		return sizeof(struct nvme_supported_log);
	case NVME_LOG_ERROR:
		log_error(ctrl, buf);
		return NEPF_ERR_LOG_ENTRIES * sizeof(struct nvme_error_log_entry);
	case NVME_LOG_SMART:
		log_smart(ctrl, buf);
		return sizeof(struct nvme_smart_log);
	case NVME_LOG_FW_SLOT:
		log_fw_slot(ctrl, buf);
		return sizeof(struct nvme_fw_slot_info_log);
	case NVME_LOG_CHANGED_NS:
		log_changed_ns(ctrl, buf);
		return sizeof(struct nvme_changed_ns_log);
	case NVME_LOG_CMD_EFFECTS:
		if (csi != NVME_CSI_NVM)
			return 0;
		log_effects(buf);
		return sizeof(struct nvme_effects_log);
	}
	return 0;
}

u16 nepf_get_log_page(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u32 dw14 = le32_to_cpu(cmd->sqe.cdw14);
	u64 off = le32_to_cpu(cmd->sqe.cdw12) |
		  ((u64)le32_to_cpu(cmd->sqe.cdw13) << 32);
	u64 len = (((u64)NVME_LOG_NUMDU(dw11) << 16 | NVME_LOG_NUMDL(dw10)) + 1) * 4;
	u32 max = nepf_ctrl_max_xfer(ctrl) ? nepf_ctrl_max_xfer(ctrl) : LOG_MAX_LEN;
	u8 lid = NVME_LOG_LID(dw10);
	u8 *log, *out = NULL;
	u32 size;
	u16 status;

	if ((off & 3) || (dw14 & NVME_LOG_OT) || len > max)
		return NVME_SC_INVALID_FIELD | DNR;
	log = nepf_zalloc(4096);
	if (!log)
		return NVME_SC_INTERNAL;
	size = log_build(ctrl, lid, NVME_LOG_CSI(dw14), log);
	if (!size) {
		status = lid == NVME_LOG_CMD_EFFECTS ? NVME_SC_INVALID_FIELD | DNR :
						       NVME_SC_INVALID_LOG_PAGE | DNR;
		goto out;
	}
	if (off >= size) {
		status = NVME_SC_INVALID_FIELD | DNR;
		goto out;
	}
	if (off + len <= size) {
		status = nepf_admin_to_host(cmd, log + off, len);
	} else {
		out = nepf_zalloc(len);
		if (!out) {
			status = NVME_SC_INTERNAL;
			goto out;
		}
		memcpy(out, log + off, size - off);
		status = nepf_admin_to_host(cmd, out, len);
	}
	/* Retain Asynchronous Event clear: the event may be reported again. */
	if (!status && !(dw10 & NVME_LOG_RAE))
		nepf_ctrl_aen_log_read(ctrl, lid);
out:
	nepf_free(out);
	nepf_free(log);
	return status;
}
