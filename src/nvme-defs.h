/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme-defs.h - NVM Express 2.0 (base + NVM command set) definitions used by
 * the controller: registers, commands, status codes and data structures.
 *
 * These are our own definitions, written from the specification, so that
 * the same file builds in the kernel and in userspace and never clashes with
 * <linux/nvme.h> (which describes the host side and changes between kernel
 * versions).  Names follow <linux/nvme.h> where it has one.
 *
 * All multi-byte fields are little-endian on the wire.  Status words inside
 * the driver are "(SCT << 8) | SC" plus NVME_STATUS_MORE / NVME_STATUS_DNR,
 * i.e. the CQE status field shifted right by one (without the phase bit).
 */
#ifndef NEPF_NVME_DEFS_H
#define NEPF_NVME_DEFS_H

#include "port.h"

#define NVME_VS(major, minor, tertiary) \
	(((major) << 16) | ((minor) << 8) | (tertiary))

/* ---- Controller registers (BAR0) ---- */
enum {
	NVME_REG_CAP	= 0x0000,	/* Controller Capabilities, 64 bit */
	NVME_REG_VS	= 0x0008,	/* Version */
	NVME_REG_INTMS	= 0x000c,	/* Interrupt Mask Set */
	NVME_REG_INTMC	= 0x0010,	/* Interrupt Mask Clear */
	NVME_REG_CC	= 0x0014,	/* Controller Configuration */
	NVME_REG_CSTS	= 0x001c,	/* Controller Status */
	NVME_REG_NSSR	= 0x0020,	/* NVM Subsystem Reset */
	NVME_REG_AQA	= 0x0024,	/* Admin Queue Attributes */
	NVME_REG_ASQ	= 0x0028,	/* Admin SQ Base Address, 64 bit */
	NVME_REG_ACQ	= 0x0030,	/* Admin CQ Base Address, 64 bit */
	NVME_REG_CMBLOC	= 0x0038,	/* Controller Memory Buffer Location */
	NVME_REG_CMBSZ	= 0x003c,	/* Controller Memory Buffer Size */
	NVME_REG_BPINFO	= 0x0040,	/* Boot Partition Information */
	NVME_REG_BPRSEL	= 0x0044,	/* Boot Partition Read Select */
	NVME_REG_BPMBL	= 0x0048,	/* Boot Partition Memory Buffer Location */
	NVME_REG_CMBMSC	= 0x0050,	/* CMB Memory Space Control */
	NVME_REG_CMBSTS	= 0x0058,	/* CMB Status */
	NVME_REG_CMBEBS	= 0x005c,	/* CMB Elasticity Buffer Size */
	NVME_REG_CRTO	= 0x0068,	/* Controller Ready Timeouts */
	NVME_REG_PMRCAP	= 0x0e00,	/* Persistent Memory Capabilities */
	NVME_REG_PMRMSCU = 0x0e18,	/* PMR Memory Space Control Upper */
	NVME_REG_PMRCTL	= 0x0e04,
	NVME_REG_PMRSTS	= 0x0e08,
	NVME_REG_DBS	= 0x1000,	/* SQ 0 Tail Doorbell */
};

/* Doorbells with CAP.DSTRD = 0: 4 bytes each, SQ tail then CQ head. */
#define NVME_DB_STRIDE		4U
#define NVME_REG_SQTDBL(qid)	(NVME_REG_DBS + (2 * (qid)) * NVME_DB_STRIDE)
#define NVME_REG_CQHDBL(qid)	(NVME_REG_DBS + (2 * (qid) + 1) * NVME_DB_STRIDE)
#define NVME_BAR_SIZE(nr_qpairs) (NVME_REG_DBS + 2 * (nr_qpairs) * NVME_DB_STRIDE)

/* CAP */
#define NVME_CAP_MQES(cap)	((u32)((cap) & 0xffff))		/* 0-based */
#define NVME_CAP_CQR		BIT_ULL(16)	/* contiguous queues required */
#define NVME_CAP_AMS_WRR	BIT_ULL(17)	/* weighted round robin */
#define NVME_CAP_AMS_VS		BIT_ULL(18)	/* vendor specific */
#define NVME_CAP_TO_SHIFT	24		/* 500 ms units, 8 bits */
#define NVME_CAP_DSTRD_SHIFT	32		/* 4 bits */
#define NVME_CAP_NSSRS		BIT_ULL(36)
#define NVME_CAP_CSS_SHIFT	37		/* 8 bits */
#define NVME_CAP_CSS_NVM	BIT_ULL(37)	/* NVM command set */
#define NVME_CAP_CSS_CSI	BIT_ULL(43)	/* I/O command sets (CSI) */
#define NVME_CAP_CSS_NOIO	BIT_ULL(44)	/* admin only */
#define NVME_CAP_BPS		BIT_ULL(45)
#define NVME_CAP_MPSMIN_SHIFT	48		/* 2 ^ (12 + MPSMIN) */
#define NVME_CAP_MPSMAX_SHIFT	52
#define NVME_CAP_PMRS		BIT_ULL(56)
#define NVME_CAP_CMBS		BIT_ULL(57)
#define NVME_CAP_NSSS		BIT_ULL(58)
#define NVME_CAP_CRMS_CRWMS	BIT_ULL(59)
#define NVME_CAP_CRMS_CRIMS	BIT_ULL(60)
#define NVME_CAP_TIMEOUT(cap)	((u32)(((cap) >> NVME_CAP_TO_SHIFT) & 0xff))
#define NVME_CAP_MPSMIN(cap)	((u32)(((cap) >> NVME_CAP_MPSMIN_SHIFT) & 0xf))
#define NVME_CAP_MPSMAX(cap)	((u32)(((cap) >> NVME_CAP_MPSMAX_SHIFT) & 0xf))

/* CC */
#define NVME_CC_ENABLE		BIT(0)
#define NVME_CC_CSS_SHIFT	4
#define NVME_CC_CSS_MASK	(7U << NVME_CC_CSS_SHIFT)
#define NVME_CC_CSS_NVM		(0U << NVME_CC_CSS_SHIFT)
#define NVME_CC_CSS_CSI		(6U << NVME_CC_CSS_SHIFT)
#define NVME_CC_CSS_ADMIN	(7U << NVME_CC_CSS_SHIFT)
#define NVME_CC_MPS_SHIFT	7
#define NVME_CC_MPS_MASK	(0xfU << NVME_CC_MPS_SHIFT)
#define NVME_CC_AMS_SHIFT	11
#define NVME_CC_AMS_MASK	(7U << NVME_CC_AMS_SHIFT)
#define NVME_CC_AMS_RR		(0U << NVME_CC_AMS_SHIFT)
#define NVME_CC_AMS_WRRU	(1U << NVME_CC_AMS_SHIFT)
#define NVME_CC_SHN_SHIFT	14
#define NVME_CC_SHN_MASK	(3U << NVME_CC_SHN_SHIFT)
#define NVME_CC_SHN_NONE	(0U << NVME_CC_SHN_SHIFT)
#define NVME_CC_SHN_NORMAL	(1U << NVME_CC_SHN_SHIFT)
#define NVME_CC_SHN_ABRUPT	(2U << NVME_CC_SHN_SHIFT)
#define NVME_CC_IOSQES_SHIFT	16
#define NVME_CC_IOSQES_MASK	(0xfU << NVME_CC_IOSQES_SHIFT)
#define NVME_CC_IOCQES_SHIFT	20
#define NVME_CC_IOCQES_MASK	(0xfU << NVME_CC_IOCQES_SHIFT)
#define NVME_CC_CRIME		BIT(24)
#define NVME_CC_MPS(cc)		(((cc) & NVME_CC_MPS_MASK) >> NVME_CC_MPS_SHIFT)
#define NVME_CC_IOSQES(cc)	(((cc) & NVME_CC_IOSQES_MASK) >> NVME_CC_IOSQES_SHIFT)
#define NVME_CC_IOCQES(cc)	(((cc) & NVME_CC_IOCQES_MASK) >> NVME_CC_IOCQES_SHIFT)

/* CSTS */
#define NVME_CSTS_RDY		BIT(0)
#define NVME_CSTS_CFS		BIT(1)
#define NVME_CSTS_SHST_SHIFT	2
#define NVME_CSTS_SHST_MASK	(3U << NVME_CSTS_SHST_SHIFT)
#define NVME_CSTS_SHST_NORMAL	(0U << NVME_CSTS_SHST_SHIFT)
#define NVME_CSTS_SHST_OCCUR	(1U << NVME_CSTS_SHST_SHIFT)
#define NVME_CSTS_SHST_CMPLT	(2U << NVME_CSTS_SHST_SHIFT)
#define NVME_CSTS_NSSRO		BIT(4)
#define NVME_CSTS_PP		BIT(5)
#define NVME_CSTS_ST		BIT(6)

/*
 * Controller Memory Buffer (NVMe 1.4 3.1.11-3.1.14, Base 2.0 3.1.4.12-15).
 * CMBLOC: BAR (BIR), what may mix with host memory, offset in CMBSZ.SZU
 * units.  CMBSZ: what the CMB may hold, size in SZU units.  CMBMSC: CRE
 * enables CMBLOC/CMBSZ, CMSE the controller memory space at CBA.
 */
#define NVME_CMBLOC_BIR_MASK	7U
#define NVME_CMBLOC_CQMMS	BIT(3)	/* a queue pair may mix CMB and host memory */
#define NVME_CMBLOC_CQPDS	BIT(4)	/* discontiguous queues in the CMB */
#define NVME_CMBLOC_CDPMLS	BIT(5)	/* data pointers: CMB and host mixed */
#define NVME_CMBLOC_CDPCILS	BIT(6)	/* data pointers elsewhere than the command */
#define NVME_CMBLOC_CDMMMS	BIT(7)	/* data and metadata in different memories */
#define NVME_CMBLOC_CQDA	BIT(8)	/* queues in the CMB dword aligned */
#define NVME_CMBLOC_OFST_SHIFT	12
#define NVME_CMBSZ_SQS		BIT(0)	/* submission queues */
#define NVME_CMBSZ_CQS		BIT(1)	/* completion queues */
#define NVME_CMBSZ_LISTS	BIT(2)	/* PRP lists, SGL segments */
#define NVME_CMBSZ_RDS		BIT(3)	/* read data */
#define NVME_CMBSZ_WDS		BIT(4)	/* write data */
#define NVME_CMBSZ_SZU_SHIFT	8	/* unit 2^(12 + 4 * SZU) bytes */
#define NVME_CMBSZ_SZ_SHIFT	12
#define NVME_CMBMSC_CRE		BIT_ULL(0)
#define NVME_CMBMSC_CMSE	BIT_ULL(1)
#define NVME_CMBMSC_CBA_MASK	(~0xfffULL)
#define NVME_CMBSTS_CBAI	BIT(0)	/* CMSE refused: CBA invalid */

/* AQA: both sizes 0-based, 12 bits */
#define NVME_AQA_ASQS(aqa)	((aqa) & 0xfff)
#define NVME_AQA_ACQS(aqa)	(((aqa) >> 16) & 0xfff)

#define NVME_SQE_SIZE		64
#define NVME_CQE_SIZE		16
#define NVME_SQES		6	/* log2(64) */
#define NVME_CQES		4	/* log2(16) */

/* ---- Opcodes ---- */
enum nvme_admin_opcode {
	nvme_admin_delete_sq		= 0x00,
	nvme_admin_create_sq		= 0x01,
	nvme_admin_get_log_page		= 0x02,
	nvme_admin_delete_cq		= 0x04,
	nvme_admin_create_cq		= 0x05,
	nvme_admin_identify		= 0x06,
	nvme_admin_abort_cmd		= 0x08,
	nvme_admin_set_features		= 0x09,
	nvme_admin_get_features		= 0x0a,
	nvme_admin_async_event		= 0x0c,
	nvme_admin_ns_mgmt		= 0x0d,
	nvme_admin_activate_fw		= 0x10,
	nvme_admin_download_fw		= 0x11,
	nvme_admin_dev_self_test	= 0x14,
	nvme_admin_ns_attach		= 0x15,
	nvme_admin_keep_alive		= 0x18,
	nvme_admin_directive_send	= 0x19,
	nvme_admin_directive_recv	= 0x1a,
	nvme_admin_virtual_mgmt		= 0x1c,
	nvme_admin_nvme_mi_send		= 0x1d,
	nvme_admin_nvme_mi_recv		= 0x1e,
	nvme_admin_dbbuf		= 0x7c,
	nvme_admin_format_nvm		= 0x80,
	nvme_admin_security_send	= 0x81,
	nvme_admin_security_recv	= 0x82,
	nvme_admin_sanitize_nvm		= 0x84,
	nvme_admin_get_lba_status	= 0x86,
	nvme_admin_fabrics		= 0x7f,	/* NVMe over Fabrics only */
};

/* Fabrics command type (SQE byte 4) and Property Get (FCTYPE 04h) fields */
#define NVME_FABRICS_TYPE_PROP_GET	0x04
#define NVME_PROP_ATTRIB_SIZE8		BIT(0)	/* CDW10: 8-byte property */

enum nvme_nvm_opcode {
	nvme_cmd_flush		= 0x00,
	nvme_cmd_write		= 0x01,
	nvme_cmd_read		= 0x02,
	nvme_cmd_write_uncor	= 0x04,
	nvme_cmd_compare	= 0x05,
	nvme_cmd_write_zeroes	= 0x08,
	nvme_cmd_dsm		= 0x09,
	nvme_cmd_verify		= 0x0c,
	nvme_cmd_resv_register	= 0x0d,
	nvme_cmd_resv_report	= 0x0e,
	nvme_cmd_resv_acquire	= 0x11,
	nvme_cmd_resv_release	= 0x15,
	nvme_cmd_copy		= 0x19,
};

/* Data transfer direction is in the opcode's two low bits. */
#define NVME_OPC_XFER(opc)	((opc) & 3)	/* 1: host->ctrl, 2: ctrl->host */

/* ---- Status (driver convention: SCT << 8 | SC) ---- */
#define NVME_SCT_SHIFT		8
#define NVME_SCT_MASK		0x0700
#define NVME_SC_MASK		0x00ff
#define NVME_STATUS_CRD_MASK	0x1800
#define NVME_STATUS_MORE	0x2000
#define NVME_STATUS_DNR		0x4000
#define NVME_SCT(status)	(((status) & NVME_SCT_MASK) >> NVME_SCT_SHIFT)

enum {
	NVME_SCT_GENERIC	= 0,
	NVME_SCT_CMD_SPECIFIC	= 1,
	NVME_SCT_MEDIA		= 2,
	NVME_SCT_PATH		= 3,
	NVME_SCT_VENDOR		= 7,
};

enum {
	/* Generic command status (SCT 0) */
	NVME_SC_SUCCESS			= 0x00,
	NVME_SC_INVALID_OPCODE		= 0x01,
	NVME_SC_INVALID_FIELD		= 0x02,
	NVME_SC_CMDID_CONFLICT		= 0x03,
	NVME_SC_DATA_XFER_ERROR		= 0x04,
	NVME_SC_POWER_LOSS		= 0x05,
	NVME_SC_INTERNAL		= 0x06,
	NVME_SC_ABORT_REQ		= 0x07,
	NVME_SC_ABORT_QUEUE		= 0x08,
	NVME_SC_FUSED_FAIL		= 0x09,
	NVME_SC_FUSED_MISSING		= 0x0a,
	NVME_SC_INVALID_NS		= 0x0b,	/* Invalid Namespace or Format */
	NVME_SC_CMD_SEQ_ERROR		= 0x0c,
	NVME_SC_SGL_INVALID_LAST	= 0x0d,
	NVME_SC_SGL_INVALID_COUNT	= 0x0e,
	NVME_SC_SGL_INVALID_DATA	= 0x0f,
	NVME_SC_SGL_INVALID_METADATA	= 0x10,
	NVME_SC_SGL_INVALID_TYPE	= 0x11,
	NVME_SC_CMB_INVALID_USE		= 0x12,
	NVME_SC_PRP_INVALID_OFFSET	= 0x13,
	NVME_SC_ATOMIC_WU_EXCEEDED	= 0x14,
	NVME_SC_OP_DENIED		= 0x15,
	NVME_SC_SGL_INVALID_OFFSET	= 0x16,
	NVME_SC_HOST_ID_INCONSIST	= 0x18,
	NVME_SC_KA_TIMEOUT_EXPIRED	= 0x19,
	NVME_SC_KA_TIMEOUT_INVALID	= 0x1a,
	NVME_SC_ABORTED_PREEMPT_ABORT	= 0x1b,
	NVME_SC_SANITIZE_FAILED		= 0x1c,
	NVME_SC_SANITIZE_IN_PROGRESS	= 0x1d,
	NVME_SC_SGL_INVALID_GRANULARITY	= 0x1e,
	NVME_SC_CMD_NOT_SUP_CMB_QUEUE	= 0x1f,
	NVME_SC_NS_WRITE_PROTECTED	= 0x20,
	NVME_SC_CMD_INTERRUPTED		= 0x21,
	NVME_SC_TRANSIENT_TR_ERR	= 0x22,
	NVME_SC_ADMIN_CMD_MEDIA_NOT_READY = 0x24,
	NVME_SC_IOCS_COMBINATION_REJECTED = 0x2b,
	NVME_SC_INVALID_IO_CMD_SET	= 0x2c,
	/* Generic, NVM command set */
	NVME_SC_LBA_RANGE		= 0x80,
	NVME_SC_CAP_EXCEEDED		= 0x81,
	NVME_SC_NS_NOT_READY		= 0x82,
	NVME_SC_RESERVATION_CONFLICT	= 0x83,
	NVME_SC_FORMAT_IN_PROGRESS	= 0x84,

	/* Command specific status (SCT 1) */
	NVME_SC_CQ_INVALID		= 0x100,
	NVME_SC_QID_INVALID		= 0x101,
	NVME_SC_QUEUE_SIZE		= 0x102,
	NVME_SC_ABORT_LIMIT		= 0x103,
	NVME_SC_ASYNC_LIMIT		= 0x105,
	NVME_SC_FIRMWARE_SLOT		= 0x106,
	NVME_SC_FIRMWARE_IMAGE		= 0x107,
	NVME_SC_INVALID_VECTOR		= 0x108,
	NVME_SC_INVALID_LOG_PAGE	= 0x109,
	NVME_SC_INVALID_FORMAT		= 0x10a,
	NVME_SC_FW_NEEDS_CONV_RESET	= 0x10b,
	NVME_SC_INVALID_QUEUE		= 0x10c,	/* Invalid Queue Deletion */
	NVME_SC_FEATURE_NOT_SAVEABLE	= 0x10d,
	NVME_SC_FEATURE_NOT_CHANGEABLE	= 0x10e,
	NVME_SC_FEATURE_NOT_PER_NS	= 0x10f,
	NVME_SC_FW_NEEDS_SUBSYS_RESET	= 0x110,
	NVME_SC_FW_NEEDS_RESET		= 0x111,
	NVME_SC_FW_NEEDS_MAX_TIME	= 0x112,
	NVME_SC_FW_ACTIVATE_PROHIBITED	= 0x113,
	NVME_SC_OVERLAPPING_RANGE	= 0x114,
	NVME_SC_NS_INSUFFICIENT_CAP	= 0x115,
	NVME_SC_NS_ID_UNAVAILABLE	= 0x116,
	NVME_SC_NS_ALREADY_ATTACHED	= 0x118,
	NVME_SC_NS_IS_PRIVATE		= 0x119,
	NVME_SC_NS_NOT_ATTACHED		= 0x11a,
	NVME_SC_THIN_PROV_NOT_SUPP	= 0x11b,
	NVME_SC_CTRL_LIST_INVALID	= 0x11c,
	NVME_SC_SELF_TEST_IN_PROGRESS	= 0x11d,
	NVME_SC_BP_WRITE_PROHIBITED	= 0x11e,
	NVME_SC_CTRL_ID_INVALID		= 0x11f,
	NVME_SC_SEC_CTRL_STATE_INVALID	= 0x120,
	NVME_SC_CTRL_RES_NUM_INVALID	= 0x121,
	NVME_SC_RES_ID_INVALID		= 0x122,
	NVME_SC_PMR_SAN_PROHIBITED	= 0x123,
	NVME_SC_ANA_GROUP_ID_INVALID	= 0x124,
	NVME_SC_ANA_ATTACH_FAILED	= 0x125,
	/* Command specific, NVM command set */
	NVME_SC_BAD_ATTRIBUTES		= 0x180,	/* Conflicting Attributes */
	NVME_SC_INVALID_PI		= 0x181,
	NVME_SC_READ_ONLY		= 0x182,	/* Write to Read Only Range */
	NVME_SC_CMD_SIZE_LIMIT		= 0x183,	/* Command Size Limit Exceeded */
	NVME_SC_INCOMPATIBLE_NS		= 0x185,	/* Incompatible Namespace or Format */
	NVME_SC_FAST_COPY_NOT_POSSIBLE	= 0x186,

	/* Media and data integrity errors (SCT 2) */
	NVME_SC_WRITE_FAULT		= 0x280,
	NVME_SC_READ_ERROR		= 0x281,	/* Unrecovered Read Error */
	NVME_SC_GUARD_CHECK		= 0x282,
	NVME_SC_APPTAG_CHECK		= 0x283,
	NVME_SC_REFTAG_CHECK		= 0x284,
	NVME_SC_COMPARE_FAILED		= 0x285,
	NVME_SC_ACCESS_DENIED		= 0x286,
	NVME_SC_UNWRITTEN_BLOCK		= 0x287,

	/* Path related status (SCT 3) */
	NVME_SC_INTERNAL_PATH_ERROR	= 0x300,
	NVME_SC_ANA_PERSISTENT_LOSS	= 0x301,
	NVME_SC_ANA_INACCESSIBLE	= 0x302,
	NVME_SC_ANA_TRANSITION		= 0x303,
	NVME_SC_CTRL_PATH_ERROR		= 0x360,
	NVME_SC_HOST_PATH_ERROR		= 0x370,
	NVME_SC_HOST_ABORTED_CMD	= 0x371,
};

/* ---- Submission queue entry ---- */

/* CDW0 flags byte */
#define NVME_CMD_FUSE_MASK		0x03
#define NVME_CMD_FUSE_FIRST		0x01
#define NVME_CMD_FUSE_SECOND		0x02
#define NVME_CMD_PSDT_MASK		0xc0
#define NVME_CMD_PSDT_PRP		0x00
#define NVME_CMD_PSDT_SGL_MPTR_CONTIG	0x40	/* SGL data, MPTR = buffer */
#define NVME_CMD_PSDT_SGL_MPTR_SGL	0x80	/* SGL data, MPTR = SGL */
#define NVME_CMD_PSDT_RESERVED		0xc0
#define NVME_CMD_FLAGS_RESERVED		0x3c

/* SGL descriptor: type in the identifier byte's high nibble, subtype low. */
enum {
	NVME_SGL_TYPE_DATA_BLOCK	= 0x0,
	NVME_SGL_TYPE_BIT_BUCKET	= 0x1,
	NVME_SGL_TYPE_SEGMENT		= 0x2,
	NVME_SGL_TYPE_LAST_SEGMENT	= 0x3,
	NVME_SGL_TYPE_KEYED_DATA_BLOCK	= 0x4,
	NVME_SGL_TYPE_TRANSPORT_DATA	= 0x5,
	NVME_SGL_TYPE_VENDOR		= 0xf,
};

enum {
	NVME_SGL_SUBTYPE_ADDRESS	= 0x0,
	NVME_SGL_SUBTYPE_OFFSET		= 0x1,
	NVME_SGL_SUBTYPE_TRANSPORT	= 0xa,
};

#define NVME_SGL_ID(type, subtype)	((u8)(((type) << 4) | (subtype)))
#define NVME_SGL_ID_TYPE(id)		((u8)(id) >> 4)
#define NVME_SGL_ID_SUBTYPE(id)		((u8)(id) & 0xf)

struct nvme_sgl_desc {
	__le64 addr;
	__le32 length;
	u8 rsvd[3];
	u8 type;			/* SGL identifier: NVME_SGL_ID() */
};

union nvme_data_ptr {
	struct {
		__le64 prp1;
		__le64 prp2;
	};
	struct nvme_sgl_desc sgl;
};

/* Read/Write/Compare/Write Zeroes/Verify: CDW10..15 */
struct nvme_rw_dw {
	__le64 slba;			/* CDW10-11 */
	__le16 length;			/* CDW12: NLB, 0-based */
	__le16 control;			/* CDW12 31:16 */
	__le32 dsmgmt;			/* CDW13 */
	__le32 reftag;			/* CDW14 */
	__le16 apptag;			/* CDW15 */
	__le16 appmask;
};

#define NVME_RW_LR			BIT(15)	/* in control */
#define NVME_RW_FUA			BIT(14)
#define NVME_RW_DEAC			BIT(9)	/* write zeroes: deallocate */
#define NVME_RW_PRINFO_SHIFT		10
#define NVME_RW_PRINFO_MASK		(0xf << NVME_RW_PRINFO_SHIFT)
#define NVME_RW_DTYPE_SHIFT		4
#define NVME_RW_DTYPE_MASK		(0xf << NVME_RW_DTYPE_SHIFT)

struct nvme_sqe {
	u8 opcode;
	u8 flags;			/* FUSE, PSDT */
	u16 cid;			/* host's command id: opaque, echoed */
	__le32 nsid;
	__le32 cdw2;
	__le32 cdw3;
	__le64 mptr;
	union nvme_data_ptr dptr;
	union {
		struct {
			__le32 cdw10;
			__le32 cdw11;
			__le32 cdw12;
			__le32 cdw13;
			__le32 cdw14;
			__le32 cdw15;
		};
		struct nvme_rw_dw rw;
	};
};

static inline u32 nvme_sqe_cdw(const struct nvme_sqe *sqe, unsigned int n)
{
	const __le32 *dw = (const __le32 *)sqe;

	return n < 16 ? le32_to_cpu(dw[n]) : 0;
}

static inline u32 nvme_sqe_nsid(const struct nvme_sqe *sqe)
{
	return le32_to_cpu(sqe->nsid);
}

static inline u8 nvme_sqe_psdt(const struct nvme_sqe *sqe)
{
	return sqe->flags & NVME_CMD_PSDT_MASK;
}

static inline u64 nvme_sqe_prp1(const struct nvme_sqe *sqe)
{
	return le64_to_cpu(sqe->dptr.prp1);
}

static inline u64 nvme_sqe_prp2(const struct nvme_sqe *sqe)
{
	return le64_to_cpu(sqe->dptr.prp2);
}

static inline u64 nvme_sqe_slba(const struct nvme_sqe *sqe)
{
	return le64_to_cpu(sqe->rw.slba);
}

/* Number of logical blocks, 1-based (the field is 0-based). */
static inline u32 nvme_sqe_nlb(const struct nvme_sqe *sqe)
{
	return (u32)le16_to_cpu(sqe->rw.length) + 1;
}

/* ---- Completion queue entry ---- */
struct nvme_cqe {
	__le32 result;			/* DW0, command specific */
	__le32 result_hi;		/* DW1 */
	__le16 sq_head;
	__le16 sq_id;
	u16 cid;			/* echoed from the SQE */
	__le16 status;			/* bit 0: phase tag; 15:1: status */
};

#define NVME_CQE_PHASE			BIT(0)
#define NVME_CQE_STATUS(status, phase)	((u16)(((status) << 1) | ((phase) & 1)))

/* ---- Admin command fields ---- */

/* Create I/O CQ / SQ */
#define NVME_QUEUE_PHYS_CONTIG		BIT(0)	/* CDW11.PC */
#define NVME_CQ_IRQ_ENABLED		BIT(1)	/* CDW11.IEN */
#define NVME_SQ_PRIO_SHIFT		1	/* CDW11.QPRIO 2:1 */
#define NVME_SQ_PRIO_MASK		(3 << NVME_SQ_PRIO_SHIFT)
enum {
	NVME_SQ_PRIO_URGENT	= 0,
	NVME_SQ_PRIO_HIGH	= 1,
	NVME_SQ_PRIO_MEDIUM	= 2,
	NVME_SQ_PRIO_LOW	= 3,
};

/* Identify CNS values (CDW10 7:0) */
enum {
	NVME_ID_CNS_NS			= 0x00,
	NVME_ID_CNS_CTRL		= 0x01,
	NVME_ID_CNS_NS_ACTIVE_LIST	= 0x02,
	NVME_ID_CNS_NS_DESC_LIST	= 0x03,
	NVME_ID_CNS_NVMSET_LIST		= 0x04,
	NVME_ID_CNS_CS_NS		= 0x05,
	NVME_ID_CNS_CS_CTRL		= 0x06,
	NVME_ID_CNS_NS_ACTIVE_LIST_CS	= 0x07,
	NVME_ID_CNS_NS_CS_INDEP		= 0x08,
	NVME_ID_CNS_NS_PRESENT_LIST	= 0x10,
	NVME_ID_CNS_NS_PRESENT		= 0x11,
	NVME_ID_CNS_CTRL_NS_LIST	= 0x12,
	NVME_ID_CNS_CTRL_LIST		= 0x13,
	NVME_ID_CNS_PRIMARY_CTRL_CAP	= 0x14,
	NVME_ID_CNS_SCNDRY_CTRL_LIST	= 0x15,
	NVME_ID_CNS_NS_GRANULARITY	= 0x16,
	NVME_ID_CNS_UUID_LIST		= 0x17,
	NVME_ID_CNS_DOMAIN_LIST		= 0x18,
	NVME_ID_CNS_ENDGRP_LIST		= 0x19,
	NVME_ID_CNS_CS_IND_NS_ALLOC	= 0x1f,
	NVME_ID_CNS_IO_CMD_SET		= 0x1c,	/* I/O command set combinations */
};

/* Command Set Identifiers */
enum {
	NVME_CSI_NVM	= 0,
	NVME_CSI_KV	= 1,
	NVME_CSI_ZNS	= 2,
};

#define NVME_IDENTIFY_DATA_SIZE		4096
#define NVME_NSID_ALL			0xffffffff

/* Get/Set Features */
enum {
	NVME_FEAT_ARBITRATION	= 0x01,
	NVME_FEAT_POWER_MGMT	= 0x02,
	NVME_FEAT_LBA_RANGE	= 0x03,
	NVME_FEAT_TEMP_THRESH	= 0x04,
	NVME_FEAT_ERR_RECOVERY	= 0x05,
	NVME_FEAT_VOLATILE_WC	= 0x06,
	NVME_FEAT_NUM_QUEUES	= 0x07,
	NVME_FEAT_IRQ_COALESCE	= 0x08,
	NVME_FEAT_IRQ_CONFIG	= 0x09,
	NVME_FEAT_WRITE_ATOMIC	= 0x0a,
	NVME_FEAT_ASYNC_EVENT	= 0x0b,
	NVME_FEAT_AUTO_PST	= 0x0c,
	NVME_FEAT_HOST_MEM_BUF	= 0x0d,
	NVME_FEAT_TIMESTAMP	= 0x0e,
	NVME_FEAT_KATO		= 0x0f,
	NVME_FEAT_HCTM		= 0x10,
	NVME_FEAT_NOPSC		= 0x11,
	NVME_FEAT_RRL		= 0x12,
	NVME_FEAT_PLM_CONFIG	= 0x13,
	NVME_FEAT_PLM_WINDOW	= 0x14,
	NVME_FEAT_HOST_BEHAVIOR	= 0x16,
	NVME_FEAT_SANITIZE	= 0x17,
	NVME_FEAT_IOCS_PROFILE	= 0x19,
	NVME_FEAT_SW_PROGRESS	= 0x80,
	NVME_FEAT_HOST_ID	= 0x81,
	NVME_FEAT_RESV_MASK	= 0x82,
	NVME_FEAT_RESV_PERSIST	= 0x83,
	NVME_FEAT_WRITE_PROTECT	= 0x84,
};

#define NVME_FEAT_FID(cdw10)		((cdw10) & 0xff)
#define NVME_FEAT_SEL(cdw10)		(((cdw10) >> 8) & 7)	/* Get Features */
#define NVME_FEAT_SAVE			BIT(31)			/* Set Features SV */
enum {
	NVME_FEAT_SEL_CURRENT	= 0,
	NVME_FEAT_SEL_DEFAULT	= 1,
	NVME_FEAT_SEL_SAVED	= 2,
	NVME_FEAT_SEL_SUPPORTED	= 3,
};

/* Get Features SEL=3 result bits */
#define NVME_FEAT_CAP_SAVEABLE		BIT(0)
#define NVME_FEAT_CAP_PER_NS		BIT(1)
#define NVME_FEAT_CAP_CHANGEABLE	BIT(2)

/* Feature value fields */
#define NVME_ARB_AB_MASK		0x7	/* burst 2^AB, 7 = no limit */
#define NVME_ARB_AB_NOLIMIT		7
#define NVME_PM_PS_MASK			0x1f
#define NVME_PM_WH_SHIFT		5
#define NVME_TEMP_TMPTH_MASK		0xffff
#define NVME_TEMP_TMPSEL_SHIFT		16
#define NVME_TEMP_TMPSEL_MASK		(0xf << NVME_TEMP_TMPSEL_SHIFT)
#define NVME_TEMP_THSEL_SHIFT		20
#define NVME_TEMP_THSEL_MASK		(0x3 << NVME_TEMP_THSEL_SHIFT)
#define NVME_TEMP_THSEL_OVER		0
#define NVME_TEMP_THSEL_UNDER		1
#define NVME_TEMP_TMPSEL_COMPOSITE	0
#define NVME_TEMP_TMPSEL_ALL		0xf	/* Set Features only */
#define NVME_ERR_REC_TLER_MASK		0xffff
#define NVME_ERR_REC_DULBE		BIT(16)
#define NVME_VWC_WCE			BIT(0)
#define NVME_WRITE_ATOMIC_DN		BIT(0)	/* Disable Normal */
#define NVME_IOCS_PROFILE_IOCSCI_MASK	0x1ff
#define NVME_IRQ_COALESCE_THR(v)	((v) & 0xff)		/* 0-based */
#define NVME_IRQ_COALESCE_TIME(v)	(((v) >> 8) & 0xff)	/* 100 us */
#define NVME_IRQ_CONFIG_IV(v)		((v) & 0xffff)
#define NVME_IRQ_CONFIG_CD		BIT(16)
#define NVME_TIMESTAMP_SIZE		8

/* Async Event Configuration (Feature 0Bh) and Identify OAES */
#define NVME_AEN_CFG_SMART_MASK		0xff
#define NVME_AEN_CFG_NS_ATTR		BIT(8)
#define NVME_AEN_CFG_FW_ACT		BIT(9)
#define NVME_AEN_CFG_TELEMETRY		BIT(10)
#define NVME_AEN_CFG_ANA_CHANGE		BIT(11)
#define NVME_AEN_CFG_DISC_CHANGE	BIT(31)

/* Asynchronous event completion DW0: type 2:0, info 15:8, log page 23:16 */
enum {
	NVME_AER_TYPE_ERROR	= 0,
	NVME_AER_TYPE_SMART	= 1,
	NVME_AER_TYPE_NOTICE	= 2,
	NVME_AER_TYPE_CSS	= 6,
	NVME_AER_TYPE_VS	= 7,
};

enum {
	NVME_AER_ERROR_INVALID_DB_REG		= 0x00,
	NVME_AER_ERROR_INVALID_DB_VAL		= 0x01,
	NVME_AER_ERROR_DIAG_FAIL		= 0x02,
	NVME_AER_ERROR_PERSIST_INT_ERR		= 0x03,
	NVME_AER_ERROR_TRANSIENT_INT_ERR	= 0x04,
	NVME_AER_ERROR_FW_IMAGE_LOAD		= 0x05,
};

enum {
	NVME_AER_SMART_RELIABILITY	= 0x00,
	NVME_AER_SMART_TEMP_THRESH	= 0x01,
	NVME_AER_SMART_SPARE		= 0x02,
};

enum {
	NVME_AER_NOTICE_NS_CHANGED	= 0x00,
	NVME_AER_NOTICE_FW_ACT_STARTING	= 0x01,
	NVME_AER_NOTICE_TELEMETRY	= 0x02,
	NVME_AER_NOTICE_ANA		= 0x03,
};

#define NVME_AER_RESULT(type, info, lid) \
	((u32)(type) | ((u32)(info) << 8) | ((u32)(lid) << 16))

/* Get Log Page */
enum {
	NVME_LOG_SUPPORTED	= 0x00,
	NVME_LOG_ERROR		= 0x01,
	NVME_LOG_SMART		= 0x02,
	NVME_LOG_FW_SLOT	= 0x03,
	NVME_LOG_CHANGED_NS	= 0x04,
	NVME_LOG_CMD_EFFECTS	= 0x05,
	NVME_LOG_DEVICE_SELF_TEST = 0x06,
	NVME_LOG_TELEMETRY_HOST	= 0x07,
	NVME_LOG_TELEMETRY_CTRL	= 0x08,
	NVME_LOG_ENDURANCE_GROUP = 0x09,
	NVME_LOG_ANA		= 0x0c,
	NVME_LOG_PERSIST_EVENT	= 0x0d,
	NVME_LOG_LBA_STATUS	= 0x0e,
	NVME_LOG_FEATURES	= 0x12,
	NVME_LOG_RMI		= 0x16,
	NVME_LOG_DISC		= 0x70,
	NVME_LOG_RESERVATION	= 0x80,
	NVME_LOG_SANITIZE	= 0x81,
};

#define NVME_LOG_LID(cdw10)		((cdw10) & 0xff)
#define NVME_LOG_LSP(cdw10)		(((cdw10) >> 8) & 0x7f)
#define NVME_LOG_RAE			BIT(15)			/* in CDW10 */
#define NVME_LOG_NUMDL(cdw10)		((cdw10) >> 16)
#define NVME_LOG_NUMDU(cdw11)		((cdw11) & 0xffff)
#define NVME_LOG_LSI(cdw11)		((cdw11) >> 16)
#define NVME_LOG_CSI(cdw14)		((cdw14) >> 24)
#define NVME_LOG_OT			BIT(23)			/* in CDW14 */

/* Abort: CDW10 SQID 15:0, CID 31:16; DW0 bit 0 = 1: not aborted */
#define NVME_ABORT_NOT_ABORTED		BIT(0)

/* Dataset Management */
#define NVME_DSMGMT_IDR			BIT(0)
#define NVME_DSMGMT_IDW			BIT(1)
#define NVME_DSMGMT_AD			BIT(2)
#define NVME_DSM_MAX_RANGES		256

/* Copy: CDW12 fields, and source range descriptor format 0h (32 bytes) */
#define NVME_COPY_NR(cdw12)		((cdw12) & 0xff)	/* 0-based */
#define NVME_COPY_DESFMT(cdw12)		(((cdw12) >> 8) & 0xf)
#define NVME_COPY_DTYPE(cdw12)		(((cdw12) >> 20) & 0xf)
#define NVME_COPY_FUA			BIT(30)
#define NVME_CTRL_OCFS_FMT0		BIT(0)
#define NVME_CTRL_OCFS_FMT2		BIT(2)	/* cross-namespace */

struct nvme_copy_range {
	__le64 rsvd0;
	__le64 slba;
	__le16 nlb;			/* 0-based */
	u8 rsvd18[6];
	__le32 eilbrt;			/* protection information: unused */
	__le16 elbat;
	__le16 elbatm;
};

/*
 * Source range descriptor format 2h (32 bytes): format 0h with the source
 * namespace; SOPT bit 15 is Fast Copy Only.
 */
struct nvme_copy_range_f2 {
	__le32 snsid;
	u8 rsvd4[4];
	__le64 slba;
	__le16 nlb;			/* 0-based */
	u8 cetype;
	u8 rsvd19;
	__le16 cev;
	__le16 sopt;
	__le32 elbt;			/* protection information: unused */
	__le16 elbat;
	__le16 elbatm;
};

#define NVME_COPY_SOPT_FCO		BIT(15)

/*
 * Host Behavior Support (Feature 16h) data: CDFE bit n enables Copy
 * descriptor format n (2h and up; 0h and 1h need no enabling).
 */
struct nvme_feat_host_behavior {
	u8 acre;			/* Advanced Command Retry Enable */
	u8 etdas;			/* Telemetry Data Area 4 */
	u8 lbafee;			/* LBA Format Extension Enable */
	u8 hdisns;			/* Host Dispersed Namespace Support */
	__le16 cdfe;			/* Copy Descriptor Formats Enable */
	u8 rsvd6[506];
};

/*
 * Get LBA Status: CDW10-11 SLBA, CDW12 MNDW (dwords, 0-based), CDW13
 * ATYPE 31:24 and RL 15:0 (blocks; 0: to the end of the namespace).
 */
#define NVME_LBAS_ATYPE(cdw13)		((cdw13) >> 24)
#define NVME_LBAS_RL(cdw13)		((cdw13) & 0xffff)
enum {
	NVME_LBAS_ATYPE_SCAN	= 0x10,	/* scan: untracked and tracked */
	NVME_LBAS_ATYPE_TRACKED	= 0x11,	/* tracked only */
};

enum {
	NVME_LBAS_CMPC_NONE	= 0x0,
	NVME_LBAS_CMPC_MNDW	= 0x1,	/* stopped: MNDW is full */
	NVME_LBAS_CMPC_RL	= 0x2,	/* the whole range was covered */
};

struct nvme_lba_status_hdr {
	__le32 nlsd;			/* descriptors returned */
	u8 cmpc;
	u8 rsvd5[3];
};

struct nvme_lba_status_desc {
	__le64 dslba;
	__le32 nlb;
	u8 rsvd12[4];
};

/* LBA Status Information log (0Eh): header, then namespace elements */
struct nvme_lba_status_log {
	__le32 lslplen;			/* bytes, the whole log */
	__le32 nlslne;			/* namespace elements */
	__le32 estulb;			/* estimate of unrecoverable blocks */
	u8 rsvd12[2];
	__le16 lsigcn;			/* generation counter */
};

struct nvme_lba_status_ns_element {
	__le32 neid;			/* NSID */
	__le32 nlrd;			/* LBA range descriptors that follow */
	u8 ratype;			/* recommended ATYPE */
	u8 rsvd9[7];
};

struct nvme_lba_range_desc {
	__le64 rslba;
	__le32 rnlb;
	u8 rsvd12[4];
};

/* Format NVM: CDW10 */
#define NVME_FMT_LBAFL(cdw10)		((cdw10) & 0xf)
#define NVME_FMT_MSET			BIT(4)
#define NVME_FMT_PI(cdw10)		(((cdw10) >> 5) & 0x7)
#define NVME_FMT_PIL			BIT(8)
#define NVME_FMT_SES(cdw10)		(((cdw10) >> 9) & 0x7)
#define NVME_FMT_LBAFU(cdw10)		(((cdw10) >> 12) & 0x3)
enum {
	NVME_FMT_SES_NONE	= 0,
	NVME_FMT_SES_USER	= 1,	/* user data erase */
	NVME_FMT_SES_CRYPTO	= 2,
};

/* Device Self-test: CDW10 STC */
#define NVME_DST_STC(cdw10)		((cdw10) & 0xf)
enum {
	NVME_DST_SHORT		= 0x1,
	NVME_DST_EXTENDED	= 0x2,
	NVME_DST_ABORT		= 0xf,
};

/* Device Self-test log (06h): result codes (entry byte 0, bits 3:0) */
enum {
	NVME_DST_RES_OK			= 0x0,
	NVME_DST_RES_ABORT_CMD		= 0x1,	/* aborted by a Self-test command */
	NVME_DST_RES_ABORT_RESET	= 0x2,	/* by a Controller Level Reset */
	NVME_DST_RES_ABORT_NS		= 0x3,	/* a namespace was removed */
	NVME_DST_RES_ABORT_FORMAT	= 0x4,	/* by a Format NVM command */
	NVME_DST_RES_FATAL		= 0x5,
	NVME_DST_RES_FAIL_SEGMENT	= 0x7,	/* failed in segment SEGNUM */
	NVME_DST_RES_ABORT_UNKNOWN	= 0x8,
	NVME_DST_RES_ABORT_SANITIZE	= 0x9,
	NVME_DST_RES_UNUSED		= 0xf,
};

#define NVME_DST_VALID_NSID		BIT(0)
#define NVME_DST_VALID_FLBA		BIT(1)
#define NVME_DST_VALID_SCT		BIT(2)
#define NVME_DST_VALID_SC		BIT(3)
#define NVME_DST_LOG_ENTRIES		20

struct nvme_dst_result {
	u8 result;			/* 7:4 self-test code, 3:0 result */
	u8 segnum;
	u8 valid;			/* NVME_DST_VALID_* */
	u8 rsvd3;
	__le64 poh;			/* power on hours */
	__le32 nsid;
	__le64 flba;			/* failing LBA */
	u8 sct;
	u8 sc;
	u8 vs[2];
} __packed;

struct nvme_dst_log {
	u8 current_op;			/* 3:0 self-test code in progress, 0: none */
	u8 completion;			/* 6:0 percent */
	u8 rsvd2[2];
	struct nvme_dst_result result[NVME_DST_LOG_ENTRIES];	/* newest first */
} __packed;

/* Sanitize: CDW10 */
#define NVME_SANACT(cdw10)		((cdw10) & 0x7)
#define NVME_SAN_AUSE			BIT(3)
#define NVME_SAN_NDAS			BIT(9)
enum {
	NVME_SANACT_EXIT_FAILURE	= 1,
	NVME_SANACT_BLOCK_ERASE		= 2,
	NVME_SANACT_OVERWRITE		= 3,
	NVME_SANACT_CRYPTO_ERASE	= 4,
};

#define NVME_CTRL_SANICAP_BES		BIT(1)	/* block erase */

/* Sanitize Status log (81h) */
enum {
	NVME_SSTAT_NEVER	= 0,	/* never sanitized */
	NVME_SSTAT_DONE		= 1,	/* most recent one succeeded */
	NVME_SSTAT_IN_PROGRESS	= 2,
	NVME_SSTAT_FAILED	= 3,
};

#define NVME_SSTAT_STATUS_MASK		0x7
#define NVME_SSTAT_GDE			BIT(8)	/* global data erased */

struct nvme_sanitize_log {
	__le16 sprog;			/* progress, n/65536 */
	__le16 sstat;
	__le32 scdw10;			/* CDW10 of the last one started */
	__le32 eto;			/* estimated time: overwrite (s) */
	__le32 etbe;			/* block erase */
	__le32 etce;			/* crypto erase */
	__le32 etond;			/* ... with no-deallocate */
	__le32 etbend;
	__le32 etcend;
	u8 rsvd32[480];
} __packed;

struct nvme_dsm_range {
	__le32 cattr;
	__le32 nlb;
	__le64 slba;
};

/* ---- Identify Controller (CNS 01h) ---- */
struct nvme_id_power_state {
	__le16 max_power;		/* centiwatts */
	u8 rsvd2;
	u8 flags;
	__le32 entry_lat;		/* microseconds */
	__le32 exit_lat;
	u8 read_tput;
	u8 read_lat;
	u8 write_tput;
	u8 write_lat;
	__le16 idle_power;
	u8 idle_scale;
	u8 rsvd19;
	__le16 active_power;
	u8 active_work_scale;
	u8 rsvd23[9];
} __packed;

struct nvme_id_ctrl {
	__le16 vid;			/*    0 */
	__le16 ssvid;
	char sn[20];			/*    4 */
	char mn[40];			/*   24 */
	char fr[8];			/*   64 */
	u8 rab;				/*   72 */
	u8 ieee[3];
	u8 cmic;			/*   76 */
	u8 mdts;
	__le16 cntlid;			/*   78 */
	__le32 ver;			/*   80 */
	__le32 rtd3r;
	__le32 rtd3e;
	__le32 oaes;			/*   92 */
	__le32 ctratt;			/*   96 */
	__le16 rrls;			/*  100 */
	u8 rsvd102[9];
	u8 cntrltype;			/*  111 */
	u8 fguid[16];			/*  112 */
	__le16 crdt1;			/*  128 */
	__le16 crdt2;
	__le16 crdt3;
	u8 rsvd134[119];
	u8 nvmsr;			/*  253 */
	u8 vwci;
	u8 mec;
	__le16 oacs;			/*  256 */
	u8 acl;
	u8 aerl;
	u8 frmw;			/*  260 */
	u8 lpa;
	u8 elpe;
	u8 npss;
	u8 avscc;			/*  264 */
	u8 apsta;
	__le16 wctemp;			/*  266 */
	__le16 cctemp;
	__le16 mtfa;			/*  270 */
	__le32 hmpre;			/*  272 */
	__le32 hmmin;
	u8 tnvmcap[16];			/*  280 */
	u8 unvmcap[16];			/*  296 */
	__le32 rpmbs;			/*  312 */
	__le16 edstt;			/*  316 */
	u8 dsto;
	u8 fwug;
	__le16 kas;			/*  320 */
	__le16 hctma;
	__le16 mntmt;
	__le16 mxtmt;
	__le32 sanicap;			/*  328 */
	__le32 hmminds;
	__le16 hmmaxd;			/*  336 */
	__le16 nsetidmax;
	__le16 endgidmax;		/*  340 */
	u8 anatt;
	u8 anacap;
	__le32 anagrpmax;		/*  344 */
	__le32 nanagrpid;
	__le32 pels;			/*  352 */
	__le16 domainid;		/*  356 */
	u8 rsvd358[10];
	u8 megcap[16];			/*  368 */
	u8 rsvd384[128];
	u8 sqes;			/*  512 */
	u8 cqes;
	__le16 maxcmd;			/*  514 */
	__le32 nn;			/*  516 */
	__le16 oncs;			/*  520 */
	__le16 fuses;
	u8 fna;				/*  524 */
	u8 vwc;
	__le16 awun;			/*  526 */
	__le16 awupf;
	u8 icsvscc;			/*  530 */
	u8 nwpc;
	__le16 acwu;			/*  532 */
	__le16 ocfs;
	__le32 sgls;			/*  536 */
	__le32 mnan;			/*  540 */
	u8 maxdna[16];			/*  544 */
	__le32 maxcna;			/*  560 */
	u8 rsvd564[204];
	char subnqn[256];		/*  768 */
	u8 rsvd1024[768];
	__le32 ioccsz;			/* 1792: fabrics only */
	__le32 iorcsz;
	__le16 icdoff;
	u8 fcatt;
	u8 msdbd;
	__le16 ofcs;
	u8 rsvd1806[242];
	struct nvme_id_power_state psd[32];	/* 2048 */
	u8 vs[1024];			/* 3072 */
} __packed;

/* Identify Controller field bits */
#define NVME_CTRL_CMIC_MULTI_PORT	BIT(0)
#define NVME_CTRL_CMIC_MULTI_CTRL	BIT(1)
#define NVME_CTRL_CMIC_ANA		BIT(3)
#define NVME_CTRL_OAES_NS_ATTR		BIT(8)
#define NVME_CTRL_OAES_FW_ACT		BIT(9)
#define NVME_CTRL_CTRATT_HID128		BIT(0)
#define NVME_CTRL_CTRATT_ELBAS		BIT(15)
#define NVME_CTRL_CNTRLTYPE_IO		1
#define NVME_CTRL_OACS_SEC_SUPP		BIT(0)
#define NVME_CTRL_OACS_FORMAT		BIT(1)
#define NVME_CTRL_OACS_FW		BIT(2)
#define NVME_CTRL_OACS_NS_MNGT		BIT(3)
#define NVME_CTRL_OACS_SELF_TEST	BIT(4)
#define NVME_CTRL_OACS_DIRECTIVES	BIT(5)
#define NVME_CTRL_OACS_DBBUF		BIT(8)
#define NVME_CTRL_OACS_LBA_STATUS	BIT(9)
#define NVME_CTRL_FRMW_SLOT1_RO		BIT(0)
#define NVME_CTRL_FRMW_NR_SLOTS_SHIFT	1
#define NVME_CTRL_FRMW_NO_RESET		BIT(4)
#define NVME_CTRL_LPA_SMART_PER_NS	BIT(0)
#define NVME_CTRL_LPA_CMD_EFFECTS	BIT(1)
#define NVME_CTRL_LPA_EXTENDED		BIT(2)	/* NUMDU, offset */
#define NVME_CTRL_LPA_TELEMETRY		BIT(3)
#define NVME_CTRL_ONCS_COMPARE		BIT(0)
#define NVME_CTRL_ONCS_WRITE_UNCOR	BIT(1)
#define NVME_CTRL_ONCS_DSM		BIT(2)
#define NVME_CTRL_ONCS_WRITE_ZEROES	BIT(3)
#define NVME_CTRL_ONCS_SAVE_FEAT	BIT(4)
#define NVME_CTRL_ONCS_RESERVATIONS	BIT(5)
#define NVME_CTRL_ONCS_TIMESTAMP	BIT(6)
#define NVME_CTRL_ONCS_VERIFY		BIT(7)
#define NVME_CTRL_ONCS_COPY		BIT(8)
#define NVME_CTRL_VWC_PRESENT		BIT(0)
#define NVME_CTRL_VWC_FLUSH_NSID_ALL	(3 << 1)	/* FFFFFFFFh supported */
#define NVME_CTRL_VWC_FLUSH_NO_ALL	(2 << 1)	/* FFFFFFFFh rejected */
#define NVME_CTRL_SGLS_SUPPORTED	BIT(0)	/* byte aligned data blocks */
#define NVME_CTRL_SGLS_DWORD_ALIGNED	BIT(1)
#define NVME_CTRL_SGLS_KEYED		BIT(2)
#define NVME_CTRL_SGLS_BIT_BUCKET	BIT(16)
#define NVME_CTRL_SGLS_MPTR_BYTE	BIT(17)
#define NVME_CTRL_SGLS_OVERSIZE		BIT(18)
#define NVME_CTRL_SGLS_MPTR_SGL		BIT(19)
#define NVME_CTRL_SGLS_OFFSET		BIT(20)

/* Identify I/O Command Set specific Controller, NVM (CNS 06h, CSI 0) */
struct nvme_id_ctrl_nvm {
	u8 vsl;				/* verify size limit, 2^n MPSMIN units */
	u8 wzsl;			/* write zeroes size limit */
	u8 wusl;			/* write uncorrectable size limit */
	u8 dmrl;			/* DSM ranges limit */
	__le32 dmrsl;			/* DSM range size limit, blocks */
	__le64 dmsl;			/* DSM size limit, blocks */
	u8 rsvd16[4080];
} __packed;

/* ---- Identify Namespace (CNS 00h) ---- */
struct nvme_lbaf {
	__le16 ms;			/* metadata bytes */
	u8 ds;				/* log2 of the LBA data size */
	u8 rp;				/* relative performance */
} __packed;

struct nvme_id_ns {
	__le64 nsze;			/*   0 */
	__le64 ncap;
	__le64 nuse;
	u8 nsfeat;			/*  24 */
	u8 nlbaf;			/* 0-based */
	u8 flbas;
	u8 mc;
	u8 dpc;				/*  28 */
	u8 dps;
	u8 nmic;
	u8 rescap;
	u8 fpi;				/*  32 */
	u8 dlfeat;
	__le16 nawun;			/*  34 */
	__le16 nawupf;
	__le16 nacwu;
	__le16 nabsn;			/*  40 */
	__le16 nabo;
	__le16 nabspf;
	__le16 noiob;
	u8 nvmcap[16];			/*  48 */
	__le16 npwg;			/*  64 */
	__le16 npwa;
	__le16 npdg;
	__le16 npda;
	__le16 nows;			/*  72 */
	__le16 mssrl;
	__le32 mcl;			/*  76 */
	u8 msrc;			/*  80 */
	u8 rsvd81;
	u8 nulbaf;
	u8 rsvd83[9];
	__le32 anagrpid;		/*  92 */
	u8 rsvd96[3];
	u8 nsattr;			/*  99 */
	__le16 nvmsetid;		/* 100 */
	__le16 endgid;
	u8 nguid[16];			/* 104 */
	u8 eui64[8];			/* 120 */
	struct nvme_lbaf lbaf[64];	/* 128 */
	u8 vs[3712];			/* 384 */
} __packed;

#define NVME_NS_FEAT_THIN		BIT(0)
#define NVME_NS_FEAT_ATOMICS		BIT(1)
#define NVME_NS_FEAT_DEALLOC_ERR	BIT(2)
#define NVME_NS_FEAT_IO_OPT		BIT(4)	/* NPWG..NOWS valid */
#define NVME_NS_FLBAS_LBA_MASK		0xf
#define NVME_NS_ATTR_RO			BIT(0)	/* write protected */
#define NVME_NS_DLFEAT_READ_ZEROES	0x1	/* deallocated blocks read 0 */
#define NVME_NS_DLFEAT_WRITE_ZEROES	BIT(3)	/* WZ with DEAC deallocates */

/* Identify I/O Command Set specific Namespace, NVM (CNS 05h, CSI 0) */
struct nvme_id_ns_nvm {
	__le64 lbstm;
	u8 pic;
	u8 rsvd9[3];
	__le32 elbaf[64];
	u8 rsvd268[3828];
} __packed;

/* Identify I/O Command Set Independent Namespace (CNS 08h) */
struct nvme_id_ns_cs_indep {
	u8 nsfeat;
	u8 nmic;
	u8 rescap;
	u8 fpi;
	__le32 anagrpid;
	u8 nsattr;
	u8 rsvd9;
	__le16 nvmsetid;
	__le16 endgid;
	u8 nstat;			/* bit 0: namespace ready */
	u8 rsvd15[4081];
} __packed;

#define NVME_NSTAT_NRDY			BIT(0)

/* Namespace Identification Descriptor (CNS 03h), list of these */
struct nvme_ns_id_desc {
	u8 nidt;
	u8 nidl;
	__le16 rsvd;
} __packed;

enum {
	NVME_NIDT_EUI64		= 0x01,
	NVME_NIDT_NGUID		= 0x02,
	NVME_NIDT_UUID		= 0x03,
	NVME_NIDT_CSI		= 0x04,
};

#define NVME_NIDT_EUI64_LEN	8
#define NVME_NIDT_NGUID_LEN	16
#define NVME_NIDT_UUID_LEN	16
#define NVME_NIDT_CSI_LEN	1

/* ---- Log pages ---- */

/* Error Information (01h): 64-byte entries, newest first */
struct nvme_error_log_entry {
	__le64 error_count;		/* unique, incrementing; 0 = empty */
	__le16 sqid;
	u16 cmdid;			/* echoed command id */
	__le16 status_field;		/* CQE status 15:1, phase bit 0 */
	__le16 param_error_location;	/* byte 7:0, bit 10:8 */
	__le64 lba;
	__le32 nsid;
	u8 vs;
	u8 trtype;
	u8 rsvd30[2];
	__le64 cs;			/* command specific */
	__le16 trtype_spec_info;
	u8 rsvd42[22];
};

/* SMART / Health Information (02h) */
struct nvme_smart_log {
	u8 critical_warning;
	u8 temperature[2];		/* kelvin, unaligned le16 */
	u8 avail_spare;
	u8 spare_thresh;
	u8 percent_used;
	u8 endu_grp_crit_warn_sumry;
	u8 rsvd7[25];
	u8 data_units_read[16];		/* 128-bit little-endian counters */
	u8 data_units_written[16];
	u8 host_reads[16];
	u8 host_writes[16];
	u8 ctrl_busy_time[16];
	u8 power_cycles[16];
	u8 power_on_hours[16];
	u8 unsafe_shutdowns[16];
	u8 media_errors[16];
	u8 num_err_log_entries[16];
	__le32 warning_temp_time;
	__le32 critical_comp_time;
	__le16 temp_sensor[8];
	__le32 thm_temp1_trans_count;
	__le32 thm_temp2_trans_count;
	__le32 thm_temp1_total_time;
	__le32 thm_temp2_total_time;
	u8 rsvd232[280];
} __packed;

#define NVME_SMART_CRIT_SPARE		BIT(0)
#define NVME_SMART_CRIT_TEMPERATURE	BIT(1)
#define NVME_SMART_CRIT_RELIABILITY	BIT(2)
#define NVME_SMART_CRIT_MEDIA		BIT(3)

/* Firmware Slot Information (03h) */
struct nvme_fw_slot_info_log {
	u8 afi;				/* active slot 2:0, next 6:4 */
	u8 rsvd1[7];
	char frs[7][8];			/* revision per slot */
	u8 rsvd64[448];
} __packed;

/* Changed Namespace List (04h): up to 1024 NSIDs, FFFFFFFFh = overflow */
#define NVME_MAX_CHANGED_NS		1024
struct nvme_changed_ns_log {
	__le32 nsid[NVME_MAX_CHANGED_NS];
} __packed;

/* Commands Supported and Effects (05h) */
struct nvme_effects_log {
	__le32 acs[256];		/* admin opcodes */
	__le32 iocs[256];		/* I/O opcodes */
	u8 rsvd[2048];
} __packed;

#define NVME_CMD_EFFECTS_CSUPP		BIT(0)
#define NVME_CMD_EFFECTS_LBCC		BIT(1)
#define NVME_CMD_EFFECTS_NCC		BIT(2)
#define NVME_CMD_EFFECTS_NIC		BIT(3)
#define NVME_CMD_EFFECTS_CCC		BIT(4)
#define NVME_CMD_EFFECTS_CSE_SHIFT	16
#define NVME_CMD_EFFECTS_CSE_NS		(1 << NVME_CMD_EFFECTS_CSE_SHIFT)
#define NVME_CMD_EFFECTS_CSE_ALL	(2 << NVME_CMD_EFFECTS_CSE_SHIFT)

/* Telemetry Host-Initiated (07h): header block; data areas follow */
#define NVME_LOG_LSP_TELEMETRY_CREATE	BIT(0)
struct nvme_telemetry_log {
	u8 lid;
	u8 rsvd1[4];
	u8 ieee[3];
	__le16 dalb1;			/* last block of data area 1 */
	__le16 dalb2;
	__le16 dalb3;
	u8 rsvd14[2];
	__le32 dalb4;
	u8 rsvd20[361];
	u8 hostdgn;			/* host-initiated data generation number */
	u8 ctrlavail;
	u8 ctrldgn;
	u8 rsnident[128];
} __packed;

/* Supported Log Pages (00h): one dword per LID */
struct nvme_supported_log {
	__le32 lids[256];
} __packed;
#define NVME_LID_SUPPORTED		BIT(0)

/* Timestamp feature data (8 bytes) */
struct nvme_timestamp {
	u8 timestamp[6];		/* milliseconds since the epoch, le48 */
	u8 attr;			/* bit 0: synch, 3:1 origin */
	u8 rsvd;
} __packed;
#define NVME_TIMESTAMP_ORIGIN_SET	BIT(1)	/* origin 001b: Set Features */

/* Sizes are part of the protocol: check them in both builds. */
static_assert(sizeof(struct nvme_sgl_desc) == 16, "sgl desc");
static_assert(sizeof(union nvme_data_ptr) == 16, "dptr");
static_assert(sizeof(struct nvme_rw_dw) == 24, "rw dwords");
static_assert(sizeof(struct nvme_sqe) == NVME_SQE_SIZE, "sqe");
static_assert(sizeof(struct nvme_cqe) == NVME_CQE_SIZE, "cqe");
static_assert(sizeof(struct nvme_dsm_range) == 16, "dsm range");
static_assert(sizeof(struct nvme_copy_range) == 32, "copy range");
static_assert(sizeof(struct nvme_copy_range_f2) == 32, "copy range 2h");
static_assert(sizeof(struct nvme_feat_host_behavior) == 512, "host behavior");
static_assert(sizeof(struct nvme_lba_status_hdr) == 8, "lba status");
static_assert(sizeof(struct nvme_lba_status_desc) == 16, "lba status desc");
static_assert(sizeof(struct nvme_lba_status_log) == 16, "lba status log");
static_assert(sizeof(struct nvme_lba_status_ns_element) == 16, "lsi element");
static_assert(sizeof(struct nvme_lba_range_desc) == 16, "lsi range");
static_assert(sizeof(struct nvme_id_power_state) == 32, "psd");
static_assert(sizeof(struct nvme_id_ctrl) == 4096, "id ctrl");
static_assert(sizeof(struct nvme_id_ctrl_nvm) == 4096, "id ctrl nvm");
static_assert(sizeof(struct nvme_id_ns) == 4096, "id ns");
static_assert(sizeof(struct nvme_id_ns_nvm) == 4096, "id ns nvm");
static_assert(sizeof(struct nvme_id_ns_cs_indep) == 4096, "id ns indep");
static_assert(sizeof(struct nvme_ns_id_desc) == 4, "ns id desc");
static_assert(sizeof(struct nvme_error_log_entry) == 64, "error log");
static_assert(sizeof(struct nvme_smart_log) == 512, "smart log");
static_assert(sizeof(struct nvme_fw_slot_info_log) == 512, "fw slot log");
static_assert(sizeof(struct nvme_changed_ns_log) == 4096, "changed ns log");
static_assert(sizeof(struct nvme_effects_log) == 4096, "effects log");
static_assert(sizeof(struct nvme_supported_log) == 1024, "supported log");
static_assert(sizeof(struct nvme_timestamp) == 8, "timestamp");
static_assert(sizeof(struct nvme_dst_result) == 28, "self-test result");
static_assert(sizeof(struct nvme_dst_log) == 564, "self-test log");
static_assert(sizeof(struct nvme_sanitize_log) == 512, "sanitize log");
static_assert(sizeof(struct nvme_telemetry_log) == 512, "telemetry header");

#endif /* NEPF_NVME_DEFS_H */
