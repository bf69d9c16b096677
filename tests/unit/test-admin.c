// SPDX-License-Identifier: GPL-2.0
/*
 * test-admin.c - admin command validation, log pages, features, AER and
 * Abort.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 buf[8192];

static u16 admin_raw(struct sim *s, u8 opc, u8 flags, u32 dw10, u32 *result)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u16 status;

	sim_sqe(&sqe, opc);
	sqe.flags = flags;
	sqe.cdw10 = cpu_to_le32(dw10);
	status = sim_cmd(s, 0, &sqe, &cqe);
	if (result)
		*result = le32_to_cpu(cqe.result);
	return status;
}

UNIT_TEST(admin_invalid_commands)
{
	struct sim *s = unit_sim_enabled();

	CHECK_EQ(admin_raw(s, 0xff, 0, 0, NULL), NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(admin_raw(s, nvme_admin_keep_alive, 0, 0, NULL),
		 NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(admin_raw(s, nvme_admin_ns_mgmt, 0, 0, NULL),
		 NVME_SC_INVALID_OPCODE | DNR);
	CHECK_EQ(admin_raw(s, nvme_admin_get_features, NVME_CMD_FUSE_FIRST,
			   NVME_FEAT_ARBITRATION, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(admin_raw(s, nvme_admin_get_features, NVME_CMD_PSDT_SGL_MPTR_CONTIG,
			   NVME_FEAT_ARBITRATION, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(admin_raw(s, nvme_admin_get_features, 0, NVME_FEAT_ARBITRATION,
			   NULL), 0);
	sim_free(s);
}

UNIT_TEST(admin_abort_not_aborted)
{
	struct sim *s = unit_sim_enabled();
	u32 res = 0;

	CHECK_EQ(admin_raw(s, nvme_admin_abort_cmd, 0, 1 | (5 << 16), &res), 0);
	CHECK_EQ(res, NVME_ABORT_NOT_ABORTED);
	sim_free(s);
}

UNIT_TEST(admin_aer_limit_and_reset)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		sim_sqe(&sqe, nvme_admin_async_event);
		CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	}
	CHECK_EQ(kfifo_len(&s->ctrl.aer_cids), 4);
	CHECK_EQ(s->nr_released, s->nr_fetched);	/* nothing held */
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_ASYNC_LIMIT | DNR);
	sim_disable(s);
	CHECK_EQ(kfifo_len(&s->ctrl.aer_cids), 0);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	sim_free(s);
}

UNIT_TEST(admin_error_log)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_error_log_entry *e = (void *)buf;
	struct nvme_smart_log *smart = (void *)buf;
	struct nvme_sqe sqe;
	u16 cid1, cid2;

	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, buf), 0);
	CHECK_EQ(le64_to_cpu(e[0].error_count), 0);
	sim_sqe(&sqe, 0xfe);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_INVALID_OPCODE | DNR);
	cid1 = sqe.cid;
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(0x7f);
	sqe.nsid = cpu_to_le32(3);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_INVALID_FIELD | DNR);
	cid2 = sqe.cid;
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, buf), 0);
	CHECK_EQ(le64_to_cpu(e[0].error_count), 2);	/* newest first */
	CHECK_EQ(e[0].cmdid, cid2);
	CHECK_EQ(le32_to_cpu(e[0].nsid), 3);
	CHECK_EQ(le16_to_cpu(e[0].status_field) >> 1, NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(le64_to_cpu(e[1].error_count), 1);
	CHECK_EQ(e[1].cmdid, cid1);
	CHECK_EQ(le16_to_cpu(e[1].sqid), 0);
	CHECK_EQ(le64_to_cpu(e[2].error_count), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, buf), 0);
	CHECK_EQ(smart->num_err_log_entries[0], 2);
	sim_free(s);
}

UNIT_TEST(admin_log_page_window)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;

	CHECK_EQ(sim_get_log(s, 0x7f, 512, 0, false, buf), NVME_SC_INVALID_LOG_PAGE | DNR);
	/* offset: dword aligned, inside the log */
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 8, 2, false, buf), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 8, 512, false, buf), NVME_SC_INVALID_FIELD | DNR);
	/* a window of the firmware slot log: FRS1 at byte 8 */
	CHECK_EQ(sim_get_log(s, NVME_LOG_FW_SLOT, 8, 8, false, buf), 0);
	CHECK(!memcmp(buf, "0.1     ", 8));
	/* longer than the log: zero-filled */
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(sim_get_log(s, NVME_LOG_FW_SLOT, 1024, 0, false, buf), 0);
	CHECK_EQ(buf[0], 1);				/* AFI: slot 1 */
	CHECK_EQ(buf[1000], 0);
	/* NUMDU and a length beyond MDTS */
	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_SMART | (0xffffU << 16));
	sqe.cdw11 = cpu_to_le32(0xffff);
	sqe.dptr.prp1 = cpu_to_le64(sim_alloc(s, 4096, 4096));
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_INVALID_FIELD | DNR);
	/* SMART is controller-wide: NSID 0 or FFFFFFFFh */
	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.nsid = cpu_to_le32(1);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_SMART | (127U << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 512, false, NULL), NVME_SC_INVALID_FIELD | DNR);
	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_SMART | (127U << 16));
	CHECK_EQ(sim_admin_data(s, &sqe, buf, 512, false, NULL), 0);
	sim_free(s);
}

UNIT_TEST(admin_effects_and_supported_logs)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_effects_log *ef = (void *)buf;
	struct nvme_supported_log *sl = (void *)buf;

	CHECK_EQ(sim_get_log(s, NVME_LOG_CMD_EFFECTS, 4096, 0, false, buf), 0);
	CHECK(le32_to_cpu(ef->acs[nvme_admin_identify]) & NVME_CMD_EFFECTS_CSUPP);
	CHECK_EQ(le32_to_cpu(ef->acs[nvme_admin_keep_alive]), 0);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_write]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_read]), NVME_CMD_EFFECTS_CSUPP);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_write_uncor]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_copy]),
		 NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
	CHECK_EQ(le32_to_cpu(ef->iocs[nvme_cmd_resv_register]), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SUPPORTED, 1024, 0, false, buf), 0);
	CHECK(le32_to_cpu(sl->lids[NVME_LOG_CHANGED_NS]) & NVME_LID_SUPPORTED);
	CHECK_EQ(le32_to_cpu(sl->lids[NVME_LOG_ANA]), 0);
	sim_free(s);
}

/* Attach/detach: AEN when enabled, list cleared on read unless RAE. */
UNIT_TEST(admin_changed_ns_aen)
{
	struct sim *s = unit_sim_enabled();
	__le32 *list = (void *)buf;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	sim_add_ns(s, 1, 8, 9);
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	/* Feature 0Bh off: the list fills, no event */
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, NULL), 0);
	sim_add_ns(s, 2, 8, 9);
	/* noted only: the poll loop posts the event (issue 16 item 6) */
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(le32_to_cpu(cqe.result),
		 NVME_AER_RESULT(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
				 NVME_LOG_CHANGED_NS));
	nepf_ctrl_detach_ns(&s->ctrl, 1);	/* masked until the log is read */
	sim_run(s);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, true, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(le32_to_cpu(list[1]), 2);
	CHECK_EQ(le32_to_cpu(list[2]), 0);
	/* RAE kept it: read again, now clearing */
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[1]), 2);
	CHECK_EQ(sim_get_log(s, NVME_LOG_CHANGED_NS, 4096, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 0);
	/* unmasked: the next change is reported to the next AER */
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	nepf_ctrl_detach_ns(&s->ctrl, 2);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(s->ctrl.nr_changed_ns, 1);
	sim_free(s);
}

UNIT_TEST(features_round_trip)
{
	struct sim *s = unit_sim_enabled();
	u32 res;

	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_DEFAULT, 0, &res), 0);
	CHECK_EQ(res, 3);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ARBITRATION, 0x01020302, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, 0, 0, &res), 0);
	CHECK_EQ(res, 0x01020302);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_SAVED, 0, &res), 0);
	CHECK_EQ(res, 3);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, NVME_FEAT_SEL_SUPPORTED, 0, &res), 0);
	CHECK_EQ(res, NVME_FEAT_CAP_CHANGEABLE);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, 4, 0, &res),
		 NVME_SC_INVALID_FIELD | DNR);

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 350, NULL), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 270 | (1 << 20), NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, 0, &res), 0);
	CHECK_EQ(res, 350);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, 1 << 20, &res), 0);
	CHECK_EQ(res, 270);			/* the threshold alone */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 300 | (2 << 20), NULL),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 300 | (5 << 16), NULL),
		 NVME_SC_INVALID_FIELD | DNR);

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 0, NULL), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_POWER_MGMT, 1, NULL), NVME_SC_INVALID_FIELD | DNR);

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_COALESCE, 0x0a03, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_IRQ_COALESCE, 0, 0, &res), 0);
	CHECK_EQ(res, 0x0a03);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_CONFIG, 2 | NVME_IRQ_CONFIG_CD, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_IRQ_CONFIG, 0, 2, &res), 0);
	CHECK_EQ(res, 2 | NVME_IRQ_CONFIG_CD);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_CONFIG, 5, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_IRQ_CONFIG, 0, 9, &res), NVME_SC_INVALID_FIELD | DNR);

	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, 0xffffffff, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ASYNC_EVENT, 0, 0, &res), 0);
	CHECK_EQ(res, NVME_AEN_CFG_SMART_MASK | NVME_AEN_CFG_NS_ATTR);

	/* no volatile cache, unknown features */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_VOLATILE_WC, 1, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_HOST_MEM_BUF, 1, NULL), NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_KATO, 0, 0, &res), NVME_SC_INVALID_FIELD | DNR);

	/* defaults come back with a reset */
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_ARBITRATION, 0, 0, &res), 0);
	CHECK_EQ(res, 3);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_IRQ_CONFIG, 0, 2, &res), 0);
	CHECK_EQ(res, 2);
	sim_free(s);
}

UNIT_TEST(features_not_saveable_and_vwc)
{
	struct sim *s = sim_new(NULL);
	struct nvme_sqe sqe;
	u32 res;

	/* VWC is fixed at enable: the cached namespace comes first */
	sim_add_ns(s, 1, 8, 9)->volatile_cache = true;
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION | NVME_FEAT_SAVE);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), NVME_SC_FEATURE_NOT_SAVEABLE | DNR);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_VOLATILE_WC, 0, 0, &res), 0);
	CHECK_EQ(res, NVME_VWC_WCE);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_VOLATILE_WC, 0, NULL), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_VOLATILE_WC, 0, 0, &res), 0);
	CHECK_EQ(res, 0);
	sim_free(s);
}

UNIT_TEST(features_timestamp)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_timestamp ts = { .timestamp = { 0x10, 0x27 } };	/* 10 s */
	struct nvme_sqe sqe;
	u64 ms = 0;
	int i;

	uport_fake_ns = 1000000000ULL;
	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_TIMESTAMP);
	CHECK_EQ(sim_admin_data(s, &sqe, &ts, sizeof(ts), true, NULL), 0);
	uport_fake_ns += 2500000000ULL;			/* 2.5 s later */
	memset(&ts, 0, sizeof(ts));
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_TIMESTAMP);
	CHECK_EQ(sim_admin_data(s, &sqe, &ts, sizeof(ts), false, NULL), 0);
	for (i = 0; i < 6; i++)
		ms |= (u64)ts.timestamp[i] << (8 * i);
	CHECK_EQ(ms, 12500);
	CHECK_EQ(ts.attr, NVME_TIMESTAMP_ORIGIN_SET);
	uport_fake_ns = 0;
	sim_free(s);
}

/* An over-temperature threshold below the (fixed) temperature: SMART AEN. */
UNIT_TEST(smart_temperature_threshold_aen)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_smart_log *log = (void *)buf;
	struct nvme_sqe sqe, set;
	struct nvme_cqe cqe;

	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	/* not enabled in Feature 0Bh: nothing is reported */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 300, NULL), 0);
	CHECK_EQ(sim_reap(s, 0, &cqe), -EAGAIN);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, true, buf), 0);
	CHECK_EQ(log->critical_warning, NVME_SMART_CRIT_TEMPERATURE);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_SMART_CRIT_TEMPERATURE, NULL), 0);
	sim_sqe(&set, nvme_admin_set_features);
	set.cdw10 = cpu_to_le32(NVME_FEAT_TEMP_THRESH);
	set.cdw11 = cpu_to_le32(310);
	CHECK_EQ(sim_submit(s, 0, &set), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);	/* the event comes first */
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(le32_to_cpu(cqe.result),
		 NVME_AER_RESULT(NVME_AER_TYPE_SMART, NVME_AER_SMART_TEMP_THRESH,
				 NVME_LOG_SMART));
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);	/* then the Set Features */
	CHECK_EQ(cqe.cid, set.cid);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	/* back to a sane threshold: the warning clears */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_TEMP_THRESH, 343, NULL), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, buf), 0);
	CHECK_EQ(log->critical_warning, 0);
	sim_free(s);
}

/*
 * No host transfer uses a buffer on the stack (the kernel may DMA it):
 * the CQE of a completion, of a queued completion, of an AER, and the
 * timestamp of Get/Set Features.  simhost counts them; sim_free() aborts
 * any test that made one, this test reports which path did.
 */
UNIT_TEST(host_buffers_not_on_stack)
{
	struct sim *s = sim_new(NULL);
	struct nvme_timestamp ts = { .timestamp = { 0x10, 0x27 } };
	struct nvme_sqe sqe;
	unsigned int i;

	CHECK_EQ(sim_enable_cc(s, 8, 2, (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
					(NVME_CQES << NVME_CC_IOCQES_SHIFT)), 0);
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), 0);
	CHECK_EQ(s->nr_stack_xfer, 0);			/* a completion */
	for (i = 0; i < 2; i++)
		CHECK_EQ(sim_submit(s, 0, &sqe), 0);
	sim_run(s);					/* one waits for room */
	CHECK_EQ(sim_reap(s, 0, NULL), 0);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, NULL), 0);
	CHECK_EQ(s->nr_stack_xfer, 0);			/* a queued completion */
	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_TIMESTAMP);
	CHECK_EQ(sim_admin_data(s, &sqe, &ts, sizeof(ts), true, NULL), 0);
	CHECK_EQ(s->nr_stack_xfer, 0);			/* Set Features */
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_TIMESTAMP);
	CHECK_EQ(sim_admin_data(s, &sqe, &ts, sizeof(ts), false, NULL), 0);
	CHECK_EQ(s->nr_stack_xfer, 0);			/* Get Features */
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	sim_wr32(s, NVME_REG_SQTDBL(1), 1);		/* no such queue: AEN */
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, NULL), 0);
	CHECK_EQ(s->nr_stack_xfer, 0);			/* an AER */
	sim_free(s);
}
