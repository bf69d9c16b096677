// SPDX-License-Identifier: GPL-2.0
/*
 * test-pollexec.c - run-to-completion on the poll thread (issue 14): the
 * core's rule (nepf_ctrl_fetch()) that picks which I/O commands the poll
 * thread runs itself (env->start_cmd with @here) rather than handing
 * them to a worker.  A lone command with nothing else in flight runs
 * there; two in a pass, or one while another is in flight, are handed
 * off; one that ends after its submit, or takes longer than the bound,
 * turns it off for its namespace for NEPF_EXEC_OFF_CMDS commands and
 * NEPF_EXEC_OFF_NS, after which it is back on.  The clock is fake
 * (uport_fake_ns); the RAM backend's I/O takes s->io_ns of it.
 */
#include "unit.h"

#define COST(s, NAME)	((s)->costs.v[NEPF_COST_##NAME])
#define BOUND_NS	(NEPF_EXEC_HERE_US * 1000ULL)

static struct sim *pe_sim(void)
{
	struct sim *s = unit_sim_enabled();

	uport_fake_ns = 1000000000ULL;
	if (sim_create_io_queues(s, 2, 16))
		abort();
	sim_add_ns(s, 1, 256, 9);
	sim_add_ns(s, 2, 256, 9);
	s->ctrl.exec_here_ns = BOUND_NS;
	s->nr_here = 0;
	s->nr_handed = 0;
	memset(&s->costs, 0, sizeof(s->costs));
	return s;
}

static void pe_free(struct sim *s)
{
	sim_free(s);
	uport_fake_ns = 0;
}

/* One 4 KiB read of @nsid on SQ 1, alone: its status. */
static u16 read1(struct sim *s, u32 nsid)
{
	u8 buf[4096];

	return sim_rw(s, 1, nvme_cmd_read, nsid, 0, 8, buf);
}

/* A read SQE of @nsid (4 KiB at LBA 0), submitted and not run. */
static void submit_read(struct sim *s, u16 sqid, u32 nsid)
{
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(nsid);
	sqe.rw.length = cpu_to_le16(8 - 1);
	sim_data(s, &sqe, 4096);
	if (sim_submit(s, sqid, &sqe))
		abort();
}

static unsigned int reap_ok(struct sim *s, u16 sqid)
{
	struct nvme_cqe cqe;
	unsigned int n = 0;

	while (!sim_reap(s, sqid, &cqe))
		n += !(le16_to_cpu(cqe.status) >> 1);
	return n;
}

UNIT_TEST(pollexec_lone_cmd_runs_here)
{
	struct sim *s = pe_sim();
	u8 out[4096], in[4096];

	memset(out, 0x3c, sizeof(out));
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 8, 8, out), 0);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 1, 8, 8, in), 0);
	CHECK(!memcmp(in, out, sizeof(in)));
	CHECK_EQ(s->nr_here, 2);
	CHECK_EQ(s->nr_handed, 0);
	CHECK_EQ(COST(s, EXEC_POLLER), 2);
	CHECK_EQ(COST(s, EXEC_POLLER_OFF), 0);
	CHECK_EQ(COST(s, FINISH_INLINE), 2);
	CHECK_EQ(s->ledger.defers, 0);
	pe_free(s);
}

/* 0: never (the environment's poll_exec_us=0). */
UNIT_TEST(pollexec_bound_zero_never)
{
	struct sim *s = pe_sim();

	s->ctrl.exec_here_ns = 0;
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 0);
	CHECK_EQ(s->nr_handed, 1);
	CHECK_EQ(COST(s, EXEC_POLLER), 0);
	pe_free(s);
}

UNIT_TEST(pollexec_two_in_a_pass_handed_off)
{
	struct sim *s = pe_sim();

	/* Two of one SQ. */
	submit_read(s, 1, 1);
	submit_read(s, 1, 1);
	sim_run(s);
	CHECK_EQ(reap_ok(s, 1), 2);
	CHECK_EQ(s->nr_here, 0);
	CHECK_EQ(s->nr_handed, 2);
	/* One each of two SQs: still one pass, two commands. */
	submit_read(s, 1, 1);
	submit_read(s, 2, 2);
	sim_run(s);
	CHECK_EQ(reap_ok(s, 1), 1);
	CHECK_EQ(reap_ok(s, 2), 1);
	CHECK_EQ(s->nr_here, 0);
	CHECK_EQ(s->nr_handed, 4);
	CHECK_EQ(COST(s, EXEC_POLLER), 0);
	/* Alone again: on the poll thread. */
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 1);
	pe_free(s);
}

/* An admin command in the same pass makes two: the I/O one is handed off. */
UNIT_TEST(pollexec_admin_in_the_pass)
{
	struct sim *s = pe_sim();
	struct nvme_sqe sqe;

	sim_sqe(&sqe, nvme_admin_get_features);
	sqe.cdw10 = cpu_to_le32(NVME_FEAT_ARBITRATION);
	CHECK_EQ(sim_submit(s, 0, &sqe), 0);
	submit_read(s, 1, 1);
	sim_run(s);
	CHECK_EQ(reap_ok(s, 0), 1);
	CHECK_EQ(reap_ok(s, 1), 1);
	CHECK_EQ(s->nr_here, 0);
	CHECK_EQ(s->nr_handed, 1);
	pe_free(s);
}

/* Another command of the function in flight: handed off. */
UNIT_TEST(pollexec_other_inflight_handed_off)
{
	struct sim *s = pe_sim();

	s->hold_defer = true;		/* its end waits in s->held */
	s->ctrl.exec_here_ns = 0;
	submit_read(s, 2, 2);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	s->hold_defer = false;
	s->ctrl.exec_here_ns = BOUND_NS;
	submit_read(s, 1, 1);
	sim_run(s);
	CHECK_EQ(reap_ok(s, 1), 1);
	CHECK_EQ(s->nr_here, 0);
	CHECK_EQ(s->nr_handed, 2);
	sim_release_held(s);
	sim_run(s);
	CHECK_EQ(reap_ok(s, 2), 1);
	/* Nothing in flight any more. */
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 1);
	pe_free(s);
}

/*
 * Off for @nsid now: the next NEPF_EXEC_OFF_CMDS lone commands of it are
 * handed off, however late; once the time is over too, it runs here.
 */
static void check_off_then_on(struct sim *s, u32 nsid)
{
	u32 here = s->nr_here, handed = s->nr_handed, i;

	for (i = 0; i < NEPF_EXEC_OFF_CMDS; i++) {
		CHECK_EQ(read1(s, nsid), 0);
		uport_fake_ns += NEPF_EXEC_OFF_NS;
	}
	CHECK_EQ(s->nr_here, here);
	CHECK_EQ(s->nr_handed, handed + NEPF_EXEC_OFF_CMDS);
	CHECK_EQ(read1(s, nsid), 0);
	CHECK_EQ(s->nr_here, here + 1);
}

UNIT_TEST(pollexec_async_end_turns_off)
{
	struct sim *s = pe_sim();

	s->async_io = true;		/* ends after its submit (a file) */
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 1);
	CHECK_EQ(COST(s, EXEC_POLLER_OFF), 1);
	CHECK_EQ(s->ledger.defers, 1);
	s->async_io = false;
	/* The other namespace is not concerned. */
	CHECK_EQ(read1(s, 2), 0);
	CHECK_EQ(s->nr_here, 2);
	check_off_then_on(s, 1);
	CHECK_EQ(COST(s, EXEC_POLLER_OFF), 1);
	pe_free(s);
}

UNIT_TEST(pollexec_slow_turns_off)
{
	struct sim *s = pe_sim();

	s->io_ns = BOUND_NS;		/* at the bound: still fast */
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(COST(s, EXEC_POLLER_OFF), 0);
	s->io_ns = BOUND_NS + 1;
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 2);
	CHECK_EQ(COST(s, EXEC_POLLER_OFF), 1);
	s->io_ns = 0;
	check_off_then_on(s, 1);
	pe_free(s);
}

/* Off also lasts NEPF_EXEC_OFF_NS, however many commands went by. */
UNIT_TEST(pollexec_off_lasts_its_time)
{
	struct sim *s = pe_sim();
	u32 i;

	s->async_io = true;
	CHECK_EQ(read1(s, 1), 0);
	s->async_io = false;
	for (i = 0; i < 2 * NEPF_EXEC_OFF_CMDS; i++)
		CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 1);
	uport_fake_ns += NEPF_EXEC_OFF_NS;
	CHECK_EQ(read1(s, 1), 0);
	CHECK_EQ(s->nr_here, 2);
	pe_free(s);
}
