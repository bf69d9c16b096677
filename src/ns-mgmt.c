// SPDX-License-Identifier: GPL-2.0
/*
 * ns-mgmt.c - Namespace Management (admin 0Dh) and Namespace Attachment
 * (15h) over a capacity pool (struct nepf_pool, provided by the
 * environment), and the pool's part of Identify: TNVMCAP, UNVMCAP, MNAN,
 * CNS 10h (allocated namespace list), 11h (an allocated namespace).
 *
 * Namespaces the host creates are not attached; it attaches them to this
 * controller (the only one in the controller list: one controller per
 * function).  Namespaces the board configured (configfs) count as
 * allocated and attached, but are not the host's: deleting or detaching
 * one is Invalid Field.  No thin provisioning (NCAP must equal NSZE), no
 * protection information, no metadata, no shared namespaces (NMIC 0).
 */
#include "ctrl.h"
#include "prp-sgl.h"
#include "inject.h"

#define SEL(dw10)	((dw10) & 0xf)
#define SEL_CREATE	0	/* Namespace Management */
#define SEL_DELETE	1
#define SEL_ATTACH	0	/* Namespace Attachment */
#define SEL_DETACH	1
#define CTRL_LIST_MAX	2047	/* identifiers in a 4 KiB controller list */

void nepf_pool_lock(struct nepf_ctrl *ctrl)
{
	if (ctrl->pool)
		ctrl->pool->ops->lock(ctrl->pool);
}

void nepf_pool_unlock(struct nepf_ctrl *ctrl)
{
	if (ctrl->pool)
		ctrl->pool->ops->unlock(ctrl->pool);
}

struct nepf_ns *nepf_pool_ns(struct nepf_ctrl *ctrl, u32 nsid)
{
	struct nepf_ns *ns = NULL;

	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NULL;
	if (ctrl->pool)
		ns = ctrl->pool->ns[nsid - 1];
	return ns ? ns : READ_ONCE(ctrl->ns[nsid - 1]);
}

void nepf_pool_alloc_list(struct nepf_ctrl *ctrl, u32 nsid, __le32 *list)
{
	unsigned int i, n = 0;

	for (i = nsid; i < NEPF_MAX_NAMESPACES; i++)
		if (nepf_pool_ns(ctrl, i + 1))
			list[n++] = cpu_to_le32(i + 1);
}

/* TNVMCAP, UNVMCAP (16-byte little-endian, high half 0), MNAN, OACS. */
void nepf_pool_id_ctrl(struct nepf_ctrl *ctrl, struct nvme_id_ctrl *id)
{
	struct nepf_pool *pool = ctrl->pool;
	__le64 total, unalloc;

	if (!pool)
		return;
	pool->ops->lock(pool);
	total = cpu_to_le64(pool->capacity);
	unalloc = cpu_to_le64(pool->used < pool->capacity ?
			      pool->capacity - pool->used : 0);
	pool->ops->unlock(pool);
	memcpy(id->tnvmcap, &total, sizeof(total));
	memcpy(id->unvmcap, &unalloc, sizeof(unalloc));
	id->oacs |= cpu_to_le16(NVME_CTRL_OACS_NS_MNGT);
	/* Any NSID up to NN may be allocated: as many as there are ids. */
	id->mnan = cpu_to_le32(NEPF_MAX_NAMESPACES);
}

/* ---- Namespace Management ---- */

/* The block size of LBA format index @flbas can ask for; 0: none. */
static u8 mgmt_lba_shift(u8 flbas)
{
	u8 idx = (flbas & NVME_NS_FLBAS_LBA_MASK) |
		 ((flbas >> 5) & 3) << 4;	/* bits 6:5: index bits 5:4 */

	/* The formats every namespace lists first: 512 and 4096 bytes. */
	return idx == 0 ? 9 : idx == 1 ? 12 : 0;
}

/* The fields of the host's Identify Namespace data Create honours. */
static u16 mgmt_check(const struct nvme_id_ns *id, u64 *bytes, u8 *shift)
{
	u64 nsze = le64_to_cpu(id->nsze), ncap = le64_to_cpu(id->ncap);

	if (!nsze || ncap > nsze)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	/* NSFEAT.THINP is 0: the whole size is allocated. */
	if (ncap < nsze)
		return NVME_SC_THIN_PROV_NOT_SUPP | NVME_STATUS_DNR;
	*shift = mgmt_lba_shift(id->flbas);
	if (!*shift)
		return NVME_SC_INVALID_FORMAT | NVME_STATUS_DNR;
	/* No protection information; private namespaces only (CMIC 0). */
	if (id->dps || id->nmic)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (nsze > (U64_MAX >> *shift))
		return NVME_SC_NS_INSUFFICIENT_CAP | NVME_STATUS_DNR;
	*bytes = nsze << *shift;
	return NVME_SC_SUCCESS;
}

static u16 mgmt_create(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_pool *pool = ctrl->pool;
	struct nvme_id_ns *id;
	struct nepf_ns *ns;
	unsigned int i;
	u64 bytes = 0;
	u8 shift = 0;
	u16 status;
	int err = 0;

	/* CDW11 CSI: the NVM command set is the only one. */
	if (nvme_sqe_cdw(&cmd->sqe, 11) >> 24 != NVME_CSI_NVM)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	id = nepf_ctrl_zalloc(ctrl, sizeof(*id));
	if (!id)
		return NVME_SC_INTERNAL;
	status = nepf_map_admin_data(ctrl, cmd->gen, &cmd->sqe, sizeof(*id),
				     &ctrl->admin_sl);
	if (!status)
		status = nepf_seglist_from_host(ctrl, &ctrl->admin_sl, id);
	if (!status)
		status = mgmt_check(id, &bytes, &shift);
	nepf_free(id);
	if (status)
		return status;

	pool->ops->lock(pool);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (!nepf_pool_ns(ctrl, i + 1))
			break;
	if (i == NEPF_MAX_NAMESPACES) {
		status = NVME_SC_NS_ID_UNAVAILABLE | NVME_STATUS_DNR;
		goto out;
	}
	/* The board may have shrunk the pool below what is allocated. */
	if (pool->used > pool->capacity || bytes > pool->capacity - pool->used) {
		status = NVME_SC_NS_INSUFFICIENT_CAP | NVME_STATUS_DNR;
		goto out;
	}
	ns = pool->ops->create(pool, i + 1, bytes, shift, &err);
	if (!ns) {
		/* -EOPNOTSUPP: the storage cannot serve that block size. */
		if (err == -ENOSPC)
			status = NVME_SC_NS_INSUFFICIENT_CAP | NVME_STATUS_DNR;
		else if (err == -EOPNOTSUPP)
			status = NVME_SC_INVALID_FORMAT | NVME_STATUS_DNR;
		else
			status = NVME_SC_INTERNAL;
		goto out;
	}
	pool->ns[i] = ns;
	pool->bytes[i] = bytes;
	pool->attached[i] = false;
	pool->used += bytes;
	cmd->result = i + 1;
out:
	pool->ops->unlock(pool);
	return status;
}

/* Detach (if attached) and free one of the host's namespaces. */
static void mgmt_delete_one(struct nepf_ctrl *ctrl, unsigned int i)
{
	struct nepf_pool *pool = ctrl->pool;
	struct nepf_ns *ns = pool->ns[i];

	if (READ_ONCE(ctrl->ns[i]) == ns)
		nepf_ctrl_detach_ns(ctrl, i + 1);
	pool->ns[i] = NULL;
	pool->used -= pool->bytes[i];
	pool->bytes[i] = 0;
	pool->attached[i] = false;
	pool->ops->remove(pool, ns);
}

static u16 mgmt_delete(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_pool *pool = ctrl->pool;
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u16 status = NVME_SC_SUCCESS;
	unsigned int i;

	if (nsid != NVME_NSID_ALL && (!nsid || nsid > NEPF_MAX_NAMESPACES))
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	pool->ops->lock(pool);
	/* Not allocated, or the board's (configfs): not the host's to delete. */
	if (nsid != NVME_NSID_ALL && !pool->ns[nsid - 1]) {
		status = NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto out;
	}
	/* Format, Sanitize or a self-test may hold the namespaces. */
	status = nepf_bg_busy(ctrl);
	if (status)
		goto out;
	/*
	 * Commands held back by error injection keep their namespace: the
	 * removal would wait for them forever.
	 */
	nepf_inject_end_held(ctrl, NVME_SC_ABORT_REQ);
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (pool->ns[i] && (nsid == NVME_NSID_ALL || nsid == i + 1))
			mgmt_delete_one(ctrl, i);
	nepf_inject_reopen(ctrl);
out:
	pool->ops->unlock(pool);
	return status;
}

u16 nepf_admin_ns_mgmt(struct nepf_cmd *cmd)
{
	switch (SEL(nvme_sqe_cdw(&cmd->sqe, 10))) {
	case SEL_CREATE:
		return mgmt_create(cmd);
	case SEL_DELETE:
		return mgmt_delete(cmd);
	}
	return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
}

/* ---- Namespace Attachment ---- */

/* The controller list names this controller, once, and nothing else. */
static u16 attach_ctrl_list(struct nepf_cmd *cmd, u16 cntlid)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	__le16 *list = nepf_ctrl_zalloc(ctrl, NVME_IDENTIFY_DATA_SIZE);
	u16 status;
	u16 n;

	if (!list)
		return NVME_SC_INTERNAL;
	status = nepf_map_admin_data(ctrl, cmd->gen, &cmd->sqe,
				     NVME_IDENTIFY_DATA_SIZE, &ctrl->admin_sl);
	if (!status)
		status = nepf_seglist_from_host(ctrl, &ctrl->admin_sl, list);
	if (!status) {
		n = le16_to_cpu(list[0]);
		if (n != 1 || le16_to_cpu(list[1]) != cntlid)
			status = NVME_SC_CTRL_LIST_INVALID | NVME_STATUS_DNR;
	}
	nepf_free(list);
	return status;
}

u16 nepf_admin_ns_attach(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	struct nepf_pool *pool = ctrl->pool;
	u32 nsid = nvme_sqe_nsid(&cmd->sqe);
	u8 sel = SEL(nvme_sqe_cdw(&cmd->sqe, 10));
	u16 cntlid = ctrl->cfg.cntlid ? ctrl->cfg.cntlid : 1;
	struct nepf_ns *ns;
	bool attached;
	u16 status;

	if (sel != SEL_ATTACH && sel != SEL_DETACH)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	if (!nsid || nsid > NEPF_MAX_NAMESPACES)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	status = attach_ctrl_list(cmd, cntlid);
	if (status)
		return status;

	pool->ops->lock(pool);
	ns = pool->ns[nsid - 1];
	attached = READ_ONCE(ctrl->ns[nsid - 1]);
	if (!ns) {
		/* The board's namespaces stay attached; others do not exist. */
		status = attached && sel == SEL_ATTACH ?
			 NVME_SC_NS_ALREADY_ATTACHED | NVME_STATUS_DNR :
			 NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
		goto out;
	}
	if (sel == SEL_ATTACH && attached) {
		status = NVME_SC_NS_ALREADY_ATTACHED | NVME_STATUS_DNR;
		goto out;
	}
	if (sel == SEL_DETACH && !attached) {
		status = NVME_SC_NS_NOT_ATTACHED | NVME_STATUS_DNR;
		goto out;
	}
	/* Format and Sanitize own the namespaces they work on. */
	status = nepf_bg_busy(ctrl);
	if (status)
		goto out;
	/* Both note the change for the event and Changed Namespace List. */
	if (sel == SEL_ATTACH)
		nepf_ctrl_attach_ns(ctrl, ns);
	else
		nepf_ctrl_detach_ns(ctrl, nsid);
	pool->attached[nsid - 1] = sel == SEL_ATTACH;
	if (pool->ops->attached)
		pool->ops->attached(pool, ns, sel == SEL_ATTACH);
out:
	pool->ops->unlock(pool);
	return status;
}
