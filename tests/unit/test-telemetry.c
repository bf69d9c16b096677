// SPDX-License-Identifier: GPL-2.0
/*
 * test-telemetry.c - the Telemetry Host-Initiated log (src/telemetry.c):
 * header, a snapshot taken at "create" and kept for the reads that
 * follow, the statistics in data area 1, the error log in data area 2.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR
#define DA1	512			/* byte offset of data area 1 */
#define DA2	(17 * 512)

static u8 buf[8192];
static u8 data[8192];

/* Get Log Page 07h: @len bytes at @off, LSP bit 0 = @create. */
static u16 tlog(struct sim *s, bool create, u64 off, u32 len)
{
	struct nvme_sqe sqe;
	u32 numd = len / 4 - 1;

	sim_sqe(&sqe, nvme_admin_get_log_page);
	sqe.nsid = cpu_to_le32(NVME_NSID_ALL);
	sqe.cdw10 = cpu_to_le32(NVME_LOG_TELEMETRY_HOST | (create ? 1U << 8 : 0) |
				(numd << 16));
	sqe.cdw11 = cpu_to_le32(numd >> 16);
	sqe.cdw12 = cpu_to_le32(lower_32_bits(off));
	sqe.cdw13 = cpu_to_le32(upper_32_bits(off));
	memset(buf, 0xa5, sizeof(buf));
	return sim_admin_data(s, &sqe, buf, len, false, NULL);
}

static struct sim *tl_sim(void)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32) || sim_create_io_queues(s, 1, 64))
		abort();
	sim_add_ns(s, 1, 64, 9);
	return s;
}

UNIT_TEST(telemetry_advertised)
{
	struct sim *s = tl_sim();
	struct nvme_supported_log *sup = (void *)buf;

	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK(((struct nvme_id_ctrl *)buf)->lpa & NVME_CTRL_LPA_TELEMETRY);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SUPPORTED, 1024, 0, false, buf), 0);
	CHECK_EQ(le32_to_cpu(sup->lids[NVME_LOG_TELEMETRY_HOST]), NVME_LID_SUPPORTED);
	sim_free(s);
}

/* The header, and data area 1 with the counters as of the create. */
UNIT_TEST(telemetry_snapshot_kept_until_create)
{
	struct sim *s = tl_sim();
	struct nvme_telemetry_log *h = (void *)buf;
	unsigned int i;

	for (i = 0; i < 3; i++)
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, data), 0);
	CHECK_EQ(tlog(s, true, 0, 512), 0);
	CHECK_EQ(h->lid, NVME_LOG_TELEMETRY_HOST);
	CHECK_EQ(le16_to_cpu(h->dalb1), 16);
	CHECK_EQ(le16_to_cpu(h->dalb2), 24);
	CHECK_EQ(le16_to_cpu(h->dalb3), 24);
	CHECK_EQ(h->hostdgn, 1);
	CHECK_EQ(h->ieee[0], 0x00);
	CHECK_EQ(h->ieee[2], 0x52);		/* OUI 525400h, little endian */
	CHECK_EQ(tlog(s, false, DA1, 4096), 0);
	CHECK(!memcmp(buf, "nvme-epf telemetry 1\n", 21));
	CHECK(strstr((char *)buf, "smart host_reads 3 "));
	CHECK(strstr((char *)buf, "\nsq 1 cmds 3 reads 3 "));
	CHECK(strstr((char *)buf, "\nns 1 backend ram blocks 64 block_size 512 "));
	/* more I/O: the snapshot does not move until the next create */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, data), 0);
	CHECK_EQ(tlog(s, false, DA1, 4096), 0);
	CHECK(strstr((char *)buf, "smart host_reads 3 "));
	CHECK_EQ(tlog(s, false, 0, 512), 0);
	CHECK_EQ(h->hostdgn, 1);
	CHECK_EQ(tlog(s, true, 0, 512), 0);
	CHECK_EQ(h->hostdgn, 2);
	CHECK_EQ(tlog(s, false, DA1, 4096), 0);
	CHECK(strstr((char *)buf, "smart host_reads 4 "));
	/* the rest of area 1 is zeroes, not stale text */
	CHECK_EQ(tlog(s, false, DA1 + 4096, 4096), 0);
	CHECK_EQ(buf[4095], 0);
	/* past the end (24 blocks + header): Invalid Field */
	CHECK_EQ(tlog(s, false, 25 * 512, 512), NVME_SC_INVALID_FIELD | DNR);
	sim_free(s);
}

/* Data area 2: the error log entries, newest first. */
UNIT_TEST(telemetry_recent_errors)
{
	struct sim *s = tl_sim();
	struct nvme_error_log_entry *e = (void *)buf;

	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 64, 1, data), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 0, 1, data), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(tlog(s, true, 0, 512), 0);
	CHECK_EQ(tlog(s, false, DA2, 4096), 0);
	CHECK_EQ(le64_to_cpu(e[0].error_count), 2);
	CHECK_EQ(le16_to_cpu(e[0].status_field) >> 1, NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(le64_to_cpu(e[1].error_count), 1);
	CHECK_EQ(le16_to_cpu(e[1].status_field) >> 1, NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(le64_to_cpu(e[1].lba), 64);
	CHECK_EQ(le64_to_cpu(e[2].error_count), 0);
	sim_free(s);
}

/* A controller reset drops the snapshot: the next read takes a new one. */
UNIT_TEST(telemetry_reset_drops_snapshot)
{
	struct sim *s = tl_sim();
	struct nvme_telemetry_log *h = (void *)buf;

	CHECK_EQ(tlog(s, true, 0, 512), 0);
	CHECK_EQ(h->hostdgn, 1);
	CHECK(s->ctrl.telemetry);
	sim_disable(s);
	CHECK(!s->ctrl.telemetry);
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(tlog(s, false, 0, 512), 0);
	CHECK_EQ(h->hostdgn, 2);
	sim_free(s);
}
