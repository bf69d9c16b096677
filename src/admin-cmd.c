// SPDX-License-Identifier: GPL-2.0
/*
 * admin-cmd.c - the admin command set: dispatch, queue management, Abort,
 * Asynchronous Event Request, Identify, Get Log Page, Get/Set Features.
 *
 * Admin commands run one at a time on the environment's poll thread, so
 * they share ctrl->admin_sl for their data transfers.
 */
#include "ctrl.h"
#include "prp-sgl.h"
#include "inject.h"

/* Values Identify reports and the features and logs agree with. */
#define NEPF_WCTEMP		343	/* kelvin: 70 C warning threshold */
#define NEPF_CCTEMP		358	/* kelvin: 85 C critical */

/* 128-bit little-endian counters of logs and Identify (high half 0). */
static void nepf_put_le128(u8 *dst, u64 v)
{
	__le64 lo = cpu_to_le64(v);

	memset(dst, 0, 16);
	memcpy(dst, &lo, sizeof(lo));
}

static u16 nepf_admin_to_host(struct nepf_cmd *cmd, const void *buf, u32 len)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status;

	status = nepf_map_admin_data(ctrl, cmd->gen, &cmd->sqe, len,
				     &ctrl->admin_sl);
	if (status)
		return status;
	return nepf_seglist_to_host(ctrl, &ctrl->admin_sl, buf);
}

static u16 nepf_admin_from_host(struct nepf_cmd *cmd, void *buf, u32 len)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status;

	status = nepf_map_admin_data(ctrl, cmd->gen, &cmd->sqe, len,
				     &ctrl->admin_sl);
	if (status)
		return status;
	return nepf_seglist_from_host(ctrl, &ctrl->admin_sl, buf);
}

static void nepf_strpad(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size);

	memcpy(dst, src, n);
	memset(dst + n, ' ', size - n);
}

/*
 * A volatile write cache: as the namespaces have it, unless configured.
 * Fixed when the host enables the controller (nepf_ctrl_vwc_latch()):
 * hosts read Identify once per reset.  A namespace with a cache that comes
 * later is written through until the next reset (io-cmd.c).
 */
void nepf_ctrl_vwc_latch(struct nepf_ctrl *ctrl)
{
	bool vwc = false;
	unsigned int i;

	if (ctrl->cfg.vwc_mode != NEPF_VWC_AUTO) {
		vwc = ctrl->cfg.vwc_mode == NEPF_VWC_ON;
	} else {
		for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
			const struct nepf_ns *ns = READ_ONCE(ctrl->ns[i]);

			if (ns && ns->volatile_cache)
				vwc = true;
		}
	}
	WRITE_ONCE(ctrl->vwc, vwc);
}

static bool nepf_ctrl_has_vwc(const struct nepf_ctrl *ctrl)
{
	return READ_ONCE(ctrl->vwc);
}

/*
 * ---- Identify: controller, namespaces, active namespace list, namespace
 * identification descriptors, and the I/O command set specific structures
 * of the NVM command set that Linux hosts read at probe (CNS 05h, 06h,
 * 08h: with VS >= 2.0 some versions use CNS 08h first).
 */

/* Look up @nsid: a status for invalid ids, *ns NULL if inactive. */
static u16 ns_lookup(struct nepf_ctrl *ctrl, u32 nsid, struct nepf_ns **ns)
{
	*ns = NULL;
	/* FFFFFFFFh means "all/common": only with namespace management. */
	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	*ns = READ_ONCE(ctrl->ns[nsid - 1]);
	return NVME_SC_SUCCESS;
}

/*
 * Namespaces need a globally unique identifier (Linux refuses duplicate or
 * missing ones on shared namespaces): when configfs left the NGUID zero,
 * derive a stable one from the subsystem's serial and model and the nsid.
 */
static void ns_nguid(struct nepf_ctrl *ctrl, struct nepf_ns *ns, u8 *nguid)
{
	static const u8 zero[16];
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	const char *p;
	unsigned int i;

	if (memcmp(ns->cfg.nguid, zero, 16)) {
		memcpy(nguid, ns->cfg.nguid, 16);
		return;
	}
	for (p = ctrl->cfg.serial; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ULL;
	for (p = ctrl->cfg.model; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ULL;
	for (i = 0; i < 8; i++) {
		nguid[i] = h >> (8 * i);
		nguid[8 + i] = (ns->nsid * 0x9e3779b97f4a7c15ULL) >> (8 * i);
	}
	nguid[8] ^= 0x4e;	/* 'N': never all zero */
}

/* ONCS: what io-cmd.c implements, less what the identity hides. */
static u16 nepf_ctrl_oncs(const struct nepf_ctrl *ctrl)
{
	return NEPF_ONCS & ~ctrl->cfg.oncs_mask;
}

/* Identify CNTLID: the configured one, 1 if none. */
static u16 nepf_cntlid(const struct nepf_ctrl *ctrl)
{
	return ctrl->cfg.cntlid ? ctrl->cfg.cntlid : 1;
}

static void id_ctrl(struct nepf_ctrl *ctrl, struct nvme_id_ctrl *id)
{
	const struct nepf_ctrl_config *cfg = &ctrl->cfg;
	/* prp-sgl.c ignores what an SGL describes beyond the transfer. */
	u32 sgls = NVME_CTRL_SGLS_SUPPORTED | NVME_CTRL_SGLS_BIT_BUCKET |
		   NVME_CTRL_SGLS_OVERSIZE;

	id->vid = cpu_to_le16(cfg->vid);
	id->ssvid = cpu_to_le16(cfg->ssvid);
	nepf_strpad(id->sn, sizeof(id->sn), cfg->serial);
	nepf_strpad(id->mn, sizeof(id->mn), cfg->model);
	nepf_strpad(id->fr, sizeof(id->fr), cfg->firmware[0] ? cfg->firmware : "1.0");
	id->rab = 6;				/* 64 commands */
	id->ieee[0] = cfg->ieee_oui & 0xff;	/* little endian */
	id->ieee[1] = (cfg->ieee_oui >> 8) & 0xff;
	id->ieee[2] = (cfg->ieee_oui >> 16) & 0xff;
	id->cmic = 0;				/* one port, one controller */
	id->mdts = nepf_ctrl_mdts(ctrl);
	id->cntlid = cpu_to_le16(nepf_cntlid(ctrl));
	id->ver = cpu_to_le32(ctrl->vs);
	id->oaes = cpu_to_le32(NVME_CTRL_OAES_NS_ATTR);
	id->cntrltype = NVME_CTRL_CNTRLTYPE_IO;
	/* Format NVM, Device Self-test (bgop.c); no firmware commands */
	if (nepf_bg_offered(ctrl)) {
		id->oacs = cpu_to_le16(NVME_CTRL_OACS_FORMAT |
				       NVME_CTRL_OACS_SELF_TEST);
		id->edstt = cpu_to_le16(nepf_bg_edstt(ctrl));
		id->dsto = 0;		/* one self-test per controller */
		id->sanicap = cpu_to_le32(NVME_CTRL_SANICAP_BES);
		/* FNA 0: per namespace, and secure erase too; no crypto erase */
		id->fna = 0;
	}
	/* Get LBA Status: the uncorrectable-LBA sets (lba-status.c) */
	id->oacs |= cpu_to_le16(NVME_CTRL_OACS_LBA_STATUS);
	id->acl = 3;				/* 4 Abort commands */
	id->aerl = NEPF_AERL;
	id->frmw = NVME_CTRL_FRMW_SLOT1_RO | (1 << NVME_CTRL_FRMW_NR_SLOTS_SHIFT);
	id->lpa = NVME_CTRL_LPA_CMD_EFFECTS | NVME_CTRL_LPA_EXTENDED |
		  NVME_CTRL_LPA_TELEMETRY;
	id->elpe = NEPF_ERR_LOG_ENTRIES - 1;
	id->npss = 0;				/* PS0 only */
	id->wctemp = cpu_to_le16(NEPF_WCTEMP);
	id->cctemp = cpu_to_le16(NEPF_CCTEMP);
	id->sqes = (NVME_SQES << 4) | NVME_SQES;
	id->cqes = (NVME_CQES << 4) | NVME_CQES;
	id->maxcmd = 0;				/* fabrics only */
	id->nn = cpu_to_le32(NEPF_MAX_NAMESPACES);
	nepf_pool_id_ctrl(ctrl, id);	/* namespace management: OACS bit 3 */
	id->oncs = cpu_to_le16(nepf_ctrl_oncs(ctrl));
	/* Copy: format 2h (cross-namespace) once Feature 16h enables it */
	if (nepf_ctrl_oncs(ctrl) & NVME_CTRL_ONCS_COPY)
		id->ocfs = cpu_to_le16(NVME_CTRL_OCFS_FMT0 | NVME_CTRL_OCFS_FMT2);
	/* Flush with NSID FFFFFFFFh is not supported: per namespace only. */
	if (nepf_ctrl_has_vwc(ctrl))
		id->vwc = NVME_CTRL_VWC_PRESENT | NVME_CTRL_VWC_FLUSH_NO_ALL;
	id->sgls = cfg->sgl ? cpu_to_le32(sgls) : 0;
	snprintf(id->subnqn, sizeof(id->subnqn), "nqn.2024-01.org.nvme-epf:%s",
		 cfg->serial[0] ? cfg->serial : "default");
	/* One power state; 25 W is a plausible upper bound for a board. */
	id->psd[0].max_power = cpu_to_le16(2500);
}

static void id_ns(struct nepf_ctrl *ctrl, struct nepf_ns *ns, struct nvme_id_ns *id)
{
	u64 bytes = ns->nr_blocks << ns->lba_shift;
	u32 mcl = nepf_io_copy_mcl(ctrl, ns);
	u8 ds[NEPF_MAX_LBAF];
	unsigned int i, n = nepf_ns_lbafs(ns, ds);

	id->nsze = cpu_to_le64(ns->nr_blocks);
	id->ncap = cpu_to_le64(ns->nr_blocks);
	id->nuse = cpu_to_le64(ns->nr_blocks);
	/* 512 and 4096 (Format NVM), no metadata; 0-based count */
	id->nlbaf = n - 1;
	id->flbas = nepf_ns_flbas(ns);
	for (i = 0; i < n; i++)
		id->lbaf[i].ds = ds[i];
	id->nsattr = ns->cfg.readonly ? NVME_NS_ATTR_RO : 0;
	nepf_put_le128(id->nvmcap, bytes);
	if (nepf_ctrl_oncs(ctrl) & NVME_CTRL_ONCS_COPY) {
		id->mssrl = cpu_to_le16(mcl);
		id->mcl = cpu_to_le32(mcl);
		id->msrc = NEPF_COPY_MSRC;
	}
	ns_nguid(ctrl, ns, id->nguid);
}

/* CNS 02h/07h: active NSIDs greater than @nsid, ascending (10h: allocated). */
static u16 id_active_list(struct nepf_ctrl *ctrl, u32 nsid, __le32 *list)
{
	unsigned int i, n = 0;

	if (nsid >= 0xfffffffe)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (i + 1 > nsid && READ_ONCE(ctrl->ns[i]))
			list[n++] = cpu_to_le32(i + 1);
	return NVME_SC_SUCCESS;
}

static u8 *put_desc(u8 *p, u8 type, const void *data, u8 len)
{
	struct nvme_ns_id_desc *d = (struct nvme_ns_id_desc *)p;

	d->nidt = type;
	d->nidl = len;
	memcpy(p + sizeof(*d), data, len);
	return p + sizeof(*d) + len;
}

/* CNS 03h: NGUID, UUID (if configured) and the command set (NVM). */
static void id_desc_list(struct nepf_ctrl *ctrl, struct nepf_ns *ns, u8 *buf)
{
	static const u8 zero[16];
	u8 csi = NVME_CSI_NVM;
	u8 nguid[16];
	u8 *p = buf;

	ns_nguid(ctrl, ns, nguid);
	p = put_desc(p, NVME_NIDT_NGUID, nguid, NVME_NIDT_NGUID_LEN);
	if (memcmp(ns->cfg.uuid, zero, 16))
		p = put_desc(p, NVME_NIDT_UUID, ns->cfg.uuid, NVME_NIDT_UUID_LEN);
	put_desc(p, NVME_NIDT_CSI, &csi, NVME_NIDT_CSI_LEN);
}

/* CNS 06h, NVM: size limits in units of 2^n * 4 KiB, like MDTS. */
static void id_ctrl_nvm(struct nepf_ctrl *ctrl, struct nvme_id_ctrl_nvm *id)
{
	u8 mdts = nepf_ctrl_mdts(ctrl);

	id->vsl = mdts;		/* Verify and Write Zeroes: one MDTS, so an */
	id->wzsl = mdts;	/* emulation never needs more than one buffer */
	id->wusl = NEPF_WUSL;	/* bounds the uncorrectable-LBA set (io-cmd.c) */
}

/* CNS 08h: what Linux reads first for VS >= 2.0 (NSTAT: ready). */
static void id_ns_indep(struct nepf_ns *ns, struct nvme_id_ns_cs_indep *id)
{
	id->nsattr = ns->cfg.readonly ? NVME_NS_ATTR_RO : 0;
	id->nstat = NVME_NSTAT_NRDY;
}

/*
 * CNS 13h: the subsystem's controllers with an id >= @from: just us;
 * CNS 12h: those attached to a namespace (@attached: us).
 */
static void id_ctrl_list(struct nepf_ctrl *ctrl, u16 from, bool attached,
			 __le16 *list)
{
	if (attached && nepf_cntlid(ctrl) >= from) {
		list[0] = cpu_to_le16(1);
		list[1] = cpu_to_le16(nepf_cntlid(ctrl));
	}
}

/*
 * CNS 1Ch: I/O Command Set combinations, 8-byte vectors of CSI bits; one,
 * index 0: NVM alone (CAP.CSS bit 6, Feature 19h).  CNTID is not checked:
 * there is one controller, and nvme-cli sends FFFFh.
 */
static void id_iocs(__le64 *vectors)
{
	vectors[0] = cpu_to_le64(BIT_ULL(NVME_CSI_NVM));
}

/*
 * CNS 10h, 11h, 12h: allocated namespaces, attached or not (ns-mgmt.c),
 * under the pool's lock: another controller may delete one meanwhile.
 */
static u16 identify_allocated(struct nepf_cmd *cmd, u8 cns, u32 nsid,
			      void *buf)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u16 status = NVME_SC_SUCCESS;
	struct nepf_ns *ns;

	if (cns == NVME_ID_CNS_NS_PRESENT_LIST ? nsid >= 0xfffffffe :
	    !nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	nepf_pool_lock(ctrl);
	switch (cns) {
	case NVME_ID_CNS_NS_PRESENT_LIST:
		nepf_pool_alloc_list(ctrl, nsid, buf);
		break;
	case NVME_ID_CNS_NS_PRESENT:	/* unallocated: all zeroes */
		ns = nepf_pool_ns(ctrl, nsid);
		if (ns)
			id_ns(ctrl, ns, buf);
		break;
	case NVME_ID_CNS_CTRL_NS_LIST:
		id_ctrl_list(ctrl, nvme_sqe_cdw(&cmd->sqe, 10) >> 16,
			     READ_ONCE(ctrl->ns[nsid - 1]), buf);
		break;
	}
	nepf_pool_unlock(ctrl);
	return status;
}

static u16 identify_build(struct nepf_cmd *cmd, void *buf)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u8 cns = dw10 & 0xff;
	u8 csi = dw11 >> 24;
	struct nepf_ns *ns;
	u16 status;

	switch (cns) {
	case NVME_ID_CNS_CTRL:
		id_ctrl(ctrl, buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_CS_CTRL:
		if (csi != NVME_CSI_NVM)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		id_ctrl_nvm(ctrl, buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS_ACTIVE_LIST_CS:
		if (csi != NVME_CSI_NVM)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		fallthrough;
	case NVME_ID_CNS_NS_ACTIVE_LIST:
		return id_active_list(ctrl, nsid, buf);
	case NVME_ID_CNS_CTRL_LIST:
		id_ctrl_list(ctrl, dw10 >> 16, true, buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS_PRESENT_LIST:
	case NVME_ID_CNS_NS_PRESENT:
	case NVME_ID_CNS_CTRL_NS_LIST:
		if (!ctrl->pool)	/* namespace management only */
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		return identify_allocated(cmd, cns, nsid, buf);
	case NVME_ID_CNS_IO_CMD_SET:
		id_iocs(buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS:
	case NVME_ID_CNS_NS_DESC_LIST:
	case NVME_ID_CNS_CS_NS:
	case NVME_ID_CNS_NS_CS_INDEP:
		break;
	default:
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}

	/*
	 * With namespace management, Identify Namespace FFFFFFFFh gives what
	 * every namespace the host creates has in common: the LBA formats
	 * Create accepts (nvme-cli reads them to size a namespace).
	 */
	if (cns == NVME_ID_CNS_NS && nsid == NVME_NSID_ALL && ctrl->pool) {
		struct nvme_id_ns *id = buf;

		id->nlbaf = 1;
		id->lbaf[0].ds = 9;
		id->lbaf[1].ds = 12;
		return NVME_SC_SUCCESS;
	}
	status = ns_lookup(ctrl, nsid, &ns);
	if (status)
		return status;
	switch (cns) {
	case NVME_ID_CNS_NS:		/* inactive: all zeroes */
		if (ns)
			id_ns(ctrl, ns, buf);
		break;
	case NVME_ID_CNS_NS_DESC_LIST:
		if (!ns)
			return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
		id_desc_list(ctrl, ns, buf);
		break;
	case NVME_ID_CNS_CS_NS:		/* nothing beyond zeroes for NVM */
		if (csi != NVME_CSI_NVM)
			return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		break;
	case NVME_ID_CNS_NS_CS_INDEP:
		if (ns)
			id_ns_indep(ns, buf);
		break;
	}
	return NVME_SC_SUCCESS;
}

static u16 nepf_identify(struct nepf_cmd *cmd)
{
	void *buf = nepf_ctrl_zalloc(cmd->ctrl, NVME_IDENTIFY_DATA_SIZE);
	u16 status;

	if (!buf)
		return NVME_SC_INTERNAL;
	status = identify_build(cmd, buf);
	if (!status)
		status = nepf_admin_to_host(cmd, buf, NVME_IDENTIFY_DATA_SIZE);
	nepf_free(buf);
	return status;
}

/*
 * ---- Get Log Page: logs are built whole in a local buffer, then the
 * requested window (offset, NUMD) is sent; bytes past the end of a log
 * read as zero.
 */

#define LOG_MAX_LEN	(1U << 20)	/* without MDTS: bound our buffer */
#define SMART_TEMP_K	313		/* no sensor: a fixed, plausible 40 C */

/*
 * Commands Supported and Effects: an opcode, its effects, and for the
 * optional commands the Identify bit that offers them (0: always there):
 * ONCS for NVM commands, OACS for admin commands.
 */
struct nepf_effects {
	u8 opcode;
	u16 cap;
	u32 effects;
};

#define CSUPP	NVME_CMD_EFFECTS_CSUPP
#define LBCC	NVME_CMD_EFFECTS_LBCC
#define OACS_BG	NVME_CTRL_OACS_FORMAT	/* the background operations */
#define OACS_NS	NVME_CTRL_OACS_NS_MNGT

static const struct nepf_effects nepf_admin_effects[] = {
	{ nvme_admin_delete_sq, 0, CSUPP },
	{ nvme_admin_create_sq, 0, CSUPP },
	{ nvme_admin_get_log_page, 0, CSUPP },
	{ nvme_admin_delete_cq, 0, CSUPP },
	{ nvme_admin_create_cq, 0, CSUPP },
	{ nvme_admin_identify, 0, CSUPP },
	{ nvme_admin_abort_cmd, 0, CSUPP },
	/* Set Features (Number of Queues) changes what the controller offers. */
	{ nvme_admin_set_features, 0, CSUPP | NVME_CMD_EFFECTS_CCC },
	{ nvme_admin_get_features, 0, CSUPP },
	{ nvme_admin_async_event, 0, CSUPP },
	{ nvme_admin_get_lba_status, 0, CSUPP },
	{ nvme_admin_dev_self_test, OACS_BG, CSUPP },
	/* Format changes the namespace's size and format, Sanitize data. */
	{ nvme_admin_format_nvm, OACS_BG, CSUPP | LBCC | NVME_CMD_EFFECTS_NCC |
					  NVME_CMD_EFFECTS_CSE_NS },
	{ nvme_admin_sanitize_nvm, OACS_BG, CSUPP | LBCC | NVME_CMD_EFFECTS_CSE_ALL },
	/* They change the namespace inventory and the capacity (TNVMCAP...). */
	{ nvme_admin_ns_mgmt, OACS_NS, CSUPP | NVME_CMD_EFFECTS_NIC |
				       NVME_CMD_EFFECTS_NCC },
	{ nvme_admin_ns_attach, OACS_NS, CSUPP | NVME_CMD_EFFECTS_NIC |
					 NVME_CMD_EFFECTS_NCC },
};

/* The NVM commands io-cmd.c implements; none has submission limits (CSE). */
static const struct nepf_effects nepf_io_effects[] = {
	{ nvme_cmd_flush, 0, CSUPP },
	{ nvme_cmd_write, 0, CSUPP | LBCC },
	{ nvme_cmd_read, 0, CSUPP },
	{ nvme_cmd_compare, NVME_CTRL_ONCS_COMPARE, CSUPP },
	{ nvme_cmd_write_uncor, NVME_CTRL_ONCS_WRITE_UNCOR, CSUPP | LBCC },
	{ nvme_cmd_write_zeroes, NVME_CTRL_ONCS_WRITE_ZEROES, CSUPP | LBCC },
	{ nvme_cmd_dsm, NVME_CTRL_ONCS_DSM, CSUPP | LBCC },
	{ nvme_cmd_verify, NVME_CTRL_ONCS_VERIFY, CSUPP },
	{ nvme_cmd_copy, NVME_CTRL_ONCS_COPY, CSUPP | LBCC },
};

#undef CSUPP
#undef LBCC
#undef OACS_BG
#undef OACS_NS

static const u8 nepf_log_ids[] = {
	NVME_LOG_SUPPORTED, NVME_LOG_ERROR, NVME_LOG_SMART, NVME_LOG_FW_SLOT,
	NVME_LOG_CHANGED_NS, NVME_LOG_CMD_EFFECTS, NVME_LOG_TELEMETRY_HOST,
	NVME_LOG_LBA_STATUS,
};

static void log_supported(struct nepf_ctrl *ctrl, struct nvme_supported_log *log)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nepf_log_ids); i++)
		log->lids[nepf_log_ids[i]] = cpu_to_le32(NVME_LID_SUPPORTED);
	if (nepf_bg_offered(ctrl)) {
		log->lids[NVME_LOG_DEVICE_SELF_TEST] = cpu_to_le32(NVME_LID_SUPPORTED);
		log->lids[NVME_LOG_SANITIZE] = cpu_to_le32(NVME_LID_SUPPORTED);
	}
}

/* Newest entry first, as many as we keep (telemetry.c too). */
void nepf_ctrl_error_log(struct nepf_ctrl *ctrl, struct nvme_error_log_entry *log)
{
	unsigned int i, n;

	spin_lock(&ctrl->log_lock);
	n = min_t(u64, ctrl->err_count, NEPF_ERR_LOG_ENTRIES);
	for (i = 0; i < n; i++)
		log[i] = ctrl->err_log[(ctrl->err_count - 1 - i) % NEPF_ERR_LOG_ENTRIES];
	spin_unlock(&ctrl->log_lock);
}

/* Data units: thousands of 512-byte units, rounded up. */
static u64 data_units(u64 bytes)
{
	return div_u64(div_u64(bytes + 511, 512) + 999, 1000);
}

/* Is the (fixed) temperature beyond a threshold the host set? */
static bool temp_beyond_threshold(const struct nepf_features *f)
{
	unsigned int i;

	for (i = 0; i < NEPF_TEMP_SENSORS; i++)
		if (f->temp_over[i] <= SMART_TEMP_K ||
		    f->temp_under[i] >= SMART_TEMP_K)
			return true;
	return false;
}

static void log_smart(struct nepf_ctrl *ctrl, struct nvme_smart_log *log)
{
	struct nepf_smart s;
	u64 hours, err_count;

	spin_lock(&ctrl->log_lock);
	s = ctrl->smart;
	err_count = ctrl->err_count;
	spin_unlock(&ctrl->log_lock);
	hours = nepf_ctrl_poh(ctrl);

	if (temp_beyond_threshold(&ctrl->feat))
		log->critical_warning |= NVME_SMART_CRIT_TEMPERATURE;
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
	unsigned int i;

	spin_lock(&ctrl->aer_lock);
	for (i = 0; i < ctrl->nr_changed_ns; i++)
		log->nsid[i] = cpu_to_le32(ctrl->changed_ns[i]);
	spin_unlock(&ctrl->aer_lock);
}

/* The command sets' logs share the admin part; only NVM has I/O commands. */
static void log_effects(struct nepf_ctrl *ctrl, u8 csi, struct nvme_effects_log *log)
{
	u16 oncs = nepf_ctrl_oncs(ctrl);
	u16 oacs = (nepf_bg_offered(ctrl) ? NVME_CTRL_OACS_FORMAT : 0) |
		   (ctrl->pool ? NVME_CTRL_OACS_NS_MNGT : 0);
	const struct nepf_effects *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nepf_admin_effects); i++) {
		e = &nepf_admin_effects[i];
		if ((e->cap & oacs) == e->cap)
			log->acs[e->opcode] = cpu_to_le32(e->effects);
	}
	if (csi != NVME_CSI_NVM)
		return;
	for (i = 0; i < ARRAY_SIZE(nepf_io_effects); i++) {
		e = &nepf_io_effects[i];
		if ((e->cap & oncs) == e->cap)
			log->iocs[e->opcode] = cpu_to_le32(e->effects);
	}
}

/* Build log @lid into @buf (4096 bytes, zeroed); its size, or 0. */
static u32 log_build(struct nepf_ctrl *ctrl, u8 lid, u8 csi, void *buf)
{
	switch (lid) {
	case NVME_LOG_SUPPORTED:
		log_supported(ctrl, buf);
		return sizeof(struct nvme_supported_log);
	case NVME_LOG_ERROR:
		nepf_ctrl_error_log(ctrl, buf);
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
	case NVME_LOG_DEVICE_SELF_TEST:
		if (!nepf_bg_offered(ctrl))
			return 0;
		nepf_bg_log_self_test(ctrl, buf);
		return sizeof(struct nvme_dst_log);
	case NVME_LOG_SANITIZE:
		if (!nepf_bg_offered(ctrl))
			return 0;
		nepf_bg_log_sanitize(ctrl, buf);
		return sizeof(struct nvme_sanitize_log);
	case NVME_LOG_CMD_EFFECTS:
		/*
		 * Another command set's log (nvme-cli asks for ZNS when
		 * CAP.CSS bit 6 is set): the admin commands, no I/O command.
		 */
		log_effects(ctrl, csi, buf);
		return sizeof(struct nvme_effects_log);
	}
	return 0;
}

static u16 nepf_get_log_page(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u32 dw14 = le32_to_cpu(cmd->sqe.cdw14);
	u64 off = le32_to_cpu(cmd->sqe.cdw12) |
		  ((u64)le32_to_cpu(cmd->sqe.cdw13) << 32);
	u64 len = (((u64)NVME_LOG_NUMDU(dw11) << 16 | NVME_LOG_NUMDL(dw10)) + 1) * 4;
	u32 max = nepf_ctrl_max_xfer(ctrl) ? nepf_ctrl_max_xfer(ctrl) : LOG_MAX_LEN;
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u8 lid = NVME_LOG_LID(dw10);
	u8 *log = NULL, *out = NULL, *big = NULL;
	const u8 *src;
	u32 size;
	u16 status;

	if ((off & 3) || (dw14 & NVME_LOG_OT) || len > max)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	/* No per-namespace SMART (LPA bit 0): controller-wide NSIDs only. */
	if (lid == NVME_LOG_SMART && nsid && nsid != NVME_NSID_ALL)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (lid == NVME_LOG_TELEMETRY_HOST) {
		/* Larger than one page, and kept between the reads. */
		status = nepf_telemetry_host(ctrl, NVME_LOG_LSP(dw10) &
					     NVME_LOG_LSP_TELEMETRY_CREATE,
					     &src, &size);
		if (status)
			return status;
	} else if (lid == NVME_LOG_LBA_STATUS) {
		/* Up to a range descriptor per uncorrectable block. */
		status = nepf_lba_status_log(ctrl, &big, &size);
		if (status)
			return status;
		src = big;
	} else {
		log = nepf_ctrl_zalloc(ctrl, 4096);
		if (!log)
			return NVME_SC_INTERNAL;
		size = log_build(ctrl, lid, NVME_LOG_CSI(dw14), log);
		src = log;
	}
	if (!size) {
		status = NVME_SC_INVALID_LOG_PAGE | NVME_STATUS_DNR;
		goto out;
	}
	if (off >= size) {
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto out;
	}
	if (off + len <= size) {
		status = nepf_admin_to_host(cmd, src + off, len);
	} else {
		out = nepf_ctrl_zalloc(ctrl, len);
		if (!out) {
			status = NVME_SC_INTERNAL;
			goto out;
		}
		memcpy(out, src + off, size - off);
		status = nepf_admin_to_host(cmd, out, len);
	}
	/* Retain Asynchronous Event clear: the event may be reported again. */
	if (!status && !(dw10 & NVME_LOG_RAE))
		nepf_ctrl_aen_log_read(ctrl, lid);
out:
	nepf_free(out);
	nepf_free(log);
	nepf_free(big);
	return status;
}

/*
 * ---- Get/Set Features: nothing is saveable (Set with SV: Feature
 * Identifier Not Saveable; Get "saved" returns the default).  Values go
 * back to their defaults on a controller reset, except Number of Queues,
 * which keeps its value as the specification requires.
 *
 * Error Recovery is namespace specific: Get names one active namespace,
 * Set one or all (FFFFFFFFh).  Set Features of a controller-wide feature
 * with a namespace's NSID: Feature Not Namespace Specific.
 */

#define ARB_DEFAULT	3	/* AB: bursts of 8 commands */
#define TEMP_NONE	0xffff	/* a sensor's default over threshold */

static void features_default(struct nepf_features *f)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->arbitration = ARB_DEFAULT;
	f->temp_over[0] = NEPF_WCTEMP;
	for (i = 1; i < NEPF_TEMP_SENSORS; i++)
		f->temp_over[i] = TEMP_NONE;
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
	case NVME_FEAT_WRITE_ATOMIC:
	case NVME_FEAT_ASYNC_EVENT:
	case NVME_FEAT_TIMESTAMP:
	case NVME_FEAT_IOCS_PROFILE:
	case NVME_FEAT_HOST_BEHAVIOR:
		*caps = NVME_FEAT_CAP_CHANGEABLE;
		return true;
	case NVME_FEAT_ERR_RECOVERY:
		*caps = NVME_FEAT_CAP_CHANGEABLE | NVME_FEAT_CAP_PER_NS;
		return true;
	}
	return false;
}

/*
 * The NSID of a Get/Set Features command: for a namespace-specific
 * feature *idx is the namespace's index, or -1 for all (Set only).
 */
static u16 feature_nsid(struct nepf_ctrl *ctrl, u32 nsid, u32 caps, bool set,
			int *idx)
{
	*idx = -1;
	if (!(caps & NVME_FEAT_CAP_PER_NS)) {
		if (!set || !nsid || nsid == NVME_NSID_ALL)
			return NVME_SC_SUCCESS;
		if (nsid > NEPF_MAX_NAMESPACES)
			return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
		return NVME_SC_FEATURE_NOT_PER_NS | NVME_STATUS_DNR;
	}
	if (set && nsid == NVME_NSID_ALL)
		return NVME_SC_SUCCESS;
	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	if (!READ_ONCE(ctrl->ns[nsid - 1]))	/* valid but inactive */
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	*idx = nsid - 1;
	return NVME_SC_SUCCESS;
}

/*
 * Temperature Threshold: TMPSEL 0 (Composite) and 1 (Sensor 1) exist,
 * 1111b (all of them) in Set Features only; THSEL over or under.  *sensor
 * is the index into temp_over/temp_under, NEPF_TEMP_SENSORS for all.
 */
static u16 temp_select(u32 dw11, bool set, unsigned int *sensor, bool *under)
{
	u32 tmpsel = (dw11 & NVME_TEMP_TMPSEL_MASK) >> NVME_TEMP_TMPSEL_SHIFT;
	u32 thsel = (dw11 & NVME_TEMP_THSEL_MASK) >> NVME_TEMP_THSEL_SHIFT;

	if (thsel > NVME_TEMP_THSEL_UNDER)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (tmpsel == NVME_TEMP_TMPSEL_ALL && set)
		*sensor = NEPF_TEMP_SENSORS;
	else if (tmpsel < NEPF_TEMP_SENSORS)
		*sensor = tmpsel;
	else
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	*under = thsel == NVME_TEMP_THSEL_UNDER;
	return NVME_SC_SUCCESS;
}

static void temp_set(struct nepf_ctrl *ctrl, unsigned int sensor, bool under,
		     u16 val)
{
	struct nepf_features *f = &ctrl->feat;
	unsigned int i;

	for (i = 0; i < NEPF_TEMP_SENSORS; i++) {
		if (sensor != NEPF_TEMP_SENSORS && sensor != i)
			continue;
		if (under)
			f->temp_under[i] = val;
		else
			f->temp_over[i] = val;
	}
	if (temp_beyond_threshold(f))
		nepf_ctrl_aen(ctrl, NVME_AER_TYPE_SMART,
			      NVME_AER_SMART_TEMP_THRESH, NVME_LOG_SMART);
}

/* Power Management: PS0 only (NPSS = 0); workload hints 0-2 are kept. */
static u16 power_mgmt_check(u32 dw11)
{
	if ((dw11 & NVME_PM_PS_MASK) || (dw11 >> NVME_PM_WH_SHIFT) > 2)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/* The timestamp goes through the heap: the environment may DMA it. */
static u16 timestamp_get(struct nepf_cmd *cmd, const struct nepf_features *f)
{
	struct nvme_timestamp *ts = nepf_zalloc(sizeof(*ts));
	u64 ms = f->timestamp_base_ms +
		 div_u64(nepf_now_ns() - f->timestamp_set_ns, 1000000);
	unsigned int i;
	u16 status;

	if (!ts)
		return NVME_SC_INTERNAL;
	for (i = 0; i < 6; i++)
		ts->timestamp[i] = ms >> (8 * i);
	ts->attr = f->timestamp_base_ms ? NVME_TIMESTAMP_ORIGIN_SET : 0;
	status = nepf_admin_to_host(cmd, ts, sizeof(*ts));
	nepf_free(ts);
	return status;
}

static u16 timestamp_set(struct nepf_cmd *cmd, struct nepf_features *f)
{
	struct nvme_timestamp *ts = nepf_zalloc(sizeof(*ts));
	unsigned int i;
	u64 ms = 0;
	u16 status;

	if (!ts)
		return NVME_SC_INTERNAL;
	status = nepf_admin_from_host(cmd, ts, sizeof(*ts));
	if (!status) {
		for (i = 0; i < 6; i++)
			ms |= (u64)ts->timestamp[i] << (8 * i);
		f->timestamp_base_ms = ms;
		f->timestamp_set_ns = nepf_now_ns();
	}
	nepf_free(ts);
	return status;
}

/*
 * Host Behavior Support (16h), 512 bytes of data: ACRE is kept (CRDT is
 * 0, so no completion ever asks for a retry delay); CDFE may enable Copy
 * format 2h, the one beyond 0h we have.  No Telemetry Data Area 4, no
 * extended LBA formats, no dispersed namespaces: those must stay 0.
 */
static u16 host_behavior_get(struct nepf_cmd *cmd, const struct nepf_features *f)
{
	struct nvme_feat_host_behavior *hb = nepf_zalloc(sizeof(*hb));
	u16 status;

	if (!hb)
		return NVME_SC_INTERNAL;
	hb->acre = f->hbs_acre;
	hb->cdfe = cpu_to_le16(f->hbs_cdfe);
	status = nepf_admin_to_host(cmd, hb, sizeof(*hb));
	nepf_free(hb);
	return status;
}

static u16 host_behavior_set(struct nepf_cmd *cmd, struct nepf_features *f)
{
	struct nvme_feat_host_behavior *hb = nepf_zalloc(sizeof(*hb));
	u16 cdfe_ok = 0;
	u16 status;

	if (!hb)
		return NVME_SC_INTERNAL;
	if (nepf_ctrl_oncs(cmd->ctrl) & NVME_CTRL_ONCS_COPY)
		cdfe_ok = BIT(2);
	status = nepf_admin_from_host(cmd, hb, sizeof(*hb));
	if (!status && (hb->acre > 1 || hb->etdas || hb->lbafee ||
			hb->hdisns || (le16_to_cpu(hb->cdfe) & ~cdfe_ok)))
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (!status) {
		f->hbs_acre = hb->acre;
		f->hbs_cdfe = le16_to_cpu(hb->cdfe);
	}
	nepf_free(hb);
	return status;
}

static u16 nepf_get_features(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u8 fid = NVME_FEAT_FID(dw10);
	u8 sel = NVME_FEAT_SEL(dw10);
	const struct nepf_features *f = &ctrl->feat;
	struct nepf_features *def = NULL;
	unsigned int sensor;
	u32 caps, iv;
	bool under;
	u16 status;
	int ns;

	if (sel > NVME_FEAT_SEL_SUPPORTED || !feature_caps(ctrl, fid, &caps))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	status = feature_nsid(ctrl, nvme_sqe_nsid(&cmd->sqe), caps, false, &ns);
	if (status)
		return status;
	if (sel == NVME_FEAT_SEL_SUPPORTED) {
		cmd->result = caps;
		return NVME_SC_SUCCESS;
	}
	if (sel != NVME_FEAT_SEL_CURRENT) {	/* default; saved = default */
		def = nepf_zalloc(sizeof(*def));
		if (!def)
			return NVME_SC_INTERNAL;
		features_default(def);
		f = def;
	}

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		cmd->result = f->arbitration;
		break;
	case NVME_FEAT_POWER_MGMT:
		cmd->result = f->power_mgmt;
		break;
	case NVME_FEAT_TEMP_THRESH:
		/* DW0 holds the threshold alone (Linux: FFFFh = none). */
		status = temp_select(dw11, false, &sensor, &under);
		if (!status)
			cmd->result = under ? f->temp_under[sensor] :
					      f->temp_over[sensor];
		break;
	case NVME_FEAT_ERR_RECOVERY:
		cmd->result = f->err_recovery[ns];
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
			status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		else
			cmd->result = f->irq_config[iv];
		break;
	case NVME_FEAT_WRITE_ATOMIC:
		cmd->result = f->write_atomic;
		break;
	case NVME_FEAT_ASYNC_EVENT:
		cmd->result = f->async_event_cfg;
		break;
	case NVME_FEAT_TIMESTAMP:
		status = timestamp_get(cmd, f);
		break;
	case NVME_FEAT_IOCS_PROFILE:
		cmd->result = 0;	/* the one combination: NVM */
		break;
	case NVME_FEAT_HOST_BEHAVIOR:
		status = host_behavior_get(cmd, f);
		break;
	}
	nepf_free(def);
	return status;
}

/* Set Features Number of Queues: grant what we have, before any I/O queue. */
static u16 set_num_queues(struct nepf_cmd *cmd, u32 dw11)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u32 nsqr = dw11 & 0xffff, ncqr = dw11 >> 16;

	if (nsqr == 0xffff || ncqr == 0xffff)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (nepf_io_queues_exist(ctrl))
		return NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
	ctrl->nr_io_sqs_granted = min_t(u32, nsqr + 1, ctrl->cfg.max_io_queues);
	ctrl->nr_io_cqs_granted = min_t(u32, ncqr + 1, ctrl->cfg.max_io_queues);
	cmd->result = (ctrl->nr_io_sqs_granted - 1) |
		      ((u32)(ctrl->nr_io_cqs_granted - 1) << 16);
	return NVME_SC_SUCCESS;
}

/* Error Recovery of one namespace (@ns >= 0) or of all of them. */
static u16 set_err_recovery(struct nepf_features *f, int ns, u32 dw11)
{
	unsigned int i;

	if (dw11 & NVME_ERR_REC_DULBE)	/* no deallocated-block errors */
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (ns < 0 || (unsigned int)ns == i)
			f->err_recovery[i] = dw11 & NVME_ERR_REC_TLER_MASK;
	return NVME_SC_SUCCESS;
}

static u16 nepf_set_features(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_features *f = &ctrl->feat;
	u32 dw10 = le32_to_cpu(cmd->sqe.cdw10);
	u32 dw11 = le32_to_cpu(cmd->sqe.cdw11);
	u8 fid = NVME_FEAT_FID(dw10);
	unsigned int sensor;
	u32 caps, iv;
	bool under;
	u16 status;
	int ns;

	if (!feature_caps(ctrl, fid, &caps))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	status = feature_nsid(ctrl, nvme_sqe_nsid(&cmd->sqe), caps, true, &ns);
	if (status)
		return status;
	if (dw10 & NVME_FEAT_SAVE)
		return NVME_SC_FEATURE_NOT_SAVEABLE | NVME_STATUS_DNR;

	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		/* Weights are kept for Get; arbitration is round robin. */
		f->arbitration = dw11;
		break;
	case NVME_FEAT_POWER_MGMT:
		status = power_mgmt_check(dw11);
		if (!status)
			f->power_mgmt = dw11 & 0xff;
		break;
	case NVME_FEAT_TEMP_THRESH:
		status = temp_select(dw11, true, &sensor, &under);
		if (!status)
			temp_set(ctrl, sensor, under, dw11 & NVME_TEMP_TMPTH_MASK);
		break;
	case NVME_FEAT_ERR_RECOVERY:
		status = set_err_recovery(f, ns, dw11);
		break;
	case NVME_FEAT_VOLATILE_WC:
		f->vwc = dw11 & NVME_VWC_WCE;
		break;
	case NVME_FEAT_NUM_QUEUES:
		status = set_num_queues(cmd, dw11);
		break;
	case NVME_FEAT_IRQ_COALESCE:
		WRITE_ONCE(f->irq_coalesce, dw11 & 0xffff);
		break;
	case NVME_FEAT_IRQ_CONFIG:
		iv = NVME_IRQ_CONFIG_IV(dw11);
		if (iv >= ctrl->cfg.nr_vectors || iv >= NEPF_MAX_VECTORS)
			status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		else
			f->irq_config[iv] = iv | (dw11 & NVME_IRQ_CONFIG_CD);
		break;
	case NVME_FEAT_WRITE_ATOMIC:
		/* Every write is atomic per block only (AWUN = AWUPF = 0). */
		f->write_atomic = dw11 & NVME_WRITE_ATOMIC_DN;
		break;
	case NVME_FEAT_ASYNC_EVENT:
		f->async_event_cfg = dw11 & (NVME_AEN_CFG_SMART_MASK |
					     NVME_AEN_CFG_NS_ATTR);
		break;
	case NVME_FEAT_TIMESTAMP:
		status = timestamp_set(cmd, f);
		break;
	case NVME_FEAT_IOCS_PROFILE:
		/* Identify CNS 1Ch has one combination, index 0. */
		if (dw11 & NVME_IOCS_PROFILE_IOCSCI_MASK)
			status = NVME_SC_IOCS_COMBINATION_REJECTED | NVME_STATUS_DNR;
		break;
	case NVME_FEAT_HOST_BEHAVIOR:
		status = host_behavior_set(cmd, f);
		break;
	}
	return status;
}

/* ---- dispatch ---- */

/*
 * Abort: only a command the controller still holds (error injection: held
 * or delayed, not handed to a backend yet) can be aborted; it completes
 * with Command Abort Requested and DW0 bit 0 is 0.  A command a backend
 * runs cannot be interrupted and one we did not fetch is not ours to
 * drop: "not aborted" (bit 0 = 1), which the specification allows.
 */
static u16 admin_abort(struct nepf_cmd *cmd)
{
	u32 dw10 = nvme_sqe_cdw(&cmd->sqe, 10);
	u16 sqid = dw10 & 0xffff, cid = dw10 >> 16;

	cmd->result = NVME_ABORT_NOT_ABORTED;
	if (sqid <= NEPF_MAX_IO_QUEUES && nepf_inject_abort(cmd->ctrl, sqid, cid))
		cmd->result = 0;
	return NVME_SC_SUCCESS;
}

/*
 * Fabrics Property Get (opcode 7Fh, FCTYPE 04h) is not a PCIe command; it
 * is answered, read-only, because nvme-cli falls back to it to read CAP
 * when the host kernel does not let it map BAR0 (CONFIG_IO_STRICT_DEVMEM,
 * Debian's default), and `nvme effects-log` and `show-regs` then fail on
 * every PCIe drive.  CAP, VS, CC and CSTS; DW0-DW1 carry the value.  Other
 * Fabrics commands: Invalid Opcode, as on any PCIe controller.
 */
static u16 admin_property_get(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	u8 fctype = nvme_sqe_nsid(&cmd->sqe) & 0xff;	/* SQE byte 4 */
	bool size8 = nvme_sqe_cdw(&cmd->sqe, 10) & NVME_PROP_ATTRIB_SIZE8;
	u32 ofst = nvme_sqe_cdw(&cmd->sqe, 11);
	bool cap = ofst == NVME_REG_CAP;	/* the one 8-byte property */

	if (fctype != NVME_FABRICS_TYPE_PROP_GET)
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	if (size8 != cap)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	switch (ofst) {
	case NVME_REG_CAP:
		cmd->result = ctrl->cap;
		break;
	case NVME_REG_VS:
		cmd->result = ctrl->vs;
		break;
	case NVME_REG_CC:
		cmd->result = ctrl->cc;
		break;
	case NVME_REG_CSTS:
		cmd->result = ctrl->csts;
		break;
	default:
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	return NVME_SC_SUCCESS;
}

/* Queue creation and deletion, traced. */
static u16 admin_queue(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	const struct nvme_sqe *sqe = &cmd->sqe;
	u16 status;

	switch (sqe->opcode) {
	case nvme_admin_delete_sq:
		status = nepf_queue_delete_sq(ctrl, sqe);
		/* Commands held back by error injection end with their SQ. */
		if (status == NEPF_STATUS_DEFERRED)
			nepf_inject_flush_sq(ctrl, nvme_sqe_cdw(sqe, 10) & 0xffff);
		break;
	case nvme_admin_create_sq:
		status = nepf_queue_create_sq(ctrl, sqe);
		break;
	case nvme_admin_delete_cq:
		status = nepf_queue_delete_cq(ctrl, sqe);
		break;
	default:
		status = nepf_queue_create_cq(ctrl, sqe);
		break;
	}
	trace_nvme_epf_queue(ctrl, sqe, status);
	return status;
}

static u16 admin_dispatch(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	const struct nvme_sqe *sqe = &cmd->sqe;

	/* No fused admin commands; PCIe admin commands use PRPs only. */
	if (sqe->flags & (NVME_CMD_FUSE_MASK | NVME_CMD_FLAGS_RESERVED))
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (nvme_sqe_psdt(sqe) != NVME_CMD_PSDT_PRP)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;

	switch (sqe->opcode) {
	case nvme_admin_delete_sq:
	case nvme_admin_create_sq:
	case nvme_admin_delete_cq:
	case nvme_admin_create_cq:
		return admin_queue(cmd);
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
	case nvme_admin_fabrics:
		return admin_property_get(cmd);
	case nvme_admin_get_lba_status:
		return nepf_admin_get_lba_status(cmd);
	case nvme_admin_ns_mgmt:
	case nvme_admin_ns_attach:
		if (!ctrl->pool)
			return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
		if (sqe->opcode == nvme_admin_ns_mgmt)
			return nepf_admin_ns_mgmt(cmd);
		return nepf_admin_ns_attach(cmd);
	case nvme_admin_format_nvm:
	case nvme_admin_dev_self_test:
	case nvme_admin_sanitize_nvm:
		if (!nepf_bg_offered(ctrl))
			return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
		if (sqe->opcode == nvme_admin_format_nvm)
			return nepf_admin_format(cmd);
		if (sqe->opcode == nvme_admin_sanitize_nvm)
			return nepf_admin_sanitize(cmd);
		return nepf_admin_self_test(cmd);
	default:
		/* Keep Alive too: CAP/KAS say we do not need it on PCIe. */
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
}

void nepf_admin_exec(struct nepf_cmd *cmd)
{
	cmd->status = admin_dispatch(cmd);
	nepf_cmd_complete(cmd);
}
