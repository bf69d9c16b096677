// SPDX-License-Identifier: GPL-2.0
/*
 * identify.c - the Identify command: controller, namespaces, active
 * namespace list, namespace identification descriptors, and the I/O command
 * set specific structures of the NVM command set that Linux hosts read at
 * probe (CNS 05h, 06h, 08h: VS 2.0 makes them use CNS 08h first).
 */
#include "admin.h"

#define DNR	NVME_STATUS_DNR

/* Look up @nsid: a status for invalid ids, *ns NULL if inactive. */
static u16 ns_lookup(struct nepf_ctrl *ctrl, u32 nsid, struct nepf_ns **ns)
{
	*ns = NULL;
	/* FFFFFFFFh means "all/common": only with namespace management. */
	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | DNR;
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

static void id_ctrl(struct nepf_ctrl *ctrl, struct nvme_id_ctrl *id)
{
	const struct nepf_ctrl_config *cfg = &ctrl->cfg;
	u32 sgls = NVME_CTRL_SGLS_SUPPORTED | NVME_CTRL_SGLS_BIT_BUCKET;

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
	id->cntlid = cpu_to_le16(cfg->cntlid ? cfg->cntlid : 1);
	id->ver = cpu_to_le32(ctrl->vs);
	id->oaes = cpu_to_le32(NVME_CTRL_OAES_NS_ATTR);
	id->cntrltype = NVME_CTRL_CNTRLTYPE_IO;
	id->oacs = 0;				/* no ns management, no fw */
	id->acl = 3;				/* 4 Abort commands */
	id->aerl = NEPF_AERL;
	id->frmw = NVME_CTRL_FRMW_SLOT1_RO | (1 << NVME_CTRL_FRMW_NR_SLOTS_SHIFT);
	id->lpa = NVME_CTRL_LPA_CMD_EFFECTS | NVME_CTRL_LPA_EXTENDED;
	id->elpe = NEPF_ERR_LOG_ENTRIES - 1;
	id->npss = 0;				/* PS0 only */
	id->wctemp = cpu_to_le16(NEPF_WCTEMP);
	id->cctemp = cpu_to_le16(NEPF_CCTEMP);
	id->sqes = (NVME_SQES << 4) | NVME_SQES;
	id->cqes = (NVME_CQES << 4) | NVME_CQES;
	id->maxcmd = 0;				/* fabrics only */
	id->nn = cpu_to_le32(NEPF_MAX_NAMESPACES);
	id->oncs = cpu_to_le16(NEPF_ONCS);
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

	id->nsze = cpu_to_le64(ns->nr_blocks);
	id->ncap = cpu_to_le64(ns->nr_blocks);
	id->nuse = cpu_to_le64(ns->nr_blocks);
	id->nlbaf = 0;				/* one LBA format */
	id->flbas = 0;
	id->lbaf[0].ds = ns->lba_shift;
	id->lbaf[0].ms = 0;
	id->nsattr = ns->cfg.readonly ? NVME_NS_ATTR_RO : 0;
	nepf_put_le128(id->nvmcap, bytes);
	ns_nguid(ctrl, ns, id->nguid);
}

/* CNS 02h/07h: active NSIDs greater than @nsid, ascending. */
static u16 id_active_list(struct nepf_ctrl *ctrl, u32 nsid, __le32 *list)
{
	unsigned int i, n = 0;

	if (nsid >= 0xfffffffe)
		return NVME_SC_INVALID_NS | DNR;
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
}

/* CNS 08h: what Linux reads first for VS >= 2.0 (NSTAT: ready). */
static void id_ns_indep(struct nepf_ns *ns, struct nvme_id_ns_cs_indep *id)
{
	id->nsattr = ns->cfg.readonly ? NVME_NS_ATTR_RO : 0;
	id->nstat = NVME_NSTAT_NRDY;
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
			return NVME_SC_INVALID_FIELD | DNR;
		id_ctrl_nvm(ctrl, buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS_ACTIVE_LIST_CS:
		if (csi != NVME_CSI_NVM)
			return NVME_SC_INVALID_FIELD | DNR;
		fallthrough;
	case NVME_ID_CNS_NS_ACTIVE_LIST:
		return id_active_list(ctrl, nsid, buf);
	case NVME_ID_CNS_NS:
	case NVME_ID_CNS_NS_DESC_LIST:
	case NVME_ID_CNS_CS_NS:
	case NVME_ID_CNS_NS_CS_INDEP:
		break;
	default:
		return NVME_SC_INVALID_FIELD | DNR;
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
			return NVME_SC_INVALID_NS | DNR;
		id_desc_list(ctrl, ns, buf);
		break;
	case NVME_ID_CNS_CS_NS:		/* nothing beyond zeroes for NVM */
		if (csi != NVME_CSI_NVM)
			return NVME_SC_INVALID_FIELD | DNR;
		break;
	case NVME_ID_CNS_NS_CS_INDEP:
		if (ns)
			id_ns_indep(ns, buf);
		break;
	}
	return NVME_SC_SUCCESS;
}

u16 nepf_identify(struct nepf_cmd *cmd)
{
	void *buf = nepf_zalloc(NVME_IDENTIFY_DATA_SIZE);
	u16 status;

	if (!buf)
		return NVME_SC_INTERNAL;
	status = identify_build(cmd, buf);
	if (!status)
		status = nepf_admin_to_host(cmd, buf, NVME_IDENTIFY_DATA_SIZE);
	nepf_free(buf);
	return status;
}
