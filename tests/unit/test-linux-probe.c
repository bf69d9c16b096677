// SPDX-License-Identifier: GPL-2.0
/*
 * test-linux-probe.c - the admin commands Linux's nvme driver (6.12,
 * drivers/nvme/host/core.c and pci.c) sends while probing, in its order
 * and with its field values: every one must succeed, or the host logs
 * errors or gives up.  Also its reset (queues deleted while idle, then a
 * disable/enable cycle) and the namespace-change AEN handling.
 */
#include "unit.h"

static u8 buf[4096];

static u16 identify(struct sim *s, u8 cns, u32 nsid, u8 csi)
{
	return sim_identify(s, cns, nsid, csi, buf);
}

static u16 get_log_csi(struct sim *s, u8 lid, u32 nsid, u8 csi, u32 len)
{
	struct nvme_sqe sqe;
	u32 numd = len / 4 - 1;

	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.cdw10 = cpu_to_le32(lid | (numd << 16));
	sqe.cdw11 = cpu_to_le32(numd >> 16);
	sqe.cdw14 = cpu_to_le32((u32)csi << 24);
	return sim_admin_data(s, &sqe, buf, len, false, NULL);
}

/*
 * nvme_enable_ctrl(): CC written once without EN, then with EN; CSS 110b
 * when CAP.CSS bit 6 says the controller has I/O command set profiles.
 */
static int linux_enable(struct sim *s)
{
	u64 cap = sim_rd32(s, NVME_REG_CAP) |
		  (u64)sim_rd32(s, NVME_REG_CAP + 4) << 32;
	u32 cc = (NVME_SQES << NVME_CC_IOSQES_SHIFT) |
		 (NVME_CQES << NVME_CC_IOCQES_SHIFT) |
		 (cap & NVME_CAP_CSS_CSI ? NVME_CC_CSS_CSI : NVME_CC_CSS_NVM);

	sim_wr32(s, NVME_REG_CC, cc);
	sim_run(s);
	if (sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_RDY)
		return -EIO;
	return sim_enable_cc(s, 32, 32, cc);
}

static void linux_probe(struct sim *s, unsigned int nr_io)
{
	struct nvme_id_ctrl *id = (void *)buf;
	struct nvme_timestamp ts = { .timestamp = { 1, 2, 3, 4, 5 } };
	struct nvme_sqe sqe;
	__le32 *list = (void *)buf;
	unsigned int qid;
	u32 res;

	CHECK_EQ(linux_enable(s), 0);
	/* nvme_init_ctrl_finish() */
	CHECK_EQ(identify(s, NVME_ID_CNS_CTRL, 0, 0), 0);
	CHECK(!strncmp(id->subnqn, "nqn.", 4));
	CHECK(id->lpa & NVME_CTRL_LPA_CMD_EFFECTS);
	CHECK_EQ(get_log_csi(s, NVME_LOG_CMD_EFFECTS, 0, NVME_CSI_NVM, 4096), 0);
	CHECK_EQ(identify(s, NVME_ID_CNS_CS_CTRL, 0, NVME_CSI_NVM), 0);
	sim_sqe(&sqe, nvme_admin_set_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_TIMESTAMP);
	CHECK_EQ(sim_admin_data(s, &sqe, &ts, sizeof(ts), true, NULL), 0);
	/* hwmon: SMART log, temperature thresholds of composite and sensor 1 */
	CHECK_EQ(get_log_csi(s, NVME_LOG_SMART, NVME_NSID_ALL, 0, 512), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0, 0, &res), 0);
	CHECK_EQ(sim_get_feature(s, NVME_FEAT_TEMP_THRESH, 0,
				 (1 << 16) | (1 << 20), &res), 0);
	/* nvme_setup_io_queues() */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES,
				 (nr_io - 1) | ((nr_io - 1) << 16), &res), 0);
	CHECK_EQ(min(res & 0xffff, res >> 16) + 1, nr_io);
	for (qid = 1; qid <= nr_io; qid++) {
		CHECK_EQ(sim_create_cq(s, qid, 64, true, qid), 0);
		CHECK_EQ(sim_create_sq(s, qid, 64, qid), 0);
	}
	/* nvme_start_ctrl(): AEN configuration, one AER, then the scan */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, NULL), 0);
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS_DESC_LIST, 1, 0), 0);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS, 1, 0), 0);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS_CS_INDEP, 1, 0), 0);
	/* the error log is empty: nothing failed */
	CHECK_EQ(s->ctrl.err_count, 0);
}

UNIT_TEST(linux_probe_sequence)
{
	struct sim *s = sim_new(NULL);

	sim_add_ns(s, 1, 2048, 9);
	linux_probe(s, 4);
	CHECK_EQ(s->ctrl.err_count, 0);
	sim_free(s);
}

/* nvme reset: I/O queues deleted (SQs first), disabled, probed again. */
UNIT_TEST(linux_reset_cycle)
{
	struct sim *s = sim_new(NULL);
	u8 data[512] = { 0x5a };
	unsigned int qid, round;

	sim_add_ns(s, 1, 2048, 9);
	for (round = 0; round < 3; round++) {
		linux_probe(s, 4);
		CHECK_EQ(sim_rw(s, 2, nvme_cmd_write, 1, 7, 1, data), 0);
		for (qid = 1; qid <= 4; qid++)
			CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, qid), 0);
		for (qid = 1; qid <= 4; qid++)
			CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, qid), 0);
		sim_disable(s);
		CHECK_EQ(sim_rd32(s, NVME_REG_CSTS), 0);
	}
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

/* Namespace added at run time: AEN, changed list, rescan, new AER. */
UNIT_TEST(linux_ns_change_handling)
{
	struct sim *s = sim_new(NULL);
	__le32 *list = (void *)buf;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;

	sim_add_ns(s, 1, 2048, 9);
	linux_probe(s, 2);
	sim_add_ns(s, 2, 1024, 12);
	sim_run(s);	/* the poll loop posts the event */
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(le32_to_cpu(cqe.result) & 0x7, NVME_AER_TYPE_NOTICE);
	CHECK_EQ((le32_to_cpu(cqe.result) >> 16) & 0xff, NVME_LOG_CHANGED_NS);
	/* nvme_clear_changed_ns_log(): NSID FFFFFFFFh, RAE clear */
	CHECK_EQ(get_log_csi(s, NVME_LOG_CHANGED_NS, NVME_NSID_ALL, NVME_CSI_NVM, 4096), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 2);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	sim_sqe(&sqe, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS, 2, 0), 0);
	CHECK_EQ(((struct nvme_id_ns *)buf)->flbas, 1);
	CHECK_EQ(((struct nvme_id_ns *)buf)->lbaf[1].ds, 12);
	/* removal: the next event, Identify Namespace reads zeroes */
	nepf_ctrl_detach_ns(&s->ctrl, 2);
	sim_run(s);
	CHECK_EQ(sim_reap(s, 0, &cqe), 0);
	CHECK_EQ(cqe.cid, sqe.cid);
	CHECK_EQ(identify(s, NVME_ID_CNS_NS, 2, 0), 0);
	CHECK_EQ(le64_to_cpu(((struct nvme_id_ns *)buf)->ncap), 0);
	CHECK_EQ(s->ctrl.err_count, 0);
	sim_free(s);
}
