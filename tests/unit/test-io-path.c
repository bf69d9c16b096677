// SPDX-License-Identifier: GPL-2.0
/*
 * test-io-path.c - full command round trips through I/O queues: data,
 * completions, interrupts and coalescing, SMART counters, error log LBA.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 wbuf[8192], rbuf[8192];

UNIT_TEST(io_round_trip)
{
	struct sim *s = unit_sim_enabled();
	unsigned int i;

	sim_add_ns(s, 1, 256, 9);
	CHECK_EQ(sim_create_io_queues(s, 2, 8), 0);
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = i * 7 + 3;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 10, 16, wbuf), 0);
	CHECK_EQ(sim_rw(s, 2, nvme_cmd_read, 1, 10, 16, rbuf), 0);
	CHECK(!memcmp(wbuf, rbuf, sizeof(wbuf)));
	/* each I/O queue interrupts on its own vector (qid % 5) */
	CHECK_EQ(s->irqs[1], 1);
	CHECK_EQ(s->irqs[2], 1);
	/* many commands: ring wrap on an 8-entry queue, phase bit flips */
	for (i = 0; i < 20; i++)
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, i, 1, rbuf), 0);
	CHECK_EQ(s->irqs[1], 21);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

UNIT_TEST(io_smart_counters)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_smart_log *log = (void *)rbuf;
	unsigned int i;

	sim_add_ns(s, 1, 4096, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, rbuf), 0);
	CHECK_EQ(log->data_units_written[0], 0);
	CHECK_EQ(log->host_writes[0], 0);
	CHECK_EQ(log->temperature[0] | (log->temperature[1] << 8), 313);
	/* 3 writes of 16 blocks, 1 read of 1 block */
	for (i = 0; i < 3; i++)
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, i * 16, 16, wbuf), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, rbuf + 4096), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, rbuf), 0);
	CHECK_EQ(log->host_writes[0], 3);
	CHECK_EQ(log->host_reads[0], 1);
	CHECK_EQ(log->data_units_written[0], 1);	/* 48 units: rounds up */
	CHECK_EQ(log->data_units_read[0], 1);
	CHECK_EQ(log->power_cycles[0], 1);
	/* 48 + 59 * 16 = 992 512-byte units: still 1; 1008: 2 */
	for (i = 0; i < 59; i++)
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 16, wbuf), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, rbuf), 0);
	CHECK_EQ(log->data_units_written[0], 1);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 16, wbuf), 0);
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, rbuf), 0);
	CHECK_EQ(log->data_units_written[0], 2);
	CHECK_EQ(log->host_writes[0], 63);
	sim_free(s);
}

UNIT_TEST(io_power_on_hours)
{
	struct sim *s;
	struct nvme_smart_log *log = (void *)rbuf;

	uport_fake_ns = 1;
	s = unit_sim_enabled();
	uport_fake_ns += 3ULL * 3600 * 1000000000ULL + 5;
	CHECK_EQ(sim_get_log(s, NVME_LOG_SMART, 512, 0, false, rbuf), 0);
	CHECK_EQ(log->power_on_hours[0], 3);
	uport_fake_ns = 0;
	sim_free(s);
}

UNIT_TEST(io_error_log_lba)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_error_log_entry *e = (void *)rbuf;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 100, 1, wbuf), NVME_SC_LBA_RANGE | DNR);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 0, 1, wbuf), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_get_log(s, NVME_LOG_ERROR, 4096, 0, false, rbuf), 0);
	CHECK_EQ(le64_to_cpu(e[1].error_count), 1);
	CHECK_EQ(le16_to_cpu(e[1].sqid), 1);
	CHECK_EQ(le64_to_cpu(e[1].lba), 100);
	CHECK_EQ(le32_to_cpu(e[1].nsid), 1);
	CHECK_EQ(le32_to_cpu(e[0].nsid), 2);
	sim_free(s);
}

/* Feature 08h: THR 3 (4 entries), long TIME: one interrupt per 4. */
UNIT_TEST(io_irq_coalescing)
{
	struct sim *s = unit_sim_enabled();
	unsigned int i;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 2, 16), 0);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_COALESCE, 3 | (255 << 8), NULL), 0);
	uport_fake_ns = 1000;
	for (i = 0; i < 8; i++)
		CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, i, 1, rbuf), 0);
	CHECK_EQ(s->irqs[1], 2);
	/* admin completions are never coalesced */
	CHECK_EQ(s->irqs[0] >= 6, 1);
	/* time elapsed: the next completion interrupts at once */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, rbuf), 0);
	CHECK_EQ(s->irqs[1], 2);
	uport_fake_ns += 26 * 1000000ULL;		/* > 25.5 ms */
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, rbuf), 0);
	CHECK_EQ(s->irqs[1], 3);
	/* Coalescing Disable on vector 2: every completion */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_CONFIG, 2 | NVME_IRQ_CONFIG_CD, NULL), 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(sim_rw(s, 2, nvme_cmd_read, 1, i, 1, rbuf), 0);
	CHECK_EQ(s->irqs[2], 3);
	uport_fake_ns = 0;
	sim_free(s);
}

/*
 * Feature 08h TIME with no further completion: the poll loop raises the
 * interrupt once it is due (nepf_irq_coalesce_flush()), not before.
 */
UNIT_TEST(io_irq_coalescing_deadline)
{
	struct sim *s = unit_sim_enabled();

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	/* THR 3, TIME 10: 1 ms */
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_COALESCE, 3 | (10 << 8), NULL), 0);
	uport_fake_ns = 5000;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, rbuf), 0);
	CHECK_EQ(s->irqs[1], 0);
	CHECK_EQ(nepf_irq_coalesce_flush(&s->ctrl, 5000), 5000 + 1000000);
	uport_fake_ns += 999999;
	sim_run(s);
	CHECK_EQ(s->irqs[1], 0);
	uport_fake_ns += 1;
	sim_run(s);
	CHECK_EQ(s->irqs[1], 1);
	CHECK_EQ(nepf_irq_coalesce_flush(&s->ctrl, uport_fake_ns), U64_MAX);
	uport_fake_ns = 0;
	sim_free(s);
}

/* A namespace and one I/O queue pair, with interrupt vector 1. */
static struct sim *io1_sim(void)
{
	struct sim *s = unit_sim_enabled();

	sim_add_ns(s, 1, 64, 9);
	if (sim_create_io_queues(s, 1, 16))
		abort();
	return s;
}

/* Submit @n reads to SQ 1 and fetch them; the sim holds them (s->held). */
static void held_reads(struct sim *s, unsigned int n)
{
	struct nvme_sqe sqe;
	unsigned int i;

	s->nr_held = 0;
	s->hold_defer = true;
	for (i = 0; i < n; i++) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.rw.slba = cpu_to_le64(i);
		sqe.dptr.prp1 = cpu_to_le64(sim_alloc(s, 512, SIM_PAGE));
		CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	}
	sim_run(s);
	CHECK_EQ(s->nr_held, n);
	s->hold_defer = false;
}

/* Finish @n of the held commands, from the first not finished yet. */
static void finish_held(struct sim *s, unsigned int *next, unsigned int n)
{
	while (n--)
		nepf_cmd_finish(s->held[(*next)++]);
}

/*
 * Without Feature 08h: one interrupt per CQ and poll pass.  Completions
 * while others of the SQ run owe it to the pass; the one that leaves the
 * SQ with nothing in flight sends it at once.
 */
UNIT_TEST(io_irq_one_per_pass)
{
	struct sim *s = io1_sim();
	unsigned int next = 0;

	held_reads(s, 8);
	finish_held(s, &next, 4);
	CHECK_EQ(s->irqs[1], 0);
	sim_run(s);				/* the pass ends: one for four */
	CHECK_EQ(s->irqs[1], 1);
	sim_run(s);
	CHECK_EQ(s->irqs[1], 1);		/* nothing owed any more */
	finish_held(s, &next, 4);		/* the last one drains the SQ */
	CHECK_EQ(s->irqs[1], 2);
	s->nr_held = 0;				/* all finished */
	for (next = 0; next < 8; next++)
		CHECK_EQ(sim_reap(s, 1, NULL), 0);
	CHECK_EQ(sim_reap(s, 1, NULL), -EAGAIN);
	sim_free(s);
}

/*
 * At QD1 every completion is its SQ's last: the interrupt goes at once,
 * not at the end of the pass (latency).  Coalescing Disable (Feature 09h)
 * keeps its meaning: an interrupt per completion.
 */
UNIT_TEST(io_irq_at_once_qd1_and_cd)
{
	struct sim *s = io1_sim();
	unsigned int next = 0;

	held_reads(s, 1);
	finish_held(s, &next, 1);
	CHECK_EQ(s->irqs[1], 1);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_IRQ_CONFIG, 1 | NVME_IRQ_CONFIG_CD, NULL), 0);
	next = 0;
	held_reads(s, 4);
	finish_held(s, &next, 4);
	CHECK_EQ(s->irqs[1], 5);
	s->nr_held = 0;
	sim_free(s);
}

/* A CQ without interrupts (IEN = 0) still gets its entries. */
UNIT_TEST(io_polled_cq)
{
	struct sim *s = unit_sim_enabled();

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 0, NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 4, false, 0), 0);
	CHECK_EQ(sim_create_sq(s, 1, 4, 1), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 1, rbuf), 0);
	CHECK_EQ(s->irqs[0] + s->irqs[1], s->irqs[0]);
	CHECK_EQ(s->irqs[1], 0);
	sim_free(s);
}

/* Host memory that cannot be written: CFS, not a crash. */
UNIT_TEST(io_cq_write_failure_is_fatal)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;

	s->fail_host_write = true;
	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_cmd(s, 0, &sqe, NULL), SIM_NO_CQE);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_FATAL);
	s->fail_host_write = false;
	sim_disable(s);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_free(s);
}

/*
 * I/O CQ rings the environment keeps mapped (env->cq_created): a 4K read
 * writes its data with host_write and its CQE through the mapping, which
 * lives from Create to Delete I/O CQ, or to the reset.
 */
UNIT_TEST(io_cq_kept_mapping)
{
	struct sim *s = unit_sim_enabled();
	u32 w0, c0;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(s->nr_cq_maps, 0);
	CHECK_EQ(sim_create_io_queues(s, 2, 8), 0);
	CHECK_EQ(s->nr_cq_maps, 2);
	w0 = s->ledger.host_writes;
	c0 = s->ledger.cq_writes;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 8, rbuf), 0);
	CHECK_EQ(s->ledger.host_writes, w0 + 1);	/* the data */
	CHECK_EQ(s->ledger.cq_writes, c0 + 1);	/* the CQE */
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 1), 0);
	CHECK_EQ(s->nr_cq_maps, 2);
	CHECK_EQ(sim_delete_q(s, nvme_admin_delete_cq, 1), 0);
	CHECK_EQ(s->nr_cq_maps, 1);
	/* a new CQ with the same id gets a new mapping */
	CHECK_EQ(sim_create_cq(s, 1, 8, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 8, 1), 0);
	CHECK_EQ(s->nr_cq_maps, 2);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 8, rbuf), 0);
	CHECK_EQ(s->ledger.cq_writes, c0 + 2);
	nepf_ctrl_reset(&s->ctrl);
	CHECK_EQ(s->nr_cq_maps, 0);
	sim_free(s);
}

/* Without a kept mapping (the EPC had no window to spare) CQEs still go. */
UNIT_TEST(io_cq_no_kept_mapping)
{
	struct sim *s = unit_sim_enabled();
	u32 w0;

	s->no_cq_map = true;
	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 8), 0);
	CHECK_EQ(s->nr_cq_maps, 0);
	w0 = s->ledger.host_writes;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 0, 8, rbuf), 0);
	CHECK_EQ(s->ledger.host_writes, w0 + 2);	/* data and CQE */
	CHECK_EQ(s->ledger.cq_writes, 0);
	sim_free(s);
}

/*
 * Submit @n Flushes to SQ 1 and run them; @reads: how many host reads the
 * controller made meanwhile.  Every Flush must complete successfully.
 */
static void run_flushes(struct sim *s, unsigned int n, u32 *reads)
{
	u32 r0 = s->ledger.host_reads;
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	unsigned int i;

	sim_sqe(&sqe, nvme_cmd_flush);
	sqe.nsid = cpu_to_le32(1);
	for (i = 0; i < n; i++)
		CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	sim_run(s);
	for (i = 0; i < n; i++) {
		CHECK_EQ(sim_reap(s, 1, &cqe), 0);
		CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	}
	*reads = s->ledger.host_reads - r0;
}

/*
 * SQEs are read in batches: the commands waiting in an SQ, up to the end
 * of the ring, with one host read.
 */
UNIT_TEST(io_sqe_batched_read)
{
	struct sim *s = unit_sim_enabled();
	u32 reads = 0;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 8), 0);
	/* 5 at once from slot 0: one host read for the SQEs */
	run_flushes(s, 5, &reads);
	CHECK_EQ(reads, 1);
	/* 6 more from slot 5 of 8: the ring's end splits them, 3 + 3 */
	run_flushes(s, 6, &reads);
	CHECK_EQ(reads, 2);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

/*
 * A failed SQE read leaves the entries in the SQ for the next pass; only
 * NEPF_FETCH_TRIES failures in a row are fatal.
 */
UNIT_TEST(io_sqe_read_retried_then_fatal)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u32 fetched;
	int i;

	sim_add_ns(s, 1, 64, 9);
	CHECK_EQ(sim_create_io_queues(s, 1, 8), 0);
	fetched = s->nr_fetched;
	s->fail_host_reads = NEPF_FETCH_TRIES - 1;
	sim_sqe(&sqe, nvme_cmd_flush);
	sqe.nsid = cpu_to_le32(1);
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	for (i = 0; i < NEPF_FETCH_TRIES + 1; i++)
		sim_run(s);			/* one failed read per pass */
	CHECK_EQ(s->fail_host_reads, 0);
	CHECK(!(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS));
	CHECK_EQ(s->nr_fetched, fetched + 1);	/* fetched once, at last */
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	/* one failure more: fatal, and nothing fetched */
	s->fail_host_reads = NEPF_FETCH_TRIES;
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	for (i = 0; i < NEPF_FETCH_TRIES + 1; i++)
		sim_run(s);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	CHECK_EQ(s->nr_fetched, fetched + 1);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}
