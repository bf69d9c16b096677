// SPDX-License-Identifier: GPL-2.0
/*
 * test-cmdset.c - the mandatory features and Identify structures of an
 * NVMe 2.0 I/O controller (issue 17): Write Atomicity Normal, Power
 * Management, Temperature Threshold per sensor, Error Recovery per
 * namespace, I/O Command Set Profile, CNS 13h and 1Ch, the effects log
 * per command set, and the Property Get nvme-cli falls back to.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 buf[8192];

/* Get (SEL @sel) or Set Features with an NSID; DW0 in *res. */
static u16 feat(struct sim *s, bool set, u8 fid, u8 sel, u32 nsid, u32 dw11,
		u32 *res)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, set ? nvme_admin_set_features : nvme_admin_get_features);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(fid | ((u32)sel << 8));
	sqe.cdw11 = cpu_to_le32(dw11);
	return sim_admin_data(s, &sqe, NULL, 0, false, res);
}

#define TEMP(tmpsel, thsel, val) \
	((val) | ((u32)(tmpsel) << NVME_TEMP_TMPSEL_SHIFT) | \
	 ((u32)(thsel) << NVME_TEMP_THSEL_SHIFT))

UNIT_TEST(feature_write_atomicity)
{
	struct sim *s = unit_sim_enabled();
	u32 res = 0xdead;

	CHECK_EQ(sim_get_feature(s, NVME_FEAT_WRITE_ATOMIC, 0, 0, &res), 0);
	CHECK_EQ(res, 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_WRITE_ATOMIC, NVME_FEAT_SEL_SUPPORTED, 0, &res), 0);
	CHECK_EQ(res, NVME_FEAT_CAP_CHANGEABLE);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_WRITE_ATOMIC, 0xffffffff, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_WRITE_ATOMIC, 0, 0, &res), 0);
	CHECK_EQ(res, NVME_WRITE_ATOMIC_DN);		/* reserved bits dropped */
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_WRITE_ATOMIC, NVME_FEAT_SEL_DEFAULT, 0, &res), 0);
	CHECK_EQ(res, 0);
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_WRITE_ATOMIC, 0, 0, &res), 0);
	CHECK_EQ(res, 0);
	sim_free(s);
}

UNIT_TEST(feature_power_management)
{
	struct sim *s = unit_sim_enabled();
	u32 res;

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 2 << NVME_PM_WH_SHIFT, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_POWER_MGMT, 0, 0, &res), 0);
	CHECK_EQ(res, 2 << NVME_PM_WH_SHIFT);
	/* PS beyond NPSS (0), reserved workload hints */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 1, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 31, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 3 << NVME_PM_WH_SHIFT, NULL),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_POWER_MGMT, 0, 0, &res), 0);
	CHECK_EQ(res, 2 << NVME_PM_WH_SHIFT);		/* unchanged */
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_POWER_MGMT, NVME_FEAT_SEL_DEFAULT, 0, &res), 0);
	CHECK_EQ(res, 0);
	sim_free(s);
}

/* Composite and Sensor 1 have their own thresholds; FFFFh: none set. */
UNIT_TEST(feature_temperature_per_sensor)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_smart_log *log = (void *)buf;
	u32 res;

	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(0, 0, 0), &res), 0);
	CHECK_EQ(res, 343);				/* WCTEMP */
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(1, 0, 0), &res), 0);
	CHECK_EQ(res, 0xffff);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(1, 1, 0), &res), 0);
	CHECK_EQ(res, 0);
	/* sensor 1 alone */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, TEMP(1, 0, 350), NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(1, 0, 0), &res), 0);
	CHECK_EQ(res, 350);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(0, 0, 0), &res), 0);
	CHECK_EQ(res, 343);
	/* all sensors (Set only) */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, TEMP(0xf, 1, 200), NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(0, 1, 0), &res), 0);
	CHECK_EQ(res, 200);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(1, 1, 0), &res), 0);
	CHECK_EQ(res, 200);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(0xf, 1, 0), &res),
		 NVME_SC_INVALID_FIELD | DNR);
	/* sensors 2-8 do not exist; THSEL 2 and 3 are reserved */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, TEMP(2, 0, 300), NULL),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, TEMP(8, 0, 0), &res),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, TEMP(0, 3, 300), NULL),
		 NVME_SC_INVALID_FIELD | DNR);
	/* defaults per sensor */
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, NVME_FEAT_SEL_DEFAULT,
				 TEMP(1, 0, 0), &res), 0);
	CHECK_EQ(res, 0xffff);
	/* sensor 1's under threshold at the temperature: SMART warns */
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, buf), 0);
	CHECK_EQ(log->critical_warning, 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, TEMP(1, 1, 313), NULL), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, buf), 0);
	CHECK_EQ(log->critical_warning, NVME_SMART_CRIT_TEMPERATURE);
	sim_free(s);
}

/* Error Recovery is kept per namespace; the NSID rules of both commands. */
UNIT_TEST(feature_error_recovery_per_namespace)
{
	struct sim *s = unit_sim_enabled();
	u32 res;

	sim_add_ns(s, 1, 8, 9);
	sim_add_ns(s, 2, 8, 9);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, NVME_FEAT_SEL_SUPPORTED, 1, 0, &res), 0);
	CHECK_EQ(res, NVME_FEAT_CAP_CHANGEABLE | NVME_FEAT_CAP_PER_NS);
	CHECK_EQ(feat(s, true, NVME_FEAT_ERR_RECOVERY, 0, 1, 100, NULL), 0);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 1, 0, &res), 0);
	CHECK_EQ(res, 100);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 2, 0, &res), 0);
	CHECK_EQ(res, 0);
	/* FFFFFFFFh: every namespace on Set, none on Get */
	CHECK_EQ(feat(s, true, NVME_FEAT_ERR_RECOVERY, 0, NVME_NSID_ALL, 7, NULL), 0);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 2, 0, &res), 0);
	CHECK_EQ(res, 7);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 1, 0, &res), 0);
	CHECK_EQ(res, 7);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, NVME_NSID_ALL, 0, &res),
		 NVME_SC_INVALID_NS | DNR);
	/* NSID 0, out of range, inactive */
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 0, 0, &res), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(feat(s, true, NVME_FEAT_ERR_RECOVERY, 0, 0, 1, NULL), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(feat(s, true, NVME_FEAT_ERR_RECOVERY, 0, NEPF_MAX_NAMESPACES + 1, 1, NULL),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(feat(s, false, NVME_FEAT_ERR_RECOVERY, 0, 3, 0, &res),
		 NVME_SC_INVALID_FIELD | DNR);
	/* DULBE: no deallocated-block errors here */
	CHECK_EQ(feat(s, true, NVME_FEAT_ERR_RECOVERY, 0, 1, NVME_ERR_REC_DULBE, NULL),
		 NVME_SC_INVALID_FIELD | DNR);
	/* a controller-wide feature with a namespace's NSID */
	CHECK_EQ(feat(s, true, NVME_FEAT_ARBITRATION, 0, 1, 3, NULL),
		 NVME_SC_FEATURE_NOT_PER_NS | DNR);
	CHECK_EQ(feat(s, true, NVME_FEAT_ARBITRATION, 0, NVME_NSID_ALL, 3, NULL), 0);
	CHECK_EQ(feat(s, false, NVME_FEAT_ARBITRATION, 0, 1, 0, &res), 0);
	sim_free(s);
}

UNIT_TEST(feature_iocs_profile)
{
	struct sim *s = unit_sim_enabled();
	u32 res = 0xdead;

	CHECK_EQ(sim_get_feature(s, NVME_FEAT_IOCS_PROFILE, 0, 0, &res), 0);
	CHECK_EQ(res, 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IOCS_PROFILE, 0, NULL), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IOCS_PROFILE, 1, NULL),
		 NVME_SC_IOCS_COMBINATION_REJECTED | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IOCS_PROFILE, 511, NULL),
		 NVME_SC_IOCS_COMBINATION_REJECTED | DNR);
	sim_free(s);
}

/* CNS 13h: controllers from CNTID on; CNS 1Ch: one combination, NVM. */
UNIT_TEST(identify_ctrl_list_and_iocs)
{
	struct nepf_ctrl_config cfg;
	__le16 *list = (void *)buf;
	__le64 *vec = (void *)buf;
	struct nvme_sqe sqe;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.cntlid = 5;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	memset(buf, 0xa5, 4096);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL_LIST, 0, 0, buf), 0);
	CHECK_EQ(le16_to_cpu(list[0]), 1);
	CHECK_EQ(le16_to_cpu(list[1]), 5);
	CHECK_EQ(le16_to_cpu(list[2]), 0);
	sim_sqe(&sqe, nvme_admin_identify);
	sqe.cdw10 = cpu_to_le32(NVME_ID_CNS_CTRL_LIST | (5U << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 4096, false, NULL), 0);
	CHECK_EQ(le16_to_cpu(list[0]), 1);
	sqe.cdw10 = cpu_to_le32(NVME_ID_CNS_CTRL_LIST | (6U << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 4096, false, NULL), 0);
	CHECK_EQ(le16_to_cpu(list[0]), 0);

	memset(buf, 0xa5, 4096);
	sqe.cdw10 = cpu_to_le32(NVME_ID_CNS_IO_CMD_SET | (0xffffU << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 4096, false, NULL), 0);
	CHECK_EQ(le64_to_cpu(vec[0]), 1ULL << NVME_CSI_NVM);
	CHECK_EQ(le64_to_cpu(vec[1]), 0);
	CHECK_EQ(le64_to_cpu(vec[511]), 0);
	sim_free(s);
}

static u16 effects_log(struct sim *s, u8 csi, void *out)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_CMD_EFFECTS | (1023U << 16));
	sqe.cdw14 = cpu_to_le32((u32)csi << 24);
	return sim_admin_data(s, &sqe, out, 4096, false, NULL);
}

/* Every command the dispatchers take is listed, with its effects. */
UNIT_TEST(effects_log_lists_what_runs)
{
	struct nvme_effects_log *ef = (void *)buf;
	struct nepf_ctrl_config cfg;
	struct nvme_sqe sqe;
	struct sim *s;
	unsigned int opc;
	u16 status;

	s = unit_sim_enabled();
	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(effects_log(s, NVME_CSI_NVM, buf), 0);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_dsm]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_verify]), NVME_CMD_EFFECTS_CSUPP);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_set_features]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_CCC);
	/* an opcode the I/O dispatcher refuses is not in the log, and back */
	for (opc = 0; opc < 256; opc++) {
		sim_sqe(&sqe, opc);
		sqe.nsid = cpu_to_le32(1);
		status = sim_cmd(s, 1, &sqe, NULL);
		CHECK_EQ(status == (NVME_SC_INVALID_OPCODE | DNR),
			 !(le32_to_cpu(ef->iocs[opc]) & NVME_CMD_EFFECTS_CSUPP));
	}
	/* another command set: the admin commands only */
	CHECK_EQ(effects_log(s, NVME_CSI_ZNS, buf), 0);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_identify]), NVME_CMD_EFFECTS_CSUPP);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_read]), 0);
	sim_free(s);

	/* commands the identity hides from ONCS are not listed either */
	sim_default_config(&cfg);
	cfg.oncs_mask = NVME_CTRL_ONCS_COMPARE | NVME_CTRL_ONCS_DSM;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(effects_log(s, NVME_CSI_NVM, buf), 0);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_compare]), 0);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_dsm]), 0);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_write_zeroes]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	sim_free(s);
}

/* nvme-cli's fallback to read CAP: Property Get, read-only, 4 registers. */
static u16 prop_get(struct sim *s, u8 fctype, u32 attrib, u32 ofst, u64 *val)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u16 status;

	sim_sqe(&sqe, nvme_admin_fabrics);
	sqe.nsid = cpu_to_le32(fctype);
	sqe.cdw10 = cpu_to_le32(attrib);
	sqe.cdw11 = cpu_to_le32(ofst);
	status = sim_cmd(s, 0, &sqe, &cqe);
	*val = le32_to_cpu(cqe.result) | (u64)le32_to_cpu(cqe.result_hi) << 32;
	return status;
}

UNIT_TEST(fabrics_property_get)
{
	struct sim *s = unit_sim_enabled();
	u64 cap = sim_rd32(s, NVME_REG_CAP) | (u64)sim_rd32(s, NVME_REG_CAP + 4) << 32;
	u64 v;

	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 1, NVME_REG_CAP, &v), 0);
	CHECK_EQ(v, cap);
	CHECK(v & NVME_CAP_CSS_NVM);
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, NVME_REG_VS, &v), 0);
	CHECK_EQ(v, NVME_VS(2, 0, 0));
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, NVME_REG_CSTS, &v), 0);
	CHECK_EQ(v, NVME_CSTS_RDY);
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, NVME_REG_CC, &v), 0);
	CHECK(v & NVME_CC_ENABLE);
	/* wrong size, other registers, doorbells, other Fabrics commands */
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, NVME_REG_CAP, &v),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 1, NVME_REG_VS, &v),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, 0x1000, &v),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(prop_get(s, NVME_FABRICS_TYPE_PROP_GET, 0, 0xffffffff, &v),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(prop_get(s, 0x00 /* Property Set */, 0, NVME_REG_CC, &v),
		 NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(prop_get(s, 0x01 /* Connect */, 0, 0, &v), NVME_SC_INVALID_OPCODE | DNR);
	sim_free(s);
}
